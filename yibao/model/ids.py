"""Stable ids of bureaus and documents: derived from what the document says, never from a file name."""

from __future__ import annotations

import hashlib

from yibao.model import Document, Metadata


def bureau_id(bureau: str) -> str:
    """A stable short id for a bureau's pages and rows (the Chinese name itself stays in the data)."""
    return "b" + hashlib.sha256(bureau.encode("utf-8")).hexdigest()[:10]


def doc_id(metadata: Metadata) -> str:
    """bureau, year and kind; a 单位 document (the body's own, 单位预算) is another document than
    the 部门 one of the same body and year, so its scope is part of its id (`-unit`). A 部门
    document (or one whose scope is not known) keeps the plain form."""
    scope = "-unit" if metadata.scope == "unit" else ""
    return f"{bureau_id(metadata.bureau)}-{metadata.fiscal_year}-{metadata.doc_type or 'unknown'}{scope}"


def document_id(document: Document) -> str:
    if document.error or not document.metadata.bureau or not document.metadata.fiscal_year:
        # a file that vanished or could not be read has no hash: its name stands in
        key = document.sha256 or hashlib.sha256(document.source_file.encode("utf-8")).hexdigest()
        return f"error-{key[:12]}"
    return doc_id(document.metadata)
