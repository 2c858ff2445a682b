"""Stage 5 — package: Documents → a Frictionless data package (CSV + Table Schema) on disk.

Writing is atomic: everything goes to a temporary folder beside the target, which replaces the
target only when complete, so a failed or killed build leaves the previous package intact.
Output is deterministic: rows in key order, no timestamps, amounts exactly as printed.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os  # noqa: F401 - tests patch yibao.package.os.replace (used by output.swap_in)
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from yibao.derive.key_figures import KEY_FIGURES
from yibao.derive.units import to_wan
from yibao.messages import say
from yibao.model import Document, YearCheck
from yibao.model.ids import bureau_id, document_id
from yibao.output import atomic_folder, swap_in  # noqa: F401 - swap_in re-exported
from yibao.package.cells import RULE as FORMULA_RULE
from yibao.package.cells import to_cell
from yibao.reference import load_data, measures

Row = dict[str, Any]
RESOURCE_ORDER = (
    "documents", "tables", "line_items", "key_figures", "projects", "performance_targets",
    "glossary", "checks", "problems", "stated_changes", "scorecard", "year_checks", "rejected_files",
)  # fmt: skip
CLASSIFIED_LEVELS = ("class", "segment", "item")  # rows of a classification, coded or printed by name
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@cache
def schemas() -> dict[str, Any]:
    return load_data("schema.yml")


# --------------------------------------------------------------------------- rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def document_rows(document: Document) -> dict[str, list[Row]]:
    """Every resource's rows for one document."""
    did = document_id(document)
    m = document.metadata
    rows: dict[str, list[Row]] = {name: [] for name in RESOURCE_ORDER}
    rows["documents"].append({
        "doc_id": did, "bureau": m.bureau, "bureau_id": bureau_id(m.bureau) if m.bureau else "",
        "region": m.region, "admin_level": m.admin_level, "fiscal_year": m.fiscal_year,
        "doc_type": m.doc_type, "scope": m.scope, "units": ";".join(m.units), "title": m.title,
        "source_file": document.source_file, "source_url": m.source_url, "published": m.published,
        "sha256": document.sha256, "pages": document.pages, "status": document.status,
        "tables_found": len(document.tables), "checks_failed": sum(c.status == "fail" for c in document.checks),
        "problems": document.error, "parts": ";".join(part.source_file for part in document.parts),
    })  # fmt: skip
    for table in document.tables:
        items = table.line_items()
        rows["tables"].append({
            "doc_id": did, "table_no": table.table_no, "table": table.table_id, "title": table.title,
            "classification": table.classification, "page": table.page, "line": table.line,
            "rows": table.row_count, "columns": ";".join(c.measure for c in table.columns), "status": table.status,
            "unit": table.unit, "unit_source": table.unit_source,
            "amounts": len(items), "amounts_unchecked": sum(item.checks == 0 for item in items),
        })  # fmt: skip
        for item in items:
            rows["line_items"].append({
                "doc_id": did, "table_no": table.table_no, "row_no": item.row_no, "table": table.table_id,
                "classification": item.classification or (table.classification if item.level in CLASSIFIED_LEVELS else ""), "code": item.code, "standard_code": item.standard_code, "name": item.name,
                "level": item.level, "parent_code": item.parent_code, "parent_name": item.parent_name,
                "is_leaf": item.is_leaf, "measure": item.measure, "amount": to_wan(item.amount, item.unit),
                "amount_printed": item.amount, "unit": item.unit, "page": item.page,
                "line": item.line, "placement": item.placement, "checks": item.checks,
            })  # fmt: skip
    if not document.error:
        figures = document.key_figures
        rows["key_figures"].append({"doc_id": did, **{k: figures.get(k) for k in KEY_FIGURES}})
    for project in document.projects:
        rows["projects"].append(entity_row(did, project))
    for target in document.targets:
        rows["performance_targets"].append(entity_row(did, target))
    for number, entry in enumerate(document.glossary, start=1):
        rows["glossary"].append(entity_row(did, entry, entry_no=number))
    for number, check in enumerate(document.checks, start=1):
        rows["checks"].append(entity_row(did, check, check_no=number, difference=check.difference))
    for number, problem in enumerate(document.problems, start=1):
        rows["problems"].append(entity_row(did, problem, problem_no=number))
    for change in document.stated_changes:
        rows["stated_changes"].append(entity_row(did, change))
    for score in document.scorecard:
        rows["scorecard"].append(entity_row(did, score, **criterion_fields(score.criterion)))
    for name in PLACED:
        for row in rows[name]:
            row["source_file"], row["page"], row["line"] = document.where(row.get("page"), row.get("line"))
    return rows


# the resources whose rows say where they are printed: page and line in their own file, which
# `source_file` names (a disclosure published in several files has its pages in each)
PLACED = (
    "tables", "line_items", "projects", "performance_targets", "glossary", "problems", "stated_changes", "scorecard",
)  # fmt: skip


