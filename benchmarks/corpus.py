"""Corpus report: read every document of a folder and say, per document, what was recognised.

    .venv/bin/python benchmarks/corpus.py ../shared/real            # table per document + totals
    .venv/bin/python benchmarks/corpus.py ../shared/real --json out.json

Per document: body, fiscal year, kind, scope (each marked ✗ where a MANIFEST.tsv beside the
documents says otherwise), the standard tables found, identity checks passed / failed, pages and
seconds. The quickest honest measure of how general the parser is: run it before and after every
parser change.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yibao.build import source_files  # noqa: E402
from yibao.model import Document  # noqa: E402
from yibao.pipeline import parse_document  # noqa: E402

KIND = {"预算": "budget", "决算": "final_accounts"}
SCOPE = {"部门": "department", "单位": "unit"}
# The national template's standard tables (预算 and 决算 alike).
STANDARD_TABLES = (
    "summary", "revenue", "expenditure", "appropriation_summary", "general_budget_expenditure",
    "general_budget_basic_expenditure", "three_public",
)  # fmt: skip


@dataclass
class Result:
    file: str
    status: str
    body: str
    fiscal_year: int | None
    kind: str
    scope: str
    tables: list[str]
    passed: int
    failed: int
    pages: int
    seconds: float
    error: str
    expected: dict[str, str] = field(default_factory=dict)

    def mismatches(self) -> list[str]:
        if not self.expected:
            return []
        wrong = []
        if self.body != self.expected["bureau"]:
            wrong.append("body")
        if str(self.fiscal_year) != self.expected["fiscal_year"]:
            wrong.append("year")
        if self.kind != KIND.get(self.expected["kind"], self.expected["kind"]):
            wrong.append("kind")
        if self.scope != SCOPE.get(self.expected["scope"], self.expected["scope"]):
            wrong.append("scope")
        return wrong


def manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def read(path: Path, expected: dict[str, str]) -> Result:
    started = time.perf_counter()
    document: Document = parse_document(path, path.name)
    seconds = time.perf_counter() - started
    m = document.metadata
    return Result(
        file=path.name,
        status=document.status,
        body=m.bureau,
        fiscal_year=m.fiscal_year,
        kind=m.doc_type,
        scope=m.scope,
        tables=sorted({t.table_id for t in document.tables}),
        passed=sum(c.status == "pass" for c in document.checks),
        failed=sum(c.status == "fail" for c in document.checks),
        pages=document.pages,
        seconds=seconds,
        error=document.error,
        expected=expected,
    )


def mark(value: object, wrong: bool) -> str:
    return f"{value}{'✗' if wrong else ''}"


def report(results: list[Result]) -> str:
    lines = [f"{'file':44} {'status':8} {'body':26} {'year':6} {'kind':15} {'scope':11} std  checks      pages  s/page"]
    for r in results:
        wrong = r.mismatches()
        standard = sum(t in r.tables for t in STANDARD_TABLES)
        checks = f"{r.passed}/{r.passed + r.failed}"
        lines.append(
            f"{r.file[:44]:44} {r.status:8} {mark(r.body[:24], 'body' in wrong):26} "
            f"{mark(r.fiscal_year, 'year' in wrong):6} {mark(r.kind, 'kind' in wrong):15} "
            f"{mark(r.scope, 'scope' in wrong):11} {standard}/7  {checks:11} {r.pages:5}  "
            f"{r.seconds / max(1, r.pages):.3f}" + (f"  {r.error[:60]}" if r.error else "")
        )
    passed = sum(r.passed for r in results)
    total = passed + sum(r.failed for r in results)
    with_manifest = [r for r in results if r.expected]
    lines.append("")
    lines.append(f"documents: {len(results)}; status ok {sum(r.status == 'ok' for r in results)}")
    lines.append(f"identity checks passed: {passed}/{total} = {100 * passed / max(1, total):.1f} %")
    for what in ("body", "year", "kind", "scope"):
        right = sum(what not in r.mismatches() for r in with_manifest)
        lines.append(f"{what} right: {right}/{len(with_manifest)}")
    pages = sum(r.pages for r in results)
    seconds = sum(r.seconds for r in results)
    lines.append(f"pages: {pages}; seconds: {seconds:.1f}; ms per page: {1000 * seconds / max(1, pages):.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    expected = manifest(args.folder)
    results = []
    for path in source_files(args.folder):
        result = read(path, expected.get(path.name, {}))
        results.append(result)
        print(report([result]).splitlines()[1], file=sys.stderr, flush=True)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
