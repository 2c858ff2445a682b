"""OCR of scanned pages (yibao.extract.ocr): pages without a text layer are read by OCR, and only those.

Expected values are read by hand from the page images, never from the OCR output:
- the scanned fixtures of tests/fixtures/scan/ (made by make_scans.py) from the original pages,
  page 7 of 016_sh-ybzx-2026-danwei-yusuan.pdf and page 7 of 022_yt-ybj-2026-bumen-yusuan.pdf
  (../shared/real), looked at as images;
- 043_bj-zhengshuju-2026-bumen-yusuan-scan.pdf (../shared/real, 8 pages, each one 1190×1683 image)
  from its page images: pages 5–7 of the printed 情况说明.
OCR takes 5–15 s a page here, so each document is read once per module.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from yibao.extract import ocr, read_source
from yibao.extract.ocr import OcrLine, clean_text, group_lines, ocr_image
from yibao.extract.pdf import read_pdf
from yibao.model import SourceText
from yibao.model.errors import UnreadableDocument

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SCAN = FIXTURES / "scan"
SHANGHAI = SCAN / "sh-ybzx-2026-shouzhi-zongbiao-scan.pdf"  # 016 page 7, 单位：元
YANTAI = SCAN / "yt-ybj-2026-shouzhi-zongbiao-scan.pdf"  # 022 page 7, 单位：万元
SHUANGYASHAN = SCAN / "shuangyashan-2024-expenditure-scan.pdf"  # the tables fixture's page 2 at 100 dpi
TABLES_PDF = FIXTURES / "pdf" / "shuangyashan-2024-tables.pdf"
BLANK = FIXTURES / "bad" / "scanned-blank-page.pdf"
REAL_SCAN = ROOT.parent / "shared" / "real" / "043_bj-zhengshuju-2026-bumen-yusuan-scan.pdf"

# an amount as printed: with thousands separators or decimals (not '1、' of a numbered row, not a code)
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")
slow = pytest.mark.slow  # OCR: seconds per page; the whole suite still runs these


def amounts(text: str) -> list[str]:
    return AMOUNT.findall(text)


def line_with(source: SourceText, label: str) -> str:
    """The one OCR'd line holding `label` (a row's name as printed)."""
    found = [line.text for line in source.lines if label in line.text]
    assert len(found) == 1, (label, found)
    return found[0]


@pytest.fixture(scope="module")
def shanghai() -> SourceText:
    return read_source(SHANGHAI)


@pytest.fixture(scope="module")
def yantai() -> SourceText:
    return read_source(YANTAI)


@pytest.fixture(scope="module")
def beijing() -> SourceText:
    if not REAL_SCAN.exists():
        pytest.skip(f"{REAL_SCAN} is not there")
    return read_source(REAL_SCAN)


# ----------------------------------------------------------------------------------------------
# A real 收支总表 page, scanned: the amounts as printed, each in its row


# Read by hand from page 7 of 016_sh-ybzx-2026-danwei-yusuan.pdf (2026年预算单位财务收支预算总表,
# 单位：元): each row's amounts left to right. Income side | expenditure side 合计, 人员经费, 公用经费, 项目支出.
SHANGHAI_ROWS = {
    "一般公共服务支出": ["193,018,000", "7,099,698", "6,910,898", "188,800"],
    "卫生健康支出": ["193,018,000", "175,412,674", "32,174,674", "8,838,000", "134,400,000"],
    "住房保障支出": ["10,505,628", "10,505,628"],
    "收入总计": ["193,018,000", "193,018,000", "49,591,200", "9,026,800", "134,400,000"],
}

# Read by hand from page 7 of 022_yt-ybj-2026-bumen-yusuan.pdf (公开表1 收支总体情况表, 单位：万元).
YANTAI_ROWS = {
    "财政拨款收入": ["16,375.67"],
    "一般公共预算收入": ["15,375.67"],
    "国有资本经营预算收入": ["1,000.00", "4.70"],  # 四、教育支出 4.70 is printed on the same row
    "社会保障和就业支出": ["327.92"],
    "卫生健康支出": ["14,870.93"],
    "住房保障支出": ["172.12"],
    "国有资本经营预算支出": ["1,000.00"],
    "本年收入合计": ["16,375.67", "16,375.67"],
    "收入总计": ["16,375.67", "16,375.67"],
}


def test_scanned_fixture_is_an_image_without_text() -> None:
    import pdfplumber

    for path in (SHANGHAI, YANTAI, BLANK):
        assert path.stat().st_size < 300_000
        with pdfplumber.open(path) as pdf:
            assert [len(page.chars) for page in pdf.pages] == [0]
            assert [len(page.images) for page in pdf.pages] == [1]


@slow
@pytest.mark.parametrize("label", sorted(SHANGHAI_ROWS))
def test_scanned_summary_table_amounts_yuan(shanghai: SourceText, label: str) -> None:
    assert amounts(line_with(shanghai, label)) == SHANGHAI_ROWS[label]


@slow
@pytest.mark.parametrize("label", sorted(YANTAI_ROWS))
def test_scanned_summary_table_amounts_wanyuan(yantai: SourceText, label: str) -> None:
    assert amounts(line_with(yantai, label)) == YANTAI_ROWS[label]


@slow
def test_ocr_amounts_satisfy_the_printed_identities(shanghai: SourceText, yantai: SourceText) -> None:
    """What a later stage must check before it publishes an OCR'd amount: the identities hold."""
    d = [[Decimal(a.replace(",", "")) for a in amounts(line_with(shanghai, label))] for label in SHANGHAI_ROWS]
    general, health, housing, total = d[0][1:], d[1][1:], d[2], d[3][1:]
    for row in (general, health):
        assert row[0] == sum(row[1:])  # 合计 = 人员经费 + 公用经费 + 项目支出
    assert total[0] == general[0] + health[0] + housing[0]  # 支出总计 = sum of the rows
    assert total[1] == general[1] + health[1] + housing[1]  # 人员经费
    assert total[0] == d[3][0]  # 收入总计 = 支出总计
    wan = {label: [Decimal(a.replace(",", "")) for a in amounts(line_with(yantai, label))] for label in YANTAI_ROWS}
    expenditure = ["国有资本经营预算收入", "社会保障和就业支出", "卫生健康支出", "住房保障支出", "国有资本经营预算支出"]
    assert sum(wan[label][-1] for label in expenditure) == wan["本年收入合计"][1]  # 本年支出合计


