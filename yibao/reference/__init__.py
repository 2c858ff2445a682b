"""Reference data loaded once from yibao/data/*.yml (table titles, header words, codes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parents[1] / "data"


# libyaml's loader when PyYAML was built with it: the same data, several times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(name: str) -> dict[str, Any]:
    """One reference file of yibao/data/ (YAML)."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=_LOADER)
    return loaded


@dataclass(frozen=True)
class TableKind:
    table_id: str
    kind: str  # classified | summary | three_public | projects | performance
    classification: str
    patterns: tuple[re.Pattern[str], ...]


@cache
def table_kinds() -> tuple[TableKind, ...]:
    return tuple(
        TableKind(
            table_id=entry["id"],
            kind=entry["kind"],
            classification=entry.get("classification", ""),
            patterns=tuple(re.compile(p) for p in entry["patterns"]),
        )
        for entry in load_data("tables.yml")["tables"]
    )


@cache
def table_settings() -> dict[str, Any]:
    return load_data("tables.yml")


@cache
def compiled(key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in table_settings()[key])


@cache
def measures() -> dict[str, Any]:
    return load_data("measures.yml")


@cache
def classifications() -> dict[str, Any]:
    return load_data("classifications.yml")


@cache
def function_class_codes() -> dict[str, str]:
    """Standard 类 name → code, for summary tables that print names only."""
    data = classifications()
    by_name = {name: code for code, name in data["function_classes"].items()}
    by_name.update(data.get("function_class_aliases", {}))
    return by_name


@cache
def economic_codes(family: str) -> dict[str, str]:
    """Code → name for one economic family: `economic` (部门, 3xx) or `government_economic` (5xx)."""
    return {str(code): name for code, name in classifications()[family].items()}


def _checked_entry(source: str, key: str, value: Any) -> None:
    """An entry of a vocabulary file is a word, a list of words or a table of words."""
    if isinstance(value, str):
        return
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return
    if isinstance(value, dict) and all(
        isinstance(k, str) and (isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v)))
        for k, v in value.items()
    ):
        return
    raise ValueError(f"{source}: {key} must be a word, a list of words or a table of words, not {value!r}")


@dataclass(frozen=True)
class Vocabulary:
    """The Chinese words one part of the parser reads by: the `words` section of one
    yibao/data/*.yml file, each entry under an English id. Every entry is checked when the file is
    loaded; each accessor says the type its caller gets, and fails on an entry of another type."""

    source: str
    entries: dict[str, Any]

    def _entry(self, key: str, kind: type) -> Any:
        try:
            value = self.entries[key]
        except KeyError:
            raise KeyError(f"{self.source}: no word {key!r}") from None
        if not isinstance(value, kind):
            raise TypeError(f"{self.source}: {key} is a {type(value).__name__}, not a {kind.__name__}")
        return value

    def word(self, key: str) -> str:
        """One word (or text, or regular-expression fragment)."""
        return str(self._entry(key, str))

    def words(self, key: str) -> tuple[str, ...]:
        """A list of words, in the order the file gives them."""
        return tuple(self._entry(key, list))

    def table(self, key: str) -> dict[str, Any]:
        """A table of words: word → word (or list of words)."""
        return dict(self._entry(key, dict))

    def pattern(self, key: str, flags: int = 0) -> re.Pattern[str]:
        """A regular expression, compiled once."""
        return _pattern(self.word(key), flags)


@cache
def _pattern(text: str, flags: int) -> re.Pattern[str]:
    return re.compile(text, flags)


@cache
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary of yibao/data/<name>.yml (its `words` section), loaded and checked once."""
    source = f"{name}.yml"
    entries = load_data(source)["words"]
    if not isinstance(entries, dict):
        raise ValueError(f"{source}: `words` must be a table")
    for key, value in entries.items():
        _checked_entry(source, key, value)
    return Vocabulary(source, entries)
