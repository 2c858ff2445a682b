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
        raise MetadataError(
            f"{path.name}：元数据文件不是 UTF-8 编码，请另存为 UTF-8 (metadata file is not UTF-8; save it as UTF-8)"
        ) from error
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError(f"{path.name}: TOML 格式错误 (malformed metadata file): {error}") from error
    for key, value in data.items():
        line = _line_of(raw, key)
        if key not in FIELDS:
            raise MetadataError(
                f"{path.name} 第 {line} 行：未知字段“{key}” (unknown field {key!r} at line {line}; "
                f"allowed: {', '.join(sorted(FIELDS))})"
            )
        if not isinstance(value, FIELDS[key]) or (FIELDS[key] is int and isinstance(value, bool)):
            raise MetadataError(
                f"{path.name} 第 {line} 行：字段“{key}”类型应为 {FIELDS[key].__name__} "
                f"(field {key!r} at line {line} must be a {FIELDS[key].__name__})"
            )
        if key in ALLOWED and value not in ALLOWED[key]:
            raise MetadataError(
                f"{path.name} 第 {line} 行：字段“{key}”的值“{value}”无效，可选 {sorted(ALLOWED[key])} "
                f"(invalid value {value!r} for {key!r} at line {line})"
            )
    return data


def _line_of(raw: str, key: str) -> int:
    for number, line in enumerate(raw.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1
