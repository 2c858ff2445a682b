"""Who published a document, for which year, and what kind of document it is — for any body.

Read from the document, never from its file name, in this order of trust:

1. the cover: the first lines of page 1 up to the document's own kind phrase ("2024年度部门决算",
   "2026年单位预算"): the name printed before it, the year, 预算/决算 and 部门/单位;
2. labelled fields ("预算主管部门：…", "预算单位：…", a table's "部门：…" / "部门名称 …"), for
   documents without a cover (a file of tables only);
3. the table titles ("2026年部门收支总体情况表", "预算01表"), then the years the text mentions.

The administrative level comes from the place the name starts with. 本级 versus 汇总 (a department
consolidating its units' budgets) comes from what the document says about its units. The words
live in `data/bodies.yml`. A metadata file (`<document>.meta.toml`) beside the document only
overrides or adds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from yibao.model import Line, Metadata, SourceText
from yibao.recognise.titles import Segment, find_segments, match_title
from yibao.reference import load_data, vocabulary
from yibao.text import squeeze

WORDS = vocabulary("metadata")
_PLACE = WORDS.word("place")
PLACE = re.compile(rf"^(?:{WORDS.word('party')})?((?:{_PLACE}){{1,3}})")
UNIT = re.compile(rf"((?:{_PLACE}){{1,3}}{WORDS.word('medical_body')})")
_COVER_LINES = 8  # a cover is a few short lines


@cache
def _places() -> dict[str, Any]:
    return load_data("places.yml")


@cache
def _words() -> dict[str, Any]:
    return load_data("bodies.yml")


@cache
def _cover_phrase() -> re.Pattern[str]:
    return re.compile(_words()["cover_phrase"])


@cache
def _year() -> re.Pattern[str]:
    return re.compile(_words()["year"])


@cache
def _label_pattern() -> re.Pattern[str]:
    labels = sorted((entry["label"] for entry in _words()["labels"]), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, labels))
    # "部门：X", "部门： X", or a label cell followed by the value cell ("部门名称\t\tX")
    return re.compile(rf"({alternatives}){WORDS.word('label_value')}")


@dataclass(frozen=True)
class CoverReading:
    body: str = ""
    year: int | None = None
    kind: str = ""
    scope: str = ""


def infer(source: SourceText, segments: list[Segment] | None = None) -> Metadata:
    """The metadata the text says; `segments`, its tables as found (`find_segments`), when the
    caller has them."""
    lines = source.lines
    cover = read_cover(cover_text(lines))
    labelled = labelled_bodies(lines)
    titles = title_readings(segments if segments is not None else find_segments(source))
    labelled = [(_full_name(name, lines), scope) for name, scope in labelled]
    body = formal_name(cover.body or _most_frequent([name for name, _ in labelled]) or _most_named(lines))
    label_scope = next((scope for name, scope in labelled if name == body), "")
    metadata = Metadata(
        bureau=body,
        fiscal_year=cover.year or _most_frequent_int([y for y, _, _ in titles]) or _mentioned_year(lines),
        doc_type=cover.kind or _most_frequent([k for _, k, _ in titles if k]) or _kind_from_text(lines),
        scope=cover.scope or label_scope or _most_frequent([s for _, _, s in titles if s]),
    )
    metadata.admin_level = admin_level(body)
    metadata.region = region(body)
    metadata.consolidated = consolidated(body, metadata.scope, lines)
    metadata.units = sorted({u for u in UNIT.findall(squeeze(_text(lines))) if u != body and _same_place(u, body)})
    return metadata


def _text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def cover_text(lines: list[Line]) -> str:
    """The first lines of page 1, up to the contents, the first table row or the first title."""
    first_page = lines[0].page if lines else 1
    kept: list[str] = []
    for line in lines[:_COVER_LINES]:
        squeezed = squeeze(line.text)
        if (
            line.page != first_page
            or "\t" in line.text
            or squeezed in WORDS.words("contents")
            or match_title(line.text)
        ):
            break
        kept.append(squeezed)
    return "".join(kept)


def read_cover(cover: str) -> CoverReading:
    """The body, year, kind and scope a cover names: "某市某区财政局2024年度部门决算"."""
    found = _cover_phrase().search(cover)
    if found is None:
        return CoverReading()
    scope_word, _, kind_word = found.groups()
    before = cover[: found.start()]
    years = [int(y) for y in _year().findall(before)] or [int(y) for y in _year().findall(cover[found.end() :][:12])]
    return CoverReading(
        body=body_name(_year().sub("", before).rstrip(WORDS.word("year_word"))),
        year=years[0] if years else None,
        kind=_words()["kinds"][kind_word],
        scope=_words()["scopes"][scope_word],
    )


def body_name(text: str) -> str:
    """The body's name in a piece of cover text, or "" when it names none ("某市某区")."""
    own = re.compile(_words()["own_suffix"] + "$")
    name = text
    for _ in range(2):  # "某市医疗保障局部门": the kind's 部门 / 单位 printed twice
        if own.search(name):
            return name if _ends_as_body(own.sub("", name)) else ""
        if _ends_as_body(name):
            return name
        name = re.sub(WORDS.word("scope_suffix"), "", name)
    return ""