@slow
def test_scanned_table_titles_and_labels(shanghai: SourceText, yantai: SourceText) -> None:
    assert shanghai.lines[0].text == "2026年预算单位财务收支预算总表"
    assert "编制单位：上海市医疗保险事业管理中心" in shanghai.lines[1].text
    assert "收支总体情况表" in [line.text for line in yantai.lines]
    assert any("部门（单位）：烟台市医疗保障局" in line.text for line in yantai.lines)


@slow
def test_ocr_lines_are_marked(shanghai: SourceText) -> None:
    assert shanghai.pages == 1 and shanghai.ocr_pages == (1,)
    assert shanghai.lines and all(line.ocr for line in shanghai.lines)
    assert [line.number for line in shanghai.lines] == list(range(1, len(shanghai.lines) + 1))


@slow
def test_synthetic_scan_gives_the_text_layer_amounts() -> None:
    """The tables fixture's page 2 printed at 100 dpi (JPEG): every amount of its text layer is read."""
    printed = [a for line in read_pdf(TABLES_PDF)[1] for a in amounts(line.replace("\t", " "))]
    scanned = [a for line in read_pdf(SHUANGYASHAN)[0] for a in amounts(line)]
    assert printed and len(printed) > 40
    assert sorted(scanned) == sorted(printed)


# ----------------------------------------------------------------------------------------------
# The real scanned document (043): every page an image


