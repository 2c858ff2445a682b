"""The site's own outputs: a failed MkDocs build leaves the previous site whole; a source PDF with
active content is never served (the page says so and links the original)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.hostile.pdfs import with_open_action
from yibao.build import build_data
from yibao.site import SiteBuildFailed, build_static_site, generate_pages

sys.path.insert(0, str(ROOT / "tests" / "site"))
from sitebuild import REAL_PACKAGE, copy_site_sources

TABLES_PDF = FIXTURES / "pdf" / "shuangyashan-2024-tables.pdf"


def fingerprint(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_site_build_leaves_the_previous_site(tmp_path: Path) -> None:
    root = tmp_path / "root"
    copy_site_sources(root)
    generate_pages(REAL_PACKAGE, root / "docs")
    site = tmp_path / "site"
    build_static_site(root, site)
    before = fingerprint(site)
    assert "index.html" in before
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnot_a_setting: [\n", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match="the previous site is unchanged"):
        build_static_site(root, site)
    assert fingerprint(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


@pytest.mark.parametrize("active", [True, False])
def test_source_pdf_with_active_content_is_not_served(tmp_path: Path, active: bool) -> None:
    sources = tmp_path / "src"
    sources.mkdir()
    data = TABLES_PDF.read_bytes()
    (sources / "tables.pdf").write_bytes(with_open_action(data) if active else data)
    (sources / "tables.meta.toml").write_text(
        'source_url = "https://www.example.gov.cn/tables.pdf"\n', encoding="utf-8"
    )
    package = tmp_path / "datapackage"
    assert build_data(sources, package, log=io.StringIO()) in (0, 1)
    docs = tmp_path / "docs"
    generate_pages(package, docs)
    served = list((docs / "data" / "sources").glob("*.pdf")) if (docs / "data" / "sources").is_dir() else []
    page = next(p for p in (docs / "bureaus").glob("*.md") if p.name not in ("index.md", "compare.md")).read_text(
        encoding="utf-8"
    )
    if active:
        assert served == []
        assert "本站不提供副本" in page and "https://www.example.gov.cn/tables.pdf" in page
    else:
        assert len(served) == 1 and served[0].read_bytes() == data
        assert "本站不提供副本" not in page
