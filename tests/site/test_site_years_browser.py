"""The scorecard, last year's figures and the ranking pages in a real browser, at a desktop and a
phone width (issue 12): each bureau page shows its 信息公开评分 with every criterion and its
evidence, and its 与上年比较 table; each ranking page under bureaus/ranking/ shows its tables with
every body linked to its page; nothing makes the page scroll sideways on a phone.

Screenshots go to $YIBAO_SCREENSHOTS when set (to look at), else to the test's scratch folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_site_browser import (  # noqa: F401
    PageWatch,
    bureau_page_named,
    html_pages,
    pytestmark,
    served,
)

WIDTHS = (1280, 390)
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# the elements wider than the window (none may be, but a table scrolling inside its own wrapper)
TOO_WIDE = """() => [...document.querySelectorAll('article *')]
    .filter(e => !e.closest('.yibao-table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("YIBAO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ranking_pages(site: Path) -> list[str]:
    return [p for p in html_pages(site) if p.startswith("bureaus/ranking/")]


@pytest.mark.parametrize("width", WIDTHS)
def test_bureau_page_shows_scorecard_and_last_years_figures(served, browser, width, tmp_path):
    site, base_url = served
    relative = bureau_page_named(site, "双鸭山")
    assert relative is not None
    watch = PageWatch(browser, width)
    page = watch.page
    try:
        page.goto(base_url + relative, wait_until="networkidle")
        score = page.locator("h3", has_text="信息公开评分")
        assert score.count() == 1 and score.first.is_visible()
        criteria = page.locator("ol.yibao-score > li.yibao-score__item")
        assert criteria.count() >= 10
        for index in range(criteria.count()):
            item = criteria.nth(index)
            assert item.is_visible()
            assert item.locator(".yibao-mark").count() >= 1  # met / not met, in words beside the sign
        summary = page.locator(".yibao-score__summary")
        assert "项符合" in summary.inner_text()
        # evidence: the 三公 table's empty-table note (source line 462), with its page
        text = page.locator("ol.yibao-score").inner_text()
        assert "注：本部门没有“三公”经费支出，故本表为空表。" in text
        assert "第 10 页" in text or "第10页" in text.replace(" ", "")
        years = page.locator("h3", has_text="与上年比较")
        assert years.count() == 1 and years.first.is_visible()
        table = page.locator("table.yibao-years")
        assert table.count() >= 1 and table.first.is_visible()
        # line 700: 一般公共预算收入1,116.56万元，比上年预算数增加2.76 → last year 1,113.80
        row = table.first.locator("tr", has_text="一般公共预算收入")
        assert row.count() == 1
        cells = [c.strip() for c in row.first.locator("td").all_inner_texts()]
        assert cells[1] == "1,116.56" and cells[2].startswith("+2.76") and cells[3] == "1,113.80"
        # the table scrolls inside its wrapper; the page itself never sideways
        assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(TOO_WIDE)
        score.first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots(tmp_path) / f"bureau-scorecard-{width}.png"))
        years.first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots(tmp_path) / f"bureau-years-{width}.png"))
        assert watch.errors == []
    finally:
        watch.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_ranking_pages_link_every_body_and_fit_a_phone(served, browser, width, tmp_path):
    site, base_url = served
    pages = ranking_pages(site)
    assert len(pages) == 4  # province 部门 and 单位 (上海医保中心), prefecture and county budgets
    watch = PageWatch(browser, width)
    page = watch.page
    try:
        for relative in pages:
            page.goto(base_url + relative, wait_until="networkidle")
            tables = page.locator("table.yibao-ranking")
            assert tables.count() >= 1, relative
            links = []
            for index in range(tables.count()):
                table = tables.nth(index)
                assert table.is_visible()
                rows = table.locator("tbody tr")
                assert rows.count() >= 1
                for number in range(rows.count()):
                    link = rows.nth(number).locator("td").first.locator("a")
                    assert link.count() == 1 and link.inner_text().strip()
                    links.append(link.get_attribute("href") or "")
            assert page.evaluate(NO_SIDEWAYS_SCROLL), (relative, page.evaluate(TOO_WIDE))
            # on a phone a line says the table scrolls sideways; on a desktop, where it fits, none
            hint = page.locator(".yibao-scroll-hint").first
            assert hint.is_visible() == (width < 720), relative
            name = relative.removeprefix("bureaus/ranking/").removesuffix(".html").replace("/", "-")
            page.screenshot(path=str(shots(tmp_path) / f"ranking-{name}-{width}.png"), full_page=True)
            for href in links:  # each body's link opens its page, at the document's section
                target = page.context.new_page()
                response = target.goto(page.url.rsplit("/", 1)[0] + "/" + href, wait_until="domcontentloaded")
                assert response is not None and response.ok, href
                anchor = href.split("#", 1)[1] if "#" in href else ""
                if anchor:
                    assert target.locator(f"[id='{anchor}']").count() == 1, href
                target.close()
        assert watch.errors == []
    finally:
        watch.close()
