"""Which printed amounts an identity can catch: each amount's number of checks.

A wrong amount is caught only when some check's figures move with it. An amount in no sum and
no cross-table agreement (a line printed once, in a table with no 合计, or a column no other
adds up to) could be misprinted or misread and no check would tell: the package says so, per
amount (`line_items.checks`) and per table (`tables.amounts_unchecked`), rather than let a
reader take every published amount for checked.

How: the checks run once more on a copy of the document whose every amount is a `Traced`
Decimal that remembers which printed cells it came from; sums, differences and unit changes
carry the union along, so each check's expected and actual figures name the cells they rest
on. No check is written twice and none needs to declare its inputs: what a rule really reads
is what is counted. (A figure a rule rebuilds from text, e.g. by `Decimal(str(x))`, loses its
trace: the count errs towards "unchecked", never towards "checked".)
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from yibao.derive.key_figures import key_figures
from yibao.derive.units import in_wan
from yibao.model import Check, Document, SourceText

Cell = tuple[int, int, str]  # (index in document.tables, index in table.rows, measure): one printed amount


class Traced(Decimal):
    """A Decimal that carries the printed cells it was computed from."""

    cells: frozenset[Cell]

    def __new__(cls, value: Any, cells: frozenset[Cell] = frozenset()) -> Traced:
        traced = super().__new__(cls, value)
        traced.cells = cells
        return traced

    def __bool__(self) -> bool:
        # a printed 0 is taken as any other amount (`carryforward or ZERO` keeps it): what is
        # counted is whether a check would rest on the amount were it misprinted, i.e. not 0
        return True


def cells_of(value: object) -> frozenset[Cell]:
    return getattr(value, "cells", frozenset())


def _carrying(name: str) -> Callable[..., Any]:
    plain = getattr(Decimal, name)

    def method(self: Traced, *args: Any, **kwargs: Any) -> Any:
        result = plain(self, *args, **kwargs)
        if not isinstance(result, Decimal):
            return result
        cells = cells_of(self).union(*(cells_of(arg) for arg in args))
        return Traced(result, cells)

    method.__name__ = name
    return method


# arithmetic (both ways round: `0 + traced` calls Traced.__radd__ first, as it is a subclass)
# and the methods that rescale or round an amount
for _name in (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
    "__neg__", "__pos__", "__abs__", "quantize", "scaleb", "copy_abs", "copy_negate", "normalize",
):  # fmt: skip
    setattr(Traced, _name, _carrying(_name))


def traced_copy(document: Document) -> Document:
    """The document with each table amount replaced by a Traced one naming its own cell."""
    tables = [
        dataclasses.replace(
            table,
            rows=[
                dataclasses.replace(
                    row,
                    amounts={
                        measure: Traced(amount, frozenset({(t, r, measure)})) for measure, amount in row.amounts.items()
                    },
                )
                for r, row in enumerate(table.rows)
            ],
        )
        for t, table in enumerate(document.tables)
    ]
    return dataclasses.replace(document, tables=tables, checks=[], problems=list(document.problems))


def checks_per_amount(
    document: Document, source: SourceText, run: Callable[[Document, SourceText], list[Check]]
) -> Counter[Cell]:
    """(table, row, measure) → how many of the checks `run` makes rest on that amount."""
    traced = traced_copy(document)
    traced.key_figures = key_figures(in_wan(traced))
    counts: Counter[Cell] = Counter()
    for check in run(traced, source):
        counts.update(_cells_of_check(check))
    return counts


def _cells_of_check(check: Check) -> frozenset[Cell]:
    return cells_of(check.expected) | cells_of(check.actual)


def count_checks(document: Document, source: SourceText, run: Callable[[Document, SourceText], list[Check]]) -> None:
    """Each row's `checks`: per measure, how many checks rest on its printed amount."""
    counts = checks_per_amount(document, source, run)
    for t, table in enumerate(document.tables):
        for r, row in enumerate(table.rows):
            row.checks = {measure: counts[(t, r, measure)] for measure in row.amounts}
