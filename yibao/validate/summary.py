"""Rules on one summary table (收支总表, 财政拨款收支总表): its totals and its classes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from yibao.model import Check, Table
from yibao.model.enums import Side
from yibao.normalise.summary import bare_name, summary_figure, summary_labels
from yibao.validate.base import ZERO, Rule, register, total

SUMMARY_TABLES = ("summary", "appropriation_summary")


class SummaryRule(Rule):
    """A rule run on each summary table."""

    def applies_to(self, table: Table) -> bool:
        return bool(table.rows) and table.table_id in SUMMARY_TABLES


@register
class IncomeEqualsExpense(SummaryRule):
    code = "income_equals_expense"

    def check_table(self, table: Table) -> Iterable[Check]:
        income = summary_figure(table, "income_total")
        expense = summary_figure(table, "expense_total")
        if income is not None and expense is not None:
            yield self.compare(table.table_id, income, expense, 1, table.table_id)


@register
class YearIncomePlusCarryover(SummaryRule):
    code = "year_income_plus_carryover"

    def check_table(self, table: Table) -> Iterable[Check]:
        income = summary_figure(table, "income_total")
        year_income = summary_figure(table, "year_income")
        carryover = summary_figure(table, "carryover")
        if income is not None and year_income is not None:
            yield self.compare(table.table_id, income, year_income + (carryover or ZERO), 2, table.table_id)


@register
class YearExpensePlusCarryforward(SummaryRule):
    code = "year_expense_plus_carryforward"

    def check_table(self, table: Table) -> Iterable[Check]:
        expense = summary_figure(table, "expense_total")
        year_expense = summary_figure(table, "year_expense")
        carryforward = summary_figure(table, "carryforward")
        if expense is not None and year_expense is not None:
            yield self.compare(table.table_id, expense, year_expense + (carryforward or ZERO), 2, table.table_id)


@register
class FunctionClassesSum(SummaryRule):
    code = "function_classes_sum"

    def check_table(self, table: Table) -> Iterable[Check]:
        classes = [r for r in table.rows if r.side == Side.EXPENDITURE and r.standard_code]
        year_expense = summary_figure(table, "year_expense")
        reference = year_expense if year_expense is not None else summary_figure(table, "expense_total")
        if classes and reference is not None:
            yield self.compare(
                table.table_id, reference, total(classes, Side.EXPENDITURE), len(classes), table.table_id
            )


@register
class EconomicClassesSum(SummaryRule):
    code = "economic_classes_sum"

    def check_table(self, table: Table) -> Iterable[Check]:
        economic_rows = [r for r in table.rows if r.side == Side.EXPENDITURE_ECONOMIC]
        totals = summary_labels("economic_totals")
        classes = [r for r in economic_rows if not bare_name(r.name).startswith(totals)]
        grand_total: Decimal | None = next(
            (
                r.amounts.get(Side.EXPENDITURE_ECONOMIC, ZERO)
                for r in economic_rows
                if bare_name(r.name) in summary_labels("expense_total")
            ),
            None,
        )
        if classes and grand_total is not None:
            yield self.compare(
                table.table_id, grand_total, total(classes, Side.EXPENDITURE_ECONOMIC), len(classes), table.table_id
            )
