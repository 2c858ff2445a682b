"""Rules on the “三公” table: the total is its three categories (因公出国（境）费, 公务用车购置及运行费,
公务接待费), the vehicle subtotal is purchase + operation.

The table is printed two ways. With the categories as columns (one row per unit, and a 合计 row)
it is read as a classified table and the classified rules run on it (`tables.py`). With one
category per row, each row holds one amount: the rows together are one set of figures, and this
rule checks it. A category that is not printed is not 0: an identity with a part missing is not
tested. Rows that print a second set (上年, previous year) are read apart by the normaliser; only
the figures of one set are ever summed together.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from yibao.model import Check, Table
from yibao.normalise.three_public import expanded, identities
from yibao.validate.base import ZERO, Rule, register

THREE_PUBLIC = "three_public"


def one_per_row(table: Table) -> bool:
    """Printed one category per row: no row carries more than one amount."""
    return all(len(row.amounts) <= 1 for row in table.rows)


def row_figures(table: Table) -> dict[str, Decimal]:
    """The figures of a one-category-per-row table; the first row printed for a category."""
    figures: dict[str, Decimal] = {}
    for row in table.rows:
        for measure, amount in row.amounts.items():
            figures.setdefault(measure, amount)
    return figures


@register
class ThreePublicSums(Rule):
    code = "three_public_sums"

    def applies_to(self, table: Table) -> bool:
        return table.table_id == THREE_PUBLIC and bool(table.rows) and one_per_row(table)

    def check_table(self, table: Table) -> Iterable[Check]:
        figures = row_figures(table)
        for whole, parts in identities():
            found = expanded(parts, figures)
            if whole not in figures or found is None or whole in found:
                continue
            yield self.compare(
                table.table_id,
                figures[whole],
                sum((figures[p] for p in found), ZERO),
                len(found),
                table.table_id,
                "",
                whole,
                check_id=f"{table.table_id}.{self.code}_{whole}",
                params={"total": whole, "parts": " + ".join(found)},
            )
