"""Rules across tables: the same figure printed in two tables agrees."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from difflib import SequenceMatcher

from yibao.model import Check, Project, Row, Table
from yibao.model.enums import CheckStatus, Level, Outcome, Side
from yibao.normalise.summary import bare_name, summary_figure
from yibao.reference import classifications, measures, vocabulary
from yibao.text import squeeze
from yibao.validate.base import ZERO, Context, Rule, register

CROSS = "cross"


def total_row(table: Table | None) -> Row | None:
    if table is None:
        return None
    return next((r for r in table.rows if r.level == Level.TOTAL), None)


def rows_by_code(table: Table | None) -> dict[str, Row]:
    return {r.code: r for r in table.rows if r.code} if table is not None else {}


def _bracketless(name: str) -> str:
    """A name without white space and brackets: 因公出国(境)费用 and 因公出国（境）费用 are one."""
    return "".join(ch for ch in squeeze(name) if ch not in vocabulary("validate").word("brackets"))


def class_totals(table: Table | None, measure: str = "total") -> dict[str, tuple[Decimal, int]]:
    """Function class code → its amount in `measure` and how many printed rows make it: the class
    row where printed; where a table prints only its 款 or 项 rows, the sum of the outermost rows
    under the class (a class is the sum of its parts; the count bounds the rounding allowed)."""
    if table is None:
        return {}
    coded = [r for r in table.rows if r.code and r.code.isdigit() and r.level != Level.TOTAL]
    codes = {r.code for r in coded}
    found: dict[str, tuple[Decimal, int]] = {}
    for row in coded:
        if len(row.code) == 3:
            found[row.code] = (row.amounts.get(measure, ZERO), 1)
    for row in table.rows:  # a class printed by name only, with its standard code
        if not row.code and row.level == Level.CLASS and len(row.standard_code) == 3:
            found.setdefault(row.standard_code, (row.amounts.get(measure, ZERO), 1))
    summed: dict[str, tuple[Decimal, int]] = {}
    for row in coded:
        klass = row.code[:3]
        if len(row.code) <= 3 or klass in codes or any(row.code[:n] in codes for n in range(4, len(row.code))):
            continue
        amount, count = summed.get(klass, (ZERO, 0))
        summed[klass] = (amount + row.amounts.get(measure, ZERO), count + 1)
    return {**summed, **found}


def measures_of(table: Table | None) -> list[str]:
    return [c.measure for c in table.columns] if table is not None else []


def measure_zh(measure: str) -> str:
    return str(measures()["measures"][measure]["zh"])


@register
class SummaryVsExpenditureTotal(Rule):
    code = "summary_vs_expenditure_total"

    def check_document(self, context: Context) -> Iterable[Check]:
        summary = context.document.first_table("summary")
        expenditure_total = total_row(context.document.first_table("expenditure"))
        if summary is None or expenditure_total is None:
            return
        year_expense = summary_figure(summary, "year_expense")
        if year_expense is None:
            year_expense = summary_figure(summary, "expense_total")
        if year_expense is not None:
            yield self.compare(CROSS, year_expense, expenditure_total.amounts.get("total", ZERO), 1, "expenditure")


@register
class SummaryClassVsExpenditure(Rule):
    code = "summary_class_vs_expenditure"

    def check_document(self, context: Context) -> Iterable[Check]:
        summary = context.document.first_table("summary")
        expenditure = context.document.first_table("expenditure")
        if summary is None or total_row(expenditure) is None:
            return
        by_code = class_totals(expenditure)
        for row in summary.rows:
            code = row.standard_code
            if row.side == Side.EXPENDITURE and code and (row.amounts.get(Side.EXPENDITURE, ZERO) or code in by_code):
                printed, summed = by_code.get(code, (ZERO, 1))
                yield self.compare(
                    CROSS,
                    row.amounts.get(Side.EXPENDITURE, ZERO),
                    printed,
                    summed,
                    "expenditure",
                    code,
                    "total",
                    params={"name": row.name, "code": code},
                )


@register
class BasicEconomicVsFunction(Rule):
    """The economic basic-expenditure table's total / 人员经费 / 公用经费 against the function
    table's 基本支出 / 人员经费 / 公用经费."""

    code = "basic_economic_vs_function"

    def check_document(self, context: Context) -> Iterable[Check]:
        general = context.document.first_table("general_budget_expenditure")
        basic = context.document.first_table("general_budget_basic_expenditure")
        general_total, basic_total = total_row(general), total_row(basic)
        if general_total is None or basic_total is None:
            return
        for measure in ("basic", "personnel", "public"):
            basic_measure = "total" if measure == "basic" else measure
            if measure in measures_of(general) and basic_measure in measures_of(basic):
                yield self.compare(
                    CROSS,
                    general_total.amounts.get(measure, ZERO),
                    basic_total.amounts.get(basic_measure, ZERO),
                    1,
                    "general_budget_basic_expenditure",
                    "",
                    measure,
                    check_id=f"{CROSS}.{self.code}_{measure}",
                    params={"measure": measure, "measure_zh": measure_zh(measure)},
                )


