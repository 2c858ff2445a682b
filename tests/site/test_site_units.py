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


def test_function_treemap_follows_the_printed_hierarchy(package):
    items = package.by_doc("line_items")[SYS24]
    chart = charts.function_chart("sys", items)
    trace = chart.figure["data"][0]
    value = dict(zip(trace["ids"], trace["values"], strict=True))
    parent = dict(zip(trace["ids"], trace["parents"], strict=True))
    assert trace["type"] == "treemap" and trace["branchvalues"] == "total"
    assert value["208"] == 980.15 and value["20801"] == 857.18 and value["2080109"] == 857.18
    assert value[charts.ROOT_ID] == 1116.56  # the printed 合计, not the sum of every row
    assert parent["2080505"] == "20805" and parent["20805"] == "208" and parent["208"] == charts.ROOT_ID
    assert sum(v for k, v in value.items() if parent.get(k) == charts.ROOT_ID) == pytest.approx(1116.56)
    shown = {record["code"]: format_amount(record["amount"]) for record in chart.records}
    assert shown["208"] == "980.15" and shown[""] == "1,116.56"


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


def test_rows_without_codes_become_a_ranked_bar():
    rows = [
        {"row_no": str(i), "code": "", "name": f"科目{i}", "level": "line", "amount": f"{i}.00"} for i in range(1, 13)
    ]
    chart = charts.economic_chart(
        "x", [r | {"table": "general_budget_basic_expenditure", "measure": "total"} for r in rows]
    )
    trace = chart.figure["data"][0]
    assert trace["type"] == "bar" and trace["y"][0] == "科目12" and trace["y"][-1] == "其他（4 项）"
    assert len(chart.records) == 12


def test_parts_and_three_public(package):
    figures = package.key_figures()[SYS24]
    items = package.by_doc("line_items")[SYS24]
    basic = charts.basic_project_chart("sys", figures, items)
    assert basic.figure["data"][0]["values"] == [1066.26, 50.3]
    assert [format_amount(r["amount"]) for r in basic.records] == ["1,066.26", "50.30", "1,116.56"]
    personnel = charts.personnel_public_chart("sys", figures, items)
    assert personnel.figure["data"][0]["values"] == [963.56, 102.7]
    three = charts.three_public_chart("sys", figures)
    assert three.figure is None and "0.00" in three.note  # all zero: a sentence, not an empty chart
    income = charts.income_chart("sys", items, figures)
    assert income.figure["data"][0]["x"] == [1116.56]
    economic = charts.economic_chart("sys", items)
    trace = economic.figure["data"][0]
    assert trace["type"] == "sunburst" and trace["values"][trace["ids"].index("301")] == 941.62


def test_ranked_bar_groups_small_parts_as_other():
    parts = [(f"项目{i:02d}", Decimal(100 - i)) for i in range(12)]
    chart = charts.ranked_bar_chart("x", "t", parts, "项目")
    labels = chart.figure["data"][0]["y"]
    assert len(labels) == charts.TOP_N + 1 and labels[-1] == "其他（4 项）"
    assert chart.figure["data"][0]["x"][-1] == float(sum(Decimal(100 - i) for i in range(8, 12)))
    assert len(chart.records) == 12  # the table lists every part


def test_years_chart_needs_two_years(package):
    documents = [d for d in package.documents() if d["bureau_id"] == "heilongjiang-shuangyashan"]
    chart = charts.years_chart("y", documents, package.key_figures())
    names = [trace["name"] for trace in chart.figure["data"]]
    assert names[0] == "部门预算总计" and chart.figure["data"][0]["y"] == [1113.8, 1116.56]
    assert charts.years_chart("y", documents[:1], package.key_figures()) is None


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
    for expected in ("index.md", "bureaus/index.md", "bureaus/compare.md", "bureaus/heilongjiang-shuangyashan.md",
                     "data/index.md", "data/classification.md", "data/datapackage.json", "data/line_items.csv",
                     "data/open-yibao-budgets.zip", f"data/rows/{SYS24}.csv", "assets/javascripts/vendor/plotly.min.js",
                     f"assets/generated/charts/{SYS24}--function.csv"):  # fmt: skip
        assert expected in files, expected
    with open(first / f"assets/generated/charts/{SYS24}--function.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["科目编码", "科目名称", "金额（万元）", "占合计"]
    assert ["208", "社会保障和就业支出", "980.15", "87.8%"] in rows


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
    page = (site / "bureaus" / "heilongjiang-shuangyashan.html").read_text(encoding="utf-8")
    import html as html_module

    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)
    assert "</title><script>" in html_module.unescape(heading)  # shown to the reader as text
    assert "<title>双鸭山＜/title＞＜script＞" in page
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in search
