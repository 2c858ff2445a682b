"""Names as a reader should see and search them: row names without page-break header text,
and the short forms people type for a bureau (医保局 for 医疗保障局, with or without 市/省/区).

Words come from yibao/data/site.yml.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .package import Row

DATA = Path(__file__).resolve().parents[1] / "data" / "site.yml"
PLACES = Path(__file__).resolve().parents[1] / "data" / "places.yml"
DIVISION = re.compile(r"(?<=[\u3400-\u9fff])(?:特别行政区|自治区|自治州|自治县|地区|盟|省|市|区|县|旗)")


@cache
def site_data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


def polluted(name: str) -> bool:
    """Whether a row name holds header words a page break left in it."""
    words = site_data()["polluted_name_words"]
    body = re.sub(site_data()["name_enumerator"], "", name.strip())
    if any(word in body for word in words["anywhere"]):
        return True
    return any(word in body[1:] for word in words["inside"])


def clean_names(line_items: list[Row]) -> dict[tuple[str, str], str]:
    """(doc_id, code) → the name to show where the printed name is polluted: the name the same
    code has in another table of the document, else in other documents (most common); absent
    when no clean name is known (the template then cuts the name before the header words)."""
    in_document: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    anywhere: dict[str, Counter[str]] = defaultdict(Counter)
    wanted: set[tuple[str, str]] = set()
    for row in line_items:
        code, name = row.get("code", "").strip(), row.get("name", "")
        if not code:
            continue
        if polluted(name):
            wanted.add((row.get("doc_id", ""), code))
            continue
        in_document[(row.get("doc_id", ""), code)][name] += 1
        anywhere[code][name] += 1
    chosen = {}
    for key in sorted(wanted):
        counts = in_document.get(key) or anywhere.get(key[1])
        if counts:
            chosen[key] = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[0][0]
    return chosen


def cut_polluted(name: str) -> str:
    """A polluted name without a known clean form: the part before the first header word."""
    words = site_data()["polluted_name_words"]
    positions = [name.find(word) for word in words["anywhere"] if word in name]
    positions += [name.find(word, 1) for word in words["inside"] if name.find(word, 1) > 0]
    cut = min(positions) if positions else len(name)
    return (name[:cut].rstrip() or name) + "…"


def shown_name(row: Row, clean: dict[tuple[str, str], str]) -> str:
    name = row.get("name", "")
    if not polluted(name):
        return name
    return clean.get((row.get("doc_id", ""), row.get("code", "").strip())) or cut_polluted(name)


def place_forms(place: str) -> list[str]:
    """'甲市' → ['甲市', '甲']; '甲市乙区' → ['甲市乙区', '甲乙', '乙区', '乙']."""
    forms = [place]
    bare = DIVISION.sub("", place)
    if bare and bare != place:
        forms.append(bare)
    parts = [part for part in re.split(r"(?<=省|市|州|盟)", place) if part]
    if len(parts) > 1:
        forms += [parts[-1], DIVISION.sub("", parts[-1])]
    return [form for form in dict.fromkeys(forms) if len(form) >= 2]


def bureau_aliases(name: str) -> list[str]:
    """The names people type for a bureau, its own name first."""
    aliases = [name]
    for entry in site_data()["bureau_aliases"]:
        long = entry["long"]
        if long not in name:
            continue
        place, _, rest = name.partition(long)
        for form in place_forms(place) if place else [""]:
            for short in entry["short"]:
                aliases.append(f"{form}{short}{rest}")
                if rest:
                    aliases.append(f"{form}{short}")
    return list(dict.fromkeys(alias for alias in aliases if alias))


@cache
def provinces() -> tuple[str, ...]:
    loaded: dict[str, Any] = yaml.safe_load(PLACES.read_text(encoding="utf-8"))
    return tuple(sorted(loaded.get("provinces", []), key=len, reverse=True))


def province_of(region: str, name: str = "") -> str:
    """The provincial-level division a region (or else a bureau name) starts with; '' if none."""
    for text in (region, name):
        for province in provinces():
            if text.startswith(province):
                return province
    return ""
