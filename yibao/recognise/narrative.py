"""The narrative (情况说明) as one string, each character's page and line remembered.

Sentences wrap across lines (and pages), so patterns are matched on the text with all white
space removed; a match is traced back to the page and line of its first character. Table rows
(lines with cells, or lines a table's rows were read from) are left out: a project named
"政府采购平台运维" is not a sentence about 政府采购.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from yibao.model import Document, Line, SourceText, StatedChange
from yibao.reference import load_data
from yibao.text import squeeze

SENTENCE_END = str(load_data("narrative.yml")["sentence_end"])
EXCERPT_CHARS = 160  # the longest excerpt shown as evidence


@dataclass(frozen=True)
class Place:
    page: int
    line: int


@dataclass(frozen=True)
class Passage:
    """A sentence of the narrative where a pattern matched, and where it is printed."""

    text: str
    page: int
    line: int


@dataclass(frozen=True)
class Narrative:
    text: str
    places: tuple[Place, ...]  # the place of each character of `text`
    after_heading: frozenset[int] = frozenset()  # where a line starts that follows a heading line

    def place(self, index: int) -> Place:
        return self.places[index]

    def sentence_around(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence holding text[start:end] begins and ends (at most EXCERPT_CHARS long;
        never running back over a heading)."""
        first = start
        while (
            first > 0
            and self.text[first - 1] not in SENTENCE_END
            and first not in self.after_heading
            and start - first < EXCERPT_CHARS // 2
        ):
            first -= 1
        last = end
        while last < len(self.text) and self.text[last - 1] not in SENTENCE_END and last - first < EXCERPT_CHARS:
            last += 1
        return first, last

    def find(self, pattern: re.Pattern[str]) -> Passage | None:
        """The first sentence the pattern matches, with its page and line."""
        match = pattern.search(self.text)
        if match is None:
            return None
        first, last = self.sentence_around(match.start(), match.end())
        place = self.place(first)
        return Passage(self.text[first:last], place.page, place.line)


def narrative_of(lines: list[Line], table_lines: set[int]) -> Narrative:
    """The text lines of a document joined, white space removed; table rows (lines with cells,
    and the numbers in `table_lines`: titles and rows the tables were read from) left out."""
    parts: list[str] = []
    places: list[Place] = []
    after_heading: set[int] = set()
    previous_is_heading = False
    for line in lines:
        if line.cells or "\t" in line.text or line.number in table_lines:
            continue
        squeezed = squeeze(line.text)
        if not squeezed:
            continue
        if previous_is_heading:
            after_heading.add(len(places))
        previous_is_heading = bool(_heading().match(squeezed))
        parts.append(squeezed)
        places.extend([Place(line.page, line.number)] * len(squeezed))
    return Narrative("".join(parts), tuple(places), frozenset(after_heading))


@cache
def _heading() -> re.Pattern[str]:
    return re.compile(str(vocabulary()["heading"]))


# --------------------------------------------------------------------------- what the text states
# (patterns of yibao/data/narrative.yml; the validate stage checks them against the tables)


@dataclass(frozen=True)
class Claim:
    label: str
    figure: str  # key figure id
    pattern: re.Pattern[str]
    not_after: tuple[str, ...]


@cache
def vocabulary() -> dict[str, Any]:
    """The patterns of yibao/data/narrative.yml."""
    return load_data("narrative.yml")


def _expand(pattern: str) -> str:
    data = vocabulary()
    return (
        pattern.replace("{clause}", str(data["clause"]))
        .replace("{filler}", str(data["filler"]))
        .replace("{number}", str(data["number"]))
    )


@cache
def claims() -> tuple[Claim, ...]:
    data = vocabulary()
    unit = str(data["amount_unit"])
    entries: list[dict[str, Any]] = data["claims"]
    return tuple(
        Claim(
            label=str(entry["label"]),
            figure=str(entry["figure"]),
            # the label, a few words that are not a number or a sentence break, the amount in 万元
            pattern=re.compile(_expand(f"(?:{entry['words']}){{filler}}{{number}}{unit}")),
            not_after=tuple(entry.get("not_after", ())),
        )
        for entry in entries
    )