@cache
def _scorecard() -> dict[str, Any]:
    return load_data("scorecard.yml")


@cache
def _criteria() -> dict[str, dict[str, Any]]:
    return {str(c["id"]): c for c in _scorecard()["criteria"]}


def criterion_fields(criterion_id: str) -> Row:
    """What a scorecard row says of its criterion: its group, its wording and its source rule."""
    entry = _criteria()[criterion_id]
    source = _scorecard()["sources"][entry["source"]]
    return {"group": entry["group"], "criterion_zh": entry["zh"], "criterion_en": entry["en"], "rule": source["zh"]}


def entity_row(doc_id: str, entity: Any, **extra: Any) -> Row:
    """A domain object as a row: its fields (named as in the schema) with the document id and
    what the object does not hold itself; the CSV keeps only the schema's fields."""
    return {"doc_id": doc_id, **dataclasses.asdict(entity), **extra}


def merge(parts: Iterable[dict[str, list[Row]]]) -> dict[str, list[Row]]:
    merged: dict[str, list[Row]] = {name: [] for name in RESOURCE_ORDER}
    for part in parts:
        for name, rows in part.items():
            merged[name].extend(rows)
    for name, rows in merged.items():
        key = schemas()[name]["primaryKey"]
        rows.sort(key=lambda row: tuple(_sort_value(row.get(k)) for k in key))
    return merged


def _sort_value(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int) else (1, _text(value))


# --------------------------------------------------------------------------- files


BOM = "\ufeff".encode()


def _fields(name: str) -> list[str]:
    return [f["name"] for f in schemas()[name]["fields"]]


def csv_header(name: str) -> bytes:
    """The first line of a resource's CSV file, after the BOM."""
    return csv_lines(name, [dict(zip(_fields(name), _fields(name), strict=True))])


