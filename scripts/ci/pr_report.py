#!/usr/bin/env python3
"""Check source documents with `build.py check --json` and write a Markdown report.

    python scripts/ci/pr_report.py --base origin/main          # what this branch changes
    python scripts/ci/pr_report.py source_docs/x/y.txt ...     # these documents
    python scripts/ci/pr_report.py --files-from changed.txt    # one path a line ('-': stdin)

The report goes to the file named by --summary or $GITHUB_STEP_SUMMARY (appended, as GitHub
Actions expects) and a short plain-text version to stdout. Exit status: 0 when every document
was read (status ok or partial; failed checks are published, they do not fail the job), 1 when
a document could not be read, would not be published (it claims the bureau, year and kind of
a document already published: the published one stays) or a metadata file has no document, 2 for
a usage error. Every value from a document or a file name is escaped: in the summary it is text,
never Markdown or HTML; in the log it cannot start a line or form a workflow command (see
ci_text.py). Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import changed_documents
from ci_text import command_data, command_property, md_code, md_fence, md_text, on_github, shown, untrusted_output

CHECK_TIMEOUT_S = 900
SUMMARY_LIMIT = 900_000  # GitHub keeps at most 1 MiB of step summary per step
FULL, NO_PASSED, BRIEF = 2, 1, 0  # how much of each document the report shows
STATUS_ICON = {"ok": "✅", "partial": "⚠️", "error": "❌"}
DOC_TYPE = {"budget": "预算 budget", "final_accounts": "决算 final accounts"}
SCOPE = {"department": "部门 department", "unit": "单位 unit"}
LEVEL = {
    "national": "国家 national",
    "province": "省 province",
    "prefecture": "市 prefecture",
    "county": "县 county",
}

Json = dict[str, Any]


@dataclass
class Result:
    """One document's check, as `build.py check --json` reported it."""

    path: str
    report: Json = field(default_factory=dict)
    conflict: bool = False  # read, but another file is already published for its doc_id

    @property
    def status(self) -> str:
        if self.conflict:
            return "conflict"
        return str(self.report.get("status") or "error")

    @property
    def error(self) -> str:
        return str(self.report.get("error") or "no reason given")

    @property
    def readable(self) -> bool:
        return self.status in {"ok", "partial"}

    def checks(self, status: str) -> list[Json]:
        return [c for c in self.report.get("checks") or [] if c.get("status") == status]


# ---------------------------------------------------------------- running the check


def default_python(root: Path) -> str:
    venv = root / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def failure(path: str, reason: str) -> Result:
    return Result(path, {"file": path, "status": "error", "error": reason})


def last_lines(text: str, count: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-count:])


def run_check(root: Path, python: str, path: str) -> Result:
    """Run `build.py check PATH --json` and read its one JSON object."""
    command = [python, "build.py", "check", path, "--json"]
    try:
        proc = subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=CHECK_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return failure(path, f"build.py check did not finish within {CHECK_TIMEOUT_S} s")
    except OSError as exc:
        return failure(path, f"could not run build.py check: {exc}")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict) or proc.returncode not in (0, 1):
        detail = last_lines(proc.stderr) or last_lines(proc.stdout) or "no output"
        return failure(
            path,
            f"build.py check failed (exit {proc.returncode}) without a report:\n{detail}",
        )
    if proc.returncode == 1 and report.get("status") != "error":
        report = {**report, "status": "error"}
    return Result(path, report)


