"""Words and lines of text from characters: the text outside the tables, and each cell's text.

pdfplumber groups characters into words; here words become lines in reading order, and a cell's
characters become its text with wrapped lines joined back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yibao.text import is_cjk, join_text

X_TOLERANCE = 3.0  # pt: a wider gap between two characters is a word break (pdfplumber's default)
Y_TOLERANCE = 3.0  # pt: characters whose tops differ by less are on one line (pdfplumber's default)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Word:
    """A word as pdfplumber groups it: its text and box (PDF points, top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Placed:
    """A finished line and where it starts on the page, to interleave text and table rows."""

    top: float
    x0: float
    text: str


def as_word(word: dict[str, Any]) -> Word:
    text = _SPACES.sub(" ", str(word["text"])).strip()
    return Word(
        text,
        float(word["x0"]),
        float(word["x1"]),
        float(word["top"]),
        float(word["bottom"]),
    )


def cell_text(cell: str | None) -> str:
    """A cell's wrapped lines joined back together; no tabs or line breaks survive."""
    if not cell:
        return ""
    parts = [_SPACES.sub(" ", part).strip() for part in cell.split("\n")]
    return join_text([p for p in parts if p])


def chars_text(chars: list[dict[str, Any]]) -> str:
    """A cell's characters → its text: lines by their top, words split at spaces and gaps wider
    than X_TOLERANCE (as pdfplumber's `extract_text` does), wrapped lines joined (`cell_text`)."""
    if not chars:
        return ""
    lines: list[list[dict[str, Any]]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and char["top"] - lines[-1][0]["top"] <= Y_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    return cell_text("\n".join(_line_text(line) for line in lines))


def _line_text(chars: list[dict[str, Any]]) -> str:
    text = ""
    previous_x1: float | None = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        ch = str(char.get("text", ""))
        if previous_x1 is not None and char["x0"] > previous_x1 + X_TOLERANCE:
            text += " "
        text += ch
        previous_x1 = float(char["x1"])
    return text


def text_lines(words: list[Word]) -> list[Placed]:
    """Words → lines: a word joins a line when its vertical middle lies within the line's first
    word (so a 16 pt title and 10 pt text on one baseline stay one line)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):  # only the last few lines can still be open
            first = line[0]
            if first.top <= middle <= first.bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    placed = []
    for line in lines:
        ordered = sorted(line, key=lambda w: w.x0)
        placed.append(Placed(min(w.top for w in ordered), ordered[0].x0, join_words(ordered)))
    return placed


def join_words(words: list[Word]) -> str:
    """Words of one line (left to right) → text with single spaces between words.

    pdfplumber splits words at gaps wider than 3 pt, which breaks letter-spaced or justified
    Chinese ('部 门 预 算'); between two CJK characters a gap under half the character height is
    letter spacing, not a word break. Wider gaps (table columns printed without rules) stay spaces.
    """
    text = ""
    previous: Word | None = None
    for word in words:
        if previous is not None:
            gap = word.x0 - previous.x1
            height = min(word.bottom - word.top, previous.bottom - previous.top)
            if not (is_cjk(previous.text[-1]) and is_cjk(word.text[0]) and gap < 0.5 * height):
                text += " "
        text += word.text
        previous = word
    return text


def dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """The characters without the copies some budget systems print to fake bold ('部部门门'):
    same text, font and size within `tolerance` pt in both directions; the first copy (by
    position) stays, in the page's order. pdfplumber's `dedupe_chars` does the same, but puts
    them back in order with `list.index`, quadratic in the characters of the page (2.5 s on a
    page of 3,500)."""

    def key(i: int) -> tuple[object, ...]:
        c = chars[i]
        return (c.get("upright"), c.get("text"), c.get("fontname"), c.get("size"))

    keep: list[int] = []
    groups: dict[tuple[object, ...], list[int]] = {}
    for i in range(len(chars)):
        groups.setdefault(key(i), []).append(i)
    for members in groups.values():
        for line in _chain(members, lambda i: float(chars[i]["doctop"]), tolerance):
            for copies in _chain(line, lambda i: float(chars[i]["x0"]), tolerance):
                keep.append(min(copies, key=lambda i: (chars[i]["doctop"], chars[i]["x0"], i)))
    return [chars[i] for i in sorted(keep)]


def _chain(members: list[int], value: Any, tolerance: float) -> list[list[int]]:
    """Members in groups whose sorted values are each within `tolerance` of the previous one."""
    ordered = sorted(members, key=value)
    groups: list[list[int]] = []
    last = 0.0
    for i in ordered:
        v = value(i)
        if groups and v <= last + tolerance:
            groups[-1].append(i)
        else:
            groups.append([i])
        last = v
    return groups
