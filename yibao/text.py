"""Small pure functions on printed text, shared by every stage."""

from __future__ import annotations

import re

# CJK ideographs, CJK symbols and punctuation (、。「」…), full-width forms (：，（）０-９).
_CJK_RANGES = (
    ("\u3000", "\u303f"),
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uf900", "\ufaff"),
    ("\uff00", "\uffef"),
)
_WHITE_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Remove all white space: wrapped Chinese text re-joins without gaps."""
    return _WHITE_SPACE.sub("", text)


def is_cjk(ch: str) -> bool:
    return any(lo <= ch <= hi for lo, hi in _CJK_RANGES)


def join_text(parts: list[str]) -> str:
    """Re-join text wrapped over several lines: Chinese, digits and '3526.' + '22' join without a
    gap; only a Latin word broken at a space ('Social' + 'Security') gets one back."""
    joined = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if joined and _is_latin(joined[-1]) and _is_latin(part[0]):
            joined += " "
        joined += part
    return joined


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalpha()
