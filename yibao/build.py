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
import errno
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yibao.cache import DocumentStore, Source, entry_key, metadata_digest, read_from, summary_of
from yibao.display import shown
from yibao.extract import DOCUMENT_SUFFIXES
from yibao.isolation import error_document, read_isolated, run_isolated
from yibao.messages import say
from yibao.model import Document, Metadata
from yibao.model.errors import UnreadableDocument
from yibao.model.ids import doc_id, document_id
from yibao.output import OutputError, OutputLocked, output_lock, write_error
from yibao.package import RenderedDocument, render_document, write_all
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


@dataclass
class ParseJobs:
    """The files a build reads and the store their results go to; `keys` says under which key
    the store holds each document (by `source_file`), once read."""

    store: DocumentStore
    sources: list[Source]
    keys: dict[str, str]


# what a worker sends back: the document's summary, and its rows when they were not stored
Outcome = tuple[Document, RenderedDocument | None]


def parse_all(jobs: ParseJobs) -> list[Document]:
    """Every file of `jobs`, read once: from the store when it holds this parser's reading of
    these bytes, else in a worker of its own under the stated limits, on every core. Returns the
    documents' summaries (`cache.summary_of`) in the order of `jobs.sources`, so the output does
    not depend on which worker finished first."""
    found: dict[str, Document] = {}
    for source in jobs.sources:
        key = jobs.keys[source.name] = entry_key([source], source.name)
        summary = jobs.store.summary(key)
        if summary is not None:
            found[source.name] = summary
    missing = {source.name: source for source in jobs.sources if source.name not in found}

    def read(_path: Path, name: str) -> Outcome:
        source = missing[name]
        return _store(jobs, parse_document(source.path, name), [source])

    tasks = [(source.path, name) for name, source in missing.items()]
    for (_, name), outcome in zip(tasks, run_isolated(read, tasks, _failed), strict=True):
        found[name] = _stored(jobs, name, outcome)
    return [found[source.name] for source in jobs.sources]


def _store(jobs: ParseJobs, document: Document, sources: list[Source]) -> Outcome:
    """In the worker: render the document's rows and store them with its summary when the
    document was read from the very bytes its key names; else send the rows back."""
    summary, rendered = summary_of(document), render_document(document)
    if read_from(document, sources):
        try:
            jobs.store.put(entry_key(sources, document.source_file), summary, rendered)
            return summary, None
        except OSError:  # the store cannot be written (disk full): the rows go back, as uncached
            pass
    return summary, rendered


def _failed(path: Path, name: str, reason: str) -> Outcome:
    """A worker that died or hit a limit: the document's error, never stored."""
    document = error_document(path, name, reason)
    return summary_of(document), render_document(document)


def _stored(jobs: ParseJobs, name: str, outcome: Outcome) -> Document:
    summary, rendered = outcome
    if rendered is not None:
        jobs.store.keep_for_build(jobs.keys[name], rendered)
    return summary


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
    sources: Path,
    log: Any = sys.stderr,
    published: dict[str, Published] | None = None,
    store: DocumentStore | None = None,
) -> tuple[list[Document], list[dict[str, Any]], ParseJobs]:
    """Every document of `sources` read (or found in `store`), parts merged, conflicts resolved:
    the documents to publish (summaries, in doc_id order), the rejected files, and where the
    documents' rows are."""
    jobs = ParseJobs(store if store is not None else DocumentStore(), [], {})
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
            jobs.keys[name] = f"unreadable:{name}"
            jobs.store.keep_for_build(jobs.keys[name], render_document(unreadable[name]))
            order.append(name)
            continue
        if digest in first_by_sha:
            reason = say("build.duplicate", first=first_by_sha[digest])
            rejected.append({"source_file": name, "sha256": digest, "reason": reason})
            print(f"{shown(name)}: duplicate — {shown(reason)}", file=log)
            continue
        first_by_sha[digest] = name
        jobs.sources.append(Source(path, name, digest, metadata_digest(path)))
        order.append(name)
    parsed = {d.source_file: d for d in parse_all(jobs)}
    documents = [parsed[name] if name in parsed else unreadable[name] for name in order]
    documents = merge_parts(documents, lambda groups: _read_groups(jobs, groups), log)
    for document in documents:
        if document.error:
            print(f"{shown(document.source_file)}: error — {shown(document.error)}", file=log)
    kept, rejected = resolve_conflicts(documents, rejected, log, published or {})
    return kept, rejected, jobs


# the groups of parts to read as one document each: (the name it is published under, its parts' names)
Groups = list[tuple[str, list[str]]]


def _read_groups(jobs: ParseJobs, groups: Groups) -> list[Document]:
    """Each group read as one document (`parse_parts`), or found in the store; summaries."""
    by_name = {source.name: source for source in jobs.sources}
    found: dict[str, Document] = {}
    for primary, items in groups:
        key = jobs.keys[primary] = entry_key([by_name[name] for name in items], primary)
        summary = jobs.store.summary(key)
        if summary is not None:
            found[primary] = summary
    missing = {primary: items for primary, items in groups if primary not in found}

    def read(_path: Path, primary: str) -> Outcome:
        parts = [by_name[name] for name in missing[primary]]
        return _store(jobs, parse_parts([(part.path, part.name) for part in parts], primary), parts)

    tasks = [(by_name[primary].path, primary) for primary in missing]
    for (_, primary), outcome in zip(tasks, run_isolated(read, tasks, _failed), strict=True):
        found[primary] = _stored(jobs, primary, outcome)
    return [found[primary] for primary, _ in groups]


