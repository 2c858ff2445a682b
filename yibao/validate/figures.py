"""Figures printed twice: the same figure in two tables agrees.

A disclosure prints many figures more than once: the income of the year by source in the 收支总表,
the 收入总表 and the 财政拨款收支总表; the general-budget total in the 一般公共预算支出表, its
government-economic table and the 财政拨款收支总表's 一般公共预算 column; each class of the
general budget in the 财政拨款收支总表 and the 一般公共预算支出表 … Each table's figures are read
under a key naming what they are (`year.general_budget`, `general_budget.class.208`; the keys
and the tables that print them are in `yibao/data/figures.yml`); every further table printing a
key is checked against the first. Tables may print in different units: amounts are compared in
万元 (`base.in_wan`), within the rounding of the less precise of the two printed figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from yibao.model import Check, Row, Table
from yibao.model.enums import CheckStatus, Level, Outcome, Side
from yibao.normalise.summary import bare_name
from yibao.reference import load_data, measures
from yibao.text import squeeze
from yibao.validate.base import Context, Rule, in_wan, printed_step, register
from yibao.validate.summary import SUMMARY_TABLES, figure_of, side_blocks

CROSS = "cross"


@cache
def _data() -> dict[str, Any]:
    return load_data("figures.yml")


@dataclass(frozen=True)
class Figure:
    """One printed amount under the key of what it is."""

    key: str
    table: Table
    row: Row
    measure: str

    @property
    def amount(self) -> Decimal:
        return self.row.amounts[self.measure]


def key_name(key: str) -> str:
    """The key in words: `year.general_budget` → 本年收入·一般公共预算."""
    names: dict[str, str] = _data()["names"]
    words = measures()["measures"]
    return "·".join(names.get(part) or str(words.get(part, {}).get("zh", part)) for part in key.split("."))


@cache
def _source_words() -> dict[str, str]:
    """Printed label → income source, from the header words of measures.yml."""
    sources = set(_data()["income_sources"])
    return {squeeze(w): m for w, m in measures()["header_words"].items() if m in sources}


def income_source(label: str) -> str:
    """The income source a summary item prints (一、一般公共预算拨款收入 → general_budget), or ''."""
    name = bare_name(label)
    words = _source_words()
    if name in words:
        return words[name]
    for suffix in _data()["label_suffixes"]:
        if name.endswith(suffix) and name.removesuffix(suffix) in words:
            return words[name.removesuffix(suffix)]
    return ""


def total_row(table: Table) -> Row | None:
    return next((r for r in table.rows if r.level == Level.TOTAL), None)


def table_figures(table: Table) -> Iterator[Figure]:
    """The figures of one table that another table also prints."""
    if table.table_id in SUMMARY_TABLES:
        yield from _summary_figures(table)
        return
    row = total_row(table)
    if row is not None:
        keys: dict[str, str] = _data()["totals"].get(table.table_id, {})
        for measure in row.amounts:
            key = keys.get(measure, "")
            if table.table_id == "revenue" and not key:
                key = _revenue_key(measure)
            if key == "income_total" and not _prints_carryover(table):
                # a 收入决算表 prints 本年收入合计 and no 年初结转: its total is the income of the year
                key = "year_income"
            if key:
                yield Figure(key, table, row, measure)
    fund = _data()["fund_tables"].get(table.table_id)
    if fund:
        for class_row in table.rows:
            if class_row.level == Level.CLASS and class_row.code and "total" in class_row.amounts:
                yield Figure(f"{fund}.class.{class_row.code}", table, class_row, "total")


def _prints_carryover(table: Table) -> bool:
    """Whether a table has a carry-over column (上年结转, 财政拨款结转结余 …)."""
    return any(m == "carryover" or m.startswith("carryover_") for row in table.rows for m in row.amounts)


def _revenue_key(measure: str) -> str:
    sources = _data()["income_sources"]
    if measure in sources:
        return f"year.{measure}"
    rest = measure.removeprefix("carryover_")
    return f"carryover.{rest}" if rest != measure and rest in sources else ""


def _summary_figures(table: Table) -> Iterator[Figure]:
    own: dict[str, str] = _data()["summary_figures"].get(table.table_id, {})
    side = Side.INCOME
    printed: dict[str, Row] = {}
    for row in table.rows:
        figure = figure_of(row, side) if row.side == side else ""
        if figure in own and side in row.amounts:
            printed.setdefault(figure, row)
            yield Figure(own[figure], table, row, side)
    if "income_total" in printed and not {"year_income", "carryover"} & printed.keys() and "year_income" in own:
        # neither 本年收入合计 nor a carry-over printed: the grand total is the income of the year
        yield Figure(own["year_income"], table, printed["income_total"], side)
    for block in side_blocks(table, side):
        kind = {"year_income": "year", "income_total": "year", "carryover": "carryover"}.get(
            block.owner_figure(side), ""
        )
        if not kind:
            continue
        for item in block.items:
            source = income_source(item.name)
            if source and side in item.amounts:
                yield Figure(f"{kind}.{source}", table, item, side)
    funds: dict[str, str] = _data()["summary_fund_columns"]
    for row in table.rows:
        if row.side != Side.EXPENDITURE:
            continue
        is_year = figure_of(row, Side.EXPENDITURE) == "year_expense"
        for measure, fund in funds.items():
            if measure not in row.amounts:
                continue
            if is_year:
                yield Figure(f"{fund}.total", table, row, measure)
            elif row.standard_code:
                yield Figure(f"{fund}.class.{row.standard_code}", table, row, measure)


def agree(first: Figure, second: Figure) -> tuple[CheckStatus, Outcome]:
    """Equal in 万元; or apart by less than half the last printed place of the coarser figure
    (元 against 万元: 1,234,567 元 is 123.46 万元). Never more: a larger difference is a mismatch."""
    a, b = in_wan(first.table, first.amount), in_wan(second.table, second.amount)
    if a == b:
        return CheckStatus.PASS, Outcome.EXACT
    step = max(printed_step(first.table, first.amount), printed_step(second.table, second.amount))
    if abs(a - b) * 2 < step:
        return CheckStatus.PASS, Outcome.ROUNDING
    return CheckStatus.FAIL, Outcome.MISMATCH


@register
class SameFigure(Rule):
    code = "same_figure"

    def check_document(self, context: Context) -> Iterable[Check]:
        first: dict[str, Figure] = {}
        for table in context.document.tables:
            seen: set[str] = set()
            for figure in table_figures(table):
                if figure.key in seen:
                    continue  # one figure per key and table: the first printed
                seen.add(figure.key)
                earlier = first.setdefault(figure.key, figure)
                if earlier is not figure and earlier.table is not table:
                    yield self._check(earlier, figure)

    def _check(self, earlier: Figure, figure: Figure) -> Check:
        status, outcome = agree(earlier, figure)
        message = self.text().message(
            figure=key_name(figure.key),
            first=earlier.table.title,
            second=figure.table.title,
            key=figure.key,
        )
        return Check(
            f"{CROSS}.{self.code}",
            status,
            outcome,
            message,
            figure.table.table_id,
            figure.row.standard_code or figure.row.code,
            figure.measure,
            in_wan(earlier.table, earlier.amount),
            in_wan(figure.table, figure.amount),
        )
