"""Rules on one summary table (收支总表, 财政拨款收支总表): its totals and its classes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from yibao.model import Check, Row, Table
from yibao.model.enums import Side
from yibao.normalise.summary import bare_name, summary_figure, summary_labels, summary_row
from yibao.reference import load_data
from yibao.text import squeeze
from yibao.validate.base import ZERO, Rule, register, total

SUMMARY_TABLES = ("summary", "appropriation_summary")


class SummaryRule(Rule):
    """A rule run on each summary table."""

    def applies_to(self, table: Table) -> bool:
        return bool(table.rows) and table.table_id in SUMMARY_TABLES


@register
class IncomeEqualsExpense(SummaryRule):
    code = "income_equals_expense"

    def check_table(self, table: Table) -> Iterable[Check]:
        income = summary_figure(table, "income_total")
        expense = summary_figure(table, "expense_total")
        if income is not None and expense is not None:
            yield self.compare(table.table_id, income, expense, 1, table.table_id)


@register
class YearIncomePlusCarryover(SummaryRule):
    """收入总计 = 本年收入合计 + 上年结转结余, and the items printed between them that belong to
    neither (使用非财政拨款结余, 用事业基金弥补收支差额 …)."""

    code = "year_income_plus_carryover"

    def check_table(self, table: Table) -> Iterable[Check]:
        income = summary_figure(table, "income_total")
        year_income = summary_figure(table, "year_income")
        carryover = summary_figure(table, "carryover")
        if income is not None and year_income is not None:
            loose = loose_items(table, Side.INCOME, "year_income", "income_total")
            actual = year_income + (carryover or ZERO) + total(loose, Side.INCOME)
            yield self.compare(table.table_id, income, actual, 2 + len(loose), table.table_id)
        elif income is not None and carryover is not None:
            # no 本年收入合计 printed (一、财政拨款 …, 二、上年结转结余, 收入总计): the year's items are
            # the top items printed before the total in blocks no figure owns
            loose = loose_items(table, Side.INCOME, "", "income_total")
            if loose:
                actual = carryover + total(loose, Side.INCOME)
                yield self.compare(table.table_id, income, actual, 1 + len(loose), table.table_id)


@register
class YearExpensePlusCarryforward(SummaryRule):
    """支出总计 = 本年支出合计 + 年终结转结余, and the items printed between them that belong to
    neither (结余分配 …)."""

    code = "year_expense_plus_carryforward"

    def check_table(self, table: Table) -> Iterable[Check]:
        expense = summary_figure(table, "expense_total")
        year_expense = summary_figure(table, "year_expense")
        carryforward = summary_figure(table, "carryforward")
        if expense is not None and year_expense is not None:
            loose = loose_items(table, Side.EXPENDITURE, "year_expense", "expense_total")
            actual = year_expense + (carryforward or ZERO) + total(loose, Side.EXPENDITURE)
            yield self.compare(table.table_id, expense, actual, 2 + len(loose), table.table_id)


def fund_columns(table: Table) -> list[str]:
    """The expenditure columns a summary table splits by fund (一般公共预算, 政府性基金 …): the
    parts of its row identity 支出 = 一般公共预算 + 政府性基金 + 国有资本经营预算."""
    return [p for whole, parts in table.identities if whole == Side.EXPENDITURE for p in parts]


@register
class FunctionClassesSum(SummaryRule):
    """The classes add up to the expenditure of the year, in the 支出 column and in each column
    of a fund the table splits it by (the check id then ends with the column)."""

    code = "function_classes_sum"

    def check_table(self, table: Table) -> Iterable[Check]:
        classes = [r for r in table.rows if r.side == Side.EXPENDITURE and r.standard_code]
        row = summary_row(table, "year_expense") or summary_row(table, "expense_total")
        if not classes or row is None:
            return
        yield self.compare(
            table.table_id, row.amounts.get(Side.EXPENDITURE, ZERO), total(classes, Side.EXPENDITURE), len(classes),
            table.table_id,
        )  # fmt: skip
        for measure in fund_columns(table):
            if measure in row.amounts and all(measure in c.amounts for c in classes):
                yield self.compare(
                    table.table_id, row.amounts[measure], total(classes, measure), len(classes), table.table_id, "",
                    measure, check_id=f"{table.table_id}.{self.code}_{measure}",
                )  # fmt: skip


@register
class EconomicClassesSum(SummaryRule):
    code = "economic_classes_sum"

    def check_table(self, table: Table) -> Iterable[Check]:
        economic_rows = [r for r in table.rows if r.side == Side.EXPENDITURE_ECONOMIC]
        totals = summary_labels("economic_totals")
        classes = [r for r in economic_rows if not bare_name(r.name).startswith(totals)]
        grand_total: Decimal | None = next(
            (
                r.amounts.get(Side.EXPENDITURE_ECONOMIC, ZERO)
                for r in economic_rows
                if bare_name(r.name) in summary_labels("expense_total")
            ),
            None,
        )
        if classes and grand_total is not None:
            yield self.compare(
                table.table_id, grand_total, total(classes, Side.EXPENDITURE_ECONOMIC), len(classes), table.table_id
            )


# ---------------------------------------------------------------- items of a side

INCOME_FIGURES = ("income_total", "year_income", "carryover")
EXPENDITURE_FIGURES = ("expense_total", "year_expense", "carryforward")
GRAND_TOTALS = ("income_total", "expense_total")
CARRIES = ("carryover", "carryforward")  # the year's items are not the carry-over's parts
SIDE_FIGURES: dict[str, tuple[str, ...]] = {Side.INCOME: INCOME_FIGURES, Side.EXPENDITURE: EXPENDITURE_FIGURES}


@cache
def _ordinal_levels() -> tuple[tuple[int, re.Pattern[str]], ...]:
    entries = load_data("summary.yml")["ordinal_levels"]
    return tuple((int(e["level"]), re.compile(str(e["pattern"]))) for e in entries)


@lru_cache(maxsize=4096)
def ordinal_level(label: str) -> int:
    """1 for 一、, 2 for （一）, 3 for 1. …; 0 where the label prints no ordinal."""
    name = squeeze(label)
    return next((level for level, pattern in _ordinal_levels() if pattern.match(name)), 0)


@cache
def _partial_words() -> tuple[str, ...]:
    return tuple(str(word) for word in load_data("summary.yml")["partial"])


@lru_cache(maxsize=4096)
def is_partial(label: str) -> bool:
    """An item opened by 其中: part of what precedes it, not all of it."""
    return squeeze(label).startswith(_partial_words())


def figure_of(row: Row, side: str) -> str:
    """The summary figure a row prints (`year_income`, `income_total` …), or ''."""
    return _figure_named(row.name, side)


@lru_cache(maxsize=4096)
def _figure_named(label: str, side: str) -> str:
    name = bare_name(label)
    return next((f for f in SIDE_FIGURES.get(side, ()) if name in summary_labels(f)), "")


@dataclass(frozen=True)
class Sum:
    """One identity of a summary side: `whole` printed = the sum of its printed `parts`."""

    whole: Row
    parts: tuple[Row, ...]


def _levels(items: list[Row], side: str = Side.EXPENDITURE, next_level: int = 0) -> list[int]:
    """Each item's depth; an item without an ordinal stands with the shallowest of the block,
    except, on the income side, between two items of one ordinal level (一、财政拨款收入,
    一般公共预算收入 …, 二、…): there it is a part of the item above it; `next_level` is the
    ordinal of the figure row that ends the block (一、财政拨款, its funds, then the figure
    二、上年结转结余). (On the expenditure side unnumbered names under a class are its 款 and 项:
    `_class_lines`.)"""
    printed = [ordinal_level(r.name) for r in items]
    top = min((level for level in printed if level), default=1)
    levels = [level or top for level in printed]
    if side != Side.INCOME:
        return _under_classes(items, printed, levels)
    for index, level in enumerate(printed):
        if level:
            continue
        before = next((printed[k] for k in range(index - 1, -1, -1) if printed[k]), 0)
        after = next((printed[k] for k in range(index + 1, len(printed)) if printed[k]), next_level)
        if before and before == after:
            levels[index] = before + 1
        elif not before and index + 1 < len(printed) and printed[index + 1] > 1:
            levels[index] = printed[index + 1] - 1  # 财政拨款 heading 1.一般公共预算拨款, 2.…
    return levels


def _under_classes(items: list[Row], printed: list[int], levels: list[int]) -> list[int]:
    """Expenditure items printed after a function class without an ordinal and without being a
    class themselves (普通教育, 高等教育 … under 一、教育支出) are its 款 and 项: one level under it
    (their own depths are not printed), never items of the block's figure."""
    under: int | None = None
    for index, row in enumerate(items):
        if row.standard_code:
            under = levels[index]
        elif printed[index]:
            under = None
        elif under is not None:
            levels[index] = under + 1
    return levels


