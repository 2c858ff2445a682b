"""`build.py check FILE`: what was recognised in one document, for a contributor."""

from __future__ import annotations

from collections import Counter
from typing import Any

from yibao.model import Document
from yibao.model.ids import document_id


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
        "tables": [
            {"table": t.table_id, "title": t.title, "page": t.page, "line": t.line, "rows": t.row_count}
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
    }


def as_text(document: Document) -> str:
    m = document.metadata
    lines = [f"文件 file: {document.source_file}", f"状态 status: {document.status}"]
    if document.error:
        lines.append(f"无法读取 cannot read: {document.error}")
        return "\n".join(lines) + "\n"
    kinds = {"budget": "预算 budget", "final_accounts": "决算 final accounts"}
    scopes = {"department": "部门 department", "unit": "单位 unit"}
    lines += [
        f"发布单位 bureau: {m.bureau or '（未识别 not found）'}",
        f"年度 year: {m.fiscal_year or '（未识别 not found）'}",
        f"类型 kind: {kinds.get(m.doc_type, m.doc_type)} / {scopes.get(m.scope, m.scope)} / {m.admin_level}",
        f"单位 units: {'、'.join(m.units) or '—'}",
        "",
        "表格 tables:",
    ]
    for t in document.tables:
        lines.append(f"  {t.table_id:48} {t.row_count:4} 行 rows  第 {t.page} 页 line {t.line}  {t.title}")
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
                f"  ✗ {c.check} {c.code} {c.measure}: 应为 expected {_number(c.expected)}, 实为 actual {_number(c.actual)} — {c.message}"
            )
    if document.problems:
        lines += ["", "问题 problems:"]
        for p in document.problems:
            where = f"第 {p.page} 页 line {p.line}" if p.line else ""
            lines.append(f"  [{p.severity}] {p.table} {where} {p.reason}")
    return "\n".join(lines) + "\n"
