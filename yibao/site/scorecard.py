"""The disclosure scorecard and last year's figures as the site shows them.

Reads the package's `scorecard`, `stated_changes` and `line_items` rows (strings) and the
scorecard's own reference data (yibao/data/scorecard.yml: criteria in their order, source rules).
A criterion is shown with its outcome, the detail and the evidence with its page; a document's
summary is "N / M 项符合" (criteria met out of those assessed) next to the list, never alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from .formatting import format_amount, one_line, to_decimal
from .package import Row, row_sort_key

OUTCOME_ORDER = ("not_met", "met", "not_assessed", "not_applicable")
# Outcome → (mark, 中文, English). The mark is a character, never colour alone.
OUTCOME_MARKS: dict[str, tuple[str, str, str]] = {
    "met": ("✓", "符合", "met"),
    "not_met": ("✗", "不符合", "not met"),
    "not_assessed": ("?", "未评估", "not assessed"),
    "not_applicable": ("–", "不适用", "not applicable"),
}
GROUP_LABELS: dict[str, tuple[str, str]] = {
    "completeness": ("完整性", "completeness"),
    "detail": ("细化程度", "detail"),
    "explanation": ("情况说明", "explanations"),
    "consistency": ("一致性", "consistency"),
    "form": ("公开形式", "form"),
}
EVIDENCE_LIMIT = 140  # characters of a quoted sentence; the whole sentence is in scorecard.csv
# "中文 (English …)": the English part starts with a Latin letter and may quote Chinese names.
_BILINGUAL = re.compile(r"^(?P<zh>.*?\S)\s+\((?P<en>[A-Za-z][^()]*(?:\([^()]*\)[^()]*)*)\)$")


@cache
def scorecard_reference() -> dict[str, Any]:
    """yibao/data/scorecard.yml, or nothing where the reference data is unavailable."""
    try:
        from yibao.reference import load_data

        return load_data("scorecard.yml") or {}
    except Exception:  # the parser's reference data is optional for the site
        return {}


@cache
def pass_through_reference() -> dict[str, str]:
    """The 款 codes counted as pass-through funds (yibao/data/pass_through.yml)."""
    try:
        from yibao.reference import load_data

        loaded = load_data("pass_through.yml") or {}
    except Exception:
        return {}
    return {str(code): str(name) for code, name in (loaded.get("pass_through") or {}).items()}


def split_bilingual(text: str) -> tuple[str, str]:
    """'空表，并有说明 (printed empty, with an explanation)' → (Chinese, English)."""
    cleaned = one_line(text)
    match = _BILINGUAL.match(cleaned)
    if match and re.search(r"[\u3400-\u9fff]", match["zh"]):
        return match["zh"], match["en"]
    return cleaned, ""


def shorten(text: str, limit: int = EVIDENCE_LIMIT) -> str:
    cleaned = one_line(text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


# ---------------------------------------------------------------- scorecard


@dataclass(frozen=True)
class ScoreItem:
    """One row of scorecard.csv: a criterion on one document, or on one table of it."""

    item: str
    outcome: str
    detail_zh: str
    detail_en: str
    table: str
    page: str
    evidence: str
    part: str = ""  # a document of several files: the file `page` is in


@dataclass
class CriterionView:
    criterion: str
    group: str
    zh: str
    en: str
    rule: str
    items: list[ScoreItem] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """Not met when any item is not met; met when the others are met or not applicable."""
        outcomes = {item.outcome for item in self.items}
        for outcome in OUTCOME_ORDER:
            if outcome in outcomes:
                return outcome
        return "not_assessed"

    @property
    def per_table(self) -> bool:
        return any(item.item for item in self.items)

    @property
    def shown_items(self) -> list[ScoreItem]:
        """Per-table items worth a line: met, not met, not assessed. Tables for which the
        criterion does not apply are counted in `skipped`, not listed one by one."""
        return [item for item in self.items if item.outcome != "not_applicable" or not self.per_table]

    @property
    def skipped(self) -> list[ScoreItem]:
        return [item for item in self.items if item.outcome == "not_applicable"] if self.per_table else []


@dataclass
class Scorecard:
    criteria: list[CriterionView]

    @property
    def met(self) -> int:
        return sum(1 for c in self.criteria if c.outcome == "met")

    @property
    def assessed(self) -> int:
        return sum(1 for c in self.criteria if c.outcome in ("met", "not_met"))

    @property
    def not_assessed(self) -> int:
        return sum(1 for c in self.criteria if c.outcome == "not_assessed")

    def __bool__(self) -> bool:
        return bool(self.criteria)


def criterion_order() -> dict[str, int]:
    return {str(entry.get("id", "")): n for n, entry in enumerate(scorecard_reference().get("criteria") or [])}


def document_scorecard(rows: list[Row]) -> Scorecard:
    """A document's scorecard rows → criteria in the order of scorecard.yml (unknown ones last)."""
    order = criterion_order()
    by_criterion: dict[str, CriterionView] = {}
    for row in sorted(rows, key=lambda r: row_sort_key(r, ["criterion", "item"])):
        criterion = row.get("criterion", "")
        view = by_criterion.setdefault(
            criterion,
            CriterionView(
                criterion=criterion,
                group=row.get("group", ""),
                zh=row.get("criterion_zh", ""),
                en=row.get("criterion_en", ""),
                rule=row.get("rule", ""),
            ),
        )
        zh, en = split_bilingual(row.get("detail", ""))
        view.items.append(
            ScoreItem(
                item=row.get("item", ""),
                outcome=row.get("outcome", ""),
                detail_zh=zh,
                detail_en=en,
                table=row.get("table", ""),
                page=row.get("page", ""),
                evidence=shorten(row.get("evidence", "")),
                part=row.get("source_file", ""),
            )
        )
    ordered = sorted(by_criterion.values(), key=lambda c: (order.get(c.criterion, len(order)), c.criterion))
    tables = table_order()
    for view in ordered:  # per-table items in the order the rules list the tables
        view.items.sort(key=lambda i: (tables.get(i.item, len(tables)), i.item))
    return Scorecard(ordered)


