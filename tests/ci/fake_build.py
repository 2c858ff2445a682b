"""A stand-in for build.py that speaks the contract's `check --json` and `data` commands.

Copied as `build.py` into the temporary repositories of the CI script tests, so the scripts'
own logic (listing, reporting, comparing) is tested fast and independently of the parser.
A file that is empty or holds NUL bytes cannot be read; a file containing `CRASH` makes this
program die with a traceback; everything else is read with one table, one passed and one
failed check and one problem.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any


def read(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    base: dict[str, Any] = {
        "file": path.as_posix(),
        "tables": [],
        "checks": [],
        "problems": [],
    }
    if not data:
        return {**base, "status": "error", "error": "the file is empty (0 bytes)"}
    if b"\0" in data:
        return {
            **base,
            "status": "error",
            "error": "binary data, not text: NUL bytes found",
        }
    text = data.decode("utf-8", errors="replace")
    if "CRASH" in text:
        raise RuntimeError("simulated parser crash")
    bureau = re.search(r"(\S+?医疗保障局)", text)
    year = re.search(r"(20\d\d)年", text)
    return {
        **base,
        "status": "partial",
        "error": None,
        "doc_id": "fake-" + hashlib.sha256(data).hexdigest()[:8],
        "bureau": bureau.group(1) if bureau else None,
        "fiscal_year": int(year.group(1)) if year else None,
        "doc_type": "final_accounts" if "决算" in text else "budget",
        "scope": "department",
        "admin_level": "prefecture",
        "units": ["本级"],
        "tables": [
            {
                "table": "summary",
                "title": "部门收支总表",
                "page": 3,
                "line": 120,
                "rows": 14,
            }
        ],
        "checks": [
            {
                "check": "summary.income_equals_expense",
                "status": "pass",
                "outcome": "exact",
                "table": "summary",
                "code": "",
                "measure": "",
                "expected": "1116.56",
                "actual": "1116.56",
                "difference": "0.00",
                "message": "收入总计 = 支出总计",
            },
            {
                "check": "expenditure.parent_equals_children",
                "status": "fail",
                "outcome": "mismatch",
                "table": "expenditure",
                "code": "20805",
                "measure": "total",
                "expected": "310.20",
                "actual": "301.20",
                "difference": "-9.00",
                "message": "款 = sum of 项 | printed",
            },
        ],
        "problems": [
            {
                "severity": "warning",
                "reason": "row without amounts",
                "table": "summary",
                "page": 3,
                "line": 130,
            }
        ],
    }


def check(file: str, as_json: bool) -> int:
    report = read(Path(file))
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(report["status"], report.get("error") or "")
    return 1 if report["status"] == "error" else 0


def data(sources: str, out: str) -> int:
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    rows = ["source_file,sha256"]
    for path in sorted(Path(sources).rglob("*")):
        if path.suffix in {".pdf", ".txt", ".md"} and not path.name.endswith(".meta.toml"):
            rows.append(f"{path.as_posix()},{hashlib.sha256(path.read_bytes()).hexdigest()}")
    (target / "documents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    package = {
        "name": "fake",
        "resources": [{"name": "documents", "path": "documents.csv"}],
    }
    (target / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    check_p = sub.add_parser("check")
    check_p.add_argument("file")
    check_p.add_argument("--json", action="store_true")
    data_p = sub.add_parser("data")
    data_p.add_argument("--sources", default="source_docs")
    data_p.add_argument("--out", default="datapackage")
    data_p.add_argument("--published")  # the real build's conflict reference; nothing to do here
    args = parser.parse_args()
    if args.command == "check":
        return check(args.file, args.json)
    return data(args.sources, args.out)


if __name__ == "__main__":
    sys.exit(main())
