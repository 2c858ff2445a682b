"""Untrusted text stays text; the same inputs give the same site; bureau pages stay small.

The hostile document goes through the whole pipeline — a source text whose project names,
descriptions and indicator texts carry HTML, Markdown and Jinja syntax — into the data package,
the generated pages and the built site, which headless Chromium then loads.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sitebuild import REAL_PACKAGE, build_site, serve
from test_site_browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, bureau_pages, pytestmark  # noqa: F401

from tests.conftest import SOURCE_DOCS
from yibao.build import build_data

HOSTILE = {
    "医保经办业务经费": '<img src=x onerror="window.__pwned=1;alert(1)">医保经办业务经费',
    "主要用于补充经办业务经": "</script><script>window.__pwned=2;alert(2)</script>{{ 7*7 }}{% raw %}主要用于补充经办业务经",
    "基本医保参": "[点我](javascript:window.__pwned=3) ![图](http://evil.example/x.png)基本医保参",
    "保障全年各项工": "<a href=javascript:alert(4)>链接</a>|表格|保障全年各项工",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt").read_text(encoding="utf-8")
    for plain, hostile in HOSTILE.items():
        assert plain in text
        text = text.replace(plain, hostile)
    sources = tmp_path_factory.mktemp("hostile-sources")
    (sources / "hostile.txt").write_text(text, encoding="utf-8")
    package = tmp_path_factory.mktemp("hostile-package") / "datapackage"
    assert build_data(sources, package, log=io.StringIO()) == 0
    return build_site(package, tmp_path_factory.mktemp("hostile-site"))


def test_hostile_text_is_shown_as_text_and_runs_nothing(hostile_site: Path, browser) -> None:
    site = hostile_site / "yibao"
    pages = bureau_pages(site)
    assert len(pages) == 1
    html = (site / pages[0]).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    with serve(hostile_site) as base_url:
        watch = PageWatch(browser)
        try:
            for relative in [pages[0], "index.html", "bureaus/index.html", "data/classification.html"]:
                watch.page.goto(base_url + relative, wait_until="networkidle")
                assert watch.page.evaluate("window.__pwned === undefined"), relative
            watch.page.goto(base_url + pages[0], wait_until="networkidle")
            body = watch.page.locator("article").text_content() or ""  # folded sections too
            assert "医保经办业务经费" in body
            assert "onerror=" in body  # the reader sees the text that was printed
            assert "{{7*7}}" in body and "{%raw%}" in body  # Jinja syntax is text, not evaluated
            assert watch.page.locator("a[href^='javascript']").count() == 0
            assert watch.page.locator("img[src*='evil.example']").count() == 0
            assert watch.errors == []  # no dialog opened, no error
            assert watch.foreign == []
        finally:
            watch.close()


def test_two_builds_give_byte_identical_sites(tmp_path: Path) -> None:
    first = build_site(REAL_PACKAGE, tmp_path / "one")
    second = build_site(REAL_PACKAGE, tmp_path / "two")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


def test_bureau_pages_are_small(tmp_path: Path) -> None:
    site = build_site(REAL_PACKAGE, tmp_path) / "yibao"
    sizes = {page: (site / page).stat().st_size for page in bureau_pages(site)}
    assert sizes and max(sizes.values()) < 300 * 1024, sizes


def test_404_page_finds_its_assets_when_the_site_url_is_set(tmp_path: Path, browser, monkeypatch) -> None:
    """GitHub Pages serves 404.html for any missing path; with SITE_URL (set by the deploy) its
    asset links carry the sub-path, so it loads cleanly from anywhere under the site."""
    served = tmp_path / "served"
    served.mkdir()
    with serve(served) as base_url:
        monkeypatch.setenv("SITE_URL", base_url)
        assert build_site(REAL_PACKAGE, tmp_path) == served
        watch = PageWatch(browser)
        try:
            response = watch.page.goto(base_url + "404.html", wait_until="networkidle")
            assert response is not None and response.ok
            assert watch.errors == [] and watch.foreign == []
        finally:
            watch.close()