def _nested_sums(items: list[Row], levels: list[int]) -> tuple[list[Row], list[Sum]]:
    """The block's top items, and for each item printed with deeper items after it, the sum of
    those one level down (其中 items are left out: they are not all of their parent)."""
    top = min(levels, default=0)
    tops: list[Row] = []
    sums: list[Sum] = []
    index = 0
    while index < len(items):
        end = index + 1
        while end < len(items) and levels[end] > levels[index]:
            end += 1
        children = [i for i in range(index + 1, end) if not is_partial(items[i].name)]
        if levels[index] == top and not is_partial(items[index].name):
            tops.append(items[index])
        if children:
            inner, deeper = _nested_sums([items[i] for i in children], [levels[i] for i in children])
            sums.append(Sum(items[index], tuple(inner)))
            sums.extend(deeper)
        index = end
    return tops, sums


@dataclass(frozen=True)
class Block:
    """A run of items between two rows that print a figure, and the figure row it belongs to
    (None where the order does not say)."""

    owner: Row | None
    items: tuple[Row, ...]
    levels: tuple[int, ...]

    def owner_figure(self, side: str) -> str:
        return figure_of(self.owner, side) if self.owner is not None else ""


def side_blocks(table: Table, side: str) -> list[Block]:
    """The blocks of items of a summary side, by the order and ordinals of its rows.

    Items run in blocks between the rows that print a figure (本年收入合计, 上年结转, 收入总计 …).
    A block belongs to the figure row before it when that row opens it as a heading (一、本年收入
    followed by （一）…), or when it follows a carry-over printed without ordinal and ends at the
    grand total (年初结转和结余 followed by 一、…二、…); the block that opens the side belongs to
    the figure row after it (一、…九、 then 本年收入合计), unless that row is a carry-over."""
    rows = [r for r in table.rows if r.side == side]
    if side == Side.EXPENDITURE:
        lines = {id(r) for r in _class_lines(rows)}
        rows = [r for r in rows if id(r) not in lines]
    blocks: list[Block] = []
    previous: Row | None = None
    block: list[Row] = []
    opening = True
    for row in [*rows, None]:
        if row is not None and not figure_of(row, side):
            block.append(row)
            continue
        if block:
            levels = _levels(block, side, ordinal_level(row.name) if row is not None else 0)
            numbered = any(ordinal_level(r.name) for r in block)
            owner = _owner(previous, row, side, opening, min(levels) if numbered else 99)
            blocks.append(Block(owner, tuple(block), tuple(levels)))
        if row is not None:
            opening = False
        previous, block = row, []
    return blocks