# ---------------------------------------------------------------- Markdown


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell: never markup, never a second cell or line."""
    if value is None or value == "":
        return ""
    return md_text(value)


class Code(str):
    """A value already rendered as inline code (not escaped again by `table`)."""


def code(value: object) -> Code:
    return Code(md_code(value))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(v if isinstance(v, Code) else cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def place(item: Json) -> str:
    """`page 3, line 120`, or what of it is known."""
    parts = []
    if item.get("page") not in (None, ""):
        parts.append(f"page {item['page']}")
    if item.get("line") not in (None, ""):
        parts.append(f"line {item['line']}")
    return ", ".join(parts) or "—"


def kind(report: Json) -> str:
    doc_type = DOC_TYPE.get(report.get("doc_type") or "", report.get("doc_type") or "?")
    scope = SCOPE.get(report.get("scope") or "", report.get("scope") or "?")
    return f"{doc_type} · {scope}"


def overview(results: Sequence[Result]) -> list[str]:
    rows = []
    for r in results:
        rep = r.report
        rows.append(
            (
                f"{STATUS_ICON.get(r.status, '❌')} {r.status}",
                code(r.path),
                rep.get("bureau"),
                rep.get("fiscal_year"),
                kind(rep) if r.readable else "",
                len(rep.get("tables") or []) if r.readable else "—",
                f"{len(r.checks('pass'))} / {len(r.checks('fail'))}" if r.readable else "—",
                len(rep.get("problems") or []) if r.readable else "—",
            )
        )
    headers = (
        "status",
        "document",
        "bureau",
        "year",
        "kind",
        "tables",
        "checks ✔/✘",
        "problems",
    )
    return table(headers, rows)


def identity(result: Result) -> list[str]:
    rep = result.report
    rows = [
        ("机构 bureau", rep.get("bureau")),
        ("年度 fiscal year", rep.get("fiscal_year")),
        ("类型 kind", kind(rep)),
        ("级别 level", LEVEL.get(rep.get("admin_level") or "", rep.get("admin_level"))),
        ("单位 units", "、".join(rep.get("units") or [])),
        ("doc_id", rep.get("doc_id")),
    ]
    for key, label in (("projects", "项目 projects"), ("performance_targets", "绩效指标 targets")):
        value = rep.get(key)
        if isinstance(value, (int, list)) and not isinstance(value, bool):
            rows.append((label, len(value) if isinstance(value, list) else value))
    return table(("", ""), rows)


def tables_section(rep: Json) -> list[str]:
    found = rep.get("tables") or []
    if not found:
        return ["**Tables found: none.** No table title was recognised.", ""]
    rows = [(t.get("table"), t.get("title"), place(t), t.get("rows")) for t in found]
    return [f"**Tables found: {len(found)}**", "", *table(("table", "title as printed", "where", "rows"), rows)]


def check_rows(checks: Iterable[Json]) -> list[tuple[object, ...]]:
    return [
        (
            c.get("check"),
            c.get("table"),
            c.get("code"),
            c.get("measure"),
            c.get("expected"),
            c.get("actual"),
            c.get("difference"),
            c.get("message"),
        )
        for c in checks
    ]


CHECK_HEADERS = (
    "check",
    "table",
    "code",
    "measure",
    "expected",
    "actual",
    "difference",
    "message",
)


def checks_section(result: Result, detail: int = FULL) -> list[str]:
    passed, failed, skipped = (result.checks(s) for s in ("pass", "fail", "skip"))
    lines = [
        f"**Checks: {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped**",
        "",
    ]
    if failed:
        lines += ["Failed (published as they are; see CONTRIBUTING.md):", ""]
        lines += table(CHECK_HEADERS, check_rows(failed))
    others = passed + skipped
    if others and detail >= FULL:
        lines += ["<details><summary>Passed and skipped checks</summary>", ""]
        lines += table(
            ("status", "outcome", *CHECK_HEADERS),
            [(c.get("status"), c.get("outcome"), *row) for c, row in zip(others, check_rows(others), strict=True)],
        )
        lines += ["</details>", ""]
    return lines


def problems_section(rep: Json) -> list[str]:
    problems = rep.get("problems") or []
    if not problems:
        return ["**Problems: none.**", ""]
    rows = [(p.get("severity"), place(p), p.get("table"), p.get("reason")) for p in problems]
    return [f"**Problems: {len(problems)}**", "", *table(("severity", "where", "table", "reason"), rows)]


def document_section(result: Result, detail: int = FULL) -> list[str]:
    icon = STATUS_ICON.get(result.status, "❌")
    lines = [f"### {icon} {md_code(result.path)} — {md_text(result.status)}", ""]
    if result.conflict:
        return [*lines, "**This document would not be published.** Reason:", "", *md_fence(result.error), ""]
    if not result.readable:
        return [*lines, "**This document could not be read.** Reason:", "", *md_fence(result.error), ""]
    lines += identity(result)
    if detail > BRIEF:
        lines += tables_section(result.report) + checks_section(result, detail)
        lines += problems_section(result.report)
    return lines


def orphan_section(orphans: Sequence[str]) -> list[str]:
    if not orphans:
        return []
    lines = ["### ❌ Metadata files without a document", ""]
    lines += [
        f"- {md_code(m)}: no `.pdf`, `.txt`, `.md`, `.markdown` or `.text` with the same name beside it"
        for m in orphans
    ]
    return [*lines, ""]


def markdown(results: Sequence[Result], orphans: Sequence[str], detail: int = FULL) -> str:
    lines = ["## Source documents in this change", ""]
    if not results and not orphans:
        return "\n".join([*lines, "No document under `source_docs/` was added or changed.", ""])
    bad = [r for r in results if not r.readable]
    if bad or orphans:
        lines += [
            f"**{len(bad) + len(orphans)} file(s) cannot be used or would not be published — see below.**",
            "",
        ]
    lines += overview(results) if results else []
    for result in results:
        lines += document_section(result, detail)
    lines += orphan_section(orphans)
    if detail < FULL:
        lines += ["_Details left out: the report was too long for a step summary._", ""]
    return "\n".join(lines)


def report_text(results: Sequence[Result], orphans: Sequence[str]) -> str:
    """The fullest report that fits in a step summary."""
    for detail in (FULL, NO_PASSED):
        text = markdown(results, orphans, detail)
        if len(text.encode()) <= SUMMARY_LIMIT:
            return text
    return markdown(results, orphans, BRIEF)[:SUMMARY_LIMIT]


# ---------------------------------------------------------------- output


def plain_lines(results: Sequence[Result]) -> list[str]:
    lines = []
    for r in results:
        rep = r.report
        if r.readable:
            lines.append(
                f"{shown(r.status):8} {shown(r.path)}: {shown(rep.get('bureau'))} {shown(rep.get('fiscal_year'))} "
                f"{shown(rep.get('doc_type'))}/{shown(rep.get('scope'))}, "
                f"{len(rep.get('tables') or [])} tables, {len(r.checks('pass'))} checks passed, "
                f"{len(r.checks('fail'))} failed, {len(rep.get('problems') or [])} problems"
            )
        elif r.conflict:
            lines.append(f"conflict {shown(r.path)}: not published: {shown(r.error)}")
        else:
            lines.append(f"error    {shown(r.path)}: cannot be read: {shown(r.error)}")
    return lines


def annotate(path: str, message: str) -> str:
    """A GitHub Actions `::error` workflow command (escaped as the runner expects)."""

    return f"::error file={command_property(path)}::{command_data(message)}"


def write_summary(target: Path | None, text: str) -> None:
    if target is None:
        return
    with target.open("a", encoding="utf-8") as handle:
        handle.write(text.rstrip("\n") + "\n\n")


def complain(results: Sequence[Result], orphans: Sequence[str]) -> int:
    """Print why the job fails (stderr, and annotations on GitHub); return the exit status."""
    messages = [
        (r.path, f"{'not published' if r.conflict else 'cannot be read'}: {r.error}") for r in results if not r.readable
    ]
    messages += [(m, "metadata file without a document beside it") for m in orphans]
    with untrusted_output():
        for path, message in messages:
            print(f"{shown(path)}: {shown(message)}", file=sys.stderr)
    if on_github():  # our own annotations, outside the region where commands are ignored
        for path, message in messages:
            print(annotate(path, message))
    if messages:
        print(
            f"{len(messages)} file(s) cannot be used; see CONTRIBUTING.md (‘When the check fails’).",
            file=sys.stderr,
        )
    return 1 if messages else 0


# ---------------------------------------------------------------- conflicts with what is published


def _from_cell(value: str) -> str:
    """A package CSV cell → its value (the package puts ' before formula-like text)."""
    import re

    return value[1:] if len(value) > 2 and re.match(r"'+(?:[=+\-@\t\r]|[ \u3000]+[=+\-@])", value) else value


def published_documents(root: Path, base: str | None, head: str) -> dict[str, str]:
    """doc_id → source_file of each document the published package holds and that is still
    there after this change: the package of the merge base with BASE (what is on main), or the
    working tree's datapackage/ when no base is given."""
    if base:
        merge = changed_documents.merge_base(root, base, head)
        try:
            text = changed_documents.git(root, "show", f"{merge}:datapackage/documents.csv")
        except subprocess.CalledProcessError:
            return {}
        present = changed_documents.files_at(root, head)
    else:
        path = root / "datapackage" / "documents.csv"
        if not path.is_file():
            return {}
        text = path.read_text(encoding="utf-8-sig")
        present = None
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    published: dict[str, str] = {}
    for row in rows:
        doc_id, source = _from_cell(row.get("doc_id") or ""), _from_cell(row.get("source_file") or "")
        if not doc_id or not source or (row.get("status") or "") == "error":
            continue
        still_there = source in present if present is not None else (root / source).is_file()
        if still_there:
            published[doc_id] = source
    return published


def mark_conflicts(results: Sequence[Result], published: dict[str, str]) -> None:
    """A document claiming the doc_id (bureau, year, kind) of a published document under another
    path would not be published: the published one stays. Said in the report, and the job fails."""
    for result in results:
        doc_id = str(result.report.get("doc_id") or "")
        other = published.get(doc_id)
        parts = result.report.get("parts") or []  # one disclosure in several files: its parts are no conflict
        if result.status in {"ok", "partial"} and other and other != result.path and other not in parts:
            result.conflict = True
            result.report = {
                **result.report,
                "error": (
                    f"冲突：已发布的 {other} 已是同一发布单位、年度和类型（{doc_id}）的文件，本文件不会被收录，"
                    f"已发布的保持不变 (conflict: the published {other} is already this bureau, year and kind; this "
                    f"file would not be published and the published one stays — to correct it, replace {other} "
                    f"itself; otherwise correct this file's metadata)"
                ),
            }


# ---------------------------------------------------------------- command line


def read_list(source: str) -> list[str]:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    return [line.strip() for line in text.replace("\0", "\n").splitlines() if line.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", nargs="*", help="documents to check")
    parser.add_argument("--base", help="check what HEAD changes since its merge base with BASE")
    parser.add_argument("--head", default="HEAD", help="with --base: the branch (HEAD)")
    parser.add_argument("--files-from", help="file with one document path a line ('-': stdin)")
    parser.add_argument(
        "--summary",
        type=Path,
        help="Markdown file to append to (default: $GITHUB_STEP_SUMMARY)",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument("--python", help="interpreter for build.py (default: .venv/bin/python)")
    return parser.parse_args(argv)


def select(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """(documents, metadata files without a document) named by the arguments."""
    docs = list(args.documents)
    orphans: list[str] = []
    if args.files_from:
        docs += read_list(args.files_from)
    if args.base:
        base = changed_documents.merge_base(args.root, args.base, args.head)
        changed = changed_documents.changed_paths(args.root, base, args.head)
        tree = changed_documents.files_at(args.root, args.head)
        found, orphans = changed_documents.documents(changed, tree)
        docs += found
    return list(dict.fromkeys(docs)), orphans


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        docs, orphans = select(args)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        print(f"cannot list the documents: {detail.strip()}", file=sys.stderr)
        return 2
    python = args.python or default_python(args.root)
    results = [run_check(args.root, python, doc) for doc in docs]
    try:
        published = published_documents(args.root, args.base, args.head)
    except (OSError, subprocess.CalledProcessError, csv.Error, UnicodeDecodeError):
        published = {}
    mark_conflicts(results, published)
    env_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    summary = args.summary or (Path(env_summary) if env_summary else None)
    write_summary(summary, report_text(results, orphans))
    with untrusted_output():
        print("\n".join(plain_lines(results)) or "no document to check")
    return complain(results, orphans)


if __name__ == "__main__":
    sys.exit(main())
