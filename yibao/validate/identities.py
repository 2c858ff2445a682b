"""Stage 4 — validate: the accounting identities a disclosure must satisfy, as published Checks.

Every check compares an expected figure (a printed total) with an actual one (the sum of the
printed parts, or the same figure in another table). A difference within one cent per summed
item is rounding (the documents warn of 尾数误差): it passes with outcome `rounding` and is
published apart from a real `mismatch`. Nothing is hidden: a failed check is data.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from yibao.model import Check, Document, Project, Row, Table
from yibao.normalise.placement import within_rounding
from yibao.normalise.summary import bare_name, summary_value

ZERO = Decimal(0)


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
        status, outcome = "pass", "exact"
    elif summed_items > 1 and within_rounding(expected, actual, summed_items):
        status, outcome = "pass", "rounding"
    else:
        status, outcome = "fail", "mismatch"
    return Check(check, status, outcome, message, table, code, measure, expected, actual)


def skip(check: str, message: str, table: str = "") -> Check:
    return Check(check, "skip", "not_applicable", message, table)


def _total(rows: Iterable[Row], measure: str) -> Decimal:
    return sum((r.amounts.get(measure, ZERO) for r in rows), ZERO)


# --------------------------------------------------------------------------- summary tables


def check_summary(table: Table) -> list[Check]:
    checks: list[Check] = []
    tid = table.table_id
    income_total = summary_value(table, "income", "收入总计")
    expense_total = summary_value(table, "expenditure", "支出总计")
    if income_total is not None and expense_total is not None:
        checks.append(
            compare(
                f"{tid}.income_equals_expense",
                income_total,
                expense_total,
                1,
                "收入总计 = 支出总计 (total income equals total expenditure)",
                tid,
            )
        )
    year_income = summary_value(table, "income", "本年收入合计", "本年收入")
    carryover = summary_value(table, "income", "上年结转结余", "上年结转", "年初财政拨款结转和结余", "年初结转和结余")
    if income_total is not None and year_income is not None:
        checks.append(
            compare(
                f"{tid}.year_income_plus_carryover",
                income_total,
                year_income + (carryover or ZERO),
                2,
                "本年收入合计 + 上年结转结余 = 收入总计 (income of the year plus carry-over equals total income)",
                tid,
            )
        )
    year_expense = summary_value(table, "expenditure", "本年支出合计", "本年支出")
    carryforward = summary_value(table, "expenditure", "年终结转结余", "年末财政拨款结转和结余", "年末结转和结余")
    if expense_total is not None and year_expense is not None:
        checks.append(
            compare(
                f"{tid}.year_expense_plus_carryforward",
                expense_total,
                year_expense + (carryforward or ZERO),
                2,
                "本年支出合计 + 年终结转结余 = 支出总计 (expenditure of the year plus carry-forward equals total expenditure)",
                tid,
            )
        )
    classes = [r for r in table.rows if r.side == "expenditure" and r.standard_code]
    reference = year_expense if year_expense is not None else expense_total
    if classes and reference is not None:
        checks.append(
            compare(
                f"{tid}.function_classes_sum",
                reference,
                _total(classes, "expenditure"),
                len(classes),
                "各功能分类（类）支出之和 = 本年支出合计 (function classes add up to the expenditure of the year)",
                tid,
            )
        )
    economic = [
        r
        for r in table.rows
        if r.side == "expenditure_economic" and not bare_name(r.name).startswith(("支出总计", "本年支出"))
    ]
    economic_total = next(
        (
            r.amounts.get("expenditure_economic", ZERO)
            for r in table.rows
            if r.side == "expenditure_economic" and bare_name(r.name) == "支出总计"
        ),
        None,
    )
    if economic and economic_total is not None:
        checks.append(
            compare(
                f"{tid}.economic_classes_sum",
                economic_total,
                _total(economic, "expenditure_economic"),
                len(economic),
                "各经济分类支出之和 = 支出总计 (economic classes add up to total expenditure)",
                tid,
            )
        )
    return checks


# --------------------------------------------------------------------------- classified tables


def children_by_parent(table: Table) -> dict[int, list[Row]]:
    """Row index of each printed parent → its printed children. The 合计 row is the parent of
    every row whose own parent is not printed in the table (类 rows, or 款 printed by name)."""
    index_by_code = {
        row.code: i for i, row in enumerate(table.rows) if row.code and row.level in ("class", "segment", "item")
    }
    total_index = next((i for i, r in enumerate(table.rows) if r.level == "total"), None)
    children: dict[int, list[Row]] = {}
    for row in table.rows:
        if row.level == "total":
            continue
        parent = index_by_code.get(row.parent_code) if row.parent_code else None
        if parent is None:
            if total_index is None or (row.level == "line" and len(row.code) > 3):
                continue  # unit rows such as 303001 belong under 303, not under 合计
            parent = total_index
        children.setdefault(parent, []).append(row)
    return children


def check_classified(table: Table, identities: list[tuple[str, list[str]]]) -> list[Check]:
    checks: list[Check] = []
    tid = table.table_id
    measures = [c.measure for c in table.columns]
    for parent_index, kids in sorted(children_by_parent(table).items()):
        parent = table.rows[parent_index]
        check_id = "total_equals_rows" if parent.level == "total" else "parent_equals_children"
        for measure in measures:
            label = "合计" if parent.level == "total" else f"{parent.code} {parent.name}"
            checks.append(
                compare(
                    f"{tid}.{check_id}",
                    parent.amounts.get(measure, ZERO),
                    _total(kids, measure),
                    len(kids),
                    f"{label} = 下级科目之和 (parent equals the sum of its {len(kids)} children)",
                    tid,
                    parent.code,
                    measure,
                )
            )
    for row in table.rows:
        for total, parts in identities:
            present = [p for p in parts if p in measures]
            if total not in measures or len(present) != len(parts):
                continue
            label = row.code or row.name
            checks.append(
                compare(
                    f"{tid}.row_{total}_equals_parts",
                    row.amounts.get(total, ZERO),
                    sum((row.amounts.get(p, ZERO) for p in parts), ZERO),
                    len(parts),
                    f"{label}: {total} = {' + '.join(parts)}",
                    tid,
                    row.code,
                    total,
                )
            )
    return checks


# --------------------------------------------------------------------------- across tables


def _total_row(table: Table | None) -> Row | None:
    if table is None:
        return None
    return next((r for r in table.rows if r.level == "total"), None)


def _rows_by_code(table: Table | None) -> dict[str, Row]:
    return {r.code: r for r in table.rows if r.code} if table is not None else {}


def check_across(document: Document) -> list[Check]:
    checks: list[Check] = []
    summary = document.first_table("summary")
    expenditure = document.first_table("expenditure")
    general = document.first_table("general_budget_expenditure")
    basic = document.first_table("general_budget_basic_expenditure")
    expenditure_total = _total_row(expenditure)

    if summary is not None and expenditure_total is not None:
        year_expense = summary_value(summary, "expenditure", "本年支出合计", "本年支出")
        if year_expense is None:
            year_expense = summary_value(summary, "expenditure", "支出总计")
        if year_expense is not None:
            checks.append(
                compare(
                    "cross.summary_vs_expenditure_total",
                    year_expense,
                    expenditure_total.amounts.get("total", ZERO),
                    1,
                    "收支总表本年支出合计 = 支出总表合计 (summary table agrees with the expenditure table)",
                    "expenditure",
                )
            )
        by_code = _rows_by_code(expenditure)
        for row in summary.rows:
            code = row.standard_code
            if row.side == "expenditure" and code and (row.amounts.get("expenditure", ZERO) or code in by_code):
                printed = by_code.get(code)
                checks.append(
                    compare(
                        "cross.summary_class_vs_expenditure",
                        row.amounts.get("expenditure", ZERO),
                        printed.amounts.get("total", ZERO) if printed else ZERO,
                        1,
                        f"{row.name}：收支总表 = 支出总表 (class {code} agrees across tables)",
                        "expenditure",
                        code,
                        "total",
                    )
                )

    general_total = _total_row(general)
    basic_total = _total_row(basic)
    if general_total is not None and basic_total is not None:
        for measure in ("basic", "personnel", "public"):
            general_measure = "total" if measure == "basic" else measure
            if measure in _measures(general) and general_measure in _measures(basic):
                checks.append(
                    compare(
                        f"cross.basic_economic_vs_function_{measure}",
                        general_total.amounts.get(measure, ZERO),
                        basic_total.amounts.get(general_measure, ZERO),
                        1,
                        f"一般公共预算基本支出表（经济分类）与一般公共预算支出表（功能分类）的{_zh(measure)}一致 (economic and functional tables agree on {measure})",
                        "general_budget_basic_expenditure",
                        "",
                        measure,
                    )
                )

    if (
        expenditure_total is not None
        and "basic" in _measures(expenditure)
        and basic_total is not None
        and "basic" not in _measures(general)
    ):
        checks.append(
            compare(
                "cross.basic_economic_vs_expenditure",
                expenditure_total.amounts.get("basic", ZERO),
                basic_total.amounts.get("total", ZERO),
                1,
                "一般公共预算基本支出表合计 = 支出总表基本支出 (basic expenditure agrees across tables)",
                "general_budget_basic_expenditure",
                "",
                "basic",
            )
        )

    checks.extend(_check_appropriation(document))
    checks.extend(_check_three_public(document))
    checks.extend(_check_projects(document.projects, expenditure_total))
    return checks


def _zh(measure: str) -> str:
    return {"basic": "基本支出", "personnel": "人员经费", "public": "公用经费"}.get(measure, measure)


def _measures(table: Table | None) -> list[str]:
    return [c.measure for c in table.columns] if table is not None else []


APPROPRIATION_TABLES = ("general_budget_expenditure", "gov_fund_expenditure", "state_capital_expenditure")


def _check_appropriation(document: Document) -> list[Check]:
    """财政拨款收支总表: each function class = the same class in the 一般公共预算, 政府性基金 and
    国有资本经营预算 tables together (the three kinds of appropriation), where all three are printed."""
    appropriation = document.first_table("appropriation_summary")
    parts = [document.first_table(t) for t in APPROPRIATION_TABLES]
    if appropriation is None or any(p is None for p in parts):
        return []
    by_code: dict[str, Decimal] = {}
    for table in parts:
        assert table is not None
        for row in table.rows:
            if row.level == "class" and row.code:
                by_code[row.code] = by_code.get(row.code, ZERO) + row.amounts.get("total", ZERO)
    checks: list[Check] = []
    for row in appropriation.rows:
        code = row.standard_code
        if row.side == "expenditure" and code and (row.amounts.get("expenditure", ZERO) or code in by_code):
            checks.append(
                compare(
                    "cross.appropriation_class_vs_fund_tables",
                    row.amounts.get("expenditure", ZERO),
                    by_code.get(code, ZERO),
                    1,
                    f"{row.name}：财政拨款收支总表 = 一般公共预算、政府性基金、国有资本经营预算支出表之和 (class {code} agrees with the fund tables)",
                    "appropriation_summary",
                    code,
                    "expenditure",
                )
            )
    return checks


THREE_PUBLIC_CODES = {
    "government_economic": {"overseas": "50207", "reception": "50206", "vehicle_operation": "50208"},
    "economic": {"overseas": "30212", "reception": "30217", "vehicle_operation": "30231"},
}


def _check_three_public(document: Document) -> list[Check]:
    """“三公” figures against the economic lines that carry the same spending, where printed."""
    three = document.first_table("three_public")
    if three is None or not three.rows:
        return []
    figures: dict[str, Decimal] = {}
    for row in three.rows:
        for measure, amount in row.amounts.items():
            if row.level == "total" or len(three.rows) == 1 or measure != "total":
                figures.setdefault(measure, amount)
    source = document.first_table("general_budget_expenditure_government_economic")
    family = "government_economic"
    if source is None:
        source, family = document.first_table("general_budget_basic_expenditure"), "economic"
    by_code = _rows_by_code(source)
    checks: list[Check] = []
    for measure, code in THREE_PUBLIC_CODES[family].items():
        if measure in figures and code in by_code:
            checks.append(
                compare(
                    "cross.three_public_vs_economic",
                    figures[measure],
                    by_code[code].amounts.get("total", ZERO),
                    1,
                    f"“三公”经费表{_three_zh(measure)} = 经济分类 {code} {by_code[code].name} (three public expenses agree with the economic line)",
                    "three_public",
                    code,
                    measure,
                )
            )
    return checks


def _three_zh(measure: str) -> str:
    return {"overseas": "因公出国（境）费", "reception": "公务接待费", "vehicle_operation": "公务用车运行维护费"}[
        measure
    ]


def _check_projects(projects: list[Project], expenditure_total: Row | None) -> list[Check]:
    amounts = [p.amount for p in projects if p.amount is not None]
    if not amounts or expenditure_total is None or "project" not in expenditure_total.amounts:
        return []
    return [
        compare(
            "cross.projects_vs_project_expenditure",
            expenditure_total.amounts["project"],
            sum(amounts, ZERO),
            len(amounts),
            f"{len(amounts)} 个项目金额之和 = 支出总表项目支出 (projects add up to project expenditure)",
            "project_expenditure",
            "",
            "project",
        )
    ]
