"""Putting a row's amounts into their columns when the layout lost the blank cells.

Text extracted from a PDF drops empty cells: `21011 行政事业单位医疗 87.00 87.00` under the six
columns 合计 基本支出 项目支出 … says two amounts but not which columns. The printed order is kept,
so the candidates are the ordered choices of columns. A candidate must satisfy the row's own
identities (合计 = 基本支出 + 项目支出 …) and, together with its siblings, the parent-equals-sum
identity of every column. When one candidate remains, the identities decided (`identity`); when
several remain, the leftmost (blank cells at the right) is taken and marked `order`, never silently.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations, product
from math import comb

from yibao.messages import say
from yibao.model import Problem, Row, Table
from yibao.normalise.headers import Layout
from yibao.normalise.rows import RawRow
from yibao.text import join_text

CENT = Decimal("0.01")
MAX_CANDIDATES = 5000
MAX_COMBINATIONS = 20000

Placement = dict[str, Decimal]
KnownRows = dict[str, list[dict[str, Decimal]]]  # code → that row's amounts in each table read before


def within_rounding(expected: Decimal, actual: Decimal, summed_items: int) -> bool:
    """Documents warn of 尾数误差: a difference of one cent per summed item is rounding."""
    return abs(expected - actual) <= CENT * max(1, summed_items)


def satisfies(values: Placement, identities: list[tuple[str, list[str]]]) -> bool:
    for total, parts in identities:
        summed = sum((values.get(p, Decimal(0)) for p in parts), Decimal(0))
        if not within_rounding(values.get(total, Decimal(0)), summed, len(parts)):
            return False
    return True


def row_candidates(amounts: list[Decimal], layout: Layout) -> list[Placement] | None:
    """Placements of the amounts, in order, that satisfy the row identities — leftmost first.

    None when there are more amounts than columns or too many ways to try."""
    names = layout.measures
    if len(amounts) > len(names):
        return None
    if len(amounts) == len(names):
        return [dict(zip(names, amounts, strict=True))]
    if comb(len(names), len(amounts)) > MAX_CANDIDATES:
        return None
    found: list[tuple[Decimal, Placement]] = []
    for chosen in combinations(range(len(names)), len(amounts)):
        values = {names[i]: amount for i, amount in zip(chosen, amounts, strict=True)}
        if satisfies(values, layout.identities):
            found.append((deviation(values, layout.identities), values))
    if not found:  # no placement satisfies the identities: keep the printed order, checks will say
        return [dict(zip(names, amounts, strict=False))]
    best = min(d for d, _ in found)
    return [values for d, values in found if d == best]


def deviation(values: Placement, identities: list[tuple[str, list[str]]]) -> Decimal:
    """How far a placement is from satisfying its identities exactly (rounding differences)."""
    total_deviation = Decimal(0)
    for total, parts in identities:
        summed = sum((values.get(p, Decimal(0)) for p in parts), Decimal(0))
        total_deviation += abs(values.get(total, Decimal(0)) - summed)
    return total_deviation


def choose_children(
    parent: Placement, children: list[list[Placement]], measures: list[str]
) -> tuple[list[int], list[bool]] | None:
    """Pick one candidate per child so that each column of the children adds up to the parent.

    Returns the chosen index per child and, per child, whether the choice was forced (the only
    one that fits); None when no combination fits or there are too many to try."""
    total = 1
    for options in children:
        total *= len(options)
    if total > MAX_COMBINATIONS:
        return None
    fitting = _fitting_choices(parent, children, measures)
    if not fitting:
        return None
    # an exact fit beats one that needs the rounding tolerance
    best = min(deviation for deviation, _ in fitting)
    closest = [choice for deviation, choice in fitting if deviation == best]
    first = closest[0]
    forced = [all(f[i] == first[i] for f in closest) for i in range(len(children))]
    return list(first), forced


def _fitting_choices(
    parent: Placement, children: list[list[Placement]], measures: list[str]
) -> list[tuple[Decimal, tuple[int, ...]]]:
    """Every choice of one candidate per child whose columns add up to the parent (within the
    rounding of one cent per child), with how far it is from exact; in `product` order. The
    amounts are added up as whole numbers of their smallest printed decimal — exactly, and
    many times faster than Decimals, over thousands of combinations."""
    values = [parent.get(m, Decimal(0)) for m in measures]
    table = [[[option.get(m, Decimal(0)) for m in measures] for option in options] for options in children]
    every = values + [amount for options in table for option in options for amount in option]
    scale = Decimal(10) ** max([2, *(-int(amount.as_tuple().exponent) for amount in every)])
    expected = [int(amount * scale) for amount in values]
    scaled = [[[int(amount * scale) for amount in option] for option in options] for options in table]
    tolerance = int(CENT * scale) * max(1, len(children))
    fitting: list[tuple[Decimal, tuple[int, ...]]] = []
    for choice in product(*(range(len(options)) for options in children)):
        picked = [scaled[i][c] for i, c in enumerate(choice)]
        deviation = 0
        for k, wanted in enumerate(expected):
            difference = abs(wanted - sum(option[k] for option in picked))
            if difference > tolerance:
                break
            deviation += difference
        else:
            fitting.append((Decimal(deviation) / scale, choice))
    return fitting


def agreeing_with(known: list[dict[str, Decimal]], options: list[Placement]) -> list[Placement]:
    """Among several placements, those that agree with the same code's row in a table read before
    (the same figure agrees across tables): same total, same amounts in the columns both tables
    print beyond the total. When no earlier row says more than the total, all stay."""
    if len(options) < 2:
        return options
    columns = _measures_of(options) - {"total"}
    for amounts in known:
        shared = columns & set(amounts)
        if not shared or "total" not in amounts:
            continue
        agreeing = [
            option
            for option in options
            if option.get("total") == amounts["total"] and all(option.get(m, Decimal(0)) == amounts[m] for m in shared)
        ]
        if agreeing:
            return agreeing
    return options


def _measures_of(options: list[Placement]) -> set[str]:
    return {m for option in options for m in option}


def known_rows(table: Table) -> dict[str, dict[str, Decimal]]:
    """Rows of a classified table whose placement was certain, for the tables read after it."""
    return {
        row.code: dict(row.amounts)
        for row in table.rows
        if row.code and table.classification and row.placement in ("column", "identity")
    }


class Options(list[Placement]):
    """Candidate placements of one row; `full` when the row printed every cell of the layout."""

    full = False


def _full(options: list[Placement]) -> Options:
    marked = Options(options)
    marked.full = True
    return marked


def placements(raw_row: RawRow, layout: Layout, table: Table, problems: list[Problem]) -> list[Placement]:
    names = layout.measures
    if raw_row.positioned is None and len(raw_row.amounts) in (0, len(names)):
        if not raw_row.amounts:  # every cell blank
            return _full([{m: Decimal(0) for m in names}])
        return _full([dict(zip(names, raw_row.amounts, strict=True))])
    if raw_row.positioned is not None:
        placed: Placement = {}
        for index, amount in raw_row.positioned.items():
            if index < len(names):
                placed[names[index]] = amount
            else:
                _extra_amount_problem(raw_row, layout, table, problems)
        return _full([placed])
    options = row_candidates(raw_row.amounts, layout)
    if options is None:
        _extra_amount_problem(raw_row, layout, table, problems)
        return [dict(zip(names, raw_row.amounts, strict=False))]
    return options


def _extra_amount_problem(raw_row: RawRow, layout: Layout, table: Table, problems: list[Problem]) -> None:
    line = raw_row.line
    assert line is not None
    count = len(raw_row.amounts) or len(raw_row.positioned or {})
    problems.append(
        Problem(
            "error",
            say("table.too_many_amounts", row=join_text(raw_row.labels), count=count, columns=len(layout.columns)),
            table.table_id,
            line.page,
            line.number,
        )
    )


def resolve_placements(rows: list[Row], candidates: list[list[Placement]], layout: Layout) -> None:
    """Fix each row's placement top-down: the 合计 row, then 类 under it, 款 under 类, 项 under 款."""
    children_of = _children_index(rows)
    fixed: dict[int, Placement] = {}

    def settle(index: int, placement: Placement, how: str) -> None:
        fixed[index] = placement
        rows[index].amounts = {m: placement.get(m, Decimal(0)) for m in layout.measures}
        rows[index].placement = how

    def place_children(parent_index: int | None) -> None:
        kids = children_of.get(parent_index, [])
        if not kids:
            return
        if parent_index is None:
            for kid in kids:
                _settle_alone(kid)
        else:
            parent = fixed[parent_index]
            choice = choose_children(parent, [candidates[k] for k in kids], layout.measures)
            for position, kid in enumerate(kids):
                if choice is None:
                    _settle_alone(kid)
                    continue
                chosen, forced = choice
                option = candidates[kid][chosen[position]]
                settle(kid, option, _how(candidates[kid], forced[position]))
        for kid in kids:
            place_children(kid)

    def _settle_alone(index: int) -> None:
        options = candidates[index]
        feasible = [o for o in options if _children_fit(index, o)] or options
        settle(index, feasible[0], _how(options, len(feasible) == 1))

    def _children_fit(index: int, option: Placement) -> bool:
        kids = children_of.get(index, [])
        if not kids:
            return True
        return choose_children(option, [candidates[k] for k in kids], layout.measures) is not None

    place_children(None)
    for index in range(len(rows)):  # rows outside any hierarchy
        if index not in fixed:
            settle(index, candidates[index][0], _how(candidates[index], len(candidates[index]) == 1))


def _how(options: list[Placement], forced: bool) -> str:
    """`column` when the row printed every cell, `identity` when only one placement fits the
    identities, `order` when several fit and the leftmost was taken."""
    if len(options) == 1 and getattr(options, "full", False):
        return "column"
    return "identity" if forced or len(options) == 1 else "order"


def _children_index(rows: list[Row]) -> dict[int | None, list[int]]:
    """Parent row index → child row indexes: a row's parent is the nearest row above whose code
    is its prefix (codes repeat, one block per unit or per class), 合计 the parent of the 类."""
    by_code: dict[str, int] = {}
    total_index = next((i for i, r in enumerate(rows) if r.level == "total"), None)
    children: dict[int | None, list[int]] = {}
    for index, row in enumerate(rows):
        if row.code:
            by_code[row.code] = index  # rows below see the nearest one
        if row.level == "total":
            children.setdefault(None, []).append(index)
        elif row.level == "class" and total_index is not None:
            children.setdefault(total_index, []).append(index)
        elif row.parent_code and row.parent_code in by_code:
            children.setdefault(by_code[row.parent_code], []).append(index)
        else:
            children.setdefault(None, []).append(index)
    return children