@dataclass(frozen=True)
class MethodCriterion:
    criterion: str
    group: str
    zh: str
    en: str
    source_zh: str
    source_en: str
    applies_to: tuple[str, ...]


def method_criteria() -> list[MethodCriterion]:
    """The criteria as the method page lists them, each with its source rule."""
    reference = scorecard_reference()
    sources = reference.get("sources") or {}
    found = []
    for entry in reference.get("criteria") or []:
        source = sources.get(entry.get("source", "")) or {}
        found.append(
            MethodCriterion(
                criterion=str(entry.get("id", "")),
                group=str(entry.get("group", "")),
                zh=str(entry.get("zh", "")),
                en=str(entry.get("en", "")),
                source_zh=str(source.get("zh", entry.get("source", ""))),
                source_en=str(source.get("en", "")),
                applies_to=tuple(str(kind) for kind in entry.get("applies_to") or ()),
            )
        )
    return found


def table_order() -> dict[str, int]:
    order: dict[str, int] = {}
    for tables in required_tables().values():
        for table in tables:
            order.setdefault(table, len(order))
    return order


def required_tables() -> dict[str, list[str]]:
    tables = scorecard_reference().get("required_tables") or {}
    return {str(kind): [str(t) for t in ids] for kind, ids in tables.items()}


# ---------------------------------------------------------------- last year's figures


@dataclass(frozen=True)
class StatedChange:
    """A change on last year stated in the text; `previous` is derived (amount − change)."""

    change_no: str
    subject: str
    figure: str
    amount: Decimal | None
    change: Decimal | None
    rate: Decimal | None
    previous: Decimal | None
    page: str
    sentence: str
    previous_document: Decimal | None = None  # the same figure in last year's document, if any
    part: str = ""  # a document of several files: the file `page` is in

    @property
    def change_text(self) -> str:
        return signed(self.change)

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{signed(self.rate)}%"

    @property
    def all_zero(self) -> bool:
        """0 this year and no change: shown in one line with the others, not a row each."""
        return self.amount == 0 and self.change == 0

    @property
    def agrees_with_document(self) -> bool | None:
        if self.previous is None or self.previous_document is None:
            return None
        return abs(self.previous - self.previous_document) <= Decimal("0.01")


