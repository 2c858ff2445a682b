"""The 名词解释 (glossary) section: terms and what the document says they mean.

Entries are numbered ("一、财政拨款收入：指…", "11. 社会保障和就业（类）…（项）：反映…") or follow
one another sentence by sentence ("预算绩效管理：是以…"). An entry naming a classification item
as 类 / 款 / 项 is matched to the code the document's own function tables print for that item.
"""

from __future__ import annotations

from dataclasses import dataclass

from yibao.model import Line, Table
from yibao.recognise.titles import match_title
from yibao.reference import vocabulary
from yibao.text import squeeze

WORDS = vocabulary("glossary")
HEADING = WORDS.pattern("heading")
SECTION_END = WORDS.pattern("section_end")
NUMBERING = WORDS.pattern("numbering")
TERM = WORDS.pattern("term")
UNNUMBERED = WORDS.pattern("unnumbered")
# words that continue the entry before rather than name a term: "其中：…", "具体包括：…"
CONNECTORS = WORDS.words("connectors")
CLASSIFIED = WORDS.pattern("classified")
EXPENDITURE = WORDS.word("expenditure")


@dataclass
class Entry:
    term: str
    explanation: str
    code: str
    line: Line


def read_glossary(lines: list[Line], tables: list[Table]) -> list[Entry]:
    section = _section(lines)
    if not section:
        return []
    text, line_of = _flatten(section)
    entries: list[Entry] = []
    for start, chunk in _chunks(text):
        match = TERM.match(chunk)
        if match and match.group("term") in CONNECTORS:
            inner = TERM.match(match.group("text"))
            if inner and len(inner.group("term")) <= 20:
                match = inner
            elif entries:
                entries[-1].explanation += chunk
                continue
        if not match:
            continue
        term = match.group("term").strip()
        entries.append(Entry(term, match.group("text").strip(), _code_of(term, tables), line_of[start]))
    return entries


def _section(lines: list[Line]) -> list[Line]:
    """The lines of the last 名词解释 heading's section (the first may be a table of contents)."""
    starts = [i for i, line in enumerate(lines) if HEADING.match(squeeze(line.text))]
    if not starts:
        return []
    section: list[Line] = []
    for line in lines[starts[-1] + 1 :]:
        if SECTION_END.match(squeeze(line.text)) or match_title(line.text):
            break
        section.append(line)
    return section


def _flatten(section: list[Line]) -> tuple[str, list[Line]]:
    text = ""
    line_of: list[Line] = []
    for line in section:
        squeezed = squeeze(line.text)
        text += squeezed
        line_of.extend([line] * len(squeezed))
    return text, line_of


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split at the entry numbers, and within a chunk at each unnumbered 'term：'."""
    numbers = list(NUMBERING.finditer(text))
    starts = [m.end() for m in numbers] or [0]  # text before the first number is a preamble
    ends = [*(m.start() for m in numbers[1:]), len(text)]
    chunks: list[tuple[int, str]] = []
    for start, end in zip(starts, ends, strict=True):
        piece = text[start:end]
        offset = start
        for part in UNNUMBERED.split(piece):
            if part:
                chunks.append((offset, part))
            offset += len(part)
    return chunks


def _code_of(term: str, tables: list[Table]) -> str:
    """The code of a 类/款/项 term, from the document's function tables (names may drop 支出)."""
    match = CLASSIFIED.match(term)
    if not match:
        return ""
    segment, item = match.group("segment"), match.group("item")
    for table in tables:
        if table.classification != "function":
            continue
        names = {row.code: row.name for row in table.rows if row.code}
        for row in table.rows:
            if row.level == "item" and _same(row.name, item) and _same(names.get(row.parent_code, ""), segment):
                return row.code
    return ""


def _same(printed: str, named: str) -> bool:
    printed, named = squeeze(printed), squeeze(named)
    return bool(printed) and (
        printed == named or printed == named + EXPENDITURE or printed.removesuffix(EXPENDITURE) == named
    )
