"""Last year's figures printed in the 三公 tables of the real corpus (../shared/real/).

Every 三公 table of the corpus that prints last year's amounts beside this year's (found by
reading `pdftotext -layout` of every file for 三公 tables with a 2025年 / 上年 column or row), read
by the whole pipeline. Every expected value was read by hand from the page named (pdftotext
-layout -f N -l N FILE -), and checked against the identity of the row (合计 = the three
categories) and the document's own narrative; none is copied from this program's output. Last
year's amounts are `previous_<measure>`; this year's measures, the key figures and the site's
year-on-year table carry this year's printed amounts only.

Skipped when ../shared/real/ (or $YIBAO_REAL_DIR) is absent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.recognise.corpus import REAL, document_of
from yibao.model import Column, Document, Problem, Row, Table
from yibao.normalise.three_public import merge_year_rows
from yibao.package import document_rows
from yibao.site.scorecard import previous_year_tables


def D(text: str) -> Decimal:
    return Decimal(text)


def _document(name: str) -> Document:
    if not (REAL / name).is_file():
        pytest.skip(f"{name} not in {REAL}")
    return document_of(name)


def _three_public(document: Document) -> Table:
    tables = [t for t in document.tables if t.table_id == "three_public"]
    assert len(tables) == 1, [t.title for t in tables]
    return tables[0]


def _site_columns(document: Document) -> dict[str, tuple[Decimal | None, Decimal]]:
    """What the bureau page's 与上年比较 table shows: measure → (this year's, last year's)."""
    rows = document_rows(document)
    tables = [{k: str(v) for k, v in r.items()} for r in rows["tables"]]
    items = [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows["line_items"]]
    shown = previous_year_tables(tables, items, {})
    assert len(shown) == 1
    assert len(shown[0].rows) == 1
    return {c.measure: (c.current, c.previous) for c in shown[0].rows[0].columns}


# 022_yt-ybj-2026-bumen-yusuan.pdf, page 19 (公开表7 一般公共预算“三公”经费支出情况表): two
# blocks under 2025年预算数 and 2026年预算数, each 合计 | 因公出国（境）经费 | 公务用车购置及运行维护费
# (小计 | 购置经费 | 运行维护费) | 公务接待费; only 合计 and 公务接待费 print an amount, 3.15 in each
# year (blank cells are 0). The narrative (p. 28) says: 3.15 万元，与上年基本持平; 公务接待费 3.15.
def test_yantai_medical_insurance_prints_2025_beside_2026() -> None:
    document = _document("022_yt-ybj-2026-bumen-yusuan.pdf")
    table = _three_public(document)
    assert table.page == 19
    assert len(table.rows) == 1
    amounts = table.rows[0].amounts
    assert {m: a for m, a in amounts.items() if m.startswith("previous_")} == {
        "previous_total": D("3.15"),
        "previous_overseas": D("0"),
        "previous_vehicle": D("0"),
        "previous_vehicle_purchase": D("0"),
        "previous_vehicle_operation": D("0"),
        "previous_reception": D("3.15"),
    }
    assert {m: a for m, a in amounts.items() if not m.startswith("previous_")} == {
        "total": D("3.15"),
        "overseas": D("0"),
        "vehicle": D("0"),
        "vehicle_purchase": D("0"),
        "vehicle_operation": D("0"),
        "reception": D("3.15"),
    }
    figures = document.key_figures
    assert figures["three_public_total"] == D("3.15")
    assert figures["three_public_reception"] == D("3.15")
    assert figures["three_public_overseas"] == D("0")
    site = _site_columns(document)
    assert site["total"] == (D("3.15"), D("3.15"))
    assert site["reception"] == (D("3.15"), D("3.15"))


# 027_yt-renshe-2026-bumen-yusuan.pdf, page 23 (公开表7, the same layout): 2025年预算数
# 20.60 | – | 8.00 | – | 8.00 | 12.60 and 2026年预算数 20.60 | 5.00 | 4.00 | – | 4.00 | 11.60.
# The narrative (p. 34) agrees: 出国 5 万元 比上年增加 5; 运行维护费 4 万元 比上年减少 4;
# 接待费 11.6 万元 比上年减少 1 — so 2025's 0, 8 and 12.6.
def test_yantai_hrss_prints_2025_beside_2026_with_different_amounts() -> None:
    document = _document("027_yt-renshe-2026-bumen-yusuan.pdf")
    table = _three_public(document)
    assert table.page == 23
    assert len(table.rows) == 1
    amounts = table.rows[0].amounts
    assert amounts["previous_total"] == D("20.60")
    assert amounts["previous_overseas"] == D("0")
    assert amounts["previous_vehicle"] == D("8.00")
    assert amounts["previous_vehicle_purchase"] == D("0")
    assert amounts["previous_vehicle_operation"] == D("8.00")
    assert amounts["previous_reception"] == D("12.60")
    assert amounts["total"] == D("20.60")
    assert amounts["overseas"] == D("5.00")
    assert amounts["vehicle"] == D("4.00")
    assert amounts["vehicle_purchase"] == D("0")
    assert amounts["vehicle_operation"] == D("4.00")
    assert amounts["reception"] == D("11.60")
    figures = document.key_figures
    assert figures["three_public_total"] == D("20.60")
    assert figures["three_public_overseas"] == D("5.00")
    assert figures["three_public_vehicle_operation"] == D("4.00")
    assert figures["three_public_reception"] == D("11.60")
    site = _site_columns(document)
    assert site["overseas"] == (D("5.00"), D("0"))
    assert site["vehicle_operation"] == (D("4.00"), D("8.00"))
    assert site["reception"] == (D("11.60"), D("12.60"))


