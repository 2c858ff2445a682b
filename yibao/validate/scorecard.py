"""The disclosure scorecard: does the document print what the national rules ask of it?

Each criterion of `yibao/data/scorecard.yml` is assessed on the document as read, with its
evidence (the table or sentence, and its page) or the reason it is not met. The scorecard runs
after the checks, because one criterion is the document's own consistency. There are no weights:
a reader sees each criterion, never a bare number.

What the scorecard cannot tell apart, it says: a required table that was not found may be
unprinted or printed under a title the parser does not recognise, and the detail says both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from yibao.messages import say
from yibao.model import Document, ScoreItem, SourceText, Table
from yibao.model.enums import CheckStatus, DocType, ScoreOutcome
from yibao.recognise.narrative import Narrative, document_narrative
from yibao.reference import load_data, vocabulary

# a character within one clause: a table's subject and its words are in one clause
IN_CLAUSE = vocabulary("validate").word("in_clause")


@dataclass(frozen=True)
class Criterion:
    criterion_id: str
    group: str
    source: str
    zh: str
    en: str
    settings: dict[str, Any]

    def applies_to(self, doc_type: str) -> bool:
        kinds = self.settings.get("applies_to")
        return not kinds or doc_type in kinds


@cache
def reference() -> dict[str, Any]:
    return load_data("scorecard.yml")


@cache
def criteria() -> tuple[Criterion, ...]:
    keys = {"id", "group", "source", "zh", "en"}
    return tuple(
        Criterion(
            str(entry["id"]),
            str(entry["group"]),
            str(entry["source"]),
            str(entry["zh"]),
            str(entry["en"]),
            {k: v for k, v in entry.items() if k not in keys},
        )
        for entry in reference()["criteria"]
    )


def required_tables(doc_type: str) -> list[str]:
    tables: dict[str, list[str]] = reference()["required_tables"]
    return list(tables.get(doc_type) or tables[DocType.BUDGET])


@dataclass
class Evidence:
    """What the assessors see: the document, its narrative text and its source lines by number."""

    document: Document
    source: SourceText
    narrative: Narrative

    @property
    def doc_type(self) -> str:
        return self.document.metadata.doc_type or DocType.BUDGET


def scorecard(document: Document, source: SourceText, narrative: Narrative | None = None) -> list[ScoreItem]:
    """The scorecard of a read and checked document; `narrative` is its text as the pipeline
    already joined it (joined here when not given)."""
    evidence = Evidence(document, source, narrative or document_narrative(document, source))
    items: list[ScoreItem] = []
    for criterion in criteria():
        if not criterion.applies_to(evidence.doc_type):
            items.append(
                ScoreItem(criterion.criterion_id, "", ScoreOutcome.NOT_APPLICABLE, say("scorecard.not_for_kind"))
            )
            continue
        items.extend(ASSESSORS[str(criterion.settings["assess"])](criterion, evidence))
    return items


# --------------------------------------------------------------------------- completeness


def _tables_printed(criterion: Criterion, evidence: Evidence) -> Iterator[ScoreItem]:
    for table_id in required_tables(evidence.doc_type):
        yield _printed(criterion, table_id, evidence.document.first_table(table_id))


def _empty_tables_explained(criterion: Criterion, evidence: Evidence) -> Iterator[ScoreItem]:
    for table_id in required_tables(evidence.doc_type):
        yield _empty_explained(criterion, table_id, evidence.document.first_table(table_id), evidence)


def _printed(criterion: Criterion, table_id: str, table: Table | None) -> ScoreItem:
    if table is None:
        return ScoreItem(criterion.criterion_id, table_id, ScoreOutcome.NOT_MET, say("scorecard.table_not_found"))
    return ScoreItem(
        criterion.criterion_id,
        table_id,
        ScoreOutcome.MET,
        say("scorecard.table_printed", title=table.title),
        table=table_id,
        page=table.page,
        line=table.line,
        evidence=table.title,
    )


def has_amounts(table: Table) -> bool:
    """A table with at least one amount that is not zero (a blank printed cell is 0)."""
    return any(amount != 0 for row in table.rows for amount in row.amounts.values())


def _empty_explained(criterion: Criterion, table_id: str, table: Table | None, evidence: Evidence) -> ScoreItem:
    cid = criterion.criterion_id
    if table is None:
        return ScoreItem(cid, table_id, ScoreOutcome.NOT_APPLICABLE, say("scorecard.table_absent"))
    if has_amounts(table) or table.listed:
        return ScoreItem(cid, table_id, ScoreOutcome.NOT_APPLICABLE, say("scorecard.table_has_amounts"))
    found = _explanation_of_empty(table, evidence)
    if found is None:
        return ScoreItem(
            cid, table_id, ScoreOutcome.NOT_MET, say("scorecard.empty_unexplained"), table_id, table.page, table.line
        )
    page, line, text = found
    return ScoreItem(cid, table_id, ScoreOutcome.MET, say("scorecard.empty_explained"), table_id, page, line, text)


NOTE_LINES = 5  # a note printed under a table (注：本表为空表) is within this many lines of its end


def _note_end(table: Table, document: Document) -> int:
    """Where a table's notes end: its last line and the few under it, never into the next table."""
    later = [t.first_line for t in document.tables if t.first_line > table.first_line]
    return min([max(table.end_line, table.first_line + 1) + NOTE_LINES, *later])


