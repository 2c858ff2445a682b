"""Script injection: no value of a data package ever runs as script, on any page, in a chart,
in the search, in the page title or its front matter — shown in headless Chromium.

The package is built from a document whose row and project names carry HTML, Markdown and
Jinja, with a metadata file whose title carries HTML; then its CSVs get what a metadata file
may no longer hold but a package from anywhere else could: the issue's bureau name, a C1 control
(U+0080, which stopped the front matter from parsing) followed by `<a autofocus onfocus=…>`.
Every payload sets `window.__pwned` and opens a dialog if it ever runs.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCE_DOCS
from yibao.build import build_data

sys.path.insert(0, str(ROOT / "tests" / "site"))
from sitebuild import build_site, serve
from test_site_browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, bureau_pages, html_pages, pytestmark  # noqa: F401

RUN = "window.__pwned=1;alert(document.domain)"
BUREAU = f"双鸭山市医疗保障局\u0080<a autofocus onfocus={RUN}>x</a>"
IN_TEXT = {
    "医保经办业务经费": f"<img src=x onerror={RUN}>医保经办业务经费",
    "社会保险经办机构": f"</script><script>{RUN}</script>社会保险经办机构",
    "行政单位离退休": f"[点我](javascript:{RUN})行政单位离退休",
    "行政事业单位医疗": f"<svg onload={RUN}>行政事业单位医疗",
}
TITLE = f'<a autofocus onfocus="{RUN}">标题</a> {{{{ 7*7 }}}}'


def hostile_package(root: Path) -> Path:
    text = (SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt").read_text(encoding="utf-8")
    for plain, hostile in IN_TEXT.items():
        assert plain in text
        text = text.replace(plain, hostile)
    sources = root / "src"
    sources.mkdir()
    (sources / "hostile.txt").write_text(text, encoding="utf-8")
    (sources / "hostile.meta.toml").write_text(
        f"title = {TITLE!r}\nregion = '<b onmouseover=\"{RUN}\">黑龙江</b>'\n".replace("'", '"', 0), encoding="utf-8"
    )
    package = root / "datapackage"
    assert build_data(sources, package, log=io.StringIO()) == 0
    rewrite(package / "documents.csv", {"bureau": BUREAU})
    rewrite(package / "tables.csv", {"title": f"表\u0085<script>{RUN}</script>"})
    return package


def rewrite(path: Path, values: dict[str, str]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.update(values)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injection")
    return build_site(hostile_package(root), root / "site")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Elements a payload would have made: any event-handler attribute, autofocus, a javascript: link,
# a script holding the payload. (Material's own inline scripts and handlers set by script are
# neither.)
INJECTED = """() => [...document.querySelectorAll("*")].filter(e =>
    [...e.attributes].some(a => a.name.startsWith("on") || a.name === "autofocus"
        || (a.name === "href" && a.value.trim().toLowerCase().startsWith("javascript")))
    || (e.tagName === "SCRIPT" && e.text.includes("__pwned"))).map(e => e.outerHTML.slice(0, 120))"""


def test_front_matter_parses_and_the_title_is_text(hostile_site: Path) -> None:
    site = hostile_site / "yibao"
    page = next(p for p in site.glob("bureaus/*.html") if p.name not in ("index.html", "compare.html"))
    html = page.read_text(encoding="utf-8")
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert "双鸭山市医疗保障局" in title and "onfocus" in title  # the name, shown as text
    assert "<a" not in title and "\u0080" not in title
    assert "<a autofocus" not in html and "<script>window" not in html and "<img src=x" not in html


def test_no_script_runs_on_any_page_or_in_the_search(hostile_site: Path, browser) -> None:
    site = hostile_site / "yibao"
    pages = html_pages(site)
    with serve(hostile_site) as base_url:
        watch = PageWatch(browser)
        try:
            for relative in pages:
                watch.page.goto(base_url + relative, wait_until="networkidle")
                assert watch.page.evaluate("window.__pwned === undefined"), relative
                assert watch.page.evaluate(INJECTED) == [], relative
            bureau_page = bureau_pages(site)[0]
            watch.page.goto(base_url + bureau_page, wait_until="networkidle")
            body = watch.page.locator("article").text_content() or ""  # folded sections too
            assert "onerror=" in body and "javascript:" in body  # the reader sees what was printed
            assert watch.page.locator(".yibao-chart .yibao-bar").count() > 0  # the charts were drawn
            labels = watch.page.locator(".yibao-bar__label, .yibao-crumbs").evaluate_all(
                "els => els.map(e => e.textContent)"
            )
            assert any("onerror" in label or "onload" in label or "script" in label for label in labels), labels
            assert watch.page.locator(".yibao-chart svg, .yibao-chart img, .yibao-chart script").count() == 0
            for query in ("onfocus", "onerror", "script"):
                watch.page.goto(base_url + "index.html", wait_until="networkidle")
                watch.page.locator("label.md-search__icon, .md-search__input").first.click()
                box = watch.page.locator("input.md-search__input")
                box.fill(query)
                box.press("End")
                watch.page.wait_for_timeout(1500)
                assert watch.page.evaluate("window.__pwned === undefined"), query
                assert watch.page.evaluate(INJECTED) == [], query
            assert watch.errors == []  # no dialog opened, no script error
            assert watch.foreign == []
        finally:
            watch.close()