def formal_name(name: str) -> str:
    """A Party organ's formal name: "江苏省委办公厅" → "中共江苏省委办公厅"."""
    if re.match(WORDS.word("party_organ"), name) and not re.match(WORDS.word("not_party"), name):
        return WORDS.word("party") + name
    return name


def _ends_as_body(name: str) -> bool:
    return len(name) >= 3 and any(name.endswith(ending) for ending in _words()["name_endings"])


@cache
def _named_body() -> re.Pattern[str]:
    endings = "|".join(map(re.escape, sorted(_words()["name_endings"], key=len, reverse=True)))
    # a name starts a line or follows a number or punctuation, never inside a run of text
    first = WORDS.word("first_place")
    return re.compile(
        rf"(?<![\u4e00-\u9fff])(?:{WORDS.word('party')})?{first}(?:{_PLACE}){{0,2}}[\u4e00-\u9fff]{{0,12}}?(?:{endings})"
        rf"(?:{WORDS.word('own_level')}|{_words()['own_suffix']})?"
    )


def _names(lines: list[Line]) -> list[str]:
    return [name for line in lines for name in _named_body().findall(squeeze(line.text))]


def _most_named(lines: list[Line]) -> str:
    """The body the text names most often, for a text with neither cover nor labels (a document
    that opens with its tables: "447001某区医疗保障局本级 预算年度：2024")."""
    return _most_frequent(_names(lines))


def _full_name(name: str, lines: list[Line]) -> str:
    """A label may shorten the name ("部门：省医疗保障局"): the full name the text also prints."""
    if PLACE.match(name):  # it names its place: it is the full name
        return name
    longer = [n for n in _names(lines) if n.endswith(name) and n != name]
    return _most_frequent(longer) or name


def labelled_bodies(lines: list[Line]) -> list[tuple[str, str]]:
    """(name, scope the label implies) for every labelled field naming a body, in printed order."""
    scopes = {entry["label"]: entry["scope"] for entry in _words()["labels"]}
    rejects = [re.compile(p) for p in _words()["label_reject"]]
    found: list[tuple[str, str]] = []
    for line in lines:
        for label, value in _label_pattern().findall(line.text):
            value = re.split(WORDS.word("unit_label"), value)[0]
            if any(p.search(value) for p in rejects):
                continue
            name = body_name(value)
            if name:
                found.append((name, scopes[label]))
    return found


def title_readings(segments: list[Segment]) -> list[tuple[int | None, str, str]]:
    """(year, kind, scope) of every table title: "2026年预算单位财务收支预算总表" → 2026, budget, unit."""
    readings: list[tuple[int | None, str, str]] = []
    for segment in segments:
        squeezed = segment.title
        year = _year().search(squeezed)
        kinds = [k for word, k in _words()["kinds"].items() if word in squeezed]
        scope = next((s for word, s in _words()["scopes"].items() if word in squeezed), "")
        readings.append((int(year.group(1)) if year else None, kinds[-1] if kinds else "", scope))
    return readings


