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
from functools import lru_cache

from yibao.model import Line, SourceText
from yibao.reference import TableKind, compiled, table_kinds, table_settings, vocabulary
from yibao.text import squeeze


@dataclass
class Segment:
    """The lines of one printed table, title first."""

    kind: TableKind
    title: str
    title_line: Line
    lines: list[Line]


def printed_title(text: str) -> str:
    """The title as printed on its line, white space removed, without the table's furniture printed
    after it on the same line ("收支预算总表部门：中共江苏省委办公厅 单位：万元" → "收支预算总表")."""
    squeezed = squeeze(text)
    furniture = re.search(table_settings()["title_furniture"], squeezed)
    return squeezed[: furniture.start()] if furniture else squeezed


@lru_cache(maxsize=1 << 16)
def match_title(text: str) -> TableKind | None:
    """The table kind a line announces, or None if the line is no table title. Cached: every
    line is asked several times (segments, contents, wrapped titles, metadata)."""
    squeezed = printed_title(text)
    # "一、" / "表1：" / "预算01表" numbers the title; the title's words follow
    squeezed = re.sub(table_settings()["title_prefix"], "", squeezed)
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


def contents_lines(lines: list[Line]) -> set[int]:
    """Lines of the contents, which list titles, not tables: from a 目录 line to the end of its page
    or the first table row or sentence (a text file is one page); and every line of a page that
    lists several titles and no amount (with the page after it, when the list runs on)."""
    contents = compiled("contents")
    titles: dict[int, int] = {}
    amounts: set[int] = set()
    listed: set[int] = set()
    open_page: int | None = None
    for line in lines:
        squeezed = squeeze(line.text)
        has_amount = bool(re.search(r"\d[\d,]*\.\d{2}", squeezed))
        if open_page is not None and (
            line.page != open_page
            or has_amount
            or "\t" in line.text
            or vocabulary("titles").word("full_stop") in squeezed
        ):
            open_page = None
        if any(p.search(squeezed) for p in contents):
            open_page = line.page
        if open_page is not None:
            listed.add(line.number)
        if has_amount:
            amounts.add(line.page)
        if match_title(line.text) is not None:
            titles[line.page] = titles.get(line.page, 0) + 1
    minimum = table_settings()["contents_min_titles"]
    pages = {page for page, count in titles.items() if count >= minimum and page not in amounts}
    pages |= {page + 1 for page in pages if page + 1 in titles and page + 1 not in amounts}
    pages |= {line.page + 1 for line in lines if line.number in listed and line.page + 1 in titles}
    pages = {page for page in pages if page not in amounts}
    return listed | {line.number for line in lines if line.page in pages}


def is_section_end(text: str) -> bool:
    squeezed = squeeze(text)
    return any(p.search(squeezed) for p in compiled("section_end"))


def _wrapped_title(lines: list[Line], index: int) -> tuple[TableKind, str] | None:
    """A title wrapped over two lines ("一般公共预算财政拨款基本支出" / "预算表"): neither line is
    a title alone, the two together are."""
    if index + 1 >= len(lines) or "\t" in lines[index].text or match_title(lines[index + 1].text):
        return None
    joined = squeeze(lines[index].text) + printed_title(lines[index + 1].text)
    kind = match_title(joined)
    return (kind, joined) if kind is not None else None


def _year_apart(lines: list[Line], index: int, title: str) -> str:
    """A title whose year the PDF draws as a line of its own ("年部门收支总体情况表" / "2026")."""
    if not title.startswith(vocabulary("titles").word("year")) or index + 1 >= len(lines):
        return ""
    # the title's quotes and brackets may be drawn on the year's line too (2026 “ ” for “三公”)
    year = _TITLE_MARKS.sub("", squeeze(lines[index + 1].text))
    return year if re.fullmatch(r"(19|20)\d{2}", year) else ""


_TITLE_MARKS = vocabulary("headers").pattern("unprinted")


def page_numbers(lines: list[Line]) -> set[int]:
    """The line numbers of printed page numbers: the last line of a page with a table grid, itself
    outside the grids, only a number (tables.yml `page_number`)."""
    gridded = {line.page for line in lines if line.grid}
    last: dict[int, Line] = {}
    for line in lines:
        if line.text.strip():
            last[line.page] = line
    patterns = compiled("page_number")
    return {
        line.number
        for page, line in last.items()
        if page in gridded and not line.grid and any(p.match(squeeze(line.text)) for p in patterns)
    }


def find_segments(source: SourceText) -> list[Segment]:
    segments: list[Segment] = []
    current: Segment | None = None
    contents = contents_lines(source.lines)
    furniture = page_numbers(source.lines)
    skip_next = False
    for index, line in enumerate(source.lines):
        if skip_next:
            skip_next = False
            continue
        if line.number in contents:  # the contents list titles, not tables
            current = None
            continue
        if line.number in furniture:  # a table may run on over the page
            continue
        kind = match_title(line.text)
        title = printed_title(line.text)
        if kind is None and line.text.strip() and not is_section_end(line.text):
            wrapped = _wrapped_title(source.lines, index)
            if wrapped is not None:
                (kind, title), skip_next = wrapped, True
        if kind is not None:
            year = _year_apart(source.lines, index + skip_next, title)
            if year:
                title, skip_next = year + title, True
            current = Segment(kind=kind, title=title, title_line=line, lines=[])
            segments.append(current)
        elif current is not None and is_section_end(line.text):
            current = None
        elif current is not None:
            current.lines.append(line)
    return merge_continuations([s for s in segments if not _listed_title(s)])


def _listed_title(segment: Segment) -> bool:
    """A title in a list of titles (the narrative naming the tables that follow): at most one line
    follows it before the next title, and that line is no table row (a page number)."""
    lines = [line for line in segment.lines if line.text.strip()]
    if len(lines) > 1:
        return False
    return not lines or ("\t" not in lines[0].text and not re.search(r"\d[\d,]*\.\d{2}", lines[0].text))


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
