"""The unit each table prints its amounts in (元, 千元, 万元), and amounts in 万元.

A table says its unit above its first row ("单位：元", "金额单位：万元"). Where a table prints none,
the document's own unit (the one its other tables print) stands, and where no table prints one,
万元, the national templates' unit. The amounts stay as printed; `to_wan` moves the decimal
point only (`Decimal.scaleb`: exact, no rounding, every printed digit kept).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from yibao.model import Line
from yibao.model.enums import UnitSource
from yibao.reference import table_settings
from yibao.text import squeeze

_AMOUNT = re.compile(r"\d[\d,]*\.\d+")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in table_settings()["unit_patterns"])


def printed_unit(title_line: Line, lines: list[Line]) -> str:
    """The unit printed on the title line or above the table's first row; "" if none."""
    for line in [title_line, *lines[: table_settings()["unit_lines"]]]:
        squeezed = squeeze(line.text)
        for pattern in _patterns():
            found = pattern.search(squeezed)
            if found:
                return found.group(1)
        if line is not title_line and _AMOUNT.search(squeezed):
            return ""  # the rows have begun
    return ""


def document_unit(printed: list[str]) -> tuple[str, str]:
    """The unit of a table that prints none: the unit most of the document's tables print
    (ties: the larger unit, 万元 before 元), else the default. With its source."""
    known = [unit for unit in printed if unit]
    if not known:
        return str(table_settings()["default_unit"]), UnitSource.DEFAULT
    counts = Counter(known)
    scale = table_settings()["units"]
    return sorted(counts, key=lambda u: (-counts[u], -scale[u]))[0], UnitSource.DOCUMENT
