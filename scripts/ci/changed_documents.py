#!/usr/bin/env python3
"""List the source documents a branch adds or changes, one path a line.

    python scripts/ci/changed_documents.py --base origin/main [--head HEAD]

Compares HEAD with its merge base with BASE (what a pull request changes), keeps the files
under source_docs/ that are documents (.pdf, .txt, .md, .markdown, .text: every kind the build
reads) and maps a changed metadata file
(`<stem>.meta.toml`) to the document it describes. Deleted documents are left out: there is
nothing left to check. A metadata file whose document does not exist is reported on stderr
and makes the exit status 1 (it would be silently ignored by the build).
Standard library only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from ci_text import shown

SOURCE_DIR = "source_docs"
DOCUMENT_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".text")  # as yibao.extract.DOCUMENT_SUFFIXES
META_SUFFIX = ".meta.toml"


def git(root: Path, *args: str) -> str:
    """Run git in ROOT and return its standard output (raises on failure)."""
    result = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return result.stdout


def merge_base(root: Path, base: str, head: str) -> str:
    """The commit where HEAD's branch left BASE."""
    return git(root, "merge-base", base, head).strip()


def changed_paths(root: Path, base: str, head: str) -> list[str]:
    """Paths under source_docs/ added, copied, modified or renamed between BASE and HEAD."""
    out = git(
        root,
        "-c",
        "core.quotepath=false",
        "diff",
        "--name-only",
        "--no-renames",
        "--diff-filter=ACMRT",
        "-z",
        base,
        head,
        "--",
        f"{SOURCE_DIR}/",
    )
    return [p for p in out.split("\0") if p]


def is_meta(path: str) -> bool:
    return path.lower().endswith(META_SUFFIX)


def is_document(path: str) -> bool:
    return not is_meta(path) and path.lower().endswith(DOCUMENT_SUFFIXES)


def files_at(root: Path, head: str) -> set[str]:
    """Every file under source_docs/ in the tree of HEAD."""
    out = git(root, "ls-tree", "-r", "-z", "--name-only", head, "--", f"{SOURCE_DIR}/")
    return {p for p in out.split("\0") if p}


def document_for_meta(meta: str, tree: set[str]) -> str | None:
    """The document `<stem>.pdf|txt|md` beside META, if HEAD has one."""
    stem = meta[: -len(META_SUFFIX)]
    for candidate in sorted(tree):
        if candidate.lower() in {stem.lower() + s for s in DOCUMENT_SUFFIXES}:
            return candidate
    return None


def documents(paths: Iterable[str], tree: set[str]) -> tuple[list[str], list[str]]:
    """(documents to check, metadata files without a document), both sorted."""
    found: set[str] = set()
    orphans: list[str] = []
    for path in paths:
        if is_document(path):
            found.add(path)
        elif is_meta(path):
            doc = document_for_meta(path, tree)
            if doc is None:
                orphans.append(path)
            else:
                found.add(doc)
    return sorted(found, key=PurePosixPath), sorted(orphans)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the branch or commit merged into")
    parser.add_argument("--head", default="HEAD", help="the branch or commit (HEAD)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument("-z", "--null", action="store_true", help="end paths with NUL")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        base = merge_base(args.root, args.base, args.head)
        docs, orphans = documents(changed_paths(args.root, base, args.head), files_at(args.root, args.head))
    except subprocess.CalledProcessError as exc:
        print(f"git failed: {exc.stderr.strip() or exc}", file=sys.stderr)
        return 2
    if args.null:
        sys.stdout.write("".join(doc + "\0" for doc in docs))
    else:  # one a line: a name holding a line break (or a control character) is shown escaped
        sys.stdout.write("".join(shown(doc) + "\n" for doc in docs))
    for meta in orphans:
        print(
            f"{shown(meta)}: metadata file without a document beside it "
            f"(expected {shown(meta[: -len(META_SUFFIX)])}.pdf, .txt, .md, .markdown or .text)",
            file=sys.stderr,
        )
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main())
