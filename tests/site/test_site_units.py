"""Escaping, number formatting, figures and page generation, without a browser."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import markdown
import pytest
from sitebuild import FIXTURE_PACKAGE, build_site

from yibao.site import charts, generate_pages
from yibao.site.formatting import (
    format_amount,
    format_share,
    front_matter_title,
    md_escape,
    safe_id,
    safe_url,
    script_json,
    to_decimal,
)
from yibao.site.model import describe_check, field_texts, page_href, recent_documents
from yibao.site.package import load_package

SYS24 = "shuangyashan-2024-budget-department"

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "![x](http://evil.example/x.png)",
    "{{ config }}",
    "{% raw %}x{% endraw %}",
    "a | b | c",
    "名称 {: onclick=alert(1) }",
    "<!-- x -->",
    "</script><script>alert(1)</script>",
    "*强调* _x_ `code` # 标题\n- 列表\n1. 二",
    "&lt;script&gt;",
]


def render_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables"])


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_leaves_no_markup_in_markdown_or_html(text):
    escaped = str(md_escape(text))
    for forbidden in ("<", ">", "[", "]", "(", ")", "{", "}", "|", "`", "*", "_", "!", "\n"):
        assert forbidden not in escaped
    rendered = render_markdown(f"# {escaped}\n\n| a | b |\n| - | - |\n| {escaped} | x |\n\n- {escaped}\n")
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "onclick" not in rendered.replace("onclick&#61;", "")  # only as text, never an attribute
    assert rendered.count("<td>") == 2  # a `|` in the text never adds a cell


def test_md_escape_keeps_chinese_and_shows_the_same_text():
    assert str(md_escape("双鸭山市医疗保障局")) == "双鸭山市医疗保障局"
    import html

    assert html.unescape(str(md_escape("[447]2024年城乡居民基本医疗保险"))) == "[447]2024年城乡居民基本医疗保险"


def test_front_matter_title_cannot_close_the_title_element():
    title = str(front_matter_title('</title><script>alert("x")</script>'))
    assert "<" not in title and ">" not in title
    assert json.loads(title) == "＜/title＞＜script＞alert(＂x＂)＜/script＞"


def test_script_json_cannot_end_its_script_block():
    text = str(script_json({"label": "</script><!-- & -->"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"label": "</script><!-- & -->"}


def test_safe_url_and_safe_id():
    assert safe_url("https://example.org/a.pdf") == "https://example.org/a.pdf"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url('https://x.org/"onmouseover=alert(1)') == ""
    assert safe_id("heilongjiang-shuangyashan") == "heilongjiang-shuangyashan"
    chinese = safe_id("双鸭山市医疗保障局")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", chinese) and chinese != safe_id("承德市医疗保障局")
    assert "/" not in safe_id("../../etc/passwd")


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1116.56", "1,116.56"), ("0.00", "0.00"), ("1,116.56", "1,116.56"), ("3526.2", "3,526.2"),
     ("1234567.80", "1,234,567.80"), ("-0.05", "-0.05"), ("", "—"), ("abc", "—"), (None, "—")],
)  # fmt: skip
def test_format_amount_keeps_printed_decimals(value, shown):
    assert format_amount(value) == shown


def test_decimal_reading_and_shares():
    assert to_decimal("1116.56") == Decimal("1116.56")
    assert to_decimal("") is None and to_decimal("NaN") is None
    assert format_share(Decimal("50.30"), Decimal("1116.56")) == "4.5%"
    assert format_share(Decimal(1), Decimal(0)) == "—"


# ---------------------------------------------------------------- figures


@pytest.fixture(scope="module")
def package():
    return load_package(FIXTURE_PACKAGE)


def bars_of(panel):
    return {bar.code or bar.label: bar for bar in panel.bars}


def test_function_chart_draws_one_level_at_a_time(package):
    items = package.by_doc("line_items")[SYS24]
    chart = charts.function_chart("sys", items)
    top = chart.panels[0]
    assert top.crumbs == ["合计"]
    classes = bars_of(top)
    assert format_amount(classes["208"].amount) == "980.15" and classes["208"].label == "社会保障和就业支出"
    assert classes["208"].share == "87.8%" and classes["208"].length == 1.0  # the longest bar
    branch = next(child for child in top.children if child.crumbs[-1].startswith("208 "))
    assert branch.crumbs == ["合计", "208 社会保障和就业支出"]
    assert format_amount(bars_of(branch)["20801"].amount) == "857.18"
    shown = {record["code"]: format_amount(record["amount"]) for record in chart.records}
    assert shown["208"] == "980.15" and shown[""] == "1,116.56"  # the printed 合计
    assert chart.extra["table"] == "一般公共预算支出表"


def test_hierarchy_lifts_a_parent_below_its_childrens_sum():
    rows = [
        {"row_no": "1", "code": "", "name": "合计", "level": "total", "amount": "10.00"},
        {"row_no": "2", "code": "208", "name": "类", "level": "class", "amount": "10.00"},
        {"row_no": "3", "code": "20801", "name": "款", "level": "segment", "amount": "5.01"},
        {"row_no": "4", "code": "20802", "name": "款", "level": "segment", "amount": "5.00"},
        {"row_no": "5", "code": "2089901", "name": "项 without its 款", "level": "item", "amount": "1.00"},
    ]
    total, nodes = charts.hierarchy_nodes(rows)
    by_id = {node.node_id: node for node in nodes}
    assert total == Decimal("10.00")
    assert by_id["208"].plot_value == Decimal("11.01") and by_id["208"].amount == Decimal("10.00")
    assert by_id["2089901"].parent_id == "208"


def test_a_level_with_one_part_is_a_sentence():
    rows = [
        {"row_no": "1", "code": "", "name": "合计", "level": "total", "amount": "10.00"},
        {"row_no": "2", "code": "208", "name": "社会保障和就业支出", "level": "class", "amount": "10.00"},
        {"row_no": "3", "code": "20801", "name": "款一", "level": "segment", "amount": "6.00"},
        {"row_no": "4", "code": "20802", "name": "款二", "level": "segment", "amount": "4.00"},
    ]
    chart = charts.hierarchy_chart("x", "t", rows)
    top = chart.panels[0]
    assert top.bars == [] and top.sentence == "合计全部为社会保障和就业支出，10.00 万元。"
    assert [bar.label for bar in top.children[0].bars] == ["款一", "款二"]


def test_rows_without_codes_become_a_ranked_bar():
    rows = [
        {"row_no": str(i), "code": "", "name": f"科目{i}", "level": "line", "amount": f"{i}.00"} for i in range(1, 13)
    ]
    chart = charts.economic_chart(
        "x", [r | {"table": "general_budget_basic_expenditure", "measure": "total"} for r in rows]
    )
    labels = [bar.label for bar in chart.panels[0].bars]
    assert labels[0] == "科目12" and labels[-1] == "其他（4 项）"
    assert len(chart.records) == 12


def test_parts_and_three_public(package):
    figures = package.key_figures()[SYS24]
    items = package.by_doc("line_items")[SYS24]
    basic = charts.basic_project_chart("sys", figures, items)
    assert [(b.label, format_amount(b.amount), b.share) for b in basic.panels[0].bars] == [
        ("基本支出", "1,066.26", "95.5%"), ("项目支出", "50.30", "4.5%")]  # fmt: skip
    assert [format_amount(r["amount"]) for r in basic.records] == ["1,066.26", "50.30", "1,116.56"]
    personnel = charts.personnel_public_chart("sys", figures, items)
    assert [format_amount(b.amount) for b in personnel.panels[0].bars] == ["963.56", "102.70"]
    three = charts.three_public_chart("sys", figures)
    assert not three.drawn and "0.00" in three.note  # all zero: a sentence, not an empty chart
    income = charts.income_chart("sys", items, figures)
    assert not income.drawn and "1,116.56" in income.panels[0].sentence  # one source: a sentence
    economic = charts.economic_chart("sys", items)
    assert format_amount(bars_of(economic.panels[0])["301"].amount) == "941.62"


def test_ranked_bar_groups_small_parts_as_other():
    parts = [(f"项目{i:02d}", Decimal(100 - i)) for i in range(12)]
    chart = charts.ranked_bar_chart("x", "t", parts, "项目")
    bars = chart.panels[0].bars
    assert len(bars) == charts.TOP_N + 1 and bars[-1].label == "其他（4 项）" and bars[-1].other
    assert bars[-1].amount == sum(Decimal(100 - i) for i in range(8, 12))
    assert len(chart.records) == 12  # the table lists every part


def test_years_chart_needs_two_years(package):
    documents = [d for d in package.documents() if d["bureau_id"] == "heilongjiang-shuangyashan"]
    chart = charts.years_chart("y", documents, package.key_figures())
    assert [(bar.label, format_amount(bar.amount)) for bar in chart.panels[0].bars] == [
        ("2023年部门预算", "1,113.80"), ("2024年部门预算", "1,116.56")]  # fmt: skip
    assert charts.years_chart("y", documents[:1], package.key_figures()) is None


def test_comparisons_rank_only_like_with_like():
    entries = [
        charts.Comparable("a", "甲市医疗保障局", "", Decimal("100"), None, None, None, None, None, "地市级 · 2024年部门预算"),
        charts.Comparable("b", "乙市医疗保障局", "", Decimal("300"), None, None, None, None, None, "地市级 · 2024年部门预算"),
        charts.Comparable("c", "丙省医疗保障局", "", Decimal("900.00"), None, None, None, None, None, "省级 · 2020年部门预算"),
    ]
    total = charts.comparison_charts("t", entries, 10)[0]
    groups = {panel.title: [bar.label for bar in panel.bars] for panel in total.panels}
    assert groups["地市级 · 2024年部门预算"] == ["乙市医疗保障局", "甲市医疗保障局"]
    assert groups["省级 · 2020年部门预算"] == []  # alone in its group: a sentence, no scale shared
    assert "丙省医疗保障局，900.00 万元" in total.panels[1].sentence


def test_lead_states_the_headline_figures_with_their_pages(package):
    from yibao.site.lead import build_lead

    items = package.by_doc("line_items")[SYS24]
    lead = build_lead("双鸭山市医疗保障局2024年部门预算", package.key_figures()[SYS24], items)
    assert lead.sentences[0] == "双鸭山市医疗保障局2024年部门预算支出总计 1,116.56 万元。"
    assert "基本支出（人员和机构日常运转）1,066.26 万元、占 95.5%" in lead.sentences[1]
    assert "“社会保险经办机构”（2080109）857.18 万元" in lead.sentences[2]
    assert [(card.label, format_amount(card.amount)) for card in lead.cards][:3] == [
        ("支出总计", "1,116.56"), ("基本支出", "1,066.26"), ("项目支出", "50.30")]  # fmt: skip


def test_polluted_names_are_shown_clean():
    from yibao.site.names import clean_names, polluted, shown_name

    dirty = "机关事业单位上年结转科目编码科目名称小计财政拨款收入"
    assert polluted(dirty) and not polluted("上年结转结余") and not polluted("二、上年结转") and not polluted("小计")
    rows = [
        {"doc_id": "d", "code": "2080505", "name": "机关事业单位基本养老保险缴费支出"},
        {"doc_id": "d", "code": "2080505", "name": dirty},
        {"doc_id": "d", "code": "2082702", "name": "财政对工伤保上年结转科目编码科目名称小计险基金的补助"},
    ]
    clean = clean_names(rows)
    assert shown_name(rows[1], clean) == "机关事业单位基本养老保险缴费支出"
    assert shown_name(rows[2], clean) == "财政对工伤保…"  # no clean spelling known: cut, marked


def test_bureau_aliases_are_what_people_type():
    from yibao.site.names import bureau_aliases

    aliases = bureau_aliases("鞍山市医疗保障局")
    assert {"鞍山市医保局", "鞍山医保局", "鞍山医疗保障局"} <= set(aliases)
    assert "双桥医保局" in bureau_aliases("承德市双桥区医疗保障局本级")


# ---------------------------------------------------------------- model helpers


def test_links_are_relative_html_paths():
    assert page_href("index.md", "bureaus/x.md") == "bureaus/x.html"
    assert page_href("bureaus/x.md", "data/rows/a.csv") == "../data/rows/a.csv"
    assert page_href("bureaus/index.md", "bureaus/x.md") == "x.html"


def test_recent_documents_order_is_stable():
    docs = [{"doc_id": "b", "published": "2024-01-01"}, {"doc_id": "a", "published": "2024-01-01"},
            {"doc_id": "c", "published": ""}, {"doc_id": "d", "published": "2025-01-01"}]  # fmt: skip
    assert [d["doc_id"] for d in recent_documents(docs, 10)] == ["d", "b", "a", "c"]


def test_check_descriptions_fall_back_to_prefixes():
    reference = {"hierarchy": {"zh": "层级"}, "hierarchy.parent_sum": {"zh": "上级等于下级之和"}}
    assert describe_check("hierarchy.parent_sum.function", reference)["zh"] == "上级等于下级之和"
    assert describe_check("hierarchy.other", reference)["zh"] == "层级"
    assert describe_check("unknown", reference) == {"zh": "", "en": ""}


def test_field_texts_finds_chinese_and_english():
    assert field_texts({"title": "文件编号", "description": "stable id"}) == ("文件编号", "stable id")
    assert field_texts({"description": "文件编号 / document id"})[0].startswith("文件编号")
    assert field_texts({"description_zh": "金额", "description_en": "amount"}) == ("金额", "amount")


# ---------------------------------------------------------------- generated files


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_generate_pages_is_deterministic_and_complete(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    generate_pages(FIXTURE_PACKAGE, first)
    generate_pages(FIXTURE_PACKAGE, second)
    assert tree_digest(first) == tree_digest(second)
    files = tree_digest(first)
    chart_csv = "assets/generated/charts/双鸭山市医疗保障局-2024年部门预算-支出功能分类.csv"
    for expected in ("index.md", "bureaus/index.md", "bureaus/compare.md", "bureaus/双鸭山市医疗保障局.md",
                     "data/index.md", "data/classification.md", "data/datapackage.json", "data/line_items.csv",
                     "data/open-yibao-budgets.zip", "data/rows/双鸭山市医疗保障局-2024年部门预算.csv",
                     "data/codes/2080109.md", chart_csv):  # fmt: skip
        assert expected in files, expected
    assert not any("plotly" in name for name in files)
    with open(first / chart_csv, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["科目编码", "科目名称", "金额（万元）", "占合计", "医保局", "年度", "文件", "单位", "来源"]
    assert ["208", "社会保障和就业支出", "980.15", "87.8%", "双鸭山市医疗保障局", "2024", "部门预算", "万元"] == rows[2][:8]


def test_generate_pages_removes_stale_pages(tmp_path):
    stale = tmp_path / "bureaus" / "gone.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("# old", encoding="utf-8")
    (tmp_path / "about.md").write_text("# 关于", encoding="utf-8")
    generate_pages(FIXTURE_PACKAGE, tmp_path)
    assert not stale.exists() and (tmp_path / "about.md").exists()


def hostile_package(target: Path) -> Path:
    """The fixture with document texts replaced by markup, links and template syntax."""
    shutil.copytree(FIXTURE_PACKAGE, target)
    replacements = {
        "双鸭山市医疗保障局": '双鸭山</title><script>alert("t")</script><img src=x onerror=alert(1)>',
        "医保经办业务经费": "[点我](javascript:alert(2)) ![x](http://evil.example/a.png) {{ config }} {% if 1 %}",
        "社会保险经办机构": "经办 | 机构 <iframe src=//evil.example>",
        "人员经费": "人员经费",
    }
    for path in target.glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        for old, new in replacements.items():
            text = text.replace(old, new.replace('"', '""') if '"' in new else new)
        # Quote the fields we made hostile so commas or quotes cannot shift columns.
        path.write_text("\ufeff" + text, encoding="utf-8")
    documents = target / "documents.csv"
    with open(documents, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["source_url"] = "javascript:alert(3)"
    with open(documents, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_hostile_document_text_is_shown_never_executed(tmp_path):
    served = build_site(hostile_package(tmp_path / "package"), tmp_path / "work")
    site = served / "yibao"
    html = "".join(path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html")))
    assert "<script>alert" not in html
    assert not re.search(r"<img\b[^>]*onerror", html)  # as text (＜img …＞ in titles) is fine
    assert "<iframe" not in html
    assert 'href="javascript:' not in html
    assert 'evil.example/a.png"' not in html and '<img alt="x"' not in html
    page = next(p for p in (site / "bureaus").glob("双鸭山*.html")).read_text(encoding="utf-8")
    import html as html_module

    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)
    assert "</title><script>" in html_module.unescape(heading)  # shown to the reader as text
    assert "<title>双鸭山＜/title＞＜script＞" in page
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in search
