"""yibao.pdf: ruled tables → tab-separated rows, text in page order, clear refusals.

The fixtures are committed (tests/fixtures/make_fixtures.py regenerates them with LibreOffice and
qpdf); these tests need only pdfplumber and hypothesis.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pdfplumber.page
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao.extract import pdf
from yibao.extract.pdf import cell_text, join_words, normalise, read_pdf, reason_for, row_line
from yibao.model.errors import UnreadableDocument

FIXTURES = Path(__file__).parent / "fixtures"
TABLES_PDF = FIXTURES / "pdf" / "shuangyashan-2024-tables.pdf"
BAD = FIXTURES / "bad"


def _fixture_maker() -> ModuleType:
    """make_fixtures.py, for its small hand-written PDF writer (it imports only the stdlib)."""
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages() -> list[list[str]]:
    return read_pdf(TABLES_PDF)


@pytest.fixture(scope="module")
def lines(pages: list[list[str]]) -> list[str]:
    return [line for page in pages for line in page]


def row_starting(lines: list[str], first_cells: str) -> list[str]:
    matches = [line for line in lines if line.startswith(first_cells + "\t")]
    assert len(matches) == 1, (first_cells, matches)
    return matches[0].split("\t")


# ----------------------------------------------------------------------------------------------
# The realistic disclosure (printed by LibreOffice from a spreadsheet, as budget systems do)


def test_one_list_of_lines_per_page(pages: list[list[str]]) -> None:
    assert len(pages) == 3
    assert pages[0][0] == "双鸭山市医疗保障局2024年部门预算"
    assert pages[1][:2] == ["表3", "部门支出总表"]
    assert pages[2][:2] == ["表7", "一般公共预算“三公”经费支出表"]


def test_titles_come_before_their_tables(lines: list[str]) -> None:
    for title, first_header in [
        ("部门收支总表", "收入\t\t支出\t"),
        (
            "部门支出总表",
            "科目编码\t科目名称\t合计\t基本支出\t项目支出\t事业单位经营支出\t上缴上级支出\t对附属单位补助支出",
        ),
        (
            "一般公共预算“三公”经费支出表",
            "部门(单位)代码\t部门(单位)名称\t“三公”经费合计",
        ),
    ]:
        header = next(i for i, line in enumerate(lines) if line.startswith(first_header))
        assert lines.index(title) < header
        assert lines.index("部门：双鸭山市医疗保障局 单位：万元", lines.index(title)) < header


def test_row_208_keeps_every_amount_in_its_column(lines: list[str]) -> None:
    # 合计 | 基本支出 | 项目支出 printed; 事业单位经营支出, 上缴上级支出, 对附属单位补助支出 blank.
    assert row_starting(lines, "208") == [
        "208",
        "社会保障和就业支出",
        "980.15",
        "929.85",
        "50.30",
        "",
        "",
        "",
    ]


def test_blank_cell_between_amounts_stays_in_place(lines: list[str]) -> None:
    # 项目支出 is blank but the three columns right of it are printed as 0.00.
    assert row_starting(lines, "20805") == [
        "20805",
        "行政事业单位养老支出",
        "121.72",
        "121.72",
        "",
        "0.00",
        "0.00",
        "0.00",
    ]


def test_every_row_of_the_expenditure_table_has_eight_cells(
    pages: list[list[str]],
) -> None:
    rows = [line for line in pages[1] if "\t" in line]
    assert len(rows) == 1 + 15  # header + 合计 + 14 coded rows
    assert all(row.count("\t") == 7 for row in rows)


def test_wrapped_cells_are_joined_without_spaces(lines: list[str]) -> None:
    assert row_starting(lines, "20801")[1] == "人力资源和社会保障管理事务"
    assert row_starting(lines, "2080505")[1] == "机关事业单位基本养老保险缴费支出"
    assert row_starting(lines, "2089999")[1] == "其他社会保障和就业支出"
    header = row_starting(lines, "科目编码")
    assert header[5:] == ["事业单位经营支出", "上缴上级支出", "对附属单位补助支出"]
    assert row_starting(lines, "部门(单位)代码")[2] == "“三公”经费合计"


def test_thousands_separators_survive_as_printed(lines: list[str]) -> None:
    assert "\t合计\t1,116.56\t1,066.26\t50.30\t0.00\t0.00\t0.00" in lines
    assert row_starting(lines, "一、一般公共预算拨款收入") == [
        "一、一般公共预算拨款收入",
        "1,116.56",
        "一、社会保障和就业支出",
        "980.15",
    ]
    assert "收入总计\t1,116.56\t支出总计\t1,116.56" in lines


def test_blank_right_half_of_the_summary_table(lines: list[str]) -> None:
    assert "四、财政专户管理资金收入\t0.00\t\t" in lines
    assert "九、其他收入\t0.00\t\t" in lines


def test_merged_header_cells_are_empty_strings(lines: list[str]) -> None:
    assert (
        "部门(单位)代码\t部门(单位)名称\t“三公”经费合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费"
        in lines
    )
    assert "\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t" in lines
    assert "\t合计\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00" in lines


def test_text_outside_tables_keeps_printed_spaces_only(lines: list[str]) -> None:
    assert "第二部分 双鸭山市医疗保障局2024年部门预算公开报表" in lines
    assert "注：本部门没有“三公”经费支出，故本表为空表。" in lines
    assert all("\t" not in line for line in lines if line.startswith("注："))


def test_each_page_is_closed_before_the_next_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[tuple[str, int]] = []
    original_close, original_read = pdfplumber.page.Page.close, pdf.read_page

    def close(page: pdfplumber.page.Page) -> None:
        events.append(("close", page.page_number))
        original_close(page)

    def read(page: pdfplumber.page.Page) -> tuple[list[str], int, int]:
        events.append(("read", page.page_number))
        return original_read(page)

    monkeypatch.setattr(pdfplumber.page.Page, "close", close)
    monkeypatch.setattr(pdf, "read_page", read)
    read_pdf(TABLES_PDF)
    # pdfplumber closes the pages once more when the document closes; that is harmless.
    assert events[:6] == [
        ("read", 1),
        ("close", 1),
        ("read", 2),
        ("close", 2),
        ("read", 3),
        ("close", 3),
    ]


def test_owner_password_only_pdf_reads_like_the_original(
    pages: list[list[str]],
) -> None:
    # Restricted against copying/printing but opens without a password: common on government sites.
    assert read_pdf(FIXTURES / "pdf" / "owner-password-only.pdf") == pages


def test_a_pdf_that_is_not_a_budget_still_reads() -> None:
    notice = read_pdf(FIXTURES / "pdf" / "not-a-budget-notice.pdf")
    assert notice[0][0] == "关于开展2025年度城乡居民医疗保险集中参保缴费工作的通知"
    assert "二、缴费标准：个人缴费每人每年400元。" in notice[0]


# ----------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.pdf", ["文件为空", "empty"]),
        ("encrypted.pdf", ["加密", "encrypted", "password"]),
        ("scanned-blank-page.pdf", ["没有文本层", "扫描件", "OCR", "no text layer"]),
        ("truncated.pdf", ["截断", "truncated"]),
        ("cid-garbage.pdf", ["(cid:NN)", "ToUnicode"]),
        ("binary.txt", ["不是 PDF", "not a PDF"]),
    ],
)
def test_bad_files_are_refused_with_a_reason(name: str, words: list[str]) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(BAD / name)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("max_pages", [0, 1, 2])
def test_more_pages_than_the_limit_are_refused(max_pages: int) -> None:
    with pytest.raises(
        UnreadableDocument,
        match=r"页数过多.*too many pages: 3, the limit is " + str(max_pages),
    ):
        read_pdf(TABLES_PDF, max_pages=max_pages)


def test_exactly_the_limit_is_read() -> None:
    assert len(read_pdf(TABLES_PDF, max_pages=3)) == 3


def test_truncated_pdf_with_a_fake_end_marker_is_broken_not_a_crash(
    tmp_path: Path,
) -> None:
    data = TABLES_PDF.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3] + b"\n%%EOF\n")
    with pytest.raises(UnreadableDocument, match=r"损坏|截断|没有页面|没有文本层"):
        read_pdf(path)


def test_pdfminer_errors_get_plain_reasons() -> None:
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    assert "已加密" in str(reason_for(PdfminerException(PDFPasswordIncorrect())))
    broken = str(reason_for(PdfminerException(ValueError("bad xref"))))
    assert "已损坏" in broken and "broken PDF" in broken and "bad xref" in broken


def test_dense_ruled_grid_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page ruled into 12,000 cells (pdfplumber's cell search is quadratic) is read as text:
    the table search is never started. Speed itself is measured in benchmarks/, not here."""
    path = tmp_path / "grid.pdf"
    path.write_bytes(grid_pdf(_fixture_maker(), rows=150, cols=80))

    def no_table_search(*args: object, **kwargs: object) -> None:
        raise AssertionError("the quadratic table search ran on a 12,000-cell page")

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", no_table_search)
    pages = read_pdf(path)
    assert len(pages[0]) == 150
    assert all("\t" not in line for line in pages[0])  # too big to look for tables