@cache
def empty_note() -> re.Pattern[str]:
    """The words that explain why a printed table has no amounts (本表无数据, 本部门无政府性基金 …)."""
    return re.compile("|".join(f"(?:{w})" for w in reference()["empty_explanation"]))


def _explanation_of_empty(table: Table, evidence: Evidence) -> tuple[int, int, str] | None:
    """The note that says why the table is empty: printed inside the table (本表无数据), or a
    sentence of the text that names the table's subject (本部门无政府性基金收支)."""
    words = empty_note()
    end = _note_end(table, evidence.document)
    for line in evidence.source.lines:
        if table.first_line <= line.number < end and words.search(line.text):
            return line.page, line.number, line.text.strip()
    subject = reference()["table_subjects"].get(table.table_id)
    if subject:
        pattern = re.compile(
            f"{re.escape(subject)}{IN_CLAUSE}{{0,40}}(?:{words.pattern})|(?:{words.pattern}){IN_CLAUSE}{{0,20}}{re.escape(subject)}"
        )
        passage = evidence.narrative.find(pattern)
        if passage is not None:
            return passage.page, passage.line, passage.text
    return None


# --------------------------------------------------------------------------- detail


def _code_depth(criterion: Criterion, document: Document) -> ScoreItem:
    cid, table_id, digits = (
        criterion.criterion_id,
        str(criterion.settings["table"]),
        int(criterion.settings["code_length"]),
    )
    table = document.first_table(table_id)
    if table is None:
        return ScoreItem(cid, table_id, ScoreOutcome.NOT_ASSESSED, say("scorecard.detail_no_table"))
    coded = [row for row in table.rows if row.code.isdigit()]
    if not coded:
        return ScoreItem(
            cid, table_id, ScoreOutcome.NOT_APPLICABLE, say("scorecard.detail_empty"), table_id, table.page, table.line
        )
    deepest = max(coded, key=lambda row: len(row.code))
    if len(deepest.code) >= digits:
        detail = say("scorecard.detail_reached", digits=digits, example=f"{deepest.code} {deepest.name}")
        return ScoreItem(
            cid,
            table_id,
            ScoreOutcome.MET,
            detail,
            table_id,
            deepest.page,
            deepest.line,
            f"{deepest.code} {deepest.name}",
        )
    detail = say("scorecard.detail_short", deepest=len(deepest.code), digits=digits)
    return ScoreItem(cid, table_id, ScoreOutcome.NOT_MET, detail, table_id, table.page, table.line, table.title)


def _projects(criterion: Criterion, document: Document) -> ScoreItem:
    cid = criterion.criterion_id
    projects = document.projects
    if not projects:
        return ScoreItem(cid, "", ScoreOutcome.NOT_MET, say("scorecard.no_projects"))
    first = projects[0]
    with_amounts = [p for p in projects if p.amount is not None]
    if not with_amounts:
        detail = say("scorecard.projects_without_amounts", count=len(projects))
        return ScoreItem(cid, "", ScoreOutcome.NOT_MET, detail, first.source_table, first.page, first.line, first.name)
    first = with_amounts[0]
    detail = say("scorecard.projects_listed", count=len(with_amounts))
    return ScoreItem(cid, "", ScoreOutcome.MET, detail, first.source_table, first.page, first.line, first.name)


