"""What a reader sees first on a bureau page: a few sentences and headline cards, each figure
with the page it was printed on, and the document's own inconsistencies in plain Chinese.

Pure functions over package rows. Every amount is a Decimal from the package, shown with
`format_amount`; shares are computed from those Decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .charts import document_total, key_figure, pages_text
from .formatting import format_amount, format_share, to_decimal
from .package import Row

# Where each key figure is printed, in the order a reader would look for it: the first table
# holding a total-like row with that amount gives the page.
FIGURE_TABLES = {
    "expense_grand_total": ("summary", "expenditure", "general_budget_expenditure"),
    "income_grand_total": ("summary", "revenue"),
    "expense_year_total": ("summary", "expenditure"),
    "basic_expenditure": ("expenditure", "general_budget_expenditure", "general_budget_basic_expenditure"),
    "project_expenditure": ("expenditure", "general_budget_expenditure", "general_budget_project_expenditure"),
    "personnel_expenditure": ("general_budget_basic_expenditure", "expenditure"),
    "public_expenditure": ("general_budget_basic_expenditure", "expenditure"),
    "three_public_total": ("three_public",),
}
FIGURE_MEASURES = {
    "basic_expenditure": ("basic", "total"),
    "project_expenditure": ("project", "total"),
    "personnel_expenditure": ("personnel", "total"),
    "public_expenditure": ("public", "total"),
}
FUNCTION_TABLES = ("general_budget_expenditure", "expenditure")


@dataclass(frozen=True)
class Card:
    label: str
    amount: Decimal
    note: str  # share or context, e.g. '占 90.5%'
    page: str  # '第 3 页' or ''


@dataclass(frozen=True)
class Lead:
    sentences: list[str]
    cards: list[Card]


def figure_page(items: list[Row], name: str, amount: Decimal | None) -> str:
    """The page of the first total-like row printing this amount in the tables that state it."""
    if amount is None:
        return ""
    measures = FIGURE_MEASURES.get(name, ())
    for table in FIGURE_TABLES.get(name, ()):
        for row in items:
            if row.get("table") != table or (measures and row.get("measure") not in measures):
                continue
            if row.get("level") not in ("total", "line", "") or to_decimal(row.get("amount")) != amount:
                continue
            return pages_text([row.get("page", "")])
    return ""


def largest_item(items: list[Row]) -> Row | None:
    """The largest 项 (or the largest leaf) of the function classification, column 合计."""
    for table in FUNCTION_TABLES:
        rows = [
            row
            for row in items
            if row.get("table") == table
            and row.get("measure") == "total"
            and row.get("level") in ("item", "segment", "class")
            and to_decimal(row.get("amount")) is not None
        ]
        if not rows:
            continue
        first = min(int(row.get("table_no") or 0) for row in rows)
        rows = [row for row in rows if int(row.get("table_no") or 0) == first]
        leaves = [row for row in rows if row.get("is_leaf") == "true"] or rows
        return max(leaves, key=lambda row: (to_decimal(row.get("amount")) or Decimal(0), row.get("code", "")))
    return None


def build_lead(subject: str, figures: Row | None, items: list[Row]) -> Lead:
    """Sentences and cards for one document; `subject` reads like '某市医疗保障局2025年部门预算'."""
    total = document_total(figures)
    basic = key_figure(figures, "basic_expenditure")
    project = key_figure(figures, "project_expenditure")
    personnel = key_figure(figures, "personnel_expenditure")
    three = key_figure(figures, "three_public_total")
    sentences = []
    cards = []
    if total is not None:
        total_name = next(
            name
            for name in ("expense_grand_total", "income_grand_total", "expense_year_total")
            if key_figure(figures, name) is not None
        )
        page = figure_page(items, total_name, total)
        sentences.append(f"{subject}支出总计 {format_amount(total)} 万元。")
        cards.append(Card("支出总计", total, "", page))
    if basic is not None and project is not None and total:
        sentences.append(
            f"其中基本支出（人员和机构日常运转）{format_amount(basic)} 万元、占 {format_share(basic, total)}，"
            f"项目支出（完成特定工作任务）{format_amount(project)} 万元、占 {format_share(project, total)}。"
        )
    if basic is not None:
        cards.append(Card("基本支出", basic, f"占 {format_share(basic, total)}" if total else "",
                          figure_page(items, "basic_expenditure", basic)))  # fmt: skip
    if project is not None:
        cards.append(Card("项目支出", project, f"占 {format_share(project, total)}" if total else "",
                          figure_page(items, "project_expenditure", project)))  # fmt: skip
    largest = largest_item(items)
    if largest is not None and total:
        amount = to_decimal(largest.get("amount"))
        code = largest.get("code", "")
        sentences.append(
            f"最大的一项支出是“{largest.get('name', '')}”（{code}）{format_amount(amount)} 万元，"
            f"占支出总计的 {format_share(amount, total)}。"
        )
    if personnel is not None:
        cards.append(Card("人员经费", personnel, f"占基本支出 {format_share(personnel, basic)}" if basic else "",
                          figure_page(items, "personnel_expenditure", personnel)))  # fmt: skip
    if three is not None:
        cards.append(Card("“三公”经费", three, "", figure_page(items, "three_public_total", three)))
    return Lead(sentences, cards[:4])


# ---------------------------------------------------------------- the document's own statements

_ENGLISH_TAIL = re.compile(r"\s*—\s*[\x20-\x7e]*(?=[)）]$)")
_ENGLISH_PARENTHESIS = re.compile(r"\s*\([\x20-\x7e]*\)\s*$")


def chinese_message(message: str) -> str:
    """The Chinese part of a bilingual check message: English stays in checks.csv."""
    text = _ENGLISH_PARENTHESIS.sub("", message.strip())
    return _ENGLISH_TAIL.sub("", text).strip()


def inconsistency_sentence(check: Row, table_label: str, measure_label: str) -> str:
    """A failed check as a sentence a reader can verify against the document."""
    message = chinese_message(check.get("message", ""))
    expected, actual = to_decimal(check.get("expected")), to_decimal(check.get("actual"))
    if check.get("check", "").startswith("narrative."):
        # "第 191 行文字“…”" / "第 204 行：…" (line numbers of the extracted text) → the text says
        text = re.sub(r"^第 ?(\d+) ?行(文字|：)", r"说明文字（第 \1 行）写", message)
        return text if text.endswith(("。", "）", ")")) else f"{text}。"
    where = table_label
    if check.get("code"):
        where += f"科目 {check.get('code')}"
    if measure_label:
        where += f"“{measure_label}”列"
    numbers = ""
    if expected is not None and actual is not None:
        numbers = f"：按其他数字应为 {format_amount(expected)} 万元，表中为 {format_amount(actual)} 万元"
        difference = to_decimal(check.get("difference"))
        if difference is not None:
            numbers += f"，相差 {format_amount(abs(difference))} 万元"
    rule = f"（{message}）" if message else ""
    return f"{where}{numbers}{rule}。"
