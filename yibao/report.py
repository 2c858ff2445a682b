"""`build.py check FILE`: what was recognised in one document, for a contributor.

Every value from the document or its file name is shown, never emitted: control characters,
escape sequences and bidirectional overrides come out as visible escapes (`yibao.display`), in
the text report and in the JSON one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from yibao.display import shown
from yibao.messages import say
from yibao.model import Document
from yibao.model.ids import document_id

# what json.dumps leaves as it is but a terminal would act on (it escapes C0 controls itself)
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")


def as_json(report: dict[str, Any]) -> str:
    """One JSON object, readable Chinese, with nothing a terminal would interpret."""
    text = json.dumps(report, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _number(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def as_dict(document: Document) -> dict[str, Any]:
    m = document.metadata
    return {
        "file": document.source_file,
        "status": document.status,
        "error": document.error or None,
        "doc_id": document_id(document),
        "bureau": m.bureau,
        "fiscal_year": m.fiscal_year,
        "doc_type": m.doc_type,
        "scope": m.scope,
        "admin_level": m.admin_level,
        "units": m.units,
        "parts": [p.source_file for p in document.parts],
        "tables": [
            {
                "table": t.table_id,
                "title": t.title,
                **dict(zip(("source_file", "page", "line"), document.where(t.page, t.line), strict=True)),
                "rows": t.row_count,
            }
            for t in document.tables
        ],
        "projects": len(document.projects),
        "performance_targets": len(document.targets),
        "checks": [
            {
                "check": c.check,
                "status": c.status,
                "outcome": c.outcome,
                "table": c.table,
                "code": c.code,
                "measure": c.measure,
                "expected": _number(c.expected),
                "actual": _number(c.actual),
                "difference": _number(c.difference),
                "message": c.message,
            }
            for c in document.checks
        ],
        "problems": [
            {"severity": p.severity, "reason": p.reason, "table": p.table, "page": p.page, "line": p.line}
            for p in document.problems
        ],
        "stated_changes": [
            {
                "subject": c.subject,
                "amount": _number(c.amount),
                "change": _number(c.change),
                "rate": _number(c.rate),
                "previous": _number(c.previous),
                "page": c.page,
                "line": c.line,
            }
            for c in document.stated_changes
        ],
        "scorecard": [
            {
                "criterion": s.criterion,
                "item": s.item,
                "outcome": s.outcome,
                "detail": s.detail,
                "page": s.page,
                "evidence": s.evidence,
            }
            for s in document.scorecard
        ],
    }


def as_text(document: Document) -> str:
    m = document.metadata
    lines = [say("report.file", file=shown(document.source_file)), say("report.status", status=document.status)]
    if document.parts:
        lines.append(say("report.merged"))
        lines += [say("report.part", file=shown(p.source_file), pages=p.pages) for p in document.parts]
    if document.error:
        lines.append(say("report.error", error=shown(document.error)))
        return "\n".join(lines) + "\n"
    kinds = {"budget": say("report.kind_budget"), "final_accounts": say("report.kind_final_accounts")}
    scopes = {"department": say("report.scope_department"), "unit": say("report.scope_unit")}
    lines += [
        say("report.bureau", bureau=shown(m.bureau) or say("report.not_found")),
        say("report.year", year=m.fiscal_year or say("report.not_found")),
        say(
            "report.kind",
            kind=kinds.get(m.doc_type, shown(m.doc_type)),
            scope=scopes.get(m.scope, shown(m.scope)),
            level=shown(m.admin_level),
        ),
        say("report.units", units=shown(say("report.list_separator").join(m.units)) or "—"),
        "",
        say("report.tables"),
    ]
    for t in document.tables:
        file, page, line = document.where(t.page, t.line)
        where = f"{shown(file)} " if file else ""
        lines.append(
            say(
                "report.table",
                table=t.table_id,
                rows=t.row_count,
                where=where,
                page=page,
                line=line,
                title=shown(t.title),
            )
        )
    lines.append(say("report.projects", projects=len(document.projects), targets=len(document.targets)))
    counts = Counter(c.status for c in document.checks)
    rounding = sum(c.outcome == "rounding" for c in document.checks)
    lines += [
        "",
        say("report.checks", passed=counts["pass"], rounding=rounding, failed=counts["fail"], skipped=counts["skip"]),
    ]
    for c in document.checks:
        if c.status == "fail":
            lines.append(
                say(
                    "report.check_failed",
                    check=shown(c.check),
                    check_code=shown(c.code),
                    measure=shown(c.measure),
                    expected=_number(c.expected),
                    actual=_number(c.actual),
                    message=shown(c.message),
                )
            )
    if document.problems:
        lines += ["", say("report.problems")]
        for p in document.problems:
            where = say("report.where", page=p.page, line=p.line) if p.line else ""
            lines.append(f"  [{p.severity}] {shown(p.table)} {where} {shown(p.reason)}")
    lines += _stated_changes_text(document) + _scorecard_text(document)
    return "\n".join(lines) + "\n"


SCORE_MARKS = {"met": "✓", "not_met": "✗", "not_applicable": "·", "not_assessed": "?"}


def _scorecard_text(document: Document) -> list[str]:
    """The scorecard, criterion by criterion, with where the evidence is."""
    if not document.scorecard:
        return []
    met = sum(s.outcome == "met" for s in document.scorecard)
    assessed = sum(s.outcome in ("met", "not_met") for s in document.scorecard)
    lines = ["", say("report.scorecard", met=met, assessed=assessed)]
    for s in document.scorecard:
        if s.outcome == "not_applicable":
            continue
        where = say("report.page", page=s.page) if s.page else ""
        item = f" {s.item}" if s.item else ""
        lines.append(f"  {SCORE_MARKS[s.outcome]} {s.criterion}{item}:{where} {shown(s.detail)}")
    return lines


def _stated_changes_text(document: Document) -> list[str]:
    if not document.stated_changes:
        return []
    lines = ["", say("report.stated_changes")]
    for c in document.stated_changes:
        rate = say("report.rate", rate=_number(c.rate)) if c.rate is not None else ""
        lines.append(
            say(
                "report.stated_change",
                page=c.page,
                subject=shown(c.subject),
                amount=_number(c.amount),
                change=_number(c.change),
                rate=rate,
                previous=_number(c.previous),
            )
        )
    return lines