# Read by hand from the page images of 043 (pages 5, 6 and 7 of the PDF).
BEIJING_FIGURES = [
    "101,673.03",  # 2026年度收入预算 (page 5), 支出预算 (page 6)
    "99,003.18",  # 2025年年初预算数
    "2,669.85",  # 增加
    "4,950.85",  # 上年结转结余
    "38,197.01",  # 基本支出预算 (page 6)
    "63,408.16",  # 项目支出预算
    "67.86",  # 年终结转结余资金 (page 7)
    "80.11",  # “三公”经费预算
    "8.35",  # 减少
    "51.3",  # 因公出国（境）费用
    "7.25",  # 公务接待费
    "21.56",  # 公务用车购置和运行维护费
    "12.53",  # 公务用车购置费
    "9.03",  # 公务用车运行维护费
    "55,307.45",  # 政府采购预算总额
    "1,168.3",  # 政府采购货物预算
    "105.2",  # 政府采购工程预算
    "54,033.95",  # 政府采购服务预算
    "760.36",  # 机关运行经费
]


@slow
def test_real_scan_is_read_by_ocr(beijing: SourceText) -> None:
    assert beijing.pages == 8
    assert beijing.ocr_pages == tuple(range(1, 9))
    assert all(line.ocr for line in beijing.lines)
    assert beijing.lines[0].text == "北京市政务服务和数据管理局"  # the cover's first line
    assert beijing.lines[1].text == "2026年度部门预算信息公开"


@slow
@pytest.mark.parametrize("figure", BEIJING_FIGURES)
def test_real_scan_figures(beijing: SourceText, figure: str) -> None:
    found = {a for line in beijing.lines for a in amounts(line.text)}
    assert figure in found


@slow
def test_real_scan_sentences(beijing: SourceText) -> None:
    text = "\n".join(line.text for line in beijing.lines)
    assert "2026年度收入预算101,673.03万元" in text
    assert "基本支出预算38,197.01万元" in text
    assert "增长2.7%" in text
    assert "（二）本年其他资金收入0万元" in text  # OCR reads this 0 as 〇: clean_text puts it back
    assert "2026年北京市政务服务和数据管理局机关运行经费财" in text


@slow
def test_real_scan_pages_keep_their_lines(beijing: SourceText) -> None:
    by_page = {page: [line.text for line in beijing.lines if line.page == page] for page in range(1, 9)}
    assert by_page[5][0] == "二、收入预算情况说明"
    assert by_page[6][1] == "三、支出预算情况说明"
    assert any("年终结转结余资金67.86万元" in text for text in by_page[7])


# ----------------------------------------------------------------------------------------------
# Only pages without a text layer


def test_a_page_with_a_text_layer_is_never_ocrd(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(page: object) -> list[OcrLine]:
        raise AssertionError("a page with a text layer went to OCR")

    monkeypatch.setattr(ocr, "ocr_pdf_page", refuse)
    source = read_source(TABLES_PDF)
    assert source.ocr_pages == ()
    assert source.lines and not any(line.ocr for line in source.lines)


@slow
def test_only_the_scanned_page_of_a_mixed_document_is_ocrd(tmp_path: Path, shanghai: SourceText) -> None:
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    for path, index in ((TABLES_PDF, 0), (SHANGHAI, 0), (TABLES_PDF, 2)):
        mixed.import_pages(pdfium.PdfDocument(str(path)), [index])
    target = tmp_path / "mixed.pdf"
    mixed.save(str(target))
    source = read_source(target)
    assert source.pages == 3 and source.ocr_pages == (2,)
    assert {line.page for line in source.lines if line.ocr} == {2}
    assert [line.text for line in source.lines if line.page == 2] == [line.text for line in shanghai.lines]
    text_pages = [line.text for line in source.lines if not line.ocr]
    assert text_pages == [line for page in (0, 2) for line in _text_lines(page)]


def _text_lines(page: int) -> list[str]:
    return [line.text for line in read_source(TABLES_PDF).lines if line.page == page + 1]


# ----------------------------------------------------------------------------------------------
# Refusals and limits


@slow
def test_a_blank_scan_is_refused_clearly() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_source(BLANK)
    assert caught.value.code == "pdf.ocr_no_text"
    for words in ("没有文本层", "文字识别 (OCR)", "no text layer", "OCR read no usable text", "publish"):
        assert words in str(caught.value)


def test_too_many_scanned_pages_are_refused_before_any_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 0)
    monkeypatch.setattr(ocr, "ocr_pdf_page", lambda page: pytest.fail("OCR ran"))
    with pytest.raises(UnreadableDocument, match=r"扫描页过多.*1 页.*上限 0 页.*too many scanned pages") as caught:
        read_source(SHANGHAI)
    assert caught.value.code == "pdf.ocr_too_many_pages"