@register
class BasicEconomicVsExpenditure(Rule):
    code = "basic_economic_vs_expenditure"

    def check_document(self, context: Context) -> Iterable[Check]:
        document = context.document
        expenditure = document.first_table("expenditure")
        expenditure_total = total_row(expenditure)
        basic_total = total_row(document.first_table("general_budget_basic_expenditure"))
        if (
            expenditure_total is not None
            and "basic" in measures_of(expenditure)
            and basic_total is not None
            and "basic" not in measures_of(document.first_table("general_budget_expenditure"))
        ):
            yield self.compare(
                CROSS,
                expenditure_total.amounts.get("basic", ZERO),
                basic_total.amounts.get("total", ZERO),
                1,
                "general_budget_basic_expenditure",
                "",
                "basic",
            )


APPROPRIATION_TABLES = ("general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure")


@register
class AppropriationClassVsFundTables(Rule):
    """财政拨款收支总表: each function class = the same class in the 一般公共预算, 政府性基金 and
    国有资本经营预算 tables together (the three kinds of appropriation), where all three are printed."""

    code = "appropriation_class_vs_fund_tables"

    def check_document(self, context: Context) -> Iterable[Check]:
        document = context.document
        appropriation = document.first_table("appropriation_summary")
        parts = [document.first_table(t) for t in APPROPRIATION_TABLES]
        if appropriation is None or any(p is None for p in parts):
            return
        by_code: dict[str, Decimal] = {}
        summed: dict[str, int] = {}
        for table in parts:
            for code, (amount, count) in class_totals(table).items():
                by_code[code] = by_code.get(code, ZERO) + amount
                summed[code] = summed.get(code, 0) + count
        of_the_year = _of_the_year_only(appropriation, parts)
        for row in appropriation.rows:
            code = row.standard_code
            if row.side == Side.EXPENDITURE and code and (row.amounts.get(Side.EXPENDITURE, ZERO) or code in by_code):
                check = self.compare(
                    CROSS,
                    row.amounts.get(Side.EXPENDITURE, ZERO),
                    by_code.get(code, ZERO),
                    summed.get(code, 1),
                    "appropriation_summary",
                    code,
                    Side.EXPENDITURE,
                    params={"name": row.name, "code": code},
                )
                if of_the_year and check.status == CheckStatus.FAIL:
                    check.status, check.outcome = CheckStatus.SKIP, Outcome.NOT_APPLICABLE
                yield check


def _of_the_year_only(appropriation: Table, parts: list[Table | None]) -> bool:
    """The fund tables print the appropriations of the year only (their 合计 is the summary's
    本年收入, not its 本年支出, which spends the carry-over too): their classes are not the
    summary's, and a class apart is not testable (038: 16,474.82 against 18,728.94)."""
    year_income = summary_figure(appropriation, "year_income")
    year_expense = summary_figure(appropriation, "year_expense")
    if year_income is None or year_expense is None or year_income == year_expense:
        return False
    totals = [row.amounts.get("total", ZERO) for row in (total_row(p) for p in parts) if row is not None]
    return bool(totals) and sum(totals, ZERO) == year_income


def class_of(row: Row) -> str:
    """The function class a row is, by its code or (printed by name only) its standard code."""
    if row.level == Level.TOTAL:
        return ""
    if row.code:
        return row.code if len(row.code) == 3 and row.code.isdigit() else ""
    return row.standard_code if len(row.standard_code) == 3 else ""


