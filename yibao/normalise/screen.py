"""Tokens that stand where an amount would but are no clean amount, found before a table is read.

`NaN`, full-width digits `１２１．７２`, an accounting negative `(121.72)`, `1.2e3` … (the forms in
yibao/data/tables.yml `unclean_amounts`): left in a row they would be read as part of its name,
and the row's amounts would move one column. Each is a problem (an error: the cell's amount is
not published) with its page and line, and its cell is read as blank: the token is replaced by
a dash padded to its length, so the positions of the other cells do not move.
"""

from __future__ import annotations

import re
from dataclasses import replace

from yibao.messages import say
from yibao.model import Line, Problem
from yibao.normalise.cells import is_unclean_amount
from yibao.normalise.rows import is_noise
from yibao.recognise.titles import Segment

_TOKEN = re.compile(r"\S+")


def blanked(text: str) -> tuple[str, list[str]]:
    """`text` with each unclean amount token replaced by a dash, and the tokens replaced."""
    found: list[str] = []

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if not is_unclean_amount(token):
            return token
        found.append(token)
        return "-".ljust(len(token))

    return _TOKEN.sub(blank, text), found


def screened(segment: Segment, problems: list[Problem]) -> Segment:
    """The segment with its unclean amounts blanked, each reported where it is printed."""
    lines: list[Line] = []
    for line in segment.lines:
        text, found = ("", []) if is_noise(line.text) else blanked(line.text)
        if not found:
            lines.append(line)
            continue
        for token in found:
            problems.append(
                Problem(
                    "error",
                    say("table.unclean_amount", page=line.page, line=line.number, token=token, title=segment.title),
                    segment.kind.table_id,
                    line.page,
                    line.number,
                )
            )
        cells = tuple(replace(cell, text=blanked(cell.text)[0]) for cell in line.cells)
        lines.append(replace(line, text=text, cells=cells))
    return replace(segment, lines=lines)
