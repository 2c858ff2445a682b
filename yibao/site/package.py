"""Read a data package (datapackage.json + CSV) into plain rows for the site.

The site depends on the published package only, never on parser internals: what a reader can
download is exactly what the pages show. Rows stay dicts of strings; amounts are turned into
Decimal where they are used.
"""

from __future__ import annotations

import csv
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yibao.package.cells import from_cell

RESOURCE_NAMES = (
    "documents",
    "tables",
    "line_items",
    "key_figures",
    "projects",
    "performance_targets",
    "checks",
    "problems",
)

Row = dict[str, str]


def _sort_key(value: str) -> tuple[int, int | str]:
    """Numbers sort as numbers, text as text, so `row_no` 10 follows 9."""
    text = value.strip()
    if text.lstrip("-").isdigit():
        return (0, int(text))
    return (1, text)


def row_sort_key(row: Row, keys: list[str]) -> tuple[Any, ...]:
    return tuple(_sort_key(row.get(key, "")) for key in keys)


@dataclass
class SitePackage:
    """The data package as the site reads it."""

    package_dir: Path
    descriptor: dict[str, Any]
    resources: dict[str, list[Row]]
    resource_paths: dict[str, Path] = field(default_factory=dict)

    def rows(self, name: str) -> list[Row]:
        return self.resources.get(name, [])

    def by_doc(self, name: str) -> dict[str, list[Row]]:
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows(name):
            grouped[row.get("doc_id", "")].append(row)
        return grouped

    def documents(self) -> list[Row]:
        return self.rows("documents")

    def key_figures(self) -> dict[str, Row]:
        return {row.get("doc_id", ""): row for row in self.rows("key_figures")}

    def resource_descriptor(self, name: str) -> dict[str, Any]:
        for resource in self.descriptor.get("resources", []):
            if resource.get("name") == name:
                return dict(resource)
        return {}


def read_csv(path: Path) -> list[Row]:
    """Rows as written, with the package's formula escaping undone (`'=…` → `=…`): the pages
    show the text as printed, and the site's own CSVs escape it again."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [
            {key: from_cell(value or "") for key, value in row.items() if key is not None}
            for row in csv.DictReader(handle)
        ]


def _primary_key(resource: dict[str, Any]) -> list[str]:
    key = resource.get("schema", {}).get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def load_package(package_dir: Path) -> SitePackage:
    """Load every CSV resource named in datapackage.json, rows sorted by primary key."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources: dict[str, list[Row]] = {}
    paths: dict[str, Path] = {}
    for resource in descriptor.get("resources", []):
        name = resource.get("name", "")
        relative = resource.get("path", "")
        if not name or not isinstance(relative, str) or not relative.endswith(".csv"):
            continue
        path = package_dir / relative
        if not path.is_file():
            continue
        rows = read_csv(path)
        key = _primary_key(resource)
        if key:
            rows.sort(key=functools.partial(row_sort_key, keys=key))
        resources[name] = rows
        paths[name] = path
    return SitePackage(package_dir, descriptor, resources, paths)
