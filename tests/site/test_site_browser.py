"""The built site in a real browser: served from a sub-path, offline, charts drawn, search works.

One build, one server and one Chromium for the whole module. Skipped only when Debian's
/usr/bin/chromium is missing (playwright's own browser download does not work here).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from sitebuild import build_site, chosen_package, serve


def _find_chromium() -> Path:
    """$CHROMIUM, Debian's chromium (scripts/bootstrap.sh installs it), or a Chrome already there."""
    for candidate in (
        os.environ.get("CHROMIUM", ""),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return Path("/usr/bin/chromium")


CHROMIUM = _find_chromium()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    # the browser tests are part of the suite: without a browser they fail, unless skipping is asked for
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("YIBAO_SKIP_BROWSER") == "1",
        reason="no Chromium and YIBAO_SKIP_BROWSER=1",
    ),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = build_site(chosen_package(), tmp_path_factory.mktemp("site"))
    with serve(root) as base_url:
        yield root / "yibao", base_url


class PageWatch:
    """A page that records console errors, page errors and requests to other hosts."""

    def __init__(self, browser, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", self._request)
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def _request(self, request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.hostname != "127.0.0.1":
            self.foreign.append(request.url)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watch(browser):
    watched = PageWatch(browser)
    yield watched
    watched.close()


# Every chart laid out, each bar that is not folded away drawn with a width (charts are HTML).
CHARTS_DRAWN = """() => [...document.querySelectorAll("figure[data-chart]")]
    .every(f => f.getBoundingClientRect().height > 0) &&
  [...document.querySelectorAll(".yibao-bar__fill, .yibao-split__part")]
    .filter(b => !b.closest("details:not([open])")).every(b => b.getBoundingClientRect().width > 0)"""


def html_pages(site: Path) -> list[str]:
    """Every page a link can reach. 404.html is left out: without site_url MkDocs writes it with
    root-absolute asset URLs (it is served for any missing path), which break under a sub-path."""
    pages = (path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    return sorted(page for page in pages if page != "404.html")


def bureau_pages(site: Path) -> list[str]:
    return [
        p
        for p in html_pages(site)
        if p.startswith("bureaus/")
        and p.count("/") == 1  # the ranking pages live under bureaus/ranking/
        and p not in ("bureaus/index.html", "bureaus/compare.html")
    ]


def bureau_page_named(site: Path, word: str) -> str | None:
    """The bureau page whose heading contains word (bureau ids differ between packages)."""
    for relative in bureau_pages(site):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", (site / relative).read_text(encoding="utf-8"), re.S)
        if heading and word in heading.group(1):
            return relative
    return None


def test_every_page_loads_cleanly_and_offline(served, watch):
    site, base_url = served
    pages = html_pages(site)
    assert "index.html" in pages and "data/index.html" in pages
    for relative in pages:
        response = watch.page.goto(base_url + relative, wait_until="networkidle")
        assert response is not None and response.ok, relative
        assert watch.page.evaluate(CHARTS_DRAWN), relative
    assert watch.errors == []
    assert watch.foreign == []


def test_bureau_page_draws_every_chart_and_shows_tables(served, watch):
    site, base_url = served
    page = watch.page
    for relative in bureau_pages(site):
        page.goto(base_url + relative, wait_until="networkidle")
        charts = page.locator("figure[data-chart]")
        assert charts.count() > 0, relative
        assert page.evaluate(CHARTS_DRAWN), relative
        assert page.locator("figure[data-chart] + div table.yibao-table").count() == charts.count()
        assert page.locator(".yibao-download a[href$='.csv']").count() >= charts.count()
    assert watch.errors == []


def test_function_chart_shows_the_printed_amounts(served, watch):
    site, base_url = served
    target = bureau_page_named(site, "双鸭山")
    if target is None:
        pytest.skip("the package has no 双鸭山 page")
    page = watch.page
    page.goto(base_url + target, wait_until="networkidle")
    chart = page.locator("figure[id$='--function']").first
    bars = chart.locator(".yibao-chart > ol.yibao-bars > li")
    first = bars.first.inner_text()
    assert "社会保障和就业支出" in first and "980.15" in first and "87.8%" in first
    chart.locator("details.yibao-level summary", has_text="208 社会保障和就业支出").first.click()
    assert "857.18" in chart.inner_text()  # the 款 level, unfolded
    chart.locator("+ div details summary").first.click()  # the chart's table
    table = page.locator("figure[id$='--function'] + div table").first.inner_text()
    assert "980.15" in table and "1,116.56" in table


def test_bureau_index_sorts_and_filters(served, watch):
    _, base_url = served
    page = watch.page
    page.goto(base_url + "bureaus/index.html", wait_until="networkidle")
    rows = page.locator("#yibao-bureaus tbody tr")
    total = rows.count()
    assert total >= 2
    page.fill(".yibao-filter__text", "双鸭山")
    visible = page.locator("#yibao-bureaus tbody tr:not([hidden])")
    assert 1 <= visible.count() < total
    assert "双鸭山" in visible.first.inner_text()
    page.fill(".yibao-filter__text", "")
    header = page.locator("#yibao-bureaus th", has_text="最新支出总计")
    header.click()
    header.click()  # descending: the largest bureau first
    amounts = [
        float(a.replace(",", ""))
        for a in page.locator("#yibao-bureaus tbody tr td:nth-child(5)").all_inner_texts()
        if a != "—"
    ]
    assert amounts == sorted(amounts, reverse=True)


def search_results(page, base_url: str, query: str) -> list[str]:
    """Type into Material's search box like a person: fill, then a real key so keyup fires."""
    page.goto(base_url + "index.html", wait_until="networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    hrefs = page.locator(".md-search-result__item > a, .md-search-result__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [unquote(re.sub(r"[?#].*$", "", href)) for href in hrefs]


@pytest.mark.parametrize(
    ("query", "bureau"),
    [("双鸭山", "双鸭山"), ("三公经费", ""), ("保障", ""), ("双桥", "双桥")],
)
def test_search_finds_chinese_words_and_sub_words(served, watch, query, bureau):
    """A bureau's name finds its page; 三公经费 and the sub-word 保障 find bureau pages."""
    site, base_url = served
    expected = bureau_page_named(site, bureau) if bureau else "bureaus/"
    if expected is None:
        pytest.skip(f"no bureau named {bureau} in this package")
    results = search_results(watch.page, base_url, query)
    assert any(expected in href for href in results), results
    assert watch.errors == []


def test_search_for_a_sub_word_finds_every_bureau_containing_it(served, watch):
    site, base_url = served
    results = search_results(watch.page, base_url, "保障")
    found = {href.split("/")[-1] for href in results if "bureaus/" in href}
    bureaus_with_word = {
        path.name for path in (site / "bureaus").glob("*.html") if path.name not in ("index.html", "compare.html")
    }
    assert bureaus_with_word <= found or len(found) >= 5, (found, bureaus_with_word)
