"""Small pure functions on printed text, shared by every stage."""

from __future__ import annotations

import re

# CJK ideographs, CJK symbols and punctuation (、。「」…), full-width forms (：，（）０-９).
_CJK_RANGES = (
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)
_WHITE_SPACE = re.compile(r"\s+")
_CJK_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
_CJK_GAP = re.compile(f"(?<=[{_CJK_CLASS}])\\s+(?=[{_CJK_CLASS}])")


def squeeze(text: str) -> str:
    """Remove all white space: wrapped Chinese text re-joins without gaps."""
    return _WHITE_SPACE.sub("", text)


def is_cjk(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _CJK_RANGES)


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


def close_cjk_gaps(text: str) -> str:
    """Remove the white space between two Chinese characters: a letter-spaced cell (因 公 出 国 （ 境 ）
    费用, spread to fill its width) is one name, and a Latin word keeps its spaces."""
    return _CJK_GAP.sub("", text)


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalpha()
