"""Every document parsed once: parse results kept by content hash and parser version.

A build reads each document in a worker (`yibao.isolation`); the worker renders the document's
rows of the data package (`package.render_document`) and stores them here with the document's
summary (the document without its rows: what the build decides conflicts, parts and checks
across years on). The build then writes the package from the store, one document at a time, so
its memory does not grow with the number of documents.

An entry's key is a hash of the parser's version, the name the document is published under and
the bytes it was read from (the document and its metadata file). The parser's version is a
digest of every file the parser is made of (yibao/ but its site, yibao/data), of the libraries
that read PDFs and of `PARSER_VERSION`; so any change to reading makes a new version, and entries
of another version are never read (a build removes them).

Only what was read from the very bytes a key names is kept: a file that vanished or changed
while it was read, or a worker stopped by a limit (which depends on the limits, not the bytes),
is read again next time. The store is written by this project's own builds only (an Actions
cache is scoped to its branch; pull requests cannot write main's), so its entries are trusted
like the code: they are pickles. An entry that cannot be read (a torn copy) is read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from yibao.model import Document

# Bump when reading changes in a way the digest of the parser's files cannot see
PARSER_VERSION = "1"
PACKAGE_ROOT = Path(__file__).resolve().parent
# the libraries whose reading is part of ours
READING_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "rapidocr-onnxruntime", "onnxruntime", "pyyaml")
NOT_PARSER = ("site",)  # folders of yibao/ that do not read documents
# errors of the moment, not of the bytes: the document is read again next time
TRANSIENT_ERRORS = ("file.vanished", "file.unreadable", "file.not_regular")


@cache
def parser_version() -> str:
    """`PARSER_VERSION`-digest: changes with any file of the parser or any reading library."""
    digest = hashlib.sha256(f"{PARSER_VERSION}\n{sys.version_info[:2]}\n".encode())
    for library in READING_LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{library}=={importlib.metadata.version(library)}\n".encode())
    for path in sorted(PACKAGE_ROOT.rglob("*")):
        relative = path.relative_to(PACKAGE_ROOT)
        if path.suffix in (".py", ".yml") and path.is_file() and relative.parts[0] not in NOT_PARSER:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{PARSER_VERSION}-{digest.hexdigest()[:16]}"


@dataclass(frozen=True)
class Source:
    """One file a document is read from, as the build found it."""

    path: Path
    name: str  # as published (`source_file`)
    sha256: str  # of the file, taken when it was listed
    metadata_sha256: str  # of its metadata file ('' if it has none)


def metadata_digest(path: Path) -> str:
    """The SHA-256 of the document's metadata file, '' when there is none, 'unreadable' when it
    cannot be read (the parse reports why)."""
    from yibao.extract.sidecar import metadata_file

    sidecar = metadata_file(path)
    try:
        return hashlib.sha256(sidecar.read_bytes()).hexdigest() if sidecar.is_file() else ""
    except OSError:
        return "unreadable"


def entry_key(sources: list[Source], primary: str) -> str:
    """The key of the document read from `sources` (one file, or the parts of one disclosure)
    and published under `primary`."""
    digest = hashlib.sha256(f"{parser_version()}\n{primary}\n".encode())
    for source in sources:
        digest.update(f"{source.name}\n{source.sha256}\n{source.metadata_sha256}\n".encode())
    return digest.hexdigest()


def read_from(document: Document, sources: list[Source]) -> bool:
    """Whether `document` was read from exactly the bytes of `sources` (so it may be kept)."""
    if document.error_code in TRANSIENT_ERRORS:
        return False
    if document.parts:
        return [(p.source_file, p.sha256) for p in document.parts] == [(s.name, s.sha256) for s in sources]
    return len(sources) == 1 and bool(document.sha256) and document.sha256 == sources[0].sha256


def summary_of(document: Document) -> Document:
    """The document without what only its rows need: its tables without rows, no projects,
    targets or scorecard, its failed checks and its errors only (so `status`, the count of
    failed checks and the tables found stay right)."""
    return replace(
        document,
        tables=[replace(table, rows=[], identities=[]) for table in document.tables],
        projects=[],
        targets=[],
        glossary=document.glossary[:1],
        checks=[check for check in document.checks if check.status == "fail"],
        problems=[problem for problem in document.problems if problem.severity == "error"],
        scorecard=[],
    )


class DocumentStore:
    """Parse results on disk: `<folder>/<parser version>/<key[:2]>/<key>.{summary,rows}`.

    `folder=None` keeps them in a temporary folder for this build only (`close` removes it)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.persistent = folder is not None
        self.root = folder if folder is not None else Path(tempfile.mkdtemp(prefix="yibao-store-"))
        self.folder = self.root / parser_version()
        self.unkept: dict[str, object] = {}

    def _path(self, key: str, kind: str) -> Path:
        return self.folder / key[:2] / f"{key}.{kind}"

    def keep_for_build(self, key: str, rows: object) -> None:
        """Rows of a document that may not be stored (`read_from`), for this build only."""
        self.unkept[key] = rows

    def summary(self, key: str) -> Document | None:
        """The stored summary, or None (not stored, or a torn entry)."""
        value = self._load(key, "summary")
        if isinstance(value, Document) and self._path(key, "rows").is_file():
            return value
        return None

    def rows(self, key: str) -> object:
        return self.unkept[key] if key in self.unkept else self._load(key, "rows")

    def _load(self, key: str, kind: str) -> object:
        try:
            with open(self._path(key, kind), "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def put(self, key: str, summary: Document, rows: object) -> None:
        """Store atomically: a build killed while storing leaves no torn entry behind."""
        for kind, value in (("rows", rows), ("summary", summary)):  # the summary last: it marks the entry whole
            path = self._path(key, kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def discard(self, key: str) -> None:
        """Forget an entry that could not be read: the next build reads its document again."""
        for kind in ("summary", "rows"):
            with contextlib.suppress(OSError):
                self._path(key, kind).unlink()

    def prune(self) -> None:
        """Remove the entries of other parser versions: they are never read again."""
        if not self.persistent or not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other.is_dir() and other.name != self.folder.name:
                shutil.rmtree(other, ignore_errors=True)

    def close(self) -> None:
        if not self.persistent:
            shutil.rmtree(self.root, ignore_errors=True)
