"""Identity checks that fail on ../shared/real because the document's own printed numbers do not
add up. Every number here was read by hand from the page named (the page image); the test
asserts that the parser read exactly those numbers, that they do not add up as printed, and that
the check reports it. A failing check not listed here is a misreading of ours.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.recognise.corpus import REAL, document_of, real_files
from yibao.model import Document, Row
from yibao.validate.tables import children_by_parent

pytestmark = pytest.mark.skipif(not (REAL / "MANIFEST.tsv").is_file(), reason=f"{REAL} is not there")

# (file, page, table, parent code ('' = 合计), measure, printed parent, printed children)
INCONSISTENT = [
    # 预算05表 一般公共预算支出表: 合计 110,896.619602 under 15 printed 项 rows that add up to
    # 29,117.619602 (the 81,779 万元 of 卫生健康 project spending of the 收支总表 has no row here)
    (
        "018_bj-ybj-2026-bumen-yusuan-baobiao.pdf", 6, "general_budget_expenditure", "", "total",
        "110896.619602",
        ["99.812380", "4247.250789", "650.833291", "4000.399006", "8935.000000", "2.000000", "5224.805319",
         "777.418376", "1.360000", "82.740000", "1126.753690", "0.600000", "2148.780000", "1279.078320",
         "540.788431"],
    ),
    # 西南大学收入预算表: 2050202 小学教育 收入合计 9,645.51, its parts 14.33 + 8,201.15 + 0.50 +
    # 1,430.03 = 9,646.01; 20502 普通教育 520,603.91 (= its own parts) against its 项 9,645.51 +
    # 27,109.72 + 483,848.18 = 520,603.41
    ("045_swu-2023-bumen-yusuan.pdf", 8, "revenue", "20502", "total", "520603.91",
     ["9645.51", "27109.72", "483848.18"]),
    # 一般公共预算基本支出功能分类预算表 (元), pages 17–18: 302 商品和服务支出 24,840,779 against its 18
    # 款 that add up to 24,840,778
    (
        "015_sh-caizhengju-2025-danwei-yusuan.pdf", 17, "general_budget_basic_expenditure", "302", "total",
        "24840779",
        ["1000000", "50000", "400000", "800000", "1000000", "9265733", "1000000", "2887000", "600000", "363800",
         "70000", "191000", "50000", "1441005", "1607040", "322000", "2600000", "1193200"],
    ),
    # 支出预算总表 (page 10) and 一般公共预算拨款支出预算表 (page 12): 20402 公安 7,927.40 (基本 6,556.70,
    # 项目 1,370.70) over 2040201 行政运行 6,556.70 and 2040299 其他公安支出 1,051.46 (项目 1,051.46)
    ("040_fz-tejing-2026-danwei-yusuan.pdf", 10, "expenditure", "20402", "total", "7927.40", ["6556.70", "1051.46"]),
    ("040_fz-tejing-2026-danwei-yusuan.pdf", 10, "expenditure", "20402", "project", "1370.70", ["0", "1051.46"]),
    ("040_fz-tejing-2026-danwei-yusuan.pdf", 12, "general_budget_expenditure", "20402", "total", "7927.40",
     ["6556.70", "1051.46"]),
    ("040_fz-tejing-2026-danwei-yusuan.pdf", 12, "general_budget_expenditure", "20402", "project", "1370.70",
     ["0", "1051.46"]),
]  # fmt: skip


def _cases() -> list[tuple[str, int, str, str, str, str, list[str]]]:
    present = set(real_files())
    return [case for case in INCONSISTENT if case[0] in present]


def _children(document: Document, table_id: str, code: str) -> tuple[Row, list[Row]]:
    """The parent row and the rows the identity sums for it (the validator's own reading)."""
    table = next(t for t in document.tables if t.table_id == table_id)
    index = next(i for i, r in enumerate(table.rows) if (r.code == code if code else r.level == "total"))
    return table.rows[index], children_by_parent(table)[index]


@pytest.mark.parametrize(("name", "page", "table_id", "code", "measure", "printed", "parts"), _cases())
def test_printed_numbers_do_not_add_up(
    name: str, page: int, table_id: str, code: str, measure: str, printed: str, parts: list[str]
) -> None:
    document = document_of(name)
    parent, children = _children(document, table_id, code)
    assert parent.page == page
    # read as printed …
    assert parent.amounts[measure] == Decimal(printed)
    assert [r.amounts[measure] for r in children] == [Decimal(p) for p in parts]
    # … the printed numbers do not add up …
    assert sum((Decimal(p) for p in parts), Decimal(0)) != Decimal(printed)
    # … and the check says so
    failed = [
        c for c in document.checks
        if c.status == "fail" and c.table == table_id and c.code == code and c.measure == measure
        and c.check.endswith(("parent_equals_children", "total_equals_rows"))
    ]  # fmt: skip
    assert len(failed) == 1


# A class printed with one amount in a summary table and another in the detail table (the text
# layer of each page; 1 cent apart, each table rounded on its own): (file, summary table, summary
# page, class label, amount, detail table, detail page, code, amount)
PRINTED_TWICE = [
    ("001_sh-putuo-guihuaziyuan-2024-juesuan.pdf", "summary", 7, "九、卫生健康支出", "236.63",
     "expenditure", 10, "210", "236.64"),
    ("001_sh-putuo-guihuaziyuan-2024-juesuan.pdf", "appropriation_summary", 12, "九、卫生健康支出", "236.63",
     "general_budget_expenditure", 14, "210", "236.64"),
    ("003_sh-putuo-caizhengju-2024-juesuan.pdf", "appropriation_summary", 12, "八、社会保障和就业支出", "326.71",
     "general_budget_expenditure", 15, "208", "326.72"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "summary_id", "summary_page", "label", "summary_amount", "detail_id", "detail_page", "code", "amount"),
    [case for case in PRINTED_TWICE if case[0] in set(real_files())],
)
def test_a_class_printed_with_two_amounts(
    name: str,
    summary_id: str,
    summary_page: int,
    label: str,
    summary_amount: str,
    detail_id: str,
    detail_page: int,
    code: str,
    amount: str,
) -> None:
    document = document_of(name)
    summary = next(t for t in document.tables if t.table_id == summary_id)
    row = next(r for r in summary.rows if r.name == label and r.side == "expenditure")
    assert (summary.page, row.amounts["expenditure"]) == (summary_page, Decimal(summary_amount))
    detail = next(t for t in document.tables if t.table_id == detail_id)
    printed = next(r for r in detail.rows if r.code == code)
    assert (detail.page, printed.amounts["total"]) == (detail_page, Decimal(amount))
    assert any(c.status == "fail" and c.check.startswith("cross.") and c.code == code for c in document.checks)
