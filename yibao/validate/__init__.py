"""Stage 5 — validate: the accounting identities a disclosure must satisfy, as published Checks.

Each rule is a class in this folder, registered with `base.register` and described in the check
catalogue `yibao/data/checks.yml`. Rules on one table run table by table, in the order of the
document; rules across tables and on the text run once, after them.
"""

from __future__ import annotations

from collections.abc import Iterable

from yibao.derive.units import WAN, in_wan
from yibao.model import Check, Document, SourceText
from yibao.validate import across, figures, narrative, summary, tables, three_public, years
from yibao.validate.base import Context, Rule, registry
from yibao.validate.coverage import count_checks

# the rule modules register their rules when imported, in this order
RULE_MODULES = (summary, three_public, tables, across, figures, narrative, years)


def rules() -> list[Rule]:
    return [rule() for rule in registry()]


def run_checks(document: Document, source: SourceText) -> list[Check]:
    """Checks inside one table in the unit it prints; checks across tables and against the text
    in 万元, whatever units the tables print (`units.in_wan`)."""
    context = Context(in_wan(document), source)
    all_rules = rules()
    checks: list[Check] = []
    for table in document.tables:
        for rule in all_rules:
            if rule.applies_to(table):
                checks.extend(_in_unit(rule.check_table(table), table.unit))
    for rule in all_rules:
        checks.extend(_in_unit(rule.check_document(context), WAN))
    return checks


def _in_unit(checks: Iterable[Check], unit: str) -> list[Check]:
    found = list(checks)
    for check in found:
        check.unit = unit
    return found


def validate(document: Document, source: SourceText) -> None:
    """The document's checks, and for each printed amount how many of them rest on it."""
    document.checks.extend(run_checks(document, source))
    count_checks(document, source, run_checks)
