"""The metadata file beside a document (`<document>.meta.toml`): read and checked, field by field.

It only overrides or adds to what is read from the document itself (see `recognise.metadata`).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from yibao.model.errors import MetadataError

FIELDS: dict[str, type | tuple[type, ...]] = {
    "bureau": str, "fiscal_year": int, "doc_type": str, "scope": str, "admin_level": str,
    "region": str, "source_url": str, "published": (str, datetime.date), "title": str, "units": list,
}  # fmt: skip
TYPE_NAMES = {"published": "date (YYYY-MM-DD)"}

# Stated bounds: a plausible fiscal year or publication date of the People's Republic's budgets.
FIRST_YEAR, LAST_YEAR = 1949, 2100
MAX_TEXT = {"bureau": 100, "region": 100, "title": 300, "units": 100}
MAX_URL = 2000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# controls, line separators, bidirectional overrides, zero-width characters: never in a name
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
_URL_FORBIDDEN = re.compile("[\\s\"'<>`\\\\\x00-\x1f\x7f-\x9f]")


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
        expected = FIELDS[key]
        wrong = not isinstance(value, expected) or isinstance(value, (bool, datetime.datetime))
        if wrong:
            name = TYPE_NAMES.get(key) or getattr(expected, "__name__", str(expected))
            raise MetadataError("metadata.wrong_type", file=path.name, line=line, key=key, type=name)
        if key in ALLOWED and value not in ALLOWED[key]:
            raise MetadataError(
                "metadata.invalid_value", file=path.name, line=line, key=key, value=value, allowed=sorted(ALLOWED[key])
            )
        data[key] = checked(key, value, path.name, line)
    return data


def checked(key: str, value: Any, file: str, line: int) -> Any:
    """A value of the right type, checked for its form; returned as the build uses it."""
    if key == "fiscal_year":
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise MetadataError("metadata.bad_year", file=file, line=line, first=FIRST_YEAR, last=LAST_YEAR)
        return value
    if key == "published":
        return checked_date(value, file, line)
    if key == "source_url":
        return checked_url(value, file, line)
    if key == "units":
        return [checked_text(key, unit, file, line) for unit in value]
    if key in MAX_TEXT:
        return checked_text(key, value, file, line)
    return value


def checked_date(value: str | datetime.date, file: str, line: int) -> str:
    day: datetime.date | None = value if isinstance(value, datetime.date) else None
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise MetadataError("metadata.bad_date", file=file, line=line, first=FIRST_YEAR, last=LAST_YEAR)
    return day.isoformat()


def checked_url(value: str, file: str, line: int) -> str:
    url = value.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not host
        or "@" in parts.netloc
        or len(url) > MAX_URL
        or _URL_FORBIDDEN.search(url)
    ):
        raise MetadataError("metadata.bad_url", file=file, line=line)
    return url


def checked_text(key: str, value: Any, file: str, line: int) -> str:
    """A name or title: one line of visible text, not empty, not too long."""
    if not isinstance(value, str):
        raise MetadataError("metadata.wrong_type", file=file, line=line, key=key, type="str")
    text = value.strip()
    invisible = _INVISIBLE.search(text)
    if invisible:
        code = f"U+{ord(invisible.group(0)):04X}"
        raise MetadataError("metadata.text_invisible", file=file, line=line, key=key, char=code)
    if not text:
        raise MetadataError("metadata.text_empty", file=file, line=line, key=key)
    if len(text) > MAX_TEXT[key]:
        raise MetadataError("metadata.text_too_long", file=file, line=line, key=key, limit=MAX_TEXT[key])
    return text


def _line_of(raw: str, key: str) -> int:
    for number, line in enumerate(raw.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1
