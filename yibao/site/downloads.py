"""Files readers download: the package itself, a zip of it, one CSV per document and per chart.
Every writer is deterministic (sorted, fixed zip dates)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from yibao.package.cells import to_cell

from .package import Row

ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM (Chinese Excel opens it), `\\n` line ends, like the package's own CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[to_cell("" if cell is None else str(cell)) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dict_rows(rows: list[Row], fields: list[str]) -> list[list[str]]:
    return [fields] + [[row.get(name, "") for name in fields] for row in rows]


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def package_files(package_dir: Path) -> list[Path]:
    """datapackage.json and the top-level CSV files, by name."""
    files = [package_dir / "datapackage.json", *sorted(package_dir.glob("*.csv"))]
    return [path for path in files if path.is_file()]


def copy_package(package_dir: Path, data_dir: Path) -> list[str]:
    """Copy the package files byte for byte; returns their names."""
    names = []
    for path in package_files(package_dir):
        write_bytes(data_dir / path.name, path.read_bytes())
        names.append(path.name)
    return names


def deterministic_zip(files: list[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend only on the names and contents given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_package_zip(package_dir: Path, target: Path, folder: str) -> None:
    files = [(f"{folder}/{path.name}", path.read_bytes()) for path in package_files(package_dir)]
    write_bytes(target, deterministic_zip(files))


def copy_document_packages(package_dir: Path, data_dir: Path, file_ids: dict[str, str]) -> dict[str, str]:
    """Copy datapackage/documents/<doc_id>/ where the package has one; doc_id → copied folder name."""
    copied = {}
    source_root = package_dir / "documents"
    for doc_id, file_id in sorted(file_ids.items()):
        source = source_root / doc_id
        if not (source / "datapackage.json").is_file():
            continue
        target = data_dir / "documents" / file_id
        for path in sorted(source.rglob("*")):
            if path.is_file():
                write_bytes(target / path.relative_to(source), path.read_bytes())
        copied[doc_id] = file_id
    return copied


def copy_sources(
    package_dir: Path, data_dir: Path, documents: list[Row], file_ids: dict[str, str]
) -> tuple[dict[str, str], set[str]]:
    """Serve each source document from the site itself (doc_id → path under docs/), so a reader
    can check every figure against the file it was read from. `source_file` is relative to the
    repository, which holds the data package.

    Text is always served as plain text (`.txt`), never as a page or HTML. A PDF is served only
    when it carries no active content (JavaScript, launch actions, attachments, forms that submit:
    `yibao.extract.pdf_safety`) and passes its pre-checks; otherwise it is withheld (the second
    value: doc_ids) and the page links the bureau's original address instead."""
    copied: dict[str, str] = {}
    withheld: set[str] = set()
    root = package_dir.resolve().parent
    for document in sorted(documents, key=lambda d: d.get("doc_id", "")):
        doc_id, source_file = document.get("doc_id", ""), document.get("source_file", "")
        source = root / source_file
        if doc_id not in file_ids or not source_file or not source.is_file():
            continue
        suffix = source.suffix.lower()
        data = source.read_bytes()
        if suffix == ".pdf" and not servable_pdf(data):
            withheld.add(doc_id)
            continue
        # a text source is served as text: never rendered as a page of the site, never as HTML
        relative = f"data/sources/{file_ids[doc_id]}{suffix if suffix in ('.pdf', '.txt') else suffix + '.txt'}"
        write_bytes(data_dir.parent / relative, data)
        copied[doc_id] = relative
    return copied, withheld


def servable_pdf(data: bytes) -> bool:
    """Whether a PDF may be served as it came: no active content, no structure that a reader
    would loop or explode on."""
    from yibao.extract.pdf_safety import RawScan
    from yibao.model.errors import UnreadableDocument

    scan = RawScan(data)
    try:
        scan.run()
    except UnreadableDocument:
        return False
    return not scan.active and data.lstrip().startswith(b"%PDF-")