def _targets(criterion: Criterion, document: Document) -> ScoreItem:
    cid = criterion.criterion_id
    if not document.targets:
        return ScoreItem(cid, "", ScoreOutcome.NOT_MET, say("scorecard.no_targets"))
    first = document.targets[0]
    table = document.first_table("performance_targets")
    text = " / ".join(part for part in (first.project, first.level3 or first.level2) if part)
    return ScoreItem(
        cid,
        "",
        ScoreOutcome.MET,
        say("scorecard.targets_listed", count=len(document.targets)),
        table.table_id if table else "",
        first.page,
        first.line,
        text,
    )


# --------------------------------------------------------------------------- explanations


def _explanation(criterion: Criterion, evidence: Evidence) -> Iterator[ScoreItem]:
    pattern = re.compile("|".join(f"(?:{w})" for w in criterion.settings["words"]))
    passage = evidence.narrative.find(pattern)
    if passage is None:
        yield ScoreItem(criterion.criterion_id, "", ScoreOutcome.NOT_MET, say("scorecard.not_explained"))
    else:
        yield ScoreItem(
            criterion.criterion_id,
            "",
            ScoreOutcome.MET,
            say("scorecard.explained"),
            "",
            passage.page,
            passage.line,
            passage.text,
        )


# --------------------------------------------------------------------------- consistency and form


def _consistency(criterion: Criterion, evidence: Evidence) -> Iterator[ScoreItem]:
    checks = [c for c in evidence.document.checks if c.status != CheckStatus.SKIP]
    failed = [c for c in checks if c.status == CheckStatus.FAIL]
    cid = criterion.criterion_id
    if not checks:
        yield ScoreItem(cid, "", ScoreOutcome.NOT_ASSESSED, say("scorecard.no_checks"))
    elif not failed:
        yield ScoreItem(cid, "", ScoreOutcome.MET, say("scorecard.checks_all_pass", passed=len(checks)))
    else:
        detail = say("scorecard.checks_failed", total=len(checks), failed=len(failed))
        table = evidence.document.first_table(failed[0].table.split(".")[0]) if failed[0].table else None
        yield ScoreItem(
            cid,
            "",
            ScoreOutcome.NOT_MET,
            detail,
            failed[0].table,
            table.page if table else None,
            table.line if table else None,
            failed[0].message,
        )


def _form(criterion: Criterion, evidence: Evidence) -> Iterator[ScoreItem]:
    scanned = evidence.source.ocr_pages
    cid = criterion.criterion_id
    if scanned:
        pages = ", ".join(str(p) for p in scanned)
        yield ScoreItem(cid, "", ScoreOutcome.NOT_MET, say("scorecard.scanned_pages", pages=pages), page=scanned[0])
    else:
        yield ScoreItem(cid, "", ScoreOutcome.MET, say("scorecard.text_layer"))


def _one(assess: Callable[[Criterion, Document], ScoreItem]) -> Callable[[Criterion, Evidence], Iterator[ScoreItem]]:
    """An assessor of the document alone, yielding one item."""

    def assessor(criterion: Criterion, evidence: Evidence) -> Iterator[ScoreItem]:
        yield assess(criterion, evidence.document)

    return assessor


# `assess` of each criterion in scorecard.yml → how it is assessed
ASSESSORS: dict[str, Callable[[Criterion, Evidence], Iterator[ScoreItem]]] = {
    "table_printed": _tables_printed,
    "empty_table_explained": _empty_tables_explained,
    "code_depth": _one(_code_depth),
    "projects": _one(_projects),
    "performance_targets": _one(_targets),
    "narrative": _explanation,
    "identities": _consistency,
    "text_layer": _form,
}


def refresh_consistency(document: Document) -> None:
    """Re-assess the consistency criterion once checks across documents were added (`years`)."""
    for index, item in enumerate(document.scorecard):
        criterion = next((c for c in criteria() if c.criterion_id == item.criterion), None)
        if criterion is not None and criterion.settings.get("assess") == "identities":
            evidence = Evidence(document, SourceText([], 0), Narrative("", ()))
            document.scorecard[index] = next(_consistency(criterion, evidence))
