"""Amounts in 万元: a table's printed amounts with the decimal point moved by its unit.

`to_wan` uses `Decimal.scaleb`: exact, no rounding, every printed digit kept. `in_wan` gives the
document with every table in 万元, for comparing figures across tables and with the text.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from yibao.model import Document
from yibao.reference import table_settings, vocabulary

WAN = vocabulary("units").word("wan")


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """An amount printed in `unit`, in 万元 exactly: 193018000 元 → 19301.8000, 12.50 元 → 0.001250."""
    shift = int(table_settings()["units"].get(unit or WAN, 0))
    return amount.scaleb(shift) if shift else amount


def in_wan(document: Document) -> Document:
    """The document with every table's amounts in 万元: what figures from several tables (key
    figures, checks across tables, the narrative's 万元 figures) are compared in. The document
    itself keeps its amounts as printed."""
    if all((table.unit or WAN) == WAN for table in document.tables):
        return document
    tables = [
        dataclasses.replace(
            table,
            rows=[
                dataclasses.replace(row, amounts={m: to_wan(a, table.unit) for m, a in row.amounts.items()})
                for row in table.rows
            ],
            unit=WAN,
        )
        for table in document.tables
    ]
    return dataclasses.replace(document, tables=tables)
