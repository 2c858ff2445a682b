"""Rules on the text: figures stated in the narrative against the tables, and stated growth rates.

The narrative repeats the tables' figures ("收入预算1,116.56万元", "基本支出…1,066.26万元") and
states changes on last year ("比上年预算数增加2.76万元，增长0.25%"). Both are checked: a stated
figure must equal the table's, and a stated growth rate must follow from the stated amounts
(last year = this year − change). Text wraps across lines, so the document is read as one string
with each character's line remembered. What the text says is read with the patterns of
`yibao/data/narrative.yml`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from yibao.messages import say
from yibao.model import Check, Document
from yibao.model.enums import CheckStatus, Outcome, Side
from yibao.normalise.summary import bare_name
from yibao.recognise.narrative import claims, function_class_pattern, growth_pattern, vocabulary
from yibao.reference import vocabulary as reference_words
from yibao.validate.base import Context, Rule, compare, register
from yibao.validate.summary import SUMMARY_TABLES

NARRATIVE = "narrative"


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _rounded(value: Decimal, like: Decimal) -> Decimal:
    """`value` rounded to as many decimals as `like` prints; unchanged when it cannot be."""
    exponent = like.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    try:
        return value.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        return value


class StatedRule(Rule):
    """A figure stated in the text against the table's: equal, or equal once the table's figure
    is rounded to the decimals the text prints."""

    def stated_vs_table(self, check_id: str, label: str, stated: Decimal, table: Decimal, line: int) -> Check:
        message = self.text().message(line=line, label=label, stated=stated, table=table)
        check = compare(check_id, table, stated, 1, message)
        if check.status == CheckStatus.FAIL and _rounded(table, stated) == stated:
            check.status, check.outcome = CheckStatus.PASS, Outcome.ROUNDING
        return check


@register
class StatedFigure(StatedRule):
    code = "stated_figure"

    def check_document(self, context: Context) -> Iterable[Check]:
        text = context.narrative
        figures = context.document.key_figures
        scoped: dict[str, str] = vocabulary()["in_fund_scope"]
        seen: set[tuple[str, int]] = set()
        for claim, found in zip(claims(), stated_in(text.text), strict=True):
            for start, stated in found:
                figure = claim.figure
                if figure in scoped and in_fund_scope(text.text, start):
                    figure = scoped[figure]  # 财政拨款支出…其中基本支出: the appropriation's figure
                expected = figures.get(figure) if figure else None
                if expected is None or (claim.figure, start) in seen:
                    continue
                seen.add((claim.figure, start))
                yield self.stated_vs_table(
                    f"{NARRATIVE}.{claim.figure}", claim.label, stated, expected, text.line_of[start]
                )


@lru_cache(maxsize=4)
def stated_in(text: str) -> tuple[tuple[tuple[int, Decimal], ...], ...]:
    """For each claim, where the text states it and the amount: (start, amount) pairs. The text
    does not change when a table does: a document validated again is not searched again."""
    found = []
    for claim in claims():
        matches = []
        for match in claim.pattern.finditer(text):
            before = text[max(0, match.start() - 6) : match.start()]
            if not (claim.not_after and before.endswith(claim.not_after)):
                matches.append((match.start(1), _amount(match.group(1))))
        found.append(tuple(matches))
    return tuple(found)


SCOPE_CHARS = 120  # how far back a sentence's subject is looked for (tables run on without 。)
ORDINAL_MARK = reference_words("validate").pattern("ordinal_mark")
FULL_STOP = reference_words("validate").word("full_stop")


def in_fund_scope(text: str, start: int) -> bool:
    """Whether the sentence stating the amount at `start`, from its heading or the last 。, names
    the appropriations (财政拨款, 一般公共预算)."""
    begin = max(text.rfind(FULL_STOP, 0, start) + 1, start - SCOPE_CHARS)
    marks = [m.start() for m in ORDINAL_MARK.finditer(text, begin, start)]
    sentence = text[marks[-1] if marks else begin : start]
    return any(word in sentence for word in vocabulary()["fund_scope"])


def class_amounts(document: Document, table_id: str = "summary") -> dict[str, Decimal]:
    """Function class name → its amount in the summary table (收支总表, or 财政拨款收支总表)."""
    summary = document.first_table(table_id)
    if summary is None:
        return {}
    return {
        bare_name(row.name): row.amounts.get(Side.EXPENDITURE, Decimal(0))
        for row in summary.rows
        if row.side == Side.EXPENDITURE and row.standard_code
    }


@register
class FunctionClass(StatedRule):
    code = "function_class"

    def check_document(self, context: Context) -> Iterable[Check]:
        text = context.narrative
        tables = {table_id: class_amounts(context.document, table_id) for table_id in SUMMARY_TABLES}
        for match in function_class_pattern().finditer(text.text):
            name, stated = match.group(1), _amount(match.group(2))
            scope = "appropriation_summary" if in_fund_scope(text.text, match.start()) else "summary"
            amounts = tables[scope]
            if name in amounts:
                line = text.line_of[match.start(2)]
                yield self.stated_vs_table(f"{NARRATIVE}.{self.code}", name, stated, amounts[name], line)


@register
class GrowthRate(Rule):
    """A stated growth rate must follow from the stated amount and change:
    rate = change / (amount ∓ change)."""

    code = "growth_rate"

    def check_document(self, context: Context) -> Iterable[Check]:
        text = context.narrative
        decreases = tuple(vocabulary()["decrease_words"])
        for match in growth_pattern().finditer(text.text):
            amount, verb, change, _, rate = match.groups()
            current, delta, stated_rate = _amount(amount), _amount(change), _amount(rate)
            if verb in decreases:
                delta = -delta
            where = say("narrative.where", line=text.line_of[match.start()], text=match.group(0))
            yield self._check(where, current - delta, delta, stated_rate)

    def _check(self, where: str, previous: Decimal, delta: Decimal, stated_rate: Decimal) -> Check:
        check_id = f"{NARRATIVE}.{self.code}"
        if previous == 0:
            if delta == 0 and stated_rate == 0:
                message = self.text().message(where=where, detail="")
                return Check(
                    check_id, CheckStatus.PASS, Outcome.EXACT, message, expected=stated_rate, actual=stated_rate
                )
            message = self.text().message(where=where, detail=say("narrative.growth_on_zero"))
            return Check(check_id, CheckStatus.FAIL, Outcome.MISMATCH, message, expected=None, actual=stated_rate)
        computed = abs(delta) / previous * 100
        exponent = stated_rate.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        unit = Decimal(1).scaleb(-decimals)
        rounded = _rounded(computed, unit)
        if rounded == stated_rate:
            status, outcome = CheckStatus.PASS, Outcome.EXACT
        elif abs(computed - stated_rate) < unit:
            status, outcome = CheckStatus.PASS, Outcome.ROUNDING
        else:
            status, outcome = CheckStatus.FAIL, Outcome.MISMATCH
        detail = say("narrative.growth_computed", previous=previous, rounded=rounded)
        message = self.text().message(where=where, detail=detail)
        return Check(check_id, status, outcome, message, expected=rounded, actual=stated_rate)
