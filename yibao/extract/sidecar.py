"""The metadata file beside a document (`<document>.meta.toml`): read and checked, field by field.

It only overrides or adds to what is read from the document itself (see `recognise.metadata`).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from yibao.model.errors import MetadataError

FIELDS = {
    "bureau": str, "fiscal_year": int, "doc_type": str, "scope": str, "admin_level": str,
    "region": str, "source_url": str, "published": str, "title": str, "units": list,
}  # fmt: skip


ALLOWED = {
    "doc_type": {"budget", "final_accounts"},
    "scope": {"department", "unit"},
    "admin_level": {"national", "province", "prefecture", "county"},
}


def metadata_file(document: Path) -> Path:
    return document.with_name(document.stem + ".meta.toml")


def read_overrides(path: Path) -> dict[str, Any]:
    """Read and check a metadata file; errors name the file and the line."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise MetadataError("metadata.not_utf8", file=path.name) from error
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError("metadata.malformed", file=path.name, error=error) from error
    for key, value in data.items():
        line = _line_of(raw, key)
        if key not in FIELDS:
            raise MetadataError(
                "metadata.unknown_field", file=path.name, line=line, key=key, allowed=", ".join(sorted(FIELDS))
            )
        if not isinstance(value, FIELDS[key]) or (FIELDS[key] is int and isinstance(value, bool)):
            raise MetadataError("metadata.wrong_type", file=path.name, line=line, key=key, type=FIELDS[key].__name__)
        if key in ALLOWED and value not in ALLOWED[key]:
            raise MetadataError(
                "metadata.invalid_value", file=path.name, line=line, key=key, value=value, allowed=sorted(ALLOWED[key])
            )
    return data


def _line_of(raw: str, key: str) -> int:
    for number, line in enumerate(raw.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1
