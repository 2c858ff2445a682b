"""The disclosure scorecard (scorecard.csv) and the stated changes on last year
(stated_changes.csv) as the pages show them.

A criterion assessed per table (every required table printed, empty tables explained) is shown
once per document: met when every applicable table meets it, with the tables that do not named.
There is no weight and no total score: a count of criteria met is always shown beside the list
of criteria it counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .charts import pages_text
from .formatting import format_amount, to_decimal
from .lead import chinese_message
from .package import Row

OUTCOME_ORDER = {"not_met": 0, "met": 1, "not_applicable": 2}
GROUP_LABELS = {
    "completeness": "完整",
    "detail": "细化",
    "explanation": "说明",
    "consistency": "一致",
    "timeliness": "及时",
    "form": "形式",
}


@dataclass
class Criterion:
    """One criterion of one document, its items folded into one outcome."""

    criterion: str
    group: str
    label: str
    rule: str
    outcome: str  # met | not_met | not_applicable
    detail: str
    evidence: str
    pages: str
    missing: list[str] = field(default_factory=list)  # items (tables) that do not meet it


def chinese(text: str) -> str:
    return chinese_message(text)


def document_criteria(rows: list[Row], table_labels: dict[str, str]) -> list[Criterion]:
    """The scorecard rows of one document → one `Criterion` per criterion, in the file's order."""
    by_criterion: dict[str, list[Row]] = {}
    for row in rows:
        by_criterion.setdefault(row.get("criterion", ""), []).append(row)
    criteria = []
    for criterion, items in by_criterion.items():
        applicable = [row for row in items if row.get("outcome") != "not_applicable"]
        failing = [row for row in applicable if row.get("outcome") == "not_met"]
        outcome = "not_applicable" if not applicable else ("not_met" if failing else "met")
        first = (failing or applicable or items)[0]
        if len(items) > 1 and applicable:
            met = len(applicable) - len(failing)
            detail = f"{len(applicable)} 项中 {met} 项符合"
            if failing:
                detail += "，" + "；".join(chinese(row.get("detail", "")) for row in failing)
        else:
            detail = chinese(first.get("detail", ""))
        criteria.append(
            Criterion(
                criterion=criterion,
                group=first.get("group", ""),
                label=first.get("criterion_zh", "") or criterion,
                rule=first.get("rule", ""),
                outcome=outcome,
                detail=detail,
                evidence=first.get("evidence", "") if outcome != "not_applicable" else "",
                pages=pages_text(row.get("page", "") for row in (failing or applicable)[:3]),
                missing=[table_labels.get(row.get("item", ""), row.get("item", "")) for row in failing],
            )
        )
    return criteria


def counts(criteria: list[Criterion]) -> tuple[int, int]:
    """(criteria met, criteria applicable)."""
    applicable = [c for c in criteria if c.outcome != "not_applicable"]
    return sum(1 for c in applicable if c.outcome == "met"), len(applicable)


def summary_sentence(criteria: list[Criterion]) -> str:
    met, applicable = counts(criteria)
    if not applicable:
        return ""
    failing = [c.label for c in criteria if c.outcome == "not_met"]
    sentence = f"按公开规定逐项评估：适用的 {applicable} 项中符合 {met} 项"
    return sentence + (f"；未做到：{'、'.join(failing)}。" if failing else "，全部做到。")


# ---------------------------------------------------------------- last year


@dataclass(frozen=True)
class StatedChange:
    subject: str
    amount: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    rate: str
    page: str
    sentence: str


def stated_changes(rows: list[Row]) -> list[StatedChange]:
    """Changes on last year as the document states them (last year's figure derived by the
    package as this year's minus the change), in the document's order."""
    return [
        StatedChange(
            subject=row.get("subject", ""),
            amount=to_decimal(row.get("amount")),
            previous=to_decimal(row.get("previous")),
            change=to_decimal(row.get("change")),
            rate=f"{row['rate']}%" if row.get("rate", "").strip() else "",
            page=pages_text([row.get("page", "")]),
            sentence=row.get("sentence", ""),
        )
        for row in rows
    ]


def change_of_total(changes: list[StatedChange], total: Decimal | None) -> str:
    """'文件称比上年减少 90.67 万元、下降 3.9%（第 1 页）。' for the first change stated of the total."""
    if total is None:
        return ""
    for change in changes:
        if change.amount == total and change.change is not None:
            if change.change == 0:
                return f"文件称与上年持平（{change.page}）。" if change.page else "文件称与上年持平。"
            direction = "增加" if change.change > 0 else "减少"
            rate = change.rate.lstrip("-")
            growth = ("增长" if change.change > 0 else "下降") + rate if rate else ""
            where = f"（{change.page}）" if change.page else ""
            text = f"文件称比上年{direction} {format_amount(abs(change.change))} 万元"
            return text + (f"、{growth}" if growth else "") + f"{where}。"
    return ""


def short_label(label: str) -> str:
    """A criterion's label short enough for a ranking table's header."""
    text = re.sub(r"^(说明|公开)", "", label)
    return text[:8] + ("…" if len(text) > 8 else "")