def side_sums(table: Table, side: str) -> list[Sum]:
    """The sums a summary side prints: each block's top items = its owner, and each item printed
    with deeper items after it = those one level down."""
    sums: list[Sum] = []
    for block in side_blocks(table, side):
        tops, nested = _nested_sums(list(block.items), list(block.levels))
        sums.extend(nested)
        if block.owner is not None and tops:
            sums.append(Sum(block.owner, tuple(tops)))
    return sums


def _class_lines(rows: list[Row]) -> list[Row]:
    """The 款 and 项 printed by name under a function class (unnumbered, no class code, after a
    class and before the next numbered item): parts of the class at depths the page does not
    print, so no sum of the side's items counts them (`across.SummaryLinesVsTables` checks them
    against the expenditure tables)."""
    lines: list[Row] = []
    under_class = False
    for row in rows:
        if row.standard_code:
            under_class = True
        elif ordinal_level(row.name) or figure_of(row, Side.EXPENDITURE):
            under_class = False
        elif under_class:
            lines.append(row)
    return lines


def loose_items(table: Table, side: str, after: str, before: str) -> list[Row]:
    """The top items printed between the rows of two figures (本年收入合计 … 收入总计; from the
    side's first row where `after` is '') in blocks that belong to no figure: parts of the grand
    total in their own right."""
    rows = [r for r in table.rows if r.side == side]
    figures = [figure_of(r, side) for r in rows]
    if (after and after not in figures) or before not in figures:
        return []
    start, end = figures.index(after) if after else -1, figures.index(before)
    position = {id(r): i for i, r in enumerate(rows)}
    loose: list[Row] = []
    for block in side_blocks(table, side):
        if block.owner is None and start < position[id(block.items[0])] < end:
            tops, _ = _nested_sums(list(block.items), list(block.levels))
            loose.extend(tops)
    return loose


