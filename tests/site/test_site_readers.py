"""The site as its readers meet it (issue 10), on the real site built from the real package.

The first phone screen of a bureau page tells its story; search finds projects, codes and
bureaus by the names people type; no page shows escaped entities, hash slugs, check ids or
names polluted by header text; every chart names its source; the 404 page works under a sub-path.
"""

from __future__ import annotations

import csv
import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from sitebuild import SUB_PATH, chosen_package
from test_site_browser import (  # noqa: F401
    PageWatch,
    bureau_page_named,
    bureau_pages,
    html_pages,
    pytestmark,
    search_results,
    served,
    watch,
)

from yibao.site.names import polluted

PHONE = {"width": 390, "height": 844}
HEADER_WORDS = ("科目编码", "科目名称")
# Elements that show a name read from a document: table rows, bars, breadcrumbs, projects.
NAME_CLASSES = ("lvl-", "yibao-bar__label", "yibao-crumbs", "yibao-project", "yibao-name")


def rows(name: str) -> list[dict[str, str]]:
    with (chosen_package() / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class PageText(HTMLParser):
    """Text a reader sees (outside script and style), names apart (`NAME_CLASSES`), and every
    href and id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.cells: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self._cell_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for key in ("href", "id"):
            if values.get(key):
                self.links.append(unquote(str(values[key])))
        classes = values.get("class") or ""
        if any(mark in classes for mark in NAME_CLASSES):
            self._cell, self._cell_depth = [], 1
        elif self._cell is not None:
            self._cell_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if self._cell is not None:
            self._cell_depth -= 1
            if self._cell_depth == 0:
                self.cells.append("".join(self._cell).strip())
                self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def page_text(path: Path) -> PageText:
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# ---------------------------------------------------------------- the first screen


def test_first_phone_screen_holds_the_lead_and_three_amounts(served, browser):
    site, base_url = served
    watch = PageWatch(browser, width=PHONE["width"])
    watch.page.set_viewport_size(PHONE)
    try:
        for relative in bureau_pages(site):
            watch.page.goto(base_url + relative, wait_until="networkidle")
            lead = watch.page.locator(".yibao-lead__text").first.bounding_box()
            assert lead is not None and lead["y"] + lead["height"] <= PHONE["height"], relative
            assert "万元" in watch.page.locator(".yibao-lead__text").first.inner_text()
            amounts = watch.page.locator(".yibao-card__number").evaluate_all(
                f"els => els.filter(e => e.getBoundingClientRect().bottom <= {PHONE['height']})"
                ".map(e => e.textContent.trim())"
            )
            assert len([a for a in amounts if re.fullmatch(r"-?[\d,]+\.\d+|-?[\d,]+", a)]) >= 3, (relative, amounts)
        assert watch.errors == [] and watch.foreign == []
    finally:
        watch.close()


# ---------------------------------------------------------------- search


def unique_project() -> tuple[str, str]:
    """A project name printed by one bureau only (and inside no other project's name)."""
    projects = rows("projects")
    bureau_of = {doc["doc_id"]: doc["bureau"] for doc in rows("documents")}
    names = sorted({p["name"] for p in projects if len(p["name"]) >= 6})
    for name in names:
        owners = {bureau_of[p["doc_id"]] for p in projects if name in p["name"]}
        if len(owners) == 1:
            return name, owners.pop()
    pytest.skip("no project name unique to one bureau")


def test_search_for_a_project_name_puts_its_bureau_first(served, watch):
    site, base_url = served
    name, bureau = unique_project()
    expected = bureau_page_named(site, bureau)
    results = search_results(watch.page, base_url, name)
    assert expected is not None and results and unquote(results[0]).endswith(expected), (name, results[:3])


def test_search_for_a_code_puts_its_code_page_first(served, watch):
    site, base_url = served
    codes = sorted(p.stem for p in (site / "data" / "codes").glob("*.html") if len(p.stem) == 7)
    assert codes
    for code in (codes[0], codes[-1]):
        results = search_results(watch.page, base_url, code)
        assert results and unquote(results[0]).endswith(f"data/codes/{code}.html"), (code, results[:3])


@pytest.mark.parametrize("form", ["{place}医保局", "医保局 {place}", "{place} 医保局"])
def test_search_for_yibaoju_and_a_place_puts_the_bureau_first(served, watch, form):
    site, base_url = served
    for relative in bureau_pages(site)[:2]:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", (site / relative).read_text(encoding="utf-8"), re.S)
        name = re.sub(r"<[^>]+>", "", heading.group(1)) if heading else ""
        place = re.split(r"(?<=[市省区县])", name.split("医疗保障局")[0])
        place_name = [part for part in place if part][-1]
        query = form.format(place=re.sub(r"[市省区县]$", "", place_name))
        results = search_results(watch.page, base_url, query)
        assert results and unquote(results[0]).endswith(relative), (query, results[:3])


def test_bureau_filter_finds_yibaoju(served, watch):
    _, base_url = served
    page = watch.page
    page.goto(base_url + "bureaus/index.html", wait_until="networkidle")
    page.fill(".yibao-filter__text", "医保局")
    # every 医疗保障局 (not a 医疗保险事业管理中心, a unit of one, which the short form does not name)
    bureaus = page.locator("#yibao-bureaus tbody tr", has_text="医疗保障局").count()
    assert bureaus >= 4
    assert page.locator("#yibao-bureaus tbody tr:not([hidden])").count() == bureaus


# ---------------------------------------------------------------- what no page shows


HASH_SLUG = re.compile(r"(?<![0-9a-f])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{10,}(?![0-9a-f])")
THEME_ASSET = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")


def test_no_page_shows_entities_hash_slugs_or_check_ids(served):
    site, _ = served
    check_ids = {row["check"] for row in rows("checks")}
    for relative in html_pages(site):
        parsed = page_text(site / relative)
        text = "".join(parsed.text)
        assert "&#" not in text, relative
        ids = [check for check in check_ids if check in text]
        assert ids == [], (relative, ids)
        # the site's own addresses (another site's, a source_url, is what its publisher made it)
        own = [link for link in parsed.links if not re.match(r"https?://", link)]
        slugs = [link for link in own if HASH_SLUG.search(link) and not THEME_ASSET.search(link)]
        assert slugs == [], (relative, slugs[:5])
        assert not [link for link in parsed.links if re.search(r"#_\d+$", link)], relative


def test_no_name_on_a_page_holds_header_words(served):
    site, _ = served
    for relative in html_pages(site):
        cells = page_text(site / relative).cells
        dirty = [cell for cell in cells if cell not in HEADER_WORDS and polluted(cell)]
        assert dirty == [], (relative, dirty[:3])


def test_no_name_in_the_package_holds_header_words():
    names = [r["name"] for r in rows("line_items")] + [r["name"] for r in rows("projects")]
    names += [r[key] for r in rows("performance_targets") for key in ("project", "level1", "level2", "level3")]
    assert [name for name in names if polluted(name)] == []


def test_every_chart_has_a_source_line(served):
    site, _ = served
    charts = 0
    for relative in html_pages(site):
        html = (site / relative).read_text(encoding="utf-8")
        for figure in re.findall(r"<figure[^>]*data-chart[^>]*>(.*?)</figure>", html, re.S):
            charts += 1
            source = re.search(r'<p class="yibao-source">(.*?)</p>', figure, re.S)
            assert source and source.group(1).startswith("来源："), (relative, figure[:200])
    assert charts > 0


# ---------------------------------------------------------------- 404


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """As GitHub Pages: a missing path gets the site's 404.html with status 404."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / SUB_PATH / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def test_404_page_works_under_a_sub_path_without_site_url(served, browser, monkeypatch):
    site, _ = served
    monkeypatch.delenv("SITE_URL", raising=False)
    handler = functools.partial(PagesHandler, directory=str(site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    watch = PageWatch(browser)
    try:
        response = watch.page.goto(base_url + "no/such/deep/page.html", wait_until="networkidle")
        assert response is not None and response.status == 404
        assert watch.page.locator("h1").inner_text() == "找不到这个页面"
        home = watch.page.locator("main a", has_text="返回首页")
        watch.page.wait_for_function(
            "href => document.querySelector('main a').href === href", arg=base_url + "index.html", timeout=10000
        )
        home.click()
        watch.page.wait_for_load_state("networkidle")
        assert watch.page.url == base_url + "index.html"
        assert watch.page.locator("h1").first.inner_text() == "医保局预算公开数据"
        probes = ("no/such/deep", "search_index.json", "Failed to load resource: the server responded with a status of 404")
        unexpected = [e for e in watch.errors if not any(p in e for p in probes)]
        assert unexpected == [] and watch.foreign == []
    finally:
        watch.close()
        server.shutdown()
        server.server_close()
