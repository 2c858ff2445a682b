"""The message catalogue: every sentence the parser says to a person, in Chinese and English.

Messages live in `yibao/data/messages.yml` under a stable code; code asks for one by its code with
its parameters, and gets "中文 (English)". Problems and reader errors carry the code beside the
text, so that a test can tell that every code the package holds is described here.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from typing import Any

from yibao.reference import load_data


@dataclass(frozen=True)
class Message:
    code: str
    zh: str
    en: str

    def fields(self) -> set[str]:
        return {name for text in (self.zh, self.en) for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def catalogue() -> dict[str, Message]:
    entries = load_data("messages.yml")["messages"]
    return {code: Message(code, str(entry["zh"]), str(entry.get("en", ""))) for code, entry in entries.items()}


class Said(str):
    """A message's text that remembers its catalogue code: a Problem built from it carries the
    code without every caller naming it twice."""

    code: str

    def __new__(cls, text: str, code: str) -> Said:
        said = super().__new__(cls, text)
        said.code = code
        return said

    def __reduce__(self) -> tuple[Any, ...]:  # workers send problems back pickled
        return (Said, (str(self), self.code))


def say(code: str, **params: Any) -> str:
    """The message `code` with its parameters filled in: "中文 (English)" (or the Chinese alone,
    for the few messages that are formulas or have their English inside)."""
    message = catalogue()[code]
    missing = message.fields() - params.keys()
    if missing:
        raise KeyError(f"message {code} needs {sorted(missing)}")
    zh = message.zh.format(**params)
    return Said(f"{zh} ({message.en.format(**params)})" if message.en else zh, code)


class CodedError(Exception):
    """An error whose text comes from the catalogue; `code` says which message it is."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(say(code, **params))
