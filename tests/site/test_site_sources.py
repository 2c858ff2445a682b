"""Each bureau page links to the source document, served from the site itself."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from yibao.site import generate_pages


def test_source_documents_are_served_and_linked(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generate_pages(ROOT / "datapackage", docs)
    served = docs / "data" / "sources"
    original = ROOT / "source_docs" / "liaoning" / "anshan-2025-budget.md"
    copies = [p for p in served.iterdir() if p.read_bytes() == original.read_bytes()]
    assert [p.name.endswith(".md.txt") for p in copies] == [True]  # served as text, not rendered
    page = next(
        p
        for p in sorted((docs / "bureaus").glob("*.md"))
        if p.stem not in ("index", "compare") and "鞍山市医疗保障局" in p.read_text(encoding="utf-8")
    )
    assert f"../data/sources/{copies[0].name}" in page.read_text(encoding="utf-8")


def test_classification_page_gives_the_documents_explanations(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generate_pages(ROOT / "datapackage", docs)
    page = (docs / "data" / "classification.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if 'codes/2080109.html">2080109</a></td>' in line)
    assert "社会保险经办机构开展业务工作的支出" in row
    assert "名词解释" in page and "“三公”经费" in page
