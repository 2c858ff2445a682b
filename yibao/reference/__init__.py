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
