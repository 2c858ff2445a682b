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

from .headers import Layout

CENT = Decimal("0.01")
MAX_CANDIDATES = 5000
MAX_COMBINATIONS = 20000

Placement = dict[str, Decimal]


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
    fitting: list[tuple[Decimal, tuple[int, ...]]] = []
    for choice in product(*(range(len(options)) for options in children)):
        deviation = Decimal(0)
        for m in measures:
            summed = sum((children[i][c].get(m, Decimal(0)) for i, c in enumerate(choice)), Decimal(0))
            expected = parent.get(m, Decimal(0))
            if not within_rounding(expected, summed, len(children)):
                break
            deviation += abs(expected - summed)
        else:
            fitting.append((deviation, choice))
    if not fitting:
        return None
    # an exact fit beats one that needs the rounding tolerance
    best = min(deviation for deviation, _ in fitting)
    closest = [choice for deviation, choice in fitting if deviation == best]
    first = closest[0]
    forced = [all(f[i] == first[i] for f in closest) for i in range(len(children))]
    return list(first), forced
