"""The narrative (情况说明) as one string, each character's page and line remembered.

Sentences wrap across lines (and pages), so patterns are matched on the text with all white
space removed; a match is traced back to the page and line of its first character. Table rows
(lines with cells, or lines a table's rows were read from) are left out: a project named
"政府采购平台运维" is not a sentence about 政府采购.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from yibao.model import Line
from yibao.reference import load_data
from yibao.text import squeeze

SENTENCE_END = "。；;！!？?"
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
    return re.compile(str(load_data("narrative.yml")["heading"]))
