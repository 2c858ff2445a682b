"""Text from documents and file names as a terminal shows it: data, never control sequences.

A file name or a value read from a document can hold a newline (forging a line of output, or a
GitHub workflow command such as `::warning::`), an escape sequence (recolouring or clearing the
terminal, rewriting the title) or a bidirectional override (showing text in another order than
it is). `shown` writes every such character as a visible escape (`\\n`, `\\x1b`, `\\u202e`).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional embeddings/overrides/isolates,
# zero-width and BOM characters that hide what text is.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """`text` with every control or invisible formatting character written as an escape."""
    return _INVISIBLE.sub(_escape, "" if text is None else str(text))


def shown_lines(text: str) -> str:
    """A text of several lines of our own: each line's content shown, the line breaks kept."""
    return "\n".join(shown(line) for line in text.split("\n"))
