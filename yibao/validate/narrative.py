"""Stage 4 — validate, for the text: figures stated in the narrative against the tables.

The narrative repeats the tables' figures ("收入预算1,116.56万元", "基本支出…1,066.26万元") and
states changes on last year ("比上年预算数增加2.76万元，增长0.25%"). Both are checked: a stated
figure must equal the table's, and a stated growth rate must follow from the stated amounts
(last year = this year − change). Text wraps across lines, so the document is read as one string
with each character's line remembered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from yibao.model import Check, Document
from yibao.text import squeeze
from yibao.validate.identities import compare

NUMBER = r"(\d[\d,]*(?:\.\d+)?)"


@dataclass(frozen=True)
class Claim:
    label: str
    figure: str  # key figure id
    pattern: re.Pattern[str]


def _claim(label: str, figure: str, words: str) -> Claim:
    # the label, a few words that are not a number or a sentence break, the amount in 万元
    return Claim(label, figure, re.compile(rf"(?:{words})(?:预算|安排|为|数|支出|共计|总额|合计)*{NUMBER}万元"))


# A grand total is stated after the year, the bureau or a clause break — never after another
# noun ("财政专户管理资金预算收入", "事业单位经营支出预算" are other figures).
_CLAUSE = r"(?:(?<=[年中括和及为是局心）)，,。：:；;、.\d])|(?<=本级))"
CLAIMS = (
    _claim("收入预算", "income_grand_total", rf"{_CLAUSE}(?:收入预算|收支总预算|预算收入)"),
    _claim("支出预算", "expense_grand_total", rf"{_CLAUSE}支出预算(?!表)"),
    _claim("一般公共预算收入", "general_budget_income", r"一般公共预算(?:拨款)?收入"),
    _claim("基本支出", "basic_expenditure", r"(?<!一般公共预算)(?<!预算)基本支出"),
    _claim("一般公共预算基本支出", "general_budget_basic_total", r"一般公共预算基本支出"),
    _claim("项目支出", "project_expenditure", r"项目支出"),
    _claim("人员经费", "personnel_expenditure", r"人员经费(?:（[^）]{0,40}）)?"),
    _claim("公用经费", "public_expenditure", r"(?:日常)?公用经费(?:（[^）]{0,20}）)?"),
    _claim("机关运行经费", "public_expenditure", r"机关(?:（事业）)?运行经费"),
    _claim("“三公”经费", "three_public_total", r"“?三公”?经费(?:预算)?"),
)
GROWTH = re.compile(
    rf"{NUMBER}万元[，,]?(?:比|较)上年[^，。；\d]{{0,8}}(增加|减少|增长|下降|降低){NUMBER}万元[，,]"
    rf"(增长|下降|降低|减少|增加){NUMBER}%"
)
FUNCTION_CLASS = re.compile(
    rf"((?:社会保障和就业|卫生健康|住房保障|一般公共服务|教育|科学技术|节能环保|城乡社区|农林水|交通运输|灾害防治及应急管理|国有资本经营预算)支出){NUMBER}万元"
)


@dataclass
class Narrative:
    text: str
    line_of: list[int]  # line number of each character of text


def flatten(document_lines: list[tuple[int, str]]) -> Narrative:
    """The document as one string without white space, so wrapped sentences read whole."""
    parts: list[str] = []
    line_of: list[int] = []
    for number, text in document_lines:
        squeezed = squeeze(text)
        parts.append(squeezed)
        line_of.extend([number] * len(squeezed))
    return Narrative("".join(parts), line_of)


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def check_claims(narrative: Narrative, figures: dict[str, Decimal | None]) -> list[Check]:
    checks: list[Check] = []
    seen: set[tuple[str, int]] = set()
    for claim in CLAIMS:
        for match in claim.pattern.finditer(narrative.text):
            expected = figures.get(claim.figure)
            if expected is None:
                continue
            start = match.start(1)
            if (claim.figure, start) in seen or _inside_longer_label(narrative.text, match.start(), claim):
                continue
            seen.add((claim.figure, start))
            line = narrative.line_of[start]
            stated = _amount(match.group(1))
            checks.append(_stated_vs_table(f"narrative.{claim.figure}", claim.label, stated, expected, line))
    return checks


def _inside_longer_label(text: str, start: int, claim: Claim) -> bool:
    """ "一般公共预算基本支出" is not a claim about 基本支出, "本年收入预算" not about 收入预算."""
    before = text[max(0, start - 6) : start]
    return claim.label == "基本支出" and before.endswith(("一般公共预算", "预算"))


def _stated_vs_table(check_id: str, label: str, stated: Decimal, table: Decimal, line: int) -> Check:
    check = compare(
        check_id,
        table,
        stated,
        1,
        f"第 {line} 行文字“{label}{stated}万元”与表中数字 {table} 比对 (figure stated in the text at line {line} against the tables)",
    )
    if check.status == "fail" and _rounded(table, stated) == stated:
        check.status, check.outcome = "pass", "rounding"
    return check


def _rounded(value: Decimal, like: Decimal) -> Decimal:
    """`value` rounded to as many decimals as `like` prints; unchanged when it cannot be."""
    exponent = like.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    try:
        return value.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        return value


def check_function_classes(narrative: Narrative, class_amounts: dict[str, Decimal]) -> list[Check]:
    checks: list[Check] = []
    for match in FUNCTION_CLASS.finditer(narrative.text):
        name, stated = match.group(1), _amount(match.group(2))
        if name in class_amounts:
            line = narrative.line_of[match.start(2)]
            checks.append(_stated_vs_table("narrative.function_class", name, stated, class_amounts[name], line))
    return checks


def check_growth_rates(narrative: Narrative) -> list[Check]:
    """A stated growth rate must follow from the stated amount and change: rate = change / (amount ∓ change)."""
    checks: list[Check] = []
    for match in GROWTH.finditer(narrative.text):
        amount, verb, change, _, rate = match.groups()
        current, delta, stated_rate = _amount(amount), _amount(change), _amount(rate)
        if verb in ("减少", "下降", "降低"):
            delta = -delta
        previous = current - delta
        line = narrative.line_of[match.start()]
        where = f"第 {line} 行：{match.group(0)}"
        if previous == 0:
            if delta == 0 and stated_rate == 0:
                checks.append(
                    Check("narrative.growth_rate", "pass", "exact", where, expected=stated_rate, actual=stated_rate)
                )
            else:
                checks.append(
                    Check(
                        "narrative.growth_rate",
                        "fail",
                        "mismatch",
                        f"{where}（上年为 0，增长率无从计算 — last year was 0, no growth rate can be stated)",
                        expected=None,
                        actual=stated_rate,
                    )
                )
            continue
        computed = abs(delta) / previous * 100
        exponent = stated_rate.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        unit = Decimal(1).scaleb(-decimals)
        rounded = _rounded(computed, unit)
        if rounded == stated_rate:
            status, outcome = "pass", "exact"
        elif abs(computed - stated_rate) < unit:
            status, outcome = "pass", "rounding"
        else:
            status, outcome = "fail", "mismatch"
        checks.append(
            Check(
                "narrative.growth_rate",
                status,
                outcome,
                f"{where}（按上年 {previous} 万元计算应为 {rounded}% — computed from last year's {previous})",
                expected=rounded,
                actual=stated_rate,
            )
        )
    return checks


def narrative_checks(
    document: Document, lines: list[tuple[int, str]], figures: dict[str, Decimal | None]
) -> list[Check]:
    narrative = flatten(lines)
    summary = document.first_table("summary")
    classes: dict[str, Decimal] = {}
    if summary is not None:
        for row in summary.rows:
            if row.side == "expenditure" and row.standard_code:
                name = re.sub(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])", "", row.name)
                classes[name] = row.amounts.get("expenditure", Decimal(0))
    return check_claims(narrative, figures) + check_function_classes(narrative, classes) + check_growth_rates(narrative)