def lines_by_class(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Function class → the rows printed after it, up to the next class (its 款 and 项)."""
    blocks: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    for row in rows:
        klass = class_of(row)
        if klass:
            current = blocks.setdefault(klass, [])
        elif current is not None and row.level != Level.TOTAL:
            current.append(row)
    return blocks


def matched_lines(lines: list[Row], others: list[Row]) -> dict[int, Row]:
    """Index in `lines` → the row of `others` printed under the same name at the same place in
    the sequence (the longest matching sequence of names: a line one table leaves out does not
    shift the others, and a name printed under two 款 (行政运行) finds its own)."""
    names = [bare_name(r.name) for r in lines]
    other_names = [bare_name(r.name) for r in others]
    matcher = SequenceMatcher(None, names, other_names, autojunk=False)
    return {block.a + k: others[block.b + k] for block in matcher.get_matching_blocks() for k in range(block.size)}


# each summary table → the tables that print its lines, and the catalogue entry of its checks
LINE_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "summary": (("expenditure",), "summary_lines_vs_expenditure"),
    "appropriation_summary": (APPROPRIATION_TABLES, "appropriation_lines_vs_fund_tables"),
}


@register
class SummaryLinesVsTables(Rule):
    """The 款 and 项 a summary table prints by name under each class, against the same lines of
    the expenditure table (the 收支总表) or the three fund tables together (the 财政拨款收支总表),
    where all of them are printed."""

    code = "summary_lines_vs_expenditure"
    also_emits = ("appropriation_lines_vs_fund_tables",)

    def check_document(self, context: Context) -> Iterable[Check]:
        for summary_id, (table_ids, rule) in LINE_TABLES.items():
            summary = context.document.first_table(summary_id)
            tables = [context.document.first_table(t) for t in table_ids]
            if summary is None or any(t is None for t in tables):
                continue
            printed = lines_by_class(r for r in summary.rows if r.side == Side.EXPENDITURE)
            blocks = [lines_by_class(t.rows) for t in tables if t is not None]
            for klass, lines in printed.items():
                named = [r for r in lines if not r.code and not r.standard_code]
                yield from self._check_class(summary_id, rule, klass, named, [b.get(klass, []) for b in blocks])

    def _check_class(
        self, summary_id: str, rule: str, klass: str, lines: list[Row], others: list[list[Row]]
    ) -> Iterable[Check]:
        matches = [matched_lines(lines, rows) for rows in others if rows]
        class_name = classifications()["function_classes"].get(klass, klass)
        for index, line in enumerate(lines):
            found = [m[index] for m in matches if index in m]
            if not found:
                continue
            yield self.compare(
                CROSS,
                line.amounts.get(Side.EXPENDITURE, ZERO),
                sum((r.amounts.get("total", ZERO) for r in found), ZERO),
                len(found),
                summary_id,
                klass,
                Side.EXPENDITURE,
                check_id=f"{CROSS}.{rule}",
                rule=rule,
                params={"class_name": class_name, "code": klass, "name": line.name},
            )


@register
class ThreePublicVsEconomic(Rule):
    """“三公” figures against the economic lines that carry the same spending, where printed."""

    code = "three_public_vs_economic"

    def check_document(self, context: Context) -> Iterable[Check]:
        document = context.document
        three = document.first_table("three_public")
        if three is None or not three.rows:
            return
        figures: dict[str, Decimal] = {}
        for row in three.rows:
            for measure, amount in row.amounts.items():
                if row.level == Level.TOTAL or len(three.rows) == 1 or measure != "total":
                    figures.setdefault(measure, amount)
        source = document.first_table("general_budget_expenditure_government_economic")
        family = "government_economic"
        if source is None:
            source, family = document.first_table("general_budget_basic_expenditure"), "economic"
        by_code = rows_by_code(source)
        codes: dict[str, str] = classifications()["three_public_codes"][family]
        names: dict[str, str] = classifications()[family]
        for measure, code in codes.items():
            if measure in figures and code in by_code:
                check = self.compare(
                    CROSS,
                    figures[measure],
                    by_code[code].amounts.get("total", ZERO),
                    1,
                    "three_public",
                    code,
                    measure,
                    params={"measure_zh": measure_zh(measure), "code": code, "name": by_code[code].name},
                )
                if family == "economic" and check.actual is not None and check.actual < figures[measure]:
                    # the basic-expenditure table carries only 基本支出: the rest of a “三公” figure
                    # is paid from 项目支出, which no table prints by economic line — not testable
                    check.status, check.outcome = CheckStatus.SKIP, Outcome.NOT_APPLICABLE
                printed = _bracketless(by_code[code].name).removeprefix(code)
                if printed and printed != _bracketless(names.get(code, "")):
                    # the code names another line in this table (a local classification prints
                    # 30212 机关事业单位退休人员活动费): not the “三公” spending — not testable
                    check.status, check.outcome = CheckStatus.SKIP, Outcome.NOT_APPLICABLE
                yield check


@register
class ProjectsVsProjectExpenditure(Rule):
    code = "projects_vs_project_expenditure"

    def check_document(self, context: Context) -> Iterable[Check]:
        yield from self._check(context.document.projects, total_row(context.document.first_table("expenditure")))

    def _check(self, projects: list[Project], expenditure_total: Row | None) -> Iterable[Check]:
        amounts = [p.amount for p in projects if p.amount is not None]
        if not amounts or expenditure_total is None or "project" not in expenditure_total.amounts:
            return
        check = self.compare(
            CROSS,
            expenditure_total.amounts["project"],
            sum(amounts, ZERO),
            len(amounts),
            "project_expenditure",
            "",
            "project",
            params={"count": len(amounts)},
        )
        listed_apart = all(p.source_table == "performance_targets" for p in projects)
        partial = check.actual is not None and check.expected is not None and check.actual < check.expected
        if check.status == CheckStatus.FAIL and listed_apart and partial:
            # projects read from the performance tables alone: those tables may list only some
            # projects (重点项目, those with targets), so less than the total is no contradiction
            check.status, check.outcome = CheckStatus.SKIP, Outcome.NOT_APPLICABLE
        yield check
