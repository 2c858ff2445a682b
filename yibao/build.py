"""The build: every source document → one data package, with duplicates and conflicts caught.

One bad document never stops the others: it is recorded with status `error` and a reason, the
rest are written, and the command exits non-zero at the end.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from yibao.extract import DOCUMENT_SUFFIXES
from yibao.model import Document
from yibao.model.ids import document_id
from yibao.package import write_all
from yibao.pipeline import parse_document, sha256_of

NOT_DOCUMENTS = ("readme.md", "license.md")


def source_files(sources: Path) -> Iterator[Path]:
    """Documents under `sources`, in a stable order; metadata files are read with their document."""
    for path in sorted(sources.rglob("*")):
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and not path.name.startswith("."):
            if path.name.lower() in NOT_DOCUMENTS:
                continue
            yield path


def unusable_files(sources: Path) -> Iterator[tuple[Path, str]]:
    """Files the build cannot use, each with the reason: other file types (a .docx, an .xlsx),
    and metadata files with no document of the same name beside them (a misspelt name)."""
    for path in sorted(sources.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.name.lower() in NOT_DOCUMENTS:
            continue
        if path.name.endswith(".meta.toml"):
            stem = path.name.removesuffix(".meta.toml")
            if not any(path.with_name(stem + suffix).is_file() for suffix in DOCUMENT_SUFFIXES):
                yield (
                    path,
                    (
                        f"元数据文件旁没有同名的文件 {stem}.pdf/.txt/.md，不会被使用；请更正文件名 "
                        f"(metadata file with no document named {stem}.pdf/.txt/.md beside it: correct its name)"
                    ),
                )
        elif path.suffix.lower() not in DOCUMENT_SUFFIXES:
            yield (
                path,
                (
                    f"不支持的文件类型 {path.suffix or '（无扩展名）'}，请转换为 PDF 或文本后再提交 "
                    f"(unsupported file type {path.suffix or '(none)'}: convert it to PDF, or to UTF-8 text)"
                ),
            )


def display_path(path: Path, sources: Path) -> str:
    """The path a reader sees: relative to the repository root when the sources live in it."""
    resolved = path.resolve()
    for base in (Path.cwd().resolve(), sources.resolve().parent):
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.name


def parse_all(items: list[tuple[Path, str]]) -> list[Document]:
    """Parse documents, on every core when there are many; the order of `items` is kept, so the
    output does not depend on which process finished first."""
    workers = int(os.environ.get("YIBAO_WORKERS", "0")) or min(os.cpu_count() or 1, 8)
    if workers < 2 or len(items) < 8:
        return [parse_document(path, name) for path, name in items]
    paths, names = zip(*items, strict=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(parse_document, paths, names, chunksize=4))


def build_documents(sources: Path, log: Any = sys.stderr) -> tuple[list[Document], list[dict[str, Any]]]:
    to_parse: list[tuple[Path, str]] = []
    rejected: list[dict[str, Any]] = []
    first_by_sha: dict[str, str] = {}
    for path, reason in unusable_files(sources):
        name = display_path(path, sources)
        rejected.append({"source_file": name, "sha256": sha256_of(path), "reason": reason})
        print(f"{name}: not used — {reason}", file=log)
    for path in source_files(sources):
        name = display_path(path, sources)
        digest = sha256_of(path)
        if digest in first_by_sha:
            reason = (
                f"与 {first_by_sha[digest]} 内容完全相同，只收录一次 (same file as {first_by_sha[digest]}: built once)"
            )
            rejected.append({"source_file": name, "sha256": digest, "reason": reason})
            print(f"{name}: duplicate — {reason}", file=log)
            continue
        first_by_sha[digest] = name
        to_parse.append((path, name))
    documents = parse_all(to_parse)
    for document in documents:
        if document.error:
            print(f"{document.source_file}: error — {document.error}", file=log)
    return resolve_conflicts(documents, rejected, log)


def resolve_conflicts(
    documents: list[Document], rejected: list[dict[str, Any]], log: Any
) -> tuple[list[Document], list[dict[str, Any]]]:
    """Two different files claiming the same bureau, year and kind: neither replaces the other;
    both are reported and left out until a person decides."""
    by_id: dict[str, list[Document]] = {}
    for document in documents:
        by_id.setdefault(document_id(document), []).append(document)
    kept: list[Document] = []
    for did, group in by_id.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        names = [d.source_file for d in group]
        for document in group:
            others = ", ".join(n for n in names if n != document.source_file)
            reason = (
                f"冲突：与 {others} 声称同一发布单位、年度和类型（{did}），均未收录；请删除其一或在元数据文件中更正 "
                f"(conflict: {others} claims the same bureau, year and kind; neither was published — remove one or correct its metadata file)"
            )
            rejected.append({"source_file": document.source_file, "sha256": document.sha256, "reason": reason})
            print(f"{document.source_file}: conflict — {reason}", file=log)
    kept.sort(key=document_id)
    return kept, rejected


def build_data(sources: Path, out: Path, log: Any = sys.stderr) -> int:
    """Write the data package; the exit status says whether every document was read."""
    if not sources.is_dir():
        print(f"{sources}: 找不到源文件目录 (no such folder)", file=log)
        return 2
    documents, rejected = build_documents(sources, log)
    write_all(out, documents, rejected)
    failed = [d for d in documents if d.status == "error"]
    print(
        f"{len(documents)} documents ({sum(d.status == 'ok' for d in documents)} ok, "
        f"{sum(d.status == 'partial' for d in documents)} partial, {len(failed)} error), "
        f"{len(rejected)} rejected → {out}",
        file=log,
    )
    return 1 if failed or rejected else 0
