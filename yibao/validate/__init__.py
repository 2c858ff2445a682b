"""Stage 5 — validate: the accounting identities a disclosure must satisfy, as published Checks."""

from __future__ import annotations

from yibao.model import Document, SourceText
from yibao.validate.identities import check_across, check_classified, check_summary
from yibao.validate.narrative import narrative_checks


def validate(document: Document, source: SourceText) -> None:
    for table in document.tables:
        if table.rows and table.table_id in ("summary", "appropriation_summary"):
            document.checks.extend(check_summary(table))
        elif table.rows and table.columns and table.table_id not in ("three_public",):
            document.checks.extend(check_classified(table, table.identities))
    document.checks.extend(check_across(document))
    lines = [(line.number, line.text) for line in source.lines]
    document.checks.extend(narrative_checks(document, lines, document.key_figures))