def csv_lines(name: str, rows: list[Row]) -> bytes:
    """The rows as CSV lines in the schema's field order, with no header."""
    fields = _fields(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([to_cell(_text(row.get(f))) for f in fields])
    return buffer.getvalue().encode("utf-8")


def csv_bytes(name: str, rows: list[Row]) -> bytes:
    """A whole CSV file: BOM (Excel opens UTF-8 right), header, rows."""
    return BOM + csv_header(name) + csv_lines(name, rows)


def table_schema(name: str) -> dict[str, Any]:
    spec = schemas()[name]
    fields = []
    for field in spec["fields"]:
        entry: dict[str, Any] = {
            "name": field["name"],
            "type": field["type"],
            "title": field["zh"],
            "description": f"{field['zh']} — {field['en']}",
            "x-description-zh": field["zh"],
            "x-description-en": field["en"],
        }
        constraints: dict[str, Any] = {}
        if field.get("required"):
            constraints["required"] = True
        if "enum" in field:
            constraints["enum"] = field["enum"]
        if constraints:
            entry["constraints"] = constraints
        if field["type"] == "number":
            entry["bareNumber"] = True
        if field["type"] == "boolean":
            entry["trueValues"], entry["falseValues"] = ["true"], ["false"]
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": spec["primaryKey"], "missingValues": [""]}
    if name not in ("documents", "rejected_files"):
        schema["foreignKeys"] = [{"fields": "doc_id", "reference": {"resource": "documents", "fields": "doc_id"}}]
    return schema


def descriptor(documents: list[Row], name: str, title: str) -> dict[str, Any]:
    """datapackage.json of a package whose `documents` resource holds `documents`."""
    doc_types = sorted({r["doc_type"] for r in documents if r["doc_type"]})
    sources = [
        {
            "title": f"{r['bureau']} {r['fiscal_year']} ({r['source_file']})",
            **({"path": r["source_url"]} if r["source_url"] else {}),
        }
        for r in documents
    ]
    return {
        "profile": "data-package",
        "name": name,
        "title": title,
        "description": say("package.description"),
        "licenses": [LICENSE],
        "sources": sources,
        "resources": [
            {
                "name": resource,
                "path": f"{resource}.csv",
                "profile": "tabular-data-resource",
                "title": schemas()[resource]["title"],
                "description": schemas()[resource]["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": table_schema(resource),
            }
            for resource in RESOURCE_ORDER
        ],
        "model": fiscal_model(doc_types),
        "x-csv-formula-escaping": FORMULA_RULE,
        "x-measures": {k: v for k, v in measures()["measures"].items()},
    }


def fiscal_model(doc_types: list[str]) -> dict[str, Any]:
    """Fiscal Data Package (v0.3) model over `line_items`: one measure (amount in 万元, CNY ×
    10,000) and the functional and economic classifications with their parent levels."""
    phase = {"budget": "approved", "final_accounts": "executed"}
    measure: dict[str, Any] = {
        "source": "amount",
        "resource": "line_items",
        "currency": "CNY",
        "factor": 10000,
        "direction": "expenditure",
    }
    if len(doc_types) == 1:
        measure["phase"] = phase[doc_types[0]]
    classification = {
        "attributes": {
            "code": {"source": "code", "resource": "line_items"},
            "name": {"source": "name", "resource": "line_items", "labelfor": "code"},
            "parent_code": {"source": "parent_code", "resource": "line_items", "parent": "code"},
            "level": {"source": "level", "resource": "line_items"},
        },
        "primaryKey": ["code"],
        "dimensionType": "classification",
    }
    return {
        "measures": {"amount": measure},
        "dimensions": {
            "functional_classification": {**classification, "classificationType": "functional"},
            "economic_classification": {**classification, "classificationType": "economic"},
            "document": {
                "attributes": {"doc_id": {"source": "doc_id", "resource": "line_items"}},
                "primaryKey": ["doc_id"],
                "dimensionType": "other",
            },
            "table": {
                "attributes": {"table": {"source": "table", "resource": "line_items"}},
                "primaryKey": ["table"],
                "dimensionType": "other",
            },
            "column": {
                "attributes": {"measure": {"source": "measure", "resource": "line_items"}},
                "primaryKey": ["measure"],
                "dimensionType": "other",
            },
        },
    }


def descriptor_bytes(documents: list[Row], name: str, title: str) -> bytes:
    return (json.dumps(descriptor(documents, name, title), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def year_check_rows(year_checks: Iterable[YearCheck]) -> list[Row]:
    """The checks across years, numbered per document in the order they were made."""
    rows: list[Row] = []
    numbers: dict[str, int] = {}
    for found in year_checks:
        did = document_id(found.document)
        numbers[did] = numbers.get(did, 0) + 1
        rows.append(
            entity_row(
                did,
                found.check,
                check_no=numbers[did],
                previous_doc_id=document_id(found.previous),
                difference=found.check.difference,
            )
        )
    return rows


@dataclass(frozen=True)
class RenderedDocument:
    """One document's part of the package, rendered once (in the worker that read it, and kept
    in the parse cache): its rows of every resource as CSV lines, in key order, and its own
    package's datapackage.json. The combined package is these lines one document after the
    other in doc_id order (every key starts with doc_id), so writing it needs no row again."""

    doc_id: str
    lines: dict[str, bytes]  # resource → CSV lines, no header
    descriptor: bytes
    documents_row: Row


def render_document(document: Document) -> RenderedDocument:
    rows = merge([document_rows(document)])
    [row] = rows["documents"]
    title = f"{row['bureau']} {row['fiscal_year']}"
    return RenderedDocument(
        doc_id=row["doc_id"],
        lines={resource: csv_lines(resource, rows[resource]) for resource in RESOURCE_ORDER},
        descriptor=descriptor_bytes([row], f"yibao-{row['doc_id']}", title),
        documents_row=row,
    )


def write_all(
    out: Path,
    documents: Iterable[Document | RenderedDocument],
    rejected: list[Row],
    year_checks: Iterable[YearCheck] = (),
) -> None:
    """The combined package, plus one small package per document under documents/<doc_id>/.
    `documents` come in doc_id order and may be produced one at a time (read from the parse
    cache): each is written and let go, so memory stays flat. The checks across years are in
    the combined package only: a document's own package is the same whatever else was built
    with it."""
    documents_rows: list[Row] = []
    extra = merge([{"rejected_files": rejected, "year_checks": year_check_rows(year_checks)}])
    with atomic_folder(out) as folder, contextlib.ExitStack() as files:
        combined = {
            resource: files.enter_context(open(folder / f"{resource}.csv", "wb")) for resource in RESOURCE_ORDER
        }
        for resource, handle in combined.items():
            handle.write(BOM + csv_header(resource))
        for document in documents:
            rendered = document if isinstance(document, RenderedDocument) else render_document(document)
            if documents_rows and rendered.doc_id <= documents_rows[-1]["doc_id"]:
                raise ValueError(
                    f"documents out of doc_id order: {rendered.doc_id} after {documents_rows[-1]['doc_id']}"
                )
            documents_rows.append(rendered.documents_row)
            for resource, handle in combined.items():
                handle.write(rendered.lines[resource])
            write_own_package(folder / "documents" / rendered.doc_id, rendered)
        for resource in ("rejected_files", "year_checks"):
            combined[resource].write(csv_lines(resource, extra[resource]))
        files.close()
        (folder / "datapackage.json").write_bytes(
            descriptor_bytes(documents_rows, "yibao-budgets", say("package.title"))
        )


def write_own_package(folder: Path, rendered: RenderedDocument) -> None:
    """One document's own package: its rows of every resource and its datapackage.json."""
    folder.mkdir(parents=True)
    for resource in RESOURCE_ORDER:
        (folder / f"{resource}.csv").write_bytes(BOM + csv_header(resource) + rendered.lines[resource])
    (folder / "datapackage.json").write_bytes(rendered.descriptor)
