"""CSV cells that a spreadsheet cannot run: formula-leading text is neutralised (OWASP).

Excel, LibreOffice and Numbers treat a cell beginning with `=`, `+`, `-` or `@` (or a tab or a
carriage return, or spaces before one of them) as a formula, and the BOM of our CSVs makes Excel
open them directly: a row name `=HYPERLINK(…)` printed in a document would become a live link.
So, as the OWASP "CSV Injection" guidance recommends, such a text cell is written with a single
quote `'` in front of it; a spreadsheet then shows the text as it was printed.

Plain numbers (`-12.50`) are never changed, nor is a cell of one character (`=` as a performance
target's operator, `-` for none): neither can be a formula that does anything. The rule is
reversible: a cell
that begins with one or more `'` followed by such a character had one `'` added, and `from_cell`
removes it (a text that itself began with `'=` is written `''=`). The package's descriptor
states the rule (`x-csv-formula-escaping`).
"""

from __future__ import annotations

import re

from yibao.messages import catalogue

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_FORMULA = re.compile(r"'*(?:[=+\-@\t\r]|[ \u3000]+[=+\-@])")
_ESCAPED = re.compile(r"'+(?:[=+\-@\t\r]|[ \u3000]+[=+\-@])")

_RULE = catalogue()["package.formula_escaping"]
RULE = {"zh": _RULE.zh, "en": _RULE.en}


def to_cell(text: str) -> str:
    """A value as written in a CSV cell."""
    if len(text) < 2 or _NUMBER.fullmatch(text):
        return text
    return "'" + text if _FORMULA.match(text) else text


def from_cell(cell: str) -> str:
    """A CSV cell → the value that was written (the inverse of `to_cell`)."""
    return cell[1:] if len(cell) > 2 and _ESCAPED.match(cell) else cell