def _owner(previous: Row | None, following: Row | None, side: str, opening: bool, level: int) -> Row | None:
    if previous is not None and 0 < ordinal_level(previous.name) < level:
        return previous  # 一、本年收入 → （一）…（三）
    if (
        previous is not None
        and not ordinal_level(previous.name)
        and figure_of(previous, side) in CARRIES
        and following is not None
        and figure_of(following, side) in GRAND_TOTALS
    ):
        return previous  # 年初结转和结余 → 一、…三、 → 收入总计
    if opening and previous is None and following is not None and figure_of(following, side) not in CARRIES:
        return following  # 一、…九、 → 本年收入合计 (or 收入总计 where no 本年收入合计 is printed)
    return None


@register
class SideItemsSum(SummaryRule):
    """Each figure of a summary side against the items printed for it: 本年收入合计 = 一、…九、,
    an item = its （一）（二）… sub-items, a carry-over = its 一、二、三、. On the expenditure side
    only sums with a part that is not a function class: the classes alone are
    `function_classes_sum`'s."""

    code = "side_items_sum"

    def check_table(self, table: Table) -> Iterable[Check]:
        for side in (Side.INCOME, Side.EXPENDITURE):
            for found in side_sums(table, side):
                if side == Side.EXPENDITURE and all(p.standard_code for p in found.parts):
                    continue
                if (
                    side == Side.EXPENDITURE
                    and found.whole.standard_code
                    and not any(ordinal_level(p.name) for p in found.parts)
                ):
                    continue  # a class's 款 and 项 by name only: which are 款 the page does not say
                yield self.compare(
                    table.table_id,
                    found.whole.amounts.get(side, ZERO),
                    total(found.parts, side),
                    len(found.parts),
                    table.table_id,
                    "",
                    side,
                    params={"label": squeeze(found.whole.name), "count": len(found.parts)},
                )


@register
class SummaryRowEqualsParts(SummaryRule):
    """合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算 in each expenditure row of a summary
    table that prints them (Table.identities, from its header). A row whose amounts could not all
    be placed publishes only its total: it is not tested."""

    code = "summary_row_equals_parts"

    def check_table(self, table: Table) -> Iterable[Check]:
        for row in table.rows:
            for whole, parts in table.identities:
                if whole not in row.amounts or any(p not in row.amounts for p in parts):
                    continue
                yield self.compare(
                    table.table_id,
                    row.amounts[whole],
                    sum((row.amounts[p] for p in parts), ZERO),
                    len(parts),
                    table.table_id,
                    row.standard_code,
                    whole,
                    params={"label": squeeze(row.name), "total": whole, "parts": " + ".join(parts)},
                )
