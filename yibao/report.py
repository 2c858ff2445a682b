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
    lines = [f"文件 file: {shown(document.source_file)}", f"状态 status: {document.status}"]
    if document.parts:
        lines.append(
            "合并 merged: 同一公开文件分为多个文件发布，已合并读取 (one disclosure published in several files, read as one):"
        )
        lines += [f"  {shown(p.source_file)}  {p.pages} 页 pages" for p in document.parts]
    if document.error:
        lines.append(f"无法读取 cannot read: {shown(document.error)}")
        return "\n".join(lines) + "\n"
    kinds = {"budget": "预算 budget", "final_accounts": "决算 final accounts"}
    scopes = {"department": "部门 department", "unit": "单位 unit"}
    lines += [
        f"发布单位 bureau: {shown(m.bureau) or '（未识别 not found）'}",
        f"年度 year: {m.fiscal_year or '（未识别 not found）'}",
        f"类型 kind: {kinds.get(m.doc_type, shown(m.doc_type))} / {scopes.get(m.scope, shown(m.scope))} / {shown(m.admin_level)}",
        f"单位 units: {shown('、'.join(m.units)) or '—'}",
        "",
        "表格 tables:",
    ]
    for t in document.tables:
        file, page, line = document.where(t.page, t.line)
        where = f"{shown(file)} " if file else ""
        lines.append(f"  {t.table_id:48} {t.row_count:4} 行 rows  {where}第 {page} 页 line {line}  {shown(t.title)}")
    lines.append(f"项目 projects: {len(document.projects)}   绩效指标 targets: {len(document.targets)}")
    counts = Counter(c.status for c in document.checks)
    rounding = sum(c.outcome == "rounding" for c in document.checks)
    lines += [
        "",
        f"核对 checks: {counts['pass']} 通过 pass ({rounding} 尾数误差 rounding), {counts['fail']} 未通过 fail, {counts['skip']} 跳过 skip",
    ]
    for c in document.checks:
        if c.status == "fail":
            lines.append(
                f"  ✗ {shown(c.check)} {shown(c.code)} {shown(c.measure)}: 应为 expected {_number(c.expected)}, 实为 actual {_number(c.actual)} — {shown(c.message)}"
            )
    if document.problems:
        lines += ["", "问题 problems:"]
        for p in document.problems:
            where = f"第 {p.page} 页 line {p.line}" if p.line else ""
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
    lines = ["", f"信息公开评分 scorecard: {met} / {assessed} 项符合 criteria met (见 see the method page)"]
    for s in document.scorecard:
        if s.outcome == "not_applicable":
            continue
        where = f" 第 {s.page} 页 page" if s.page else ""
        item = f" {s.item}" if s.item else ""
        lines.append(f"  {SCORE_MARKS[s.outcome]} {s.criterion}{item}:{where} {shown(s.detail)}")
    return lines


def _stated_changes_text(document: Document) -> list[str]:
    if not document.stated_changes:
        return []
    lines = ["", "文中所述比上年增减 changes on last year stated in the text:"]
    for c in document.stated_changes:
        rate = f"，{_number(c.rate)}%" if c.rate is not None else ""
        lines.append(
            f"  第 {c.page} 页 page {shown(c.subject)}: {_number(c.amount)} 万元，增减 change {_number(c.change)}{rate} → 上年 last year {_number(c.previous)}"
        )
    return lines