def test_ocr_time_is_bounded_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_OCR_SECONDS_PER_PAGE", -1.0)
    monkeypatch.setattr(ocr, "ocr_pdf_page", lambda page: [])
    with pytest.raises(UnreadableDocument, match=r"OCR\) 超时.*上限为平均每页 -1 秒.*OCR took") as caught:
        read_source(BLANK)
    assert caught.value.code == "pdf.ocr_timeout"


# ----------------------------------------------------------------------------------------------
# The engine: deterministic, positions in points


@slow
def test_same_image_same_lines() -> None:
    from PIL import Image

    image, scale = _shanghai_image()
    crop = image.crop((0, int(image.height * 0.38), image.width, int(image.height * 0.52)))
    first = ocr_image(crop, scale)
    second = ocr_image(Image.frombytes(crop.mode, crop.size, crop.tobytes()), scale)
    assert first == second
    assert any("175,412,674" in line.text for line in first)


@slow
def test_positions_are_in_page_points(shanghai: SourceText) -> None:
    ocr._engine.cache_clear()  # a new engine reads the page as the first one did
    image, scale = _shanghai_image()
    lines = ocr_image(image, scale)
    assert [line.text for line in lines] == [line.text for line in shanghai.lines]
    width, height = image.width / scale, image.height / scale  # the page in points
    for line in lines:
        assert 0 <= line.x0 < line.x1 <= width and 0 <= line.top < line.bottom <= height
        assert line.words and all(0 < w.score <= 1 for w in line.words)
        assert [w.x0 for w in line.words] == sorted(w.x0 for w in line.words)
    title = lines[0]
    assert 300 < (title.x0 + title.x1) / 2 < 540  # centred on the 842 pt wide landscape page
    amount = next(w for line in lines for w in line.words if w.text == "175,412,674")
    assert amount.chars and "".join(ch for ch, _, _ in amount.chars).replace(" ", "") == "175,412,674"


def test_blank_image_reads_nothing() -> None:
    from PIL import Image

    assert ocr_image(Image.new("L", (400, 300), 255)) == []


def _shanghai_image() -> tuple[object, float]:
    import pdfplumber

    with pdfplumber.open(SHANGHAI) as pdf:
        return ocr.render_page(pdf.pages[0])


@pytest.mark.parametrize(
    ("read", "text"),
    [
        ("7, 099, 698", "7,099,698"),
        ("17，541万元", "17,541万元"),
        ("3. 15", "3.15"),
        ("3．15", "3.15"),
        ("１２3", "123"),
        ("本年其他资金收入〇万元", "本年其他资金收入0万元"),
        ("二〇二六年预算五〇万元", "二〇二六年预算五〇万元"),  # written in Chinese numerals: kept
        ("本 年 收 入 合 计", "本年收入合计"),
        ("1. 2026年", "1. 2026年"),  # a numbered item before a year is no amount
        ("第二部分 2026 年度", "第二部分 2026 年度"),
        ("1，2项", "1，2项"),
    ],
)
def test_clean_text(read: str, text: str) -> None:
    assert clean_text(read) == text


def test_group_lines_by_vertical_middle() -> None:
    w = ocr.OcrWord
    words = [w("b", 50, 60, 10.5, 20.5, 1.0), w("a", 0, 10, 10, 20, 1.0), w("c", 0, 10, 30, 40, 1.0)]
    lines = group_lines(words)
    assert [line.text for line in lines] == ["a b", "c"]
    assert (lines[0].top, lines[0].x0, lines[0].x1, lines[0].bottom) == (10, 0, 60, 20.5)
