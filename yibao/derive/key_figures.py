"""The headline figures of a document (the contract's `key_figures`), from the tables read.

Derived once, after the tables are read, and stored on the Document: packaging, checks and the
contributor's report all use the same figures.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from yibao.model import Document, Row, Table
from yibao.normalise.summary import summary_figure
from yibao.normalise.three_public import three_public_measure
from yibao.reference import load_data, measures

KEY_FIGURES = (
    "income_grand_total", "expense_grand_total", "income_year_total", "expense_year_total",
    "general_budget_income", "carryover_income", "basic_expenditure", "project_expenditure",
    "personnel_expenditure", "public_expenditure", "three_public_total", "three_public_overseas",
    "three_public_vehicle_purchase", "three_public_vehicle_operation", "three_public_reception",
    "pass_through_expenditure",
)  # fmt: skip
# key figure → the summary-table figure it is (labels in yibao/data/summary.yml)
SUMMARY_FIGURES = {
    "income_grand_total": "income_total",
    "expense_grand_total": "expense_total",
    "income_year_total": "year_income",
    "expense_year_total": "year_expense",
    "general_budget_income": "general_budget_income",
    "carryover_income": "carryover",
}


def key_figures(document: Document) -> dict[str, Decimal | None]:
    figures: dict[str, Decimal | None] = dict.fromkeys(KEY_FIGURES)
    summary = document.first_table("summary")
    if summary is not None:
        for figure, summary_row in SUMMARY_FIGURES.items():
            figures[figure] = summary_figure(summary, summary_row)
    for measure, figure in (
        ("basic", "basic_expenditure"),
        ("project", "project_expenditure"),
        ("personnel", "personnel_expenditure"),
        ("public", "public_expenditure"),
    ):
        for table_id in ("expenditure", "general_budget_expenditure", "general_budget_basic_expenditure"):
            value = _total_of(document.first_table(table_id), measure)
            if value is not None:
                figures[figure] = value
                break
    basic_table = _total_of(document.first_table("general_budget_basic_expenditure"), "total")
    figures["general_budget_basic_total"] = basic_table
    figures.update(_three_public_figures(document.first_table("three_public")))
    figures["pass_through_expenditure"] = pass_through(document)
    return figures


@cache
def pass_through_codes() -> dict[str, str]:
    return {str(code): str(name) for code, name in load_data("pass_through.yml")["pass_through"].items()}


def pass_through(document: Document) -> Decimal | None:
    """Pass-through funds of the year (yibao/data/pass_through.yml): the 款 rows of the function
    classification whose code is listed, or, where a table prints only 项, the 项 under them.
    None when no function-classified expenditure table is printed."""
    for table_id in ("general_budget_expenditure", "expenditure"):
        table = document.first_table(table_id)
        if table is None or not table.rows:
            continue
        codes = pass_through_codes()
        segments = [r for r in table.rows if len(r.code) == 5 and r.code in codes]
        items = [r for r in table.rows if len(r.code) == 7 and r.code[:5] in codes]
        rows = segments or items
        return sum((_row_total(r) for r in rows), Decimal("0"))
    return None


def _row_total(row: Row) -> Decimal:
    """A row's total: its total column, or the sum of its basic and project columns."""
    if "total" in row.amounts:
        return row.amounts["total"]
    return row.amounts.get("basic", Decimal("0")) + row.amounts.get("project", Decimal("0"))


def _total_of(table: Table | None, measure: str) -> Decimal | None:
    if table is None or measure not in [c.measure for c in table.columns]:
        return None
    total = next((r for r in table.rows if r.level == "total"), None)
    return total.amounts.get(measure) if total is not None else None


def _three_public_figures(table: Table | None) -> dict[str, Decimal | None]:
    if table is None:
        return {}
    names = {
        "total": "three_public_total",
        "overseas": "three_public_overseas",
        "vehicle_purchase": "three_public_vehicle_purchase",
        "vehicle_operation": "three_public_vehicle_operation",
        "reception": "three_public_reception",
    }
    if not table.rows:  # printed, and printed empty: the bureau has none
        return {figure: Decimal("0") for figure in names.values()}
    figures: dict[str, Decimal | None] = {}
    funds = [str(f) for f in measures().get("funds", [])]
    first = table.rows[0]
    by_row = all(len(r.amounts) == 1 for r in table.rows) and len(table.rows) > 1
    categories = _category_rows(table)
    for measure, figure in names.items():
        if categories:
            row = categories.get(measure)
            figures[figure] = row.amounts["total"] if row is not None else None
        elif by_row:
            figures[figure] = next((r.amounts[measure] for r in table.rows if measure in r.amounts), None)
        elif measure in first.amounts:
            figures[figure] = first.amounts[measure]
        elif split := [first.amounts[f"{measure}_{fund}"] for fund in funds if f"{measure}_{fund}" in first.amounts]:
            # printed by fund only (一般公共预算 | 政府性基金预算 | …, no 合计 column): their sum
            figures[figure] = sum(split, Decimal(0))
    return figures


def _category_rows(table: Table) -> dict[str, Row]:
    """A “三公” table printed one category a row with the funds as columns (合计 | 一般公共预算 |
    政府性基金预算 …, the rows 行政经费, “三公”经费, 其中：（一）因公出国（境）支出 …): each category's
    row, the first printed; empty when the table is not printed that way (its rows are units)."""
    found: dict[str, Row] = {}
    for row in table.rows:
        measure = three_public_measure(row.name)
        if measure and "total" in row.amounts:
            found.setdefault(measure, row)
    return found if "total" in found and len(found) > 1 else {}
