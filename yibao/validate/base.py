"""What a check is: one class per rule, with a stable code and its entry in the check catalogue.

In the way frictionless-py does it: a rule is a class with a `code`; its titles, description,
what it applies to and its message templates live in `yibao/data/checks.yml` (zh and en); the
registry is the list of rule classes that validation runs and that the package and the site
document. Adding a check is one class in one file of this folder plus its catalogue entry.

Every check compares an expected figure (a printed total) with an actual one (the sum of the
printed parts, or the same figure in another table). A difference within one cent per summed
item is rounding (the documents warn of 尾数误差): it passes with outcome `rounding` and is
published apart from a real `mismatch`. Nothing is hidden: a failed check is data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from typing import Any, ClassVar

from yibao.model import Check, Document, Row, SourceText, Table
from yibao.model.enums import CheckStatus, Outcome
from yibao.normalise.placement import within_rounding
from yibao.reference import load_data, vocabulary
from yibao.text import squeeze

ZERO = Decimal(0)


@dataclass(frozen=True)
class RuleText:
    """A rule's catalogue entry."""

    code: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    applies_to: str  # what it is run on, in words (zh)
    message_zh: str
    message_en: str

    def message(self, **params: Any) -> str:
        zh = self.message_zh.format(**params)
        return f"{zh} ({self.message_en.format(**params)})" if self.message_en else zh


@cache
def catalogue() -> dict[str, RuleText]:
    entries = load_data("checks.yml")["rules"]
    return {
        code: RuleText(
            code=code,
            title_zh=entry["title"]["zh"],
            title_en=entry["title"]["en"],
            description_zh=entry["description"]["zh"],
            description_en=entry["description"]["en"],
            applies_to=entry["applies_to"],
            message_zh=entry["message"]["zh"],
            message_en=entry["message"].get("en", ""),
        )
        for code, entry in entries.items()
    }


@dataclass
class Narrative:
    """The document as one string without white space, so wrapped sentences read whole."""

    text: str
    line_of: list[int]  # line number of each character of text


class Context:
    """What a rule may look at: the document read so far and its source text."""

    def __init__(self, document: Document, source: SourceText, previous: Document | None = None) -> None:
        self.document = document
        self.source = source
        # the same body's document of the year before, when the package has it (`validate.years`)
        self.previous = previous

    @cached_property
    def narrative(self) -> Narrative:
        return narrative_of(self.source)


# A page number as printed at the foot of a page: 3, - 17 -, — 14 —, 第 3 页.
PAGE_NUMBER = vocabulary("validate").pattern("page_number")

# The last sources' narratives: validating the same source again (after a table changed) does
# not read its text again. Keyed by identity, checked by identity: never another source's text.
_NARRATIVES: dict[int, tuple[SourceText, Narrative]] = {}


def narrative_of(source: SourceText) -> Narrative:
    cached = _NARRATIVES.get(id(source))
    if cached is not None and cached[0] is source:
        return cached[1]
    parts: list[str] = []
    line_of: list[int] = []
    lines = source.lines
    for index, line in enumerate(lines):
        squeezed = squeeze(line.text)
        last_on_page = index + 1 == len(lines) or lines[index + 1].page != line.page
        if last_on_page and PAGE_NUMBER.match(squeezed):
            continue  # a page's number is no part of the sentence running over the page break
        parts.append(squeezed)
        line_of.extend([line.number] * len(squeezed))
    narrative = Narrative("".join(parts), line_of)
    if len(_NARRATIVES) >= 4:
        _NARRATIVES.pop(next(iter(_NARRATIVES)))
    _NARRATIVES[id(source)] = (source, narrative)
    return narrative


class Rule:
    """One accounting identity, run on each table it applies to (`check_table`) or once on the
    whole document (`check_document`). The ids of the checks it emits start with the table id
    (`expenditure.parent_equals_children`), `cross` or `narrative`; `also_emits` names the other
    catalogue codes a rule's checks may carry (a 合计 row's check is `total_equals_rows`)."""

    code: ClassVar[str]
    also_emits: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def text(cls) -> RuleText:
        return catalogue()[cls.code]

    def applies_to(self, table: Table) -> bool:
        return False

    def check_table(self, table: Table) -> Iterable[Check]:
        return ()

    def check_document(self, context: Context) -> Iterable[Check]:
        return ()

    def compare(
        self,
        prefix: str,
        expected: Decimal,
        actual: Decimal,
        summed_items: int,
        table: str = "",
        code: str = "",
        measure: str = "",
        check_id: str = "",
        rule: str = "",
        params: dict[str, Any] | None = None,
    ) -> Check:
        """A check of `expected` against `actual`, its message from the catalogue entry `rule`
        (this rule's own by default)."""
        text = catalogue()[rule] if rule else self.text()
        return compare(
            check_id or f"{prefix}.{rule or self.code}",
            expected,
            actual,
            summed_items,
            text.message(**(params or {})),
            table,
            code,
            measure,
        )


_REGISTRY: list[type[Rule]] = []


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator: the rule is run by `validate` and documented in the package and site."""
    for code in (rule.code, *rule.also_emits):
        if code not in catalogue():
            raise KeyError(f"check rule {code!r} has no entry in yibao/data/checks.yml")
    _REGISTRY.append(rule)
    return rule


def registry() -> Iterator[type[Rule]]:
    yield from _REGISTRY


def compare(
    check: str,
    expected: Decimal,
    actual: Decimal,
    summed_items: int,
    message: str,
    table: str = "",
    code: str = "",
    measure: str = "",
) -> Check:
    if expected == actual:
        status, outcome = CheckStatus.PASS, Outcome.EXACT
    elif summed_items > 1 and within_rounding(expected, actual, summed_items):
        status, outcome = CheckStatus.PASS, Outcome.ROUNDING
    else:
        status, outcome = CheckStatus.FAIL, Outcome.MISMATCH
    return Check(check, status, outcome, message, table, code, measure, expected, actual)


def total(rows: Iterable[Row], measure: str) -> Decimal:
    return sum((r.amounts.get(measure, ZERO) for r in rows), ZERO)


# ---------------------------------------------------------------- units


@cache
def unit_in_wan() -> dict[str, Decimal]:
    """The unit a table prints its amounts in (元, 万元 …) → how many 万元 one of it is."""
    return {str(unit): Decimal(str(value)) for unit, value in load_data("figures.yml")["unit_in_wan"].items()}


def table_unit(table: Table) -> str:
    """The one hook for a table's printed unit: `Table.unit` where the reader sets it; '' (the
    document's unit, 万元) where it does not."""
    return str(getattr(table, "unit", "") or "")


def in_wan(table: Table, amount: Decimal) -> Decimal:
    """A printed amount in 万元, the unit of every comparison across tables."""
    return amount * unit_in_wan().get(table_unit(table), Decimal(1))


def printed_step(table: Table, amount: Decimal) -> Decimal:
    """The last printed place of an amount, in 万元 (0.01 for 12.34 万元, 0.0001 for 12 元)."""
    exponent = amount.as_tuple().exponent
    places = exponent if isinstance(exponent, int) else 0
    return in_wan(table, Decimal(1).scaleb(places))