def shard_of(sha256: str, count: int) -> int:
    """The shard (0 … count-1) a document's bytes fall in: the same on every machine."""
    return int(sha256[:12], 16) % count


def parse_shard(sources: Path, cache: Path, shard: int, count: int, log: Any = sys.stderr) -> int:
    """`build.py parse --shard K/N`: read the documents of shard K of N (by the hash of their
    bytes, `shard_of`) into the parse cache at `cache`, and write nothing else. Shards read on
    several machines (a GitHub Actions matrix) and their caches put together, `build.py data
    --cache` finds every document read and writes what one machine would have written: the
    same entries under the same keys. Only the parts of a disclosure published in several files
    are read there, merged as one (they are found to be parts once every file is read)."""
    if not sources.is_dir():
        print(say("build.no_sources", folder=shown(str(sources))), file=log)
        return EXIT_WRITE_FAILED
    store = DocumentStore(cache)
    chosen: list[Source] = []
    seen: set[str] = set()
    for path in source_files(sources):
        digest, problem = _hash(path)
        if problem or digest in seen:  # unreadable, or a duplicate the build rejects: nothing to keep
            continue
        seen.add(digest)
        if shard_of(digest, count) == shard:
            chosen.append(Source(path, display_path(path, sources), digest, metadata_digest(path)))
    documents = parse_all(ParseJobs(store, chosen, {}))
    store.prune()
    print(say("build.shard_read", shard=shard, count=count, read=len(documents), files=len(seen)), file=log)
    return 0


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

    def read(groups: Groups) -> list[Document]:
        items = {primary: [(paths[name], name) for name in names] for primary, names in groups}
        return read_isolated(lambda _path, name: parse_parts(items[name], name), [(paths[p], p) for p in items])

    [merged] = merge_parts(group, read, log if log is not None else io.StringIO())
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


def merge_parts(documents: list[Document], read: Callable[[Groups], list[Document]], log: Any) -> list[Document]:
    """Read each group of parts (`part_groups`) again, as one document (`read`: `parse_parts`
    in a worker): files without tables first (a 说明 before its 报表), then in the listing
    order; the document takes the path and hash of the part with the most tables."""
    groups = part_groups(documents)
    if not groups:
        return documents
    ordered = [sorted(g, key=lambda d: bool(d.tables)) for g in groups]  # stable: listing order kept
    primaries = [max(g, key=lambda d: len(d.tables)).source_file for g in ordered]
    items = {primary: [d.source_file for d in g] for primary, g in zip(primaries, ordered, strict=True)}
    merged = read(list(items.items()))
    by_primary = dict(zip(primaries, merged, strict=True))
    in_group = {d.source_file: primary for primary, g in zip(primaries, ordered, strict=True) for d in g}
    result: list[Document] = []
    for document in documents:
        primary = in_group.get(document.source_file)
        if primary is None:
            result.append(document)
        elif document.source_file == primary:
            one = by_primary[primary]
            names = ", ".join(items[primary])
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


def build_data(
    sources: Path, out: Path, log: Any = sys.stderr, published: Path | None = None, cache: Path | None = None
) -> int:
    """Write the data package; the exit status says whether every document was read (see the
    module's description). `published` is the package whose documents win a conflict (default:
    the package being replaced, at `out`). `cache` is the folder of the parse cache
    (`yibao.cache`): documents read before by this parser are not read again; without it, every
    document is read (its results kept in a temporary folder while the package is written)."""
    if not sources.is_dir():
        print(say("build.no_sources", folder=shown(str(sources))), file=log)
        return EXIT_WRITE_FAILED
    store = DocumentStore(cache)
    try:
        with output_lock(out):
            documents, rejected, jobs = build_documents(sources, log, published_documents(published or out), store)
            try:
                write_all(out, _rows_of(jobs, documents), rejected, checks_across_years(documents))
            except OSError as error:
                raise write_error(out, error) from error
        store.prune()
    except OutputLocked as error:
        print(shown(str(error)), file=log)
        return EXIT_LOCKED
    except OutputError as error:
        print(shown(str(error)), file=log)
        return EXIT_WRITE_FAILED
    finally:
        store.close()
    failed = [d for d in documents if d.status == "error"]
    print(
        f"{len(documents)} documents ({sum(d.status == 'ok' for d in documents)} ok, "
        f"{sum(d.status == 'partial' for d in documents)} partial, {len(failed)} error), "
        f"{len(rejected)} rejected → {shown(str(out))}",
        file=log,
    )
    return 1 if failed or rejected else 0


def _rows_of(jobs: ParseJobs, documents: list[Document]) -> Iterator[RenderedDocument]:
    """The documents' rendered rows, read from the store one at a time."""
    for document in documents:
        key = jobs.keys[document.source_file]
        rows = jobs.store.rows(key)
        if not isinstance(rows, RenderedDocument):  # the entry was damaged since it was found
            jobs.store.discard(key)
            raise OSError(errno.ENOENT, say("build.store_lost", file=document.source_file))
        yield rows