def test_small_ruled_grid_is_a_table(tmp_path: Path) -> None:
    path = tmp_path / "grid.pdf"
    path.write_bytes(grid_pdf(_fixture_maker(), rows=5, cols=4))
    assert read_pdf(path) == [["9\t9\t9\t9"] * 5]


def test_fake_bold_overprint_is_read_once(tmp_path: Path) -> None:
    # Each string drawn twice, 0.3 pt apart, as some budget systems print bold headings.
    content = b"BT /F1 12 Tf 72 720 Td (Budget 2024) Tj ET BT /F1 12 Tf 72.3 720 Td (Budget 2024) Tj ET"
    path = tmp_path / "bold.pdf"
    path.write_bytes(one_page_pdf(_fixture_maker(), content, 595, 842))
    assert read_pdf(path) == [["Budget 2024"]]


def one_page_pdf(maker: ModuleType, content: bytes, width: int, height: int) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>" % (width, height),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    result: bytes = maker.minimal_pdf(objects)
    return result


def grid_pdf(maker: ModuleType, rows: int, cols: int) -> bytes:
    """A page ruled into rows × cols cells with the digit 9 in each."""
    width = height = 2000
    ops = ["0.1 w"]
    for r in range(rows + 1):
        y = 20 + r * (height - 40) / rows
        ops.append(f"20 {y:.2f} m {width - 20} {y:.2f} l S")
    for c in range(cols + 1):
        x = 20 + c * (width - 40) / cols
        ops.append(f"{x:.2f} 20 m {x:.2f} {height - 20} l S")
    for r in range(rows):
        for c in range(cols):
            x = 22 + c * (width - 40) / cols
            y = 22 + r * (height - 40) / rows
            ops.append(f"BT /F1 4 Tf {x:.2f} {y:.2f} Td (9) Tj ET")
    return one_page_pdf(maker, " ".join(ops).encode(), width, height)


