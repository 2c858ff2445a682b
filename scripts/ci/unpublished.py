#!/usr/bin/env python3
"""Say which documents a build could not publish, without failing the job.

    python scripts/ci/unpublished.py [--package datapackage]

Run by scripts/build.sh on main (YIBAO_PUBLISH_WITH_ERRORS=1) when `build.py` exited 1: some
document could not be read, or a file was rejected (duplicate, conflict). Every other document is
published, so the deployment goes ahead; this lists the others in the log, as warning annotations
and in the job summary ($GITHUB_STEP_SUMMARY), each with its reason. Values are escaped
(ci_text.py). Standard library only. Exit status 0.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from ci_text import command_data, command_property, md_code, md_text, on_github, shown, untrusted_output


def _from_cell(value: str) -> str:
    import re

    return value[1:] if len(value) > 2 and re.match(r"'+(?:[=+\-@\t\r]|[ \u3000]+[=+\-@])", value) else value


def rows(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [{k: _from_cell(v or "") for k, v in row.items() if k} for row in csv.DictReader(handle)]
    except (OSError, csv.Error, UnicodeDecodeError):
        return []


def unpublished(package: Path) -> list[tuple[str, str]]:
    """(source file, reason) of every document not published."""
    found = [
        (r["source_file"], r.get("problems", "")) for r in rows(package / "documents.csv") if r.get("status") == "error"
    ]
    found += [(r["source_file"], r.get("reason", "")) for r in rows(package / "rejected_files.csv")]
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, default=Path("datapackage"))
    args = parser.parse_args(argv)
    found = unpublished(args.package)
    with untrusted_output():
        for source, reason in found:
            print(f"not published: {shown(source)}: {shown(reason)}", file=sys.stderr)
    if on_github():
        for source, reason in found:
            print(f"::warning file={command_property(source)},title=Not published::{command_data(reason)}")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and found:
        lines = [
            f"## ⚠️ {len(found)} document(s) not published",
            "",
            "Every other document is published. Fix these in a pull request (see CONTRIBUTING.md).",
            "",
            "| document | reason |",
            "| --- | --- |",
            *[f"| {md_code(source)} | {md_text(reason)} |" for source, reason in found],
        ]
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