# 023_sz-weijianwei-2026-bumen-yusuan.pdf, page 40 (表9 财政拨款“三公”经费支出表): one row a year
# under 年度 — 2025 年, 2026 年, 增减变化金额 — and per category three fund columns (一般公共预算 |
# 政府性基金预算 | 国有资本经营预算). 一般公共预算: 总计 213.20 → 117.90 (−95.30), 因公出国(境)费
# 4.00 → 92.70, 公务接待费 13.00 → 13.00, 公务用车 小计 196.20 → 12.20, 购置费 187.20 → 0.00,
# 运行维护费 9.00 → 12.20; the other funds 0.00. The narrative (p. 12) agrees: 117.90 万元，较
# 2025 年年初预算减少 95.30; 因公出国 92.70 增加 88.70; 购置费 减少 187.20; 运行维护费 12.20 增加 3.20.
def test_shenzhen_health_prints_one_row_a_year() -> None:
    document = _document("023_sz-weijianwei-2026-bumen-yusuan.pdf")
    table = _three_public(document)
    assert table.page == 40
    # the 2025 row is last year's, on this year's row; the change row is derived and left out
    assert len(table.rows) == 1
    amounts = table.rows[0].amounts
    expected_2025 = {
        "total": "213.20",
        "overseas": "4.00",
        "reception": "13.00",
        "vehicle": "196.20",
        "vehicle_purchase": "187.20",
        "vehicle_operation": "9.00",
    }
    expected_2026 = {
        "total": "117.90",
        "overseas": "92.70",
        "reception": "13.00",
        "vehicle": "12.20",
        "vehicle_purchase": "0.00",
        "vehicle_operation": "12.20",
    }
    for measure, value in expected_2025.items():
        assert amounts[f"previous_{measure}_general_budget"] == D(value), measure
        assert amounts[f"previous_{measure}_gov_fund"] == D("0.00")
        assert amounts[f"previous_{measure}_state_capital"] == D("0.00")
    for measure, value in expected_2026.items():
        assert amounts[f"{measure}_general_budget"] == D(value), measure
        assert amounts[f"{measure}_gov_fund"] == D("0.00")
        assert amounts[f"{measure}_state_capital"] == D("0.00")
    # no measure of this year's carries a 2025 amount, nor the change row's
    assert len(amounts) == 2 * 3 * len(expected_2026)
    assert not [p for p in document.problems if p.table == "three_public"]
    figures = document.key_figures
    assert figures["three_public_total"] == D("117.90")
    assert figures["three_public_overseas"] == D("92.70")
    assert figures["three_public_vehicle_purchase"] == D("0.00")
    assert figures["three_public_vehicle_operation"] == D("12.20")
    assert figures["three_public_reception"] == D("13.00")
    site = _site_columns(document)
    assert site["total_general_budget"] == (D("117.90"), D("213.20"))
    assert site["vehicle_purchase_general_budget"] == (D("0.00"), D("187.20"))


# The corpus's other 三公 tables print this year only (e.g. 038 p. 16 2026 年预算数 alone; 001
# p. 17 预算数 | 决算数 of the same year): no last year's measure is made up for them.
@pytest.mark.parametrize(
    "name",
    ["001_sh-putuo-guihuaziyuan-2024-juesuan.pdf", "038_guojia-xinfangju-2026-bumen-yusuan.pdf"],
)
def test_tables_of_one_year_have_no_previous_measures(name: str) -> None:
    document = _document(name)
    for table in document.tables:
        if table.table_id == "three_public":
            assert not [m for r in table.rows for m in r.amounts if m.startswith("previous_")]


def _year_table(change: str) -> Table:
    def row(number: int, name: str, total: str, reception: str) -> Row:
        return Row(number, "", name, {"total": D(total), "reception": D(reception)}, 40, number)

    table = Table(table_no=9, table_id="three_public", title="“三公”经费支出表", classification="", page=40, line=1)
    table.columns = [Column("total", "总计"), Column("reception", "公务接待费")]
    table.rows = [
        row(1, "2025年", "20.00", "5.00"),
        row(2, "2026 年", "18.00", "3.00"),
        row(3, "增减变化金额", change, "-2.00"),
    ]
    return table


def test_rows_of_two_years_become_one_row_with_last_years_beside() -> None:
    problems: list[Problem] = []
    table = _year_table("-2.00")
    merge_year_rows(table, problems)
    assert [r.name for r in table.rows] == ["2026 年"]
    assert table.rows[0].amounts == {
        "total": D("18.00"),
        "reception": D("3.00"),
        "previous_total": D("20.00"),
        "previous_reception": D("5.00"),
    }
    assert [c.measure for c in table.columns] == ["total", "reception", "previous_total", "previous_reception"]
    assert not problems


def test_a_change_row_that_is_not_the_difference_is_reported() -> None:
    problems: list[Problem] = []
    merge_year_rows(table := _year_table("-3.00"), problems)
    assert len(table.rows) == 1
    assert len(problems) == 1 and problems[0].severity == "warning" and "-3.00" in problems[0].reason
