"""Who published a document, for which year, and what kind of document it is.

Read from the text: the publishing body exactly as named (the most frequent full name of a
医疗保障局, with 本级 when the document says so), the fiscal year and kind from its titles
("2024年部门预算", "2024 年单位预算"), the administrative level from the name. A metadata file
(`<document>.meta.toml`) beside the document only overrides or adds.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from yibao.model import Metadata, SourceText
from yibao.reference import load_data
from yibao.text import squeeze

_PLACE = r"[\u4e00-\u9fff]{1,9}?(?:省|自治区|市|州|地区|盟|区|县|旗)"
BUREAU = re.compile(rf"((?:{_PLACE}){{1,3}}医疗保障局(?:本级)?|国家医疗保障局)")
TITLE = re.compile(r"(20\d{2})\s*年\s*(?:度\s*)?(部门|单位)?\s*(预算|决算)")
UNIT = re.compile(rf"((?:{_PLACE}){{1,3}}医疗(?:保障|保险)[\u4e00-\u9fff]{{0,6}}?(?:局本级|服务中心|中心|局))")


@cache
def _places() -> dict[str, Any]:
    return load_data("places.yml")


def infer(source: SourceText) -> Metadata:
    text = "\n".join(line.text for line in source.lines)
    flat = squeeze(text)
    bureau = _most_frequent(BUREAU.findall(flat))
    titles = TITLE.findall(text)
    year = _most_frequent([y for y, _, _ in titles])
    kind = _most_frequent([k for _, _, k in titles])
    scope_word = _most_frequent([s for _, s, _ in titles if s])
    metadata = Metadata(
        bureau=bureau,
        fiscal_year=int(year) if year else None,
        doc_type={"预算": "budget", "决算": "final_accounts"}.get(kind, ""),
        scope="unit" if scope_word == "单位" or bureau.endswith("本级") else ("department" if scope_word else ""),
    )
    metadata.admin_level = admin_level(bureau)
    metadata.region = region(bureau)
    metadata.units = sorted({u for u in UNIT.findall(flat) if u != bureau and _same_place(u, bureau)})
    return metadata


def _same_place(unit: str, bureau: str) -> bool:
    place = bureau.split("医疗")[0]
    return bool(place) and unit.startswith(place)


def _most_frequent(values: list[str]) -> str:
    """The most frequent value; ties go to the longest, then the first in sort order."""
    if not values:
        return ""
    counts = Counter(values)
    return sorted(counts, key=lambda v: (-counts[v], -len(v), v))[0]


def admin_level(bureau: str) -> str:
    if not bureau:
        return ""
    if bureau.startswith("国家"):
        return "national"
    place = bureau.split("医疗保障局")[0]
    places = _places()
    for municipality in places["municipalities"]:
        if place == municipality:
            return "province"
        if place.startswith(municipality):
            return "county"
    if place in places["provinces"]:
        return "province"
    if re.search(r"(区|县|旗|县级市)$", place) and re.search(r"(市|州|盟|地区).+", place):
        return "county"
    if re.search(r"(县|旗)$", place):
        return "county"
    if re.search(r"(市|州|盟|地区)$", place):
        return "prefecture"
    return ""


def region(bureau: str) -> str:
    for province in _places()["provinces"]:
        if bureau.startswith(province):
            return str(province)
    return ""


def apply_overrides(metadata: Metadata, overrides: dict[str, Any]) -> Metadata:
    for key, value in overrides.items():
        setattr(metadata, key, value)
    if "bureau" in overrides:
        metadata.admin_level = overrides.get("admin_level") or admin_level(metadata.bureau)
        metadata.region = overrides.get("region") or region(metadata.bureau) or metadata.region
    return metadata
