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

from yibao.model import Line, SourceText
from yibao.reference import TableKind, compiled, table_kinds, table_settings
from yibao.text import squeeze


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


def _wrapped_title(lines: list[Line], index: int) -> tuple[TableKind, str] | None:
    """A title wrapped over two lines ("一般公共预算财政拨款基本支出" / "预算表"): neither line is
    a title alone, the two together are."""
    if index + 1 >= len(lines) or "\t" in lines[index].text or match_title(lines[index + 1].text):
        return None
    joined = squeeze(lines[index].text) + squeeze(lines[index + 1].text)
    kind = match_title(joined)
    return (kind, joined) if kind is not None else None


def find_segments(source: SourceText) -> list[Segment]:
    segments: list[Segment] = []
    current: Segment | None = None
    skip_next = False
    for index, line in enumerate(source.lines):
        if skip_next:
            skip_next = False
            continue
        kind = match_title(line.text)
        title = squeeze(line.text)
        if kind is None and line.text.strip() and not is_section_end(line.text):
            wrapped = _wrapped_title(source.lines, index)
            if wrapped is not None:
                (kind, title), skip_next = wrapped, True
        if kind is not None:
            current = Segment(kind=kind, title=title, title_line=line, lines=[])
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