@cache
def growth_pattern() -> re.Pattern[str]:
    return re.compile(_expand(str(vocabulary()["growth"])))


@cache
def function_class_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in vocabulary()["function_classes"])
    return re.compile(_expand(f"({names}){{number}}{vocabulary()['amount_unit']}"))


@cache
def change_pattern() -> re.Pattern[str]:
    return re.compile(_expand(str(vocabulary()["change"])))


@cache
def flat_pattern() -> re.Pattern[str]:
    return re.compile(_expand(str(vocabulary()["flat"])))


def document_narrative(document: Document, source: SourceText) -> Narrative:
    """The narrative of a read document: its text without the lines its tables were read from."""
    return narrative_of(source.lines, table_lines(document))


def table_lines(document: Document) -> set[int]:
    """The lines the tables were read from: titles, rows, projects and targets."""
    lines = {t.line for t in document.tables} | {row.line for t in document.tables for row in t.rows}
    return lines | {p.line for p in document.projects} | {t.line for t in document.targets}


_SUBJECT_START = str(vocabulary()["subject_start"])
_SUBJECT_PREFIX = re.compile(vocabulary()["subject_prefix"])
_SUBJECT_SUFFIX = re.compile(vocabulary()["subject_suffix"])


def stated_changes(narrative: Narrative, fiscal_year: int | None) -> list[StatedChange]:
    """Every change on last year the text states, in reading order. A change on a year other than
    the one before the document's is left out (it is no 'last year')."""
    text = narrative.text
    decreases = tuple(vocabulary()["decrease_words"])
    figures = _figures_at(text)
    found: list[StatedChange] = []
    matches = [*change_pattern().finditer(text), *flat_pattern().finditer(text)]
    for match in sorted(matches, key=lambda m: m.start()):
        amount_text, versus, *rest = match.groups()
        if versus != vocabulary()["last_year"] and (
            fiscal_year is None or versus != f"{fiscal_year - 1}{vocabulary()['year']}"
        ):
            continue
        verb, change_text, rate_text = (rest[0], rest[1], rest[3]) if rest else ("", "0", None)
        amount, change = _number(amount_text), _number(change_text)
        sign = -1 if verb in decreases else 1
        start = _subject_start(narrative, match.start())
        place = narrative.place(start)
        first, last = narrative.sentence_around(match.start(), match.end())
        found.append(
            StatedChange(
                change_no=len(found) + 1,
                subject=_subject(text[start : match.start()]),
                figure=figures.get(match.start(1), ""),
                amount=amount,
                change=sign * change,
                rate=None if rate_text is None else sign * _number(rate_text),
                previous=amount - sign * change,
                page=place.page,
                line=place.line,
                sentence=text[first:last],
            )
        )
    return found


def _subject(clause: str) -> str:
    """What a clause names, without its numbering, year and 预算数为 (1、2101501行政运行2020年预算数为)."""
    return _SUBJECT_SUFFIX.sub("", _SUBJECT_PREFIX.sub("", clause))


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _subject_start(narrative: Narrative, amount_start: int) -> int:
    """Where the clause naming the amount begins: after the last comma, colon or sentence end,
    or at the line after a heading."""
    start = amount_start
    while start > 0 and narrative.text[start - 1] not in _SUBJECT_START and start not in narrative.after_heading:
        start -= 1
    return start


def _figures_at(text: str) -> dict[int, str]:
    """Key figure id by the position of the amount the text states for it."""
    at: dict[int, str] = {}
    for claim in claims():
        for match in claim.pattern.finditer(text):
            before = text[max(0, match.start() - 6) : match.start()]
            if not (claim.not_after and before.endswith(claim.not_after)):
                at.setdefault(match.start(1), claim.figure)
    return at
