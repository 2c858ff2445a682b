"""Stage 2 — recognise: find the tables of a document by their printed titles.

A title is a short line (not a sentence, not a reference such as "关于…表的说明") matching one of
the patterns in `data/tables.yml`. A table runs until the next title or the next part of the
document. Consecutive pieces with the same title (a table continued after a page break with its
title repeated) are one table. A title with neither header nor rows (a table of contents entry)
is no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Line, SourceText
from .reference import TableKind, compiled, squeeze, table_kinds, table_settings


@dataclass
class Segment:
    """The lines of one printed table, title first."""

    kind: TableKind
    title: str
    title_line: Line
    lines: list[Line]


def match_title(text: str) -> TableKind | None:
    """The table kind a line announces, or None if the line is no table title."""
    squeezed = squeeze(text)
    if not squeezed or len(squeezed) > table_settings()["title_max_chars"]:
        return None
    if any(p.search(squeezed) for p in compiled("title_reject")):
        return None
    if re.search(r"\d[\d,]*\.\d{2}", squeezed):  # a row with amounts, not a title
        return None
    for kind in table_kinds():
        if any(p.search(squeezed) for p in kind.patterns):
            return kind
    return None


def is_section_end(text: str) -> bool:
    squeezed = squeeze(text)
    return any(p.search(squeezed) for p in compiled("section_end"))


def find_segments(source: SourceText) -> list[Segment]:
    segments: list[Segment] = []
    current: Segment | None = None
    for line in source.lines:
        kind = match_title(line.text)
        if kind is not None:
            current = Segment(kind=kind, title=squeeze(line.text), title_line=line, lines=[])
            segments.append(current)
        elif current is not None and is_section_end(line.text):
            current = None
        elif current is not None:
            current.lines.append(line)
    return merge_continuations(segments)


def merge_continuations(segments: list[Segment]) -> list[Segment]:
    """A table whose title is printed again on the next page continues, it does not restart."""
    merged: list[Segment] = []
    for segment in segments:
        previous = merged[-1] if merged else None
        if previous is not None and previous.kind.table_id == segment.kind.table_id and previous.title == segment.title:
            previous.lines.extend(segment.lines)
            continue
        merged.append(segment)
    return merged
