"""Rules across years: last year's figure as this year's text states it ("比上年增加 2.76 万元")
against the figure the body's own document of last year prints.

Documents are read one by one, each in its own worker, so this runs once all are read
(`checks_across_years`). Its checks go to a resource of their own (`year_checks`), never into a
document's own rows: a document is published exactly as when built alone, whatever its
neighbours. A document's previous one is the same body's, same kind and scope, of the fiscal year
before. Only changes on last year's *budget* are compared with a budget (a 决算 or 执行数 is
another figure), and only between documents in the same unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from yibao.model import Check, Document, SourceText, YearCheck
from yibao.reference import vocabulary
from yibao.validate.base import Context, Rule, register

YEARS = "years"
_OTHER_BASIS = vocabulary("validate").pattern("other_basis")


def same_body_key(document: Document) -> tuple[str, str, str]:
    m = document.metadata
    return m.bureau, m.doc_type, m.scope


def previous_documents(documents: list[Document]) -> dict[int, Document]:
    """Index of each document → the same body's document of the year before, where there is one."""
    by_year: dict[tuple[tuple[str, str, str], int], Document] = {}
    for document in documents:
        if not document.error and document.metadata.bureau and document.metadata.fiscal_year:
            by_year.setdefault((same_body_key(document), document.metadata.fiscal_year), document)
    found: dict[int, Document] = {}
    for index, document in enumerate(documents):
        year = document.metadata.fiscal_year
        previous = by_year.get((same_body_key(document), year - 1)) if year and not document.error else None
        if previous is not None:
            found[index] = previous
    return found


@register
class PreviousYearFigure(Rule):
    code = "previous_year_figure"

    def check_document(self, context: Context) -> Iterable[Check]:
        previous = context.previous
        if previous is None or set(previous.metadata.units) != set(context.document.metadata.units):
            return
        for change in context.document.stated_changes:
            printed = previous.key_figures.get(change.figure) if change.figure else None
            if printed is None or _OTHER_BASIS.search(change.sentence):
                continue
            params = {
                "subject": change.subject,
                "page": change.page,
                "stated": change.previous,
                "year": previous.metadata.fiscal_year,
                "printed": printed,
            }
            yield self.compare(YEARS, printed, change.previous, 1, measure=change.figure, params=params)


def checks_across_years(documents: list[Document]) -> list[YearCheck]:
    """The checks across years of every document whose previous year is among `documents`, in
    the documents' order. Nothing is changed in the documents themselves."""
    rule = PreviousYearFigure()
    found: list[YearCheck] = []
    for index, previous in sorted(previous_documents(documents).items()):
        document = documents[index]
        for check in rule.check_document(Context(document, SourceText([], 0), previous)):
            found.append(YearCheck(document, previous, check))
    return found
