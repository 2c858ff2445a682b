"""Untrusted text (file names, values read from documents) in CI output: always data, never markup
or commands. Standard library only.

- `shown`: for a terminal and the job log, every control, escape or bidirectional-override
  character written as a visible escape (`\\n`, `\\x1b`, `\\u202e`): a file name holding a newline
  and `::warning …::` cannot start a line, so it cannot forge a workflow command.
- `md_text`, `md_code`, `md_fence`: for a job summary (GitHub Markdown): the characters that
  can start markup within a line as character references (no link, image, emphasis, table cell
  or HTML can form), code as a plain code span only when nothing in it can end one (else
  `<code>` with its content escaped: a backtick in a name cannot end it), blocks fenced longer
  than any backtick run inside them.
- `command_data`, `command_property`: the escaping GitHub's runner expects inside workflow
  commands (`::error file=…::message`).
- `untrusted_output`: `::stop-commands::` around output that holds untrusted text, so the
  runner does not read commands from it at all (the documented mechanism); our own annotations
  are printed after it.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# what can start markup in the middle of a line of GitHub Markdown (a value never starts a line:
# it follows "| " in a table, or our own words): code, emphasis, strike-through, links, images,
# HTML, entities, table cells, autolinks, mentions, references, math (an underscore inside a
# word, as in check ids, emphasises nothing and stays)
_MARKUP = frozenset("\\`*~[]<>&|:@#$!")
_PLAIN_CODE = re.compile(r"[^`|\s\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    return _INVISIBLE.sub(_escape, "" if text is None else str(text))


def md_text(text: object) -> str:
    """Text safe anywhere in GitHub Markdown, a table cell included; one line."""
    return "".join(f"&#{ord(c)};" if c in _MARKUP else c for c in shown(text))


def md_code(text: object) -> str:
    """Text shown as inline code, whatever it holds: a code span when nothing in it can end one
    (no backtick, no `|`, no space or control character), else `<code>` with it escaped."""
    value = "" if text is None else str(text)
    if _PLAIN_CODE.fullmatch(value):
        return f"`{value}`"
    return f"<code>{md_text(value)}</code>"


def md_fence(text: str, info: str = "text") -> list[str]:
    """A fenced code block holding `text` as it is (control characters shown)."""
    lines = [shown(line) for line in text.split("\n")]
    longest = max((len(run) for run in re.findall(r"`+", "\n".join(lines))), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *lines, fence]


def command_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text: str) -> str:
    return command_data(text).replace(":", "%3A").replace(",", "%2C")


def on_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


@contextmanager
def untrusted_output() -> Iterator[None]:
    """On GitHub Actions, no workflow command is read from what is printed inside."""
    if not on_github():
        yield
        return
    token = secrets.token_hex(16)
    sys.stdout.flush()
    print(f"::stop-commands::{token}", flush=True)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        print(f"::{token}::", flush=True)