def _mentioned_year(lines: list[Line]) -> int | None:
    """The year the text mentions most ("2026年度…"), for a file of tables without a dated title."""
    return _most_frequent_int([int(y) for y in _year().findall(squeeze(_text(lines)))])


def _kind_from_text(lines: list[Line]) -> str:
    text = _text(lines)
    counts = {kind: text.count(word) for word, kind in _words()["kinds"].items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ""


def consolidated(body: str, scope: str, lines: list[Line]) -> bool:
    """A 部门 document consolidates its units' budgets (汇总) unless it says it covers the body
    itself only (本级): a 单位 document never consolidates."""
    if scope != "department" or re.search(_words()["own_suffix"] + "$", body):
        return False
    text = squeeze(_text(lines))
    if any(re.search(pattern, text) for pattern in _words()["own_only"]):
        return False
    merged = len(re.findall(_words()["merged_unit"], text))
    counted = re.search(_words()["unit_counts"], text)
    if counted is not None:
        return sum(int(n) for n in re.findall(WORDS.word("unit_count"), counted.group(1))) - merged > 1
    listed = re.search(_words()["unit_list"], text)
    if listed is not None:
        after = text[listed.end() : listed.end() + 400]
        entries = (
            int(listed.group(1) or 0)
            or _numbered(after)
            or len(after.split(WORDS.word("full_stop"))[0].split(WORDS.word("enumeration_comma")))
        )
        return entries - merged > 1
    return True


def _numbered(text: str) -> int:
    """How many entries a numbered list has: "1某市…2某市…3某市…" → 3."""
    count, position = 0, 0
    while True:
        found = re.compile(rf"(?<!\d){count + 1}(?=[\u4e00-\u9fff])").search(text, position)
        if found is None:
            return count
        count, position = count + 1, found.end()


def _same_place(unit: str, bureau: str) -> bool:
    place = bureau.split(WORDS.word("medical"))[0]
    return bool(place) and unit.startswith(place)


def _most_frequent(values: list[str]) -> str:
    """The most frequent value; ties go to the longest, then the first in sort order."""
    if not values:
        return ""
    counts = Counter(values)
    return sorted(counts, key=lambda v: (-counts[v], -len(v), v))[0]


def _most_frequent_int(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    counts = Counter(known)
    return sorted(counts, key=lambda v: (-counts[v], -v))[0]


def admin_level(bureau: str) -> str:
    """national | province | prefecture | county, from the place the name starts with."""
    if not bureau:
        return ""
    if any(re.search(p, bureau) for p in _words()["levels"]["national"]):
        return "national"
    found = PLACE.match(bureau)
    if found is None:
        return ""
    place = found.group(1)
    places = _places()
    for municipality in places["municipalities"]:
        if place == municipality:
            return "province"
        if place.startswith(municipality):
            return "county"
    if place in places["provinces"]:
        return "province"
    if re.search(WORDS.word("county_kinds"), place) and re.search(WORDS.word("prefecture_before"), place):
        return "county"
    if re.search(WORDS.word("county_end"), place):
        return "county"
    if re.search(WORDS.word("prefecture_end"), place):
        return "prefecture"
    return ""


def region(bureau: str) -> str:
    name = re.sub(WORDS.word("party_prefix"), "", bureau)
    for province in _places()["provinces"]:
        if name.startswith(province):
            return str(province)
    return ""


def apply_overrides(metadata: Metadata, overrides: dict[str, Any]) -> Metadata:
    for key, value in overrides.items():
        setattr(metadata, key, value)
    if "bureau" in overrides:
        metadata.admin_level = overrides.get("admin_level") or admin_level(metadata.bureau)
        metadata.region = overrides.get("region") or region(metadata.bureau) or metadata.region
    return metadata
