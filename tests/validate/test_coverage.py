"""What no identity can catch is published as such (issue 13): each printed amount's number of
checks (`line_items.checks`), each table's count of amounts no check rests on
(`tables.amounts_unchecked`)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from yibao.model import Column, Document, Metadata, Row, SourceText, Table
from yibao.validate import run_checks, validate
from yibao.validate.coverage import Traced, cells_of, checks_per_amount

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def classified(rows: list[tuple[str, str, str, dict[str, str]]], measures: list[str]) -> Table:
    """(level, code, name, amounts) rows of a 功能分类 table."""
    table = Table(1, "general_budget_expenditure", "一般公共预算支出表", "function", 1, 1)
    table.columns = [Column(m, m) for m in measures]
    for number, (level, code, name, amounts) in enumerate(rows, start=1):
        parent = code[:-2] if level == "item" else code[:3] if level == "segment" else ""
        table.rows.append(Row(number, code, name, {m: D(a) for m, a in amounts.items()}, 1, number,
                              level=level, parent_code=parent))  # fmt: skip
    return table


def test_a_traced_amount_keeps_its_cells_through_sums_and_unit_changes() -> None:
    a, b = Traced("1.50", frozenset({(0, 0, "total")})), Traced("2", frozenset({(0, 1, "total")}))
    assert sum([a, b], D(0)) == D("3.50")
    assert cells_of(sum([a, b], D(0))) == {(0, 0, "total"), (0, 1, "total")}
    assert cells_of(a.scaleb(-4)) == {(0, 0, "total")}  # 元 → 万元
    assert cells_of(abs(a - b)) == {(0, 0, "total"), (0, 1, "total")}
    assert bool(Traced("0", frozenset())) is True  # `carryforward or ZERO` keeps a printed 0


def test_each_amount_counts_the_checks_that_rest_on_it() -> None:
    # 合计 = 210 = 21011 (the only 类, so also checked against it); 21011's 项 add up to it;
    # 2101101 has no parts of its own: only the 款's sum rests on it
    table = classified(
        [
            ("total", "", "合计", {"total": "30.00"}),
            ("class", "210", "卫生健康支出", {"total": "30.00"}),
            ("segment", "21011", "行政事业单位医疗", {"total": "30.00"}),
            ("item", "2101101", "行政单位医疗", {"total": "10.00"}),
            ("item", "2101102", "事业单位医疗", {"total": "20.00"}),
        ],
        ["total"],
    )
    document = Document("doc.txt", "0" * 64, Metadata(), tables=[table])
    counts = checks_per_amount(document, SourceText([], 1), run_checks)
    assert counts[(0, 0, "total")] == 1  # 合计 = its classes
    assert counts[(0, 1, "total")] == 2  # a part of 合计, the whole of its 款
    assert counts[(0, 3, "total")] == 1  # a part of 21011 only


def test_an_amount_in_no_identity_is_counted_zero_and_the_table_says_how_many() -> None:
    # no 合计 and no parent printed: nothing adds these two up, nothing else prints them
    table = classified(
        [
            ("item", "2101101", "行政单位医疗", {"total": "10.00"}),
            ("item", "2101102", "事业单位医疗", {"total": "20.00"}),
        ],
        ["total"],
    )
    document = Document("doc.txt", "0" * 64, Metadata(), tables=[table])
    validate(document, SourceText([], 1))
    assert [item.checks for item in table.line_items()] == [0, 0]


def _package_rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "datapackage" / f"{name}.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_the_package_publishes_the_count_per_amount_and_per_table() -> None:
    # 北京市医疗保障局 2026 预算09表 财政拨款“三公”经费支出表 (baobiao.pdf page 11) prints
    # 77.672600 = 50.332600 + 1.920000 + 25.420000, and 25.420000 = 18.690000 + 6.730000
    items = [r for r in _package_rows("line_items") if r["table"] == "three_public"
             and r["source_file"].endswith("beijing-2026-budget-baobiao.pdf")]  # fmt: skip
    printed = {r["measure"]: r["amount_printed"] for r in items}
    assert printed == {
        "total": "77.672600", "overseas": "50.332600", "reception": "1.920000", "vehicle": "25.420000",
        "vehicle_purchase": "18.690000", "vehicle_operation": "6.730000",
    }  # fmt: skip
    assert all(int(r["checks"]) >= 1 for r in items), items
    tables = [r for r in _package_rows("tables") if r["table"] == "three_public"
              and r["source_file"].endswith("beijing-2026-budget-baobiao.pdf")]  # fmt: skip
    assert [(t["amounts"], t["amounts_unchecked"]) for t in tables] == [("6", "0")]
    for table in _package_rows("tables"):
        assert 0 <= int(table["amounts_unchecked"]) <= int(table["amounts"])


def test_the_data_page_says_how_many_amounts_no_check_covers(tmp_path: Path) -> None:
    from yibao.site import generate_pages

    tables = _package_rows("tables")
    total = sum(int(t["amounts"]) for t in tables)
    unchecked = sum(int(t["amounts_unchecked"]) for t in tables)
    assert total == len(_package_rows("line_items")) > 0
    generate_pages(ROOT / "datapackage", tmp_path / "docs")
    page = (tmp_path / "docs" / "data" / "index.md").read_text(encoding="utf-8")
    assert f"本数据包 {total} 个金额中，有 {unchecked} 个不受任何校验约束" in page
