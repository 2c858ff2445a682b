#!/usr/bin/env python3
"""Check that the committed datapackage/ is what the sources produce.

    python scripts/ci/datapackage_fresh.py              # compare the working tree's datapackage/
    python scripts/ci/datapackage_fresh.py --rev HEAD   # compare datapackage/ as committed in HEAD

Rebuilds the package with `build.py data --sources source_docs --out <tmp> --published <the
committed package>` (a conflict keeps the document the committed package publishes, as a build
into datapackage/ does) and compares it file by file with datapackage/ (like `diff -r`). What
it prints of the CSVs is escaped: a value from a document cannot start a line or a workflow
command. Prints which files differ (with the first lines
of each difference) and exits 1 when they differ, 0 when they are the same, 2 when the
package could not be built. With $GITHUB_STEP_SUMMARY set, a short section is appended there.
Standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ci_text import md_code, shown, untrusted_output

PACKAGE_DIR = "datapackage"
SOURCE_DIR = "source_docs"
DIFF_LINES = 20
BUILD_TIMEOUT_S = 3600
IGNORED = [".gitkeep", ".gitattributes", ".DS_Store"]  # not written by the build


@dataclass
class Comparison:
    """Relative paths that differ between the committed and the rebuilt package."""

    only_committed: list[str] = field(default_factory=list)
    only_rebuilt: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.only_committed or self.only_rebuilt or self.changed)


def default_python(root: Path) -> str:
    venv = root / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def rebuild(root: Path, python: str, out: Path, published: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Write a fresh package into OUT with the repository's build.py."""
    command = [python, "build.py", "data", "--sources", SOURCE_DIR, "--out", str(out)]
    if published is not None and (published / "documents.csv").is_file():
        command += ["--published", str(published)]
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )


def extract_committed(root: Path, rev: str, dest: Path) -> Path:
    """Unpack datapackage/ as committed in REV into DEST and return its path."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "--", f"{PACKAGE_DIR}/"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    target = dest / PACKAGE_DIR
    target.mkdir(parents=True)
    if archive.returncode != 0:  # nothing committed under datapackage/ yet
        return target
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return target


def compare(left: Path, right: Path, prefix: str = "") -> Comparison:
    """Recursive byte-for-byte comparison of two directories."""
    result = Comparison()
    walk(filecmp.dircmp(left, right, ignore=IGNORED), prefix, result)
    return result


def walk(cmp: filecmp.dircmp[str], prefix: str, result: Comparison) -> None:
    result.only_committed += [prefix + n for n in sorted(cmp.left_only)]
    result.only_rebuilt += [prefix + n for n in sorted(cmp.right_only)]
    result.changed += [
        prefix + n
        for n in sorted(cmp.common_funny + cmp.common_files)
        if n in cmp.common_funny or not same_bytes(cmp, n)
    ]
    for name in sorted(cmp.subdirs):
        walk(cmp.subdirs[name], f"{prefix}{name}/", result)


def same_bytes(cmp: filecmp.dircmp[str], name: str) -> bool:
    return filecmp.cmp(Path(cmp.left) / name, Path(cmp.right) / name, shallow=False)


def text_diff(left: Path, right: Path, name: str) -> list[str]:
    """The first lines of a unified diff of NAME, or a note for binary files."""
    try:
        a = left.read_text(encoding="utf-8-sig").splitlines()
        b = right.read_text(encoding="utf-8-sig").splitlines()
    except (UnicodeDecodeError, IsADirectoryError):
        return [f"  (binary or directory: {name} differs)"]
    lines = list(difflib.unified_diff(a, b, f"committed/{name}", f"rebuilt/{name}", lineterm=""))
    if not lines:
        return ["  (only the byte order mark or line endings differ)"]
    more = len(lines) - DIFF_LINES
    shown = ["  " + line for line in lines[:DIFF_LINES]]
    return shown + ([f"  … {more} more diff lines"] if more > 0 else [])


def describe(result: Comparison, committed: Path, rebuilt: Path) -> list[str]:
    lines = [f"Only in the committed {PACKAGE_DIR}/: {p}" for p in result.only_committed]
    lines += [f"Only in the rebuilt package (not committed): {p}" for p in result.only_rebuilt]
    for name in result.changed:
        lines.append(f"Differs: {PACKAGE_DIR}/{name}")
        lines += text_diff(committed / name, rebuilt / name, name)
    return lines


def shown_lines(text: str) -> str:
    return "\n".join(shown(line) for line in text.split("\n"))


def summary_markdown(result: Comparison) -> str:
    if result.same:
        return f"## `{PACKAGE_DIR}/` is up to date\n\nIt is exactly what the sources produce.\n"
    rows = [(p, "only committed") for p in result.only_committed]
    rows += [(p, "missing (not committed)") for p in result.only_rebuilt]
    rows += [(p, "differs") for p in result.changed]
    lines = [
        f"## ❌ `{PACKAGE_DIR}/` is out of date",
        "",
        "Run `bash scripts/build.sh` (or `python build.py data`) and commit `datapackage/`.",
        "",
        "| file | |",
        "| --- | --- |",
    ]
    lines += [f"| {md_code(f'{PACKAGE_DIR}/{p}')} | {what} |" for p, what in rows]
    return "\n".join(lines) + "\n"


def append_summary(text: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="compare datapackage/ as committed in REV, not the files")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument("--python", help="interpreter for build.py (default: .venv/bin/python)")
    return parser.parse_args(argv)


def check(root: Path, python: str, rev: str | None, work: Path) -> int:
    rebuilt = work / "rebuilt"
    committed = extract_committed(root, rev, work / "committed") if rev else root / PACKAGE_DIR
    proc = rebuild(root, python, rebuilt, committed)
    if not (rebuilt / "datapackage.json").exists():
        print(
            f"build.py data wrote no datapackage.json (exit {proc.returncode}):",
            file=sys.stderr,
        )
        with untrusted_output():
            print(shown_lines(proc.stderr.strip()[-4000:] or proc.stdout.strip()[-4000:]), file=sys.stderr)
        return 2
    if proc.returncode != 0:
        print(
            f"note: build.py data exited {proc.returncode} (a document could not be read); comparing what it wrote",
            file=sys.stderr,
        )
    result = compare(committed, rebuilt)
    append_summary(summary_markdown(result))
    if result.same:
        print(f"{PACKAGE_DIR}/ is up to date")
        return 0
    with untrusted_output():
        print("\n".join(shown(line) for line in describe(result, committed, rebuilt)))
    print(
        f"{PACKAGE_DIR}/ differs from what the sources produce: run `bash scripts/build.sh` "
        f"(or `python build.py data`) and commit {PACKAGE_DIR}/",
        file=sys.stderr,
    )
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    python = args.python or default_python(args.root)
    if not args.rev and not (args.root / PACKAGE_DIR).is_dir():
        print(f"no {PACKAGE_DIR}/ in {args.root}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="datapackage-fresh-") as tmp:
        return check(args.root, python, args.rev, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