def signed(value: Decimal | None) -> str:
    """+2.76 / −14.54 / 0: the sign of a change, with the printed decimals."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{format_amount(value)}"
    if value < 0:
        return f"−{format_amount(-value)}"
    return format_amount(value)


def stated_changes(rows: list[Row], last_year_figures: Row | None) -> list[StatedChange]:
    changes = []
    for row in sorted(rows, key=lambda r: row_sort_key(r, ["change_no"])):
        figure = row.get("figure", "")
        changes.append(
            StatedChange(
                change_no=row.get("change_no", ""),
                subject=row.get("subject", ""),
                figure=figure,
                amount=to_decimal(row.get("amount")),
                change=to_decimal(row.get("change")),
                rate=to_decimal(row.get("rate")),
                previous=to_decimal(row.get("previous")),
                page=row.get("page", ""),
                sentence=row.get("sentence", ""),
                part=row.get("source_file", ""),
                previous_document=to_decimal((last_year_figures or {}).get(figure)) if figure else None,
            )
        )
    return changes


PREVIOUS_PREFIX = "previous_"


@dataclass(frozen=True)
class PreviousColumn:
    measure: str
    label: str
    current: Decimal | None
    previous: Decimal

    @property
    def difference(self) -> Decimal | None:
        return None if self.current is None else self.current - self.previous


@dataclass(frozen=True)
class PreviousRow:
    name: str
    page: str
    columns: list[PreviousColumn]


@dataclass(frozen=True)
class PreviousTable:
    table_no: str
    title: str
    page: str
    rows: list[PreviousRow]


def previous_year_tables(tables: list[Row], items: list[Row], labels: dict[str, str]) -> list[PreviousTable]:
    """Tables printing last year's columns beside this year's (measures `previous_<m>`), e.g. a
    三公 table with 上年预算数: per printed row, each measure with this year's and last year's
    amount as printed. Never mixed into this year's measures: they stay in their own column."""
    by_table: dict[str, list[Row]] = defaultdict(list)
    for item in items:
        by_table[item.get("table_no", "")].append(item)
    found = []
    for table in tables:
        rows_of_table = by_table.get(table.get("table_no", ""), [])
        printed = re.split(r"[;,\s]+", table.get("columns", "").strip())
        if not any(r.get("measure", "").startswith(PREVIOUS_PREFIX) for r in rows_of_table):
            continue
        grouped: dict[str, list[Row]] = defaultdict(list)
        for item in rows_of_table:
            grouped[item.get("row_no", "")].append(item)
        printed_rows = []
        for row_no in sorted(grouped, key=lambda n: row_sort_key({"n": n}, ["n"])):
            cells = grouped[row_no]
            amounts = {c.get("measure", ""): to_decimal(c.get("amount")) for c in cells}
            columns = []
            for measure, value in sorted(amounts.items(), key=lambda pair: printed_position(pair[0], printed)):
                if not measure.startswith(PREVIOUS_PREFIX) or value is None:
                    continue
                base = measure.removeprefix(PREVIOUS_PREFIX)
                columns.append(PreviousColumn(base, labels.get(base, base), amounts.get(base), value))
            if columns:
                first = cells[0]
                name = first.get("name", "") or ("合计" if first.get("level") == "total" else "")
                printed_rows.append(PreviousRow(name, first.get("page", ""), columns))
        if printed_rows:
            found.append(
                PreviousTable(table.get("table_no", ""), table.get("title", ""), table.get("page", ""), printed_rows)
            )
    return found


def printed_position(measure: str, printed: list[str]) -> tuple[int, str]:
    """Where a measure's column is printed (last year's beside this year's), unknown ones last."""
    for name in (measure, measure.removeprefix(PREVIOUS_PREFIX), PREVIOUS_PREFIX + measure):
        if name in printed:
            return (printed.index(name), measure)
    return (len(printed), measure)
