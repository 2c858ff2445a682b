"""The real PDFs of `../shared/real/` as extracted text, cached so the corpus tests are quick.

Extraction (pdfplumber, OCR for scans) is the slow stage; recognition is what these tests are
about. The cache lives under `$YIBAO_REAL_CACHE` (default: a folder in the system temp dir),
one pickle a document, keyed by the file's SHA-256 *and* a hash of the extract stage's own
source, so a change to the extractor never serves stale text.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from yibao.extract import read_source
from yibao.model import Document, Metadata, SourceText
from yibao.pipeline import read_document

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(os.environ.get("YIBAO_REAL_DIR", ROOT.parent / "shared" / "real"))
GOLDEN = ROOT / "tests" / "golden" / "real"
EXTRACT = ROOT / "yibao" / "extract"
# the scan: OCR takes minutes, so quick loops leave it out (YIBAO_REAL_OCR=1 brings it in)
SCANNED = ("043_bj-zhengshuju-2026-bumen-yusuan-scan.pdf",)


def manifest() -> dict[str, dict[str, str]]:
    path = REAL / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def real_files(with_scans: bool | None = None) -> list[str]:
    """The manifest's files present in the folder (the scan only when asked for)."""
    if with_scans is None:
        with_scans = os.environ.get("YIBAO_REAL_OCR") == "1"
    return [name for name in sorted(manifest()) if (REAL / name).is_file() and (with_scans or name not in SCANNED)]


def _cache_dir() -> Path:
    folder = Path(os.environ.get("YIBAO_REAL_CACHE") or Path(tempfile.gettempdir()) / "yibao-real-cache")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _extractor_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(EXTRACT.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_of(name: str) -> SourceText:
    """The document's extracted text, from the cache when the file and the extractor are unchanged."""
    path = REAL / name
    key = f"{hashlib.sha256(path.read_bytes()).hexdigest()[:24]}-{_extractor_hash()}.pickle"
    cached = _cache_dir() / key
    if cached.is_file():
        with cached.open("rb") as handle:
            source: SourceText = pickle.load(handle)  # our own cache file, written below
        return source
    source = read_source(path)
    partial = cached.with_suffix(".partial")
    with partial.open("wb") as handle:
        pickle.dump(source, handle)
    partial.replace(cached)
    return source


def document_of(name: str) -> Document:
    """The document read by the whole pipeline from its cached text."""
    path = REAL / name
    document = Document(source_file=name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(), metadata=Metadata())
    return read_document(document, source_of(name), {})
