"""Like-for-like rankings: bodies of one administrative level and one kind of document, side by
side, with shares that mean something across sizes (computed in Decimal from the published key
figures) and the pass-through funds shown apart.

Builds on `charts.Comparable` (the compare page's figures of one document) rather than reading the
key figures a second way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .charts import Comparable, key_figure, share_of
from .formatting import readable_slug
from .model import ADMIN_LEVEL_LABELS, LEVEL_ORDER, BureauView, DocumentView, comparable, kind_label
from .scorecard import Scorecard

RANKING_DIR = "bureaus/ranking"


@dataclass(frozen=True)
class RankingEntry:
    bureau: BureauView
    view: DocumentView
    figures: Comparable
    year_expenditure: Decimal | None  # 本年支出: basic + project, else 本年支出合计
    pass_through: Decimal | None
    scorecard: Scorecard

    @property
    def own_spending(self) -> Decimal | None:
        """Expenditure of the year without the funds passed on (基金补助、医疗救助 …)."""
        if self.year_expenditure is None or self.pass_through is None:
            return None
        return self.year_expenditure - self.pass_through

    @property
    def basic_share(self) -> Decimal | None:
        return share_of(self.figures.basic, self.year_expenditure)

    @property
    def project_share(self) -> Decimal | None:
        return share_of(self.figures.project, self.year_expenditure)

    @property
    def personnel_share(self) -> Decimal | None:
        """人员经费 ÷ 基本支出 (as on the compare page)."""
        return share_of(self.figures.personnel, self.figures.basic)

    @property
    def three_public_share(self) -> Decimal | None:
        return share_of(self.figures.three_public, self.year_expenditure)

    @property
    def pass_through_share(self) -> Decimal | None:
        return share_of(self.pass_through, self.year_expenditure)


def year_expenditure(view: DocumentView) -> Decimal | None:
    """The whole the shares are taken of: 基本支出 + 项目支出 where both are printed (so the two
    shares add up to 100%), else 本年支出合计."""
    basic = key_figure(view.key_figures, "basic_expenditure")
    project = key_figure(view.key_figures, "project_expenditure")
    if basic is not None and project is not None:
        return basic + project
    return key_figure(view.key_figures, "expense_year_total")


@dataclass(frozen=True)
class RankingGroup:
    year: str
    entries: list[RankingEntry]


@dataclass(frozen=True)
class RankingPage:
    level: str
    scope: str
    doc_type: str
    kind: str  # 部门预算, 单位决算 …
    groups: list[RankingGroup]

    @property
    def level_label(self) -> str:
        return ADMIN_LEVEL_LABELS.get(self.level, self.level or "级别未知")

    @property
    def title(self) -> str:
        return f"{self.level_label}{self.kind}比较"

    @property
    def page(self) -> str:
        slug = readable_slug("-".join(p for p in (self.level or "unknown", self.scope, self.doc_type) if p))
        return f"{RANKING_DIR}/{slug or 'other'}.md"

    @property
    def documents(self) -> int:
        return sum(len(group.entries) for group in self.groups)

    @property
    def bodies(self) -> int:
        return len({entry.bureau.bureau_id for group in self.groups for entry in group.entries})


def ranking_order(entry: RankingEntry) -> tuple[Any, ...]:
    """Largest own spending first (the like-for-like size), unknown last, then by name."""
    own = entry.own_spending
    return (own is None, -(own or Decimal(0)), entry.bureau.name, entry.view.doc_id)


def ranking_pages(bureaus: list[BureauView], scorecards: dict[str, Scorecard]) -> list[RankingPage]:
    """One page per administrative level and kind of document; on it one table per year."""
    keyed: dict[tuple[str, str, str], dict[str, list[RankingEntry]]] = {}
    for bureau in bureaus:
        for view in bureau.documents:
            doc = view.doc
            key = (doc.get("admin_level", ""), doc.get("scope", ""), doc.get("doc_type", ""))
            entry = RankingEntry(
                bureau=bureau,
                view=view,
                figures=comparable(view, bureau),
                year_expenditure=year_expenditure(view),
                pass_through=key_figure(view.key_figures, "pass_through_expenditure"),
                scorecard=scorecards.get(view.doc_id, Scorecard([])),
            )
            keyed.setdefault(key, {}).setdefault(doc.get("fiscal_year", ""), []).append(entry)
    pages = []
    for (level, scope, doc_type), by_year in keyed.items():
        groups = [
            RankingGroup(year, sorted(entries, key=ranking_order))
            for year, entries in sorted(by_year.items(), reverse=True)
        ]
        kind = kind_label({"scope": scope, "doc_type": doc_type})
        pages.append(RankingPage(level, scope, doc_type, kind, groups))
    pages.sort(key=lambda p: (LEVEL_ORDER.get(p.level, 9), p.level, p.doc_type, p.scope))
    return pages


def page_of_document(pages: list[RankingPage]) -> dict[str, RankingPage]:
    return {entry.view.doc_id: page for page in pages for group in page.groups for entry in group.entries}
