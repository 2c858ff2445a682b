"""The real PDFs of ../shared/real: metadata equal to MANIFEST.tsv, tables found equal to the
hand-read golden files (tests/golden/real/*.yml), for every document.

The text of each PDF is extracted once and cached (tests/recognise/corpus.py); the scan (043)
comes in with YIBAO_REAL_OCR=1, as its OCR takes minutes.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.recognise.corpus import GOLDEN, REAL, document_of, manifest, real_files
from yibao.model import Document

pytestmark = pytest.mark.skipif(not (REAL / "MANIFEST.tsv").is_file(), reason=f"{REAL} is not there")

KIND = {"预算": "budget", "决算": "final_accounts"}
SCOPE = {"部门": "department", "单位": "unit"}
# the canonical table ids of tests/golden/real/README.md; `other:…` tables are not compared
CANONICAL = {
    "summary", "revenue", "expenditure", "appropriation_summary", "general_budget_expenditure",
    "general_budget_basic_expenditure", "three_public", "gov_fund_expenditure",
    "state_capital_expenditure", "project_expenditure", "performance_targets",
}  # fmt: skip
# Where the document cannot give what a reference says, the reason, read from the page:
KNOWN = {}

_documents: dict[str, Document] = {}


def _document(name: str) -> Document:
    if name not in _documents:
        _documents[name] = document_of(name)
    return _documents[name]


def _golden(name: str) -> dict[str, Any] | None:
    path = GOLDEN / (name.removesuffix(".pdf") + ".yml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def _known(name: str, what: str) -> None:
    reason = KNOWN.get((name, what))
    if reason:
        pytest.xfail(reason)


@pytest.mark.parametrize("name", real_files())
def test_metadata_equals_manifest(name: str) -> None:
    _known(name, "metadata")
    expected = manifest()[name]
    m = _document(name).metadata
    assert (m.bureau, m.fiscal_year, m.doc_type, m.scope) == (
        expected["bureau"],
        int(expected["fiscal_year"]),
        KIND[expected["kind"]],
        SCOPE[expected["scope"]],
    )


def _golden_names() -> list[str]:
    return [name for name in real_files() if _golden(name) is not None]


@pytest.mark.parametrize("name", _golden_names())
def test_consolidated_equals_golden(name: str) -> None:
    golden = _golden(name)
    assert golden is not None
    assert _document(name).metadata.consolidated is bool(golden.get("consolidated"))


@pytest.mark.parametrize("name", _golden_names())
def test_tables_found_equal_golden(name: str) -> None:
    """Every canonical table the document prints is found, on the page its title is printed,
    and nothing else is found under a canonical id. Performance-target tables printed one per
    project under one repeated title are read as one table: each printed one must start inside a
    found one, and each found one where a printed one starts."""
    _known(name, "tables")
    golden = _golden(name)
    assert golden is not None
    printed = [t for t in golden["tables"] or [] if t["id"] in CANONICAL]
    found = [t for t in _document(name).tables if t.table_id in CANONICAL]
    assert sorted((t["id"], t["pages"][0]) for t in printed if t["id"] != "performance_targets") == sorted(
        (t.table_id, t.page) for t in found if t.table_id != "performance_targets"
    )
    targets_printed = {t["pages"][0] for t in printed if t["id"] == "performance_targets"}
    targets_found = [t for t in found if t.table_id == "performance_targets"]
    assert {t.page for t in targets_found} <= targets_printed
    for page in targets_printed:
        assert any(t.page <= page <= max(t.page, t.last_page) for t in targets_found), page


@pytest.mark.parametrize("name", _golden_names())
def test_table_units_equal_golden(name: str) -> None:
    """Each table's unit as printed above it (元, 万元, 千元); where the golden file records none,
    the table printed none and its unit is the document's or the default."""
    golden = _golden(name)
    assert golden is not None
    found = {(t.table_id, t.page): t for t in _document(name).tables}
    compared = 0
    for printed in golden["tables"] or []:
        table = found.get((printed["id"], printed["pages"][0]))
        if table is None:
            continue
        compared += 1
        if printed.get("unit"):
            assert (table.unit, table.unit_source) == (printed["unit"], "printed"), printed["title"]
        else:
            assert table.unit_source != "printed", printed["title"]
    assert compared or not golden["tables"]