# ----------------------------------------------------------------------------------------------
# Pure helpers


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""),
        ("", ""),
        ("3526.\n22", "3526.22"),
        ("1,116.\n56", "1,116.56"),
        ("人力资源和社会保障管\n理事务", "人力资源和社会保障管理事务"),
        ("Social\nSecurity", "Social Security"),
        ("  部门(单位)代\n码 ", "部门(单位)代码"),
        ("a\tb", "a b"),
    ],
)
def test_cell_text(cell: str | None, text: str) -> None:
    assert cell_text(cell) == text


@pytest.mark.parametrize(
    ("printed", "text"),
    [
        ("\u2f00般公共预算", "一般公共预算"),  # KANGXI RADICAL ONE
        ("\u2fa6额", "金额"),  # KANGXI RADICAL GOLD
        ("\uf90a额", "金额"),  # CJK COMPATIBILITY IDEOGRAPH-F90A
        ("注：（一）１,２", "注：（一）１,２"),  # full-width forms stay as printed
    ],
)
def test_normalise_folds_look_alike_ideographs_only(printed: str, text: str) -> None:
    assert normalise(printed) == text


def test_row_line_keeps_positions() -> None:
    assert row_line([None, "合计", "", "1,116.56", None]) == "\t合计\t\t1,116.56\t"


def test_join_words_letter_spacing_vs_column_gap() -> None:
    def word(text: str, x0: float) -> pdf.Word:
        return pdf.Word(text, x0, x0 + 10 * len(text), 100, 110)

    # '部门' and '预算' 4 pt apart at 10 pt: letter spacing, one word.
    assert join_words([word("部门", 0), word("预算", 24)]) == "部门预算"
    # 30 pt apart: two columns printed without rules.
    assert join_words([word("科目编码", 0), word("科目名称", 70)]) == "科目编码 科目名称"
    # Latin and numbers keep the space pdfplumber saw.
    assert join_words([word("2024", 0), word("年", 44)]) == "2024 年"


# ----------------------------------------------------------------------------------------------
# Fuzz: damaged copies of the realistic PDF either read or raise UnreadableDocument, quickly.

_ORIGINAL = TABLES_PDF.read_bytes()


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(_ORIGINAL)
    kind = draw(st.sampled_from(["truncate", "truncate-keep-eof", "flip", "zero-run"]))
    if kind.startswith("truncate"):
        data = data[: draw(st.integers(0, len(data) - 1))]
        if kind == "truncate-keep-eof":
            data += b"\n%%EOF\n"  # get past the cheap tail check into pdfminer
    elif kind == "flip":
        for _ in range(draw(st.integers(1, 40))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    else:
        start = draw(st.integers(0, len(data) - 1))
        length = draw(st.integers(1, 4000))
        data[start : start + length] = bytes(len(data[start : start + length]))
    return bytes(data)


@settings(
    derandomize=True,  # the same examples on every run and machine
    max_examples=150,
    deadline=None,  # speed is measured in benchmarks/bench_pdf.py, not here
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=damaged())
def test_damaged_pdf_reads_or_is_refused(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "damaged.pdf"
    path.write_bytes(data)
    try:
        pages = read_pdf(path)
    except UnreadableDocument as exc:
        assert str(exc)
    else:
        assert all(isinstance(line, str) for page in pages for line in page)
