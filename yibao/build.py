"""The build: every source document → one data package, with duplicates and conflicts caught.

One bad document never stops the others: it is recorded with status `error` and a reason, the
rest are written, and the command exits non-zero at the end. Each document is read in a worker
process of its own under resource limits (`yibao.isolation`): a document that loops, explodes
or kills its worker is that document's error. A file that vanishes or cannot be read during the
build is that file's error too.

One disclosure published in several files (说明 + 报表, 绩效目标 apart: the same body, year, kind
and scope, no table printed in two of them) is read as one document (`merge_parts`).

A conflict (two files claiming one bureau, year and kind) never unpublishes what is published:
when one of the files is the one the previous package published (same path, or same bytes), it
stays and the newcomer is rejected; when none is, both are held back until a person decides.

Exit status: 0 every document read; 1 some document could not be read or a file was rejected
(everything else is written); 2 nothing was written (no sources folder, the output could not
be written: disk full, read-only); 3 another build is writing the same output.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yibao.display import shown
from yibao.extract import DOCUMENT_SUFFIXES
from yibao.isolation import read_isolated
from yibao.messages import say
from yibao.model import Document, Metadata
from yibao.model.errors import UnreadableDocument
from yibao.model.ids import doc_id, document_id
from yibao.output import OutputError, OutputLocked, output_lock, write_error
from yibao.package import write_all
from yibao.package.cells import from_cell
from yibao.pipeline import REQUIRED_TABLES, checks_across_years, parse_document, parse_parts, sha256_of

NOT_DOCUMENTS = ("readme.md", "license.md")
EXIT_WRITE_FAILED = 2
EXIT_LOCKED = 3


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
                yield path, say("build.orphan_metadata", stem=stem)
        elif path.suffix.lower() not in DOCUMENT_SUFFIXES:
            yield path, say("build.unsupported_file", suffix=path.suffix or say("build.no_suffix"))


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
    """Parse documents, each in its own worker under the stated limits, on every core; the
    order of `items` is kept, so the output does not depend on which worker finished first."""
    return read_isolated(parse_document, items)


@dataclass(frozen=True)
class Published:
    """What the previous package published for one doc_id."""

    source_file: str
    sha256: str


def published_documents(package: Path) -> dict[str, Published]:
    """doc_id → the file the package at `package` published for it (nothing if there is none)."""
    path = package / "documents.csv"
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return {
        from_cell(row.get("doc_id") or ""): Published(
            from_cell(row.get("source_file") or ""), from_cell(row.get("sha256") or "")
        )
        for row in rows
        if row.get("doc_id") and row.get("status") != "error"
    }


def _hash(path: Path) -> tuple[str, str]:
    """(sha256, '') or ('', the reason the file cannot be read)."""
    try:
        return sha256_of(path), ""
    except UnreadableDocument as error:
        return "", str(error)


def build_documents(
    sources: Path, log: Any = sys.stderr, published: dict[str, Published] | None = None
) -> tuple[list[Document], list[dict[str, Any]]]:
    to_parse: list[tuple[Path, str]] = []
    unreadable: dict[str, Document] = {}
    order: list[str] = []  # the listing order, kept in the output
    rejected: list[dict[str, Any]] = []
    first_by_sha: dict[str, str] = {}
    for path, reason in unusable_files(sources):
        name = display_path(path, sources)
        rejected.append({"source_file": name, "sha256": _hash(path)[0], "reason": reason})
        print(f"{shown(name)}: not used — {shown(reason)}", file=log)
    for path in source_files(sources):
        name = display_path(path, sources)
        digest, problem = _hash(path)
        if problem:  # vanished or unreadable since it was listed
            unreadable[name] = Document(source_file=name, sha256="", metadata=Metadata(), error=problem)
            order.append(name)
            continue
        if digest in first_by_sha:
            reason = say("build.duplicate", first=first_by_sha[digest])
            rejected.append({"source_file": name, "sha256": digest, "reason": reason})
            print(f"{shown(name)}: duplicate — {shown(reason)}", file=log)
            continue
        first_by_sha[digest] = name
        to_parse.append((path, name))
        order.append(name)
    parsed = {d.source_file: d for d in parse_all(to_parse)}
    documents = [parsed[name] if name in parsed else unreadable[name] for name in order]
    documents = merge_parts(documents, {name: path for path, name in to_parse}, log)
    for document in documents:
        if document.error:
            print(f"{shown(document.source_file)}: error — {shown(document.error)}", file=log)
    return resolve_conflicts(documents, rejected, log, published or {})


def check_document(file: Path, name: str, log: Any = None) -> Document:
    """`build.py check FILE`: the document FILE is, read as a build would read it. A file that may
    be one part of a disclosure published in several (no table, a standard table missing, or no
    narrative) is read with the other documents of its folder, and merged with those that are its
    other parts (`merge_parts`)."""
    document = read_isolated(parse_document, [(file, name)], workers=1)[0]
    if not _may_be_part(document):
        return document
    inside = file.resolve().parent.is_relative_to(Path.cwd().resolve())
    siblings = [p for p in source_files(file.parent) if p.parent == file.parent and p.resolve() != file.resolve()]
    if not siblings:
        return document
    tasks = [(p, display_path(p, p.parent) if inside else str(p)) for p in siblings]
    documents = [document, *read_isolated(parse_document, tasks)]
    paths = {name: file, **{n: p for p, n in tasks}}
    group = next((g for g in part_groups(documents) if document in g), None)
    if group is None:
        return document
    [merged] = merge_parts(group, paths, log if log is not None else io.StringIO())
    return merged


def _may_be_part(document: Document) -> bool:
    if document.no_tables:
        return True
    if document.error:
        return False
    printed = printed_tables(document)
    return any(t not in printed for t in REQUIRED_TABLES) or not (document.glossary or document.stated_changes)


def part_key(document: Document) -> str:
    """What a file claims to be (body, year, kind, scope), if it was read far enough to say."""
    m = document.metadata
    if not m.bureau or not m.fiscal_year or (document.error and not document.no_tables):
        return ""
    return doc_id(m)


def printed_tables(document: Document) -> set[str]:
    return {t.table_id for t in document.tables}


def shared_tables(group: list[Document]) -> list[str]:
    """The tables printed by more than one document of `group`."""
    seen: dict[str, int] = {}
    for document in group:
        for table_id in printed_tables(document):
            seen[table_id] = seen.get(table_id, 0) + 1
    return sorted(t for t, count in seen.items() if count > 1)


def part_groups(documents: list[Document]) -> list[list[Document]]:
    """Files that are parts of one disclosure: the same body, year, kind and scope, at least one
    of them with tables, and no table printed by two of them (two files printing the same table
    are two versions of one document: a conflict, `resolve_conflicts`)."""
    by_key: dict[str, list[Document]] = {}
    for document in documents:
        key = part_key(document)
        if key:
            by_key.setdefault(key, []).append(document)
    return [
        group
        for group in by_key.values()
        if len(group) > 1 and any(d.tables for d in group) and not shared_tables(group)
    ]


def merge_parts(documents: list[Document], paths: dict[str, Path], log: Any) -> list[Document]:
    """Read each group of parts (`part_groups`) again, as one document (`parse_parts`): files
    without tables first (a 说明 before its 报表), then in the listing order; the document takes
    the path and hash of the part with the most tables."""
    groups = [g for g in part_groups(documents) if all(d.source_file in paths for d in g)]
    if not groups:
        return documents
    ordered = [sorted(g, key=lambda d: bool(d.tables)) for g in groups]  # stable: listing order kept
    primaries = [max(g, key=lambda d: len(d.tables)).source_file for g in ordered]
    items = {
        primary: [(paths[d.source_file], d.source_file) for d in g]
        for primary, g in zip(primaries, ordered, strict=True)
    }
    merged = read_isolated(lambda _path, name: parse_parts(items[name], name), [(paths[p], p) for p in primaries])
    by_primary = dict(zip(primaries, merged, strict=True))
    in_group = {d.source_file: primary for primary, g in zip(primaries, ordered, strict=True) for d in g}
    result: list[Document] = []
    for document in documents:
        primary = in_group.get(document.source_file)
        if primary is None:
            result.append(document)
        elif document.source_file == primary:
            one = by_primary[primary]
            names = ", ".join(name for _, name in items[primary])
            print(
                f"{shown(primary)}: merged — {shown(say('build.merged', doc_id=document_id(one), parts=names))}",
                file=log,
            )
            result.append(one)
    return result


def resolve_conflicts(
    documents: list[Document],
    rejected: list[dict[str, Any]],
    log: Any,
    published: dict[str, Published] | None = None,
) -> tuple[list[Document], list[dict[str, Any]]]:
    """Two different files claiming the same bureau, year and kind: the one already published
    stays and the others are rejected; when none of them is published, all are reported and
    left out until a person decides."""
    published = published or {}
    by_id: dict[str, list[Document]] = {}
    for document in documents:
        by_id.setdefault(document_id(document), []).append(document)
    kept: list[Document] = []
    for did, group in by_id.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        incumbent = _incumbent(group, published.get(did))
        names = [d.source_file for d in group]
        shared = shared_tables(group)
        same = " " + say("build.same_tables", tables=", ".join(shared)) if shared else ""
        for document in group:
            if document is incumbent:
                kept.append(document)
                continue
            if incumbent is not None:
                reason = say("build.conflict_published", published=incumbent.source_file, doc_id=did)
            else:
                others = ", ".join(n for n in names if n != document.source_file)
                reason = say("build.conflict", others=others, doc_id=did)
            reason += same
            rejected.append({"source_file": document.source_file, "sha256": document.sha256, "reason": reason})
            print(f"{shown(document.source_file)}: conflict — {shown(reason)}", file=log)
    kept.sort(key=document_id)
    return kept, rejected


def _incumbent(group: list[Document], published: Published | None) -> Document | None:
    """The document of `group` that the previous package published: by path, else by bytes."""
    if published is None:
        return None
    for matches in (
        [d for d in group if d.source_file == published.source_file],
        [d for d in group if d.sha256 and d.sha256 == published.sha256],
    ):
        if len(matches) == 1:
            return matches[0]
    return None


def build_data(sources: Path, out: Path, log: Any = sys.stderr, published: Path | None = None) -> int:
    """Write the data package; the exit status says whether every document was read (see the
    module's description). `published` is the package whose documents win a conflict (default:
    the package being replaced, at `out`)."""
    if not sources.is_dir():
        print(say("build.no_sources", folder=shown(str(sources))), file=log)
        return EXIT_WRITE_FAILED
    try:
        with output_lock(out):
            documents, rejected = build_documents(sources, log, published_documents(published or out))
            try:
                write_all(out, documents, rejected, checks_across_years(documents))
            except OSError as error:
                raise write_error(out, error) from error
    except OutputLocked as error:
        print(shown(str(error)), file=log)
        return EXIT_LOCKED
    except OutputError as error:
        print(shown(str(error)), file=log)
        return EXIT_WRITE_FAILED
    failed = [d for d in documents if d.status == "error"]
    print(
        f"{len(documents)} documents ({sum(d.status == 'ok' for d in documents)} ok, "
        f"{sum(d.status == 'partial' for d in documents)} partial, {len(failed)} error), "
        f"{len(rejected)} rejected → {shown(str(out))}",
        file=log,
    )
    return 1 if failed or rejected else 0
