"""The rules that catch a changed amount (issue 13): each on a small document built here, passing
as printed and failing, with its message, once one amount is changed. Removing a rule makes its
test fail: the check it emits is looked up by its id."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yibao.model import Check, Column, Document, Metadata, Row, SourceText, Table
from yibao.validate import run_checks
from yibao.validate.base import in_wan

D = Decimal


def summary_table(
    table_id: str, items: list[tuple[str, str, dict[str, str]]], columns: list[str] | None = None
) -> Table:
    """(side, label as printed, amounts) rows of a 收支总表-like table, in reading order."""
    measures = columns or ["income", "expenditure"]
    table = Table(1, table_id, table_id, "", 1, 1, columns=[Column(m, m) for m in measures])
    for number, (side, label, amounts) in enumerate(items, start=1):
        row = Row(number, "", label, {m: D(a) for m, a in amounts.items()}, 1, number, side=side)
        table.rows.append(row)
    return table


def income(label: str, amount: str) -> tuple[str, str, dict[str, str]]:
    return ("income", label, {"income": amount})


def spend(label: str, amount: str, code: str = "") -> tuple[str, str, dict[str, str]]:
    return ("expenditure", label, {"expenditure": amount})


def checks(*tables: Table) -> list[Check]:
    document = Document("doc.txt", "0" * 64, Metadata(), tables=list(tables))
    return run_checks(document, SourceText([], 1))


def only(found: list[Check], check_id: str, **where: str) -> list[Check]:
    return [c for c in found if c.check == check_id and all(getattr(c, k) == v for k, v in where.items())]


def failed(found: list[Check]) -> list[str]:
    return [f"{c.check}: {c.message}" for c in found if c.status == "fail"]


# ---------------------------------------------------------------- summary items


def test_income_items_add_up_to_the_income_of_the_year() -> None:
    table = summary_table(
        "summary",
        [
            income("一、一般公共预算拨款收入", "100.00"),
            income("二、政府性基金预算拨款收入", "0.00"),
            income("三、单位资金收入", "30.00"),
            income("（一）事业收入", "20.00"),
            income("（二）其他收入", "10.00"),
            income("其中：捐赠收入", "4.00"),  # of which: part of its item, never summed
            income("本年收入合计", "130.00"),
            income("上年结转结余", "0.00"),
            income("收入总计", "130.00"),
        ],
    )
    found = only(checks(table), "summary.side_items_sum")
    assert [(c.status, c.expected, c.actual) for c in found] == [
        ("pass", D("30.00"), D("30.00")),
        ("pass", D("130.00"), D("130.00")),
    ]
    table.rows[1].amounts["income"] = D("61.03")  # 0.00 → 61.03: no total of the table moves
    assert failed(checks(table)) == [
        "summary.side_items_sum: 本年收入合计 = 所列 3 项之和 (本年收入合计 equals the sum of its 3 items)"
    ]
    table.rows[1].amounts["income"] = D("0.00")
    table.rows[4].amounts["income"] = D("11.00")
    assert failed(checks(table)) == [
        "summary.side_items_sum: 三、单位资金收入 = 所列 2 项之和 (三、单位资金收入 equals the sum of its 2 items)"
    ]


def test_a_heading_owns_the_items_after_it_and_a_carryover_its_funds() -> None:
    """财政拨款收支总表 forms: 一、本年收入 over （一）…（三）; 年初结转和结余 over 一、…三、 before 收入总计."""
    headed = summary_table(
        "appropriation_summary",
        [
            income("一、本年收入", "50.00"),
            income("（一）一般公共预算拨款", "50.00"),
            income("（二）政府性基金预算拨款", "0.00"),
            income("二、上年结转", "5.00"),
            income("（一）一般公共预算拨款", "5.00"),
            income("（二）政府性基金预算拨款", "0.00"),
            income("收入总计", "55.00"),
        ],
    )
    assert [c.status for c in only(checks(headed), "appropriation_summary.side_items_sum")] == ["pass", "pass"]
    headed.rows[5].amounts["income"] = D("3.00")
    assert failed(checks(headed)) == [
        "appropriation_summary.side_items_sum: 二、上年结转 = 所列 2 项之和 (二、上年结转 equals the sum of its 2 items)"
    ]
    unnumbered = summary_table(
        "appropriation_summary",
        [
            income("一、一般公共预算拨款", "50.00"),
            income("本年收入合计", "50.00"),
            income("年初财政拨款结转和结余", "3.00"),
            income("一、一般公共预算拨款", "0.00"),
            income("二、政府性基金预算拨款", "3.00"),
            income("收入总计", "53.00"),
        ],
    )
    assert [c.status for c in only(checks(unnumbered), "appropriation_summary.side_items_sum")] == ["pass", "pass"]
    unnumbered.rows[4].amounts["income"] = D("30.00")
    assert failed(checks(unnumbered)) == [
        "appropriation_summary.side_items_sum: 年初财政拨款结转和结余 = 所列 2 项之和"
        " (年初财政拨款结转和结余 equals the sum of its 2 items)"
    ]


def test_the_items_before_a_carryover_are_not_its_parts() -> None:
    table = summary_table(
        "summary",
        [income("一、一般公共预算拨款收入", "10.00"), income("二、上年结转", "5.00"), income("收入总计", "15.00")],
    )
    assert only(checks(table), "summary.side_items_sum") == []


def test_expenditure_lines_that_are_not_classes_are_summed_too() -> None:
    table = summary_table(
        "summary",
        [
            spend("一、社会保障和就业支出", "20.00"),
            spend("二、卫生健康支出", "80.00"),
            spend("三、人行科目", "0.00"),
            spend("本年支出合计", "100.00"),
        ],
    )
    table.rows[0].standard_code, table.rows[1].standard_code = "208", "210"
    assert [c.status for c in only(checks(table), "summary.side_items_sum")] == ["pass"]
    table.rows[2].amounts["expenditure"] = D("15.00")  # not a class: function_classes_sum does not see it
    assert (
        "summary.side_items_sum: 本年支出合计 = 所列 3 项之和 (本年支出合计 equals the sum of its 3 items)"
        in failed(checks(table))
    )


def test_summary_rows_split_by_fund() -> None:
    funds = ["expenditure_general_budget", "expenditure_gov_fund", "expenditure_state_capital"]
    table = summary_table(
        "appropriation_summary",
        [
            (
                "expenditure",
                "一、卫生健康支出",
                dict(zip(["expenditure", *funds], ["10.00", "7.00", "3.00", "0.00"], strict=True)),
            ),
            ("expenditure", "二、住房保障支出", {"expenditure": "4.00"}),  # funds not placed: only the total
        ],
        ["income", "expenditure", *funds],
    )
    table.identities = [("expenditure", funds)]
    found = only(checks(table), "appropriation_summary.summary_row_equals_parts")
    assert [c.status for c in found] == ["pass"]
    table.rows[0].amounts["expenditure_gov_fund"] = D("13.00")
    assert failed(checks(table)) == [
        "appropriation_summary.summary_row_equals_parts: 一、卫生健康支出: expenditure = expenditure_general_budget"
        " + expenditure_gov_fund + expenditure_state_capital (一、卫生健康支出: expenditure = expenditure_general_budget"
        " + expenditure_gov_fund + expenditure_state_capital)"
    ]


def test_function_classes_add_up_in_each_fund_column() -> None:
    funds = ["expenditure_general_budget", "expenditure_gov_fund", "expenditure_state_capital"]
    columns = ["expenditure", *funds]
    table = summary_table(
        "appropriation_summary",
        [
            ("expenditure", "一、卫生健康支出", dict(zip(columns, ["10.00", "7.00", "3.00", "0.00"], strict=True))),
            ("expenditure", "二、住房保障支出", dict(zip(columns, ["4.00", "4.00", "0.00", "0.00"], strict=True))),
            ("expenditure", "本年支出合计", dict(zip(columns, ["14.00", "11.00", "3.00", "0.00"], strict=True))),
        ],
        ["income", *columns],
    )
    table.rows[0].standard_code, table.rows[1].standard_code = "210", "221"
    table.identities = [("expenditure", funds)]
    found = only(checks(table), "appropriation_summary.function_classes_sum_expenditure_gov_fund")
    assert [(c.status, c.expected, c.actual) for c in found] == [("pass", D("3.00"), D("3.00"))]
    table.rows[1].amounts["expenditure_state_capital"] = D("52.00")  # a 0 of a fund column changed
    assert failed(checks(table)) == [
        "appropriation_summary.function_classes_sum_expenditure_state_capital: 各功能分类（类）支出之和 = 本年支出合计"
        " (function classes add up to the expenditure of the year)",
        "appropriation_summary.summary_row_equals_parts: 二、住房保障支出: expenditure = expenditure_general_budget"
        " + expenditure_gov_fund + expenditure_state_capital (二、住房保障支出: expenditure = expenditure_general_budget"
        " + expenditure_gov_fund + expenditure_state_capital)",
    ]


# ---------------------------------------------------------------- “三公”


def three_public_by_rows(amounts: list[tuple[str, str, str]]) -> Table:
    table = Table(1, "three_public", "“三公”经费支出表", "", 1, 1)
    measures = [m for _, m, _ in amounts]
    table.columns = [Column(m, m) for m in measures]
    table.rows = [Row(n, "", label, {m: D(a)}, 1, n) for n, (label, m, a) in enumerate(amounts, start=1)]
    return table


def test_three_public_total_and_vehicles_one_category_per_row() -> None:
    table = three_public_by_rows(
        [
            ("合计", "total", "17.63"),
            ("因公出国（境）经费", "overseas", "6.00"),
            ("公务接待费", "reception", "0.00"),
            ("公务用车购置及运行维护费", "vehicle", "11.63"),
            ("其中：公务用车运行维护费", "vehicle_operation", "11.63"),
            ("公务用车购置", "vehicle_purchase", "0.00"),
        ]
    )
    assert [c.status for c in checks(table)] == ["pass", "pass"]
    table.rows[5].amounts["vehicle_purchase"] = D("100.00")  # total 17.63 beside a 100.00 purchase
    assert failed(checks(table)) == [
        "three_public.three_public_sums_vehicle: “三公”经费表：vehicle = vehicle_purchase + vehicle_operation"
        " (three public expenses: vehicle = vehicle_purchase + vehicle_operation)"
    ]


def test_three_public_without_vehicle_subtotal_and_with_a_category_missing() -> None:
    table = three_public_by_rows(
        [
            ("“三公”经费合计", "total", "9.00"),
            ("因公出国（境）费", "overseas", "1.00"),
            ("公务用车购置费", "vehicle_purchase", "2.00"),
            ("公务用车运行费", "vehicle_operation", "3.00"),
            ("公务接待费", "reception", "3.00"),
        ]
    )
    (check,) = checks(table)
    assert (check.check, check.status) == ("three_public.three_public_sums_total", "pass")
    table.rows[4].amounts["reception"] = D("4.00")
    assert checks(table)[0].status == "fail"
    del table.rows[4]  # 公务接待费 not printed: not 0, the total is not tested
    assert checks(table) == []


def test_three_public_with_categories_as_columns_is_checked_row_by_row() -> None:
    measures = ["total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
    table = Table(1, "three_public", "“三公”经费支出表", "", 1, 1, columns=[Column(m, m) for m in measures])
    table.identities = [
        ("total", ["overseas", "vehicle", "reception"]),
        ("vehicle", ["vehicle_purchase", "vehicle_operation"]),
    ]
    table.rows = [
        Row(
            1,
            "",
            "合计",
            dict(zip(measures, map(D, ["0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]), strict=True)),
            1,
            1,
            level="total",
        )
    ]
    assert {c.check: c.status for c in checks(table)} == {
        "three_public.row_total_equals_parts": "pass",
        "three_public.row_vehicle_equals_parts": "pass",
    }
    table.rows[0].amounts["vehicle_purchase"] = D("100.00")
    assert failed(checks(table)) == [
        "three_public.row_vehicle_equals_parts: 合计: vehicle = vehicle_purchase + vehicle_operation"
    ]


# ---------------------------------------------------------------- figures printed twice


def revenue_table(amounts: dict[str, str]) -> Table:
    table = Table(2, "revenue", "部门收入总表", "", 2, 1, columns=[Column(m, m) for m in amounts])
    table.rows = [Row(1, "", "合计", {m: D(a) for m, a in amounts.items()}, 2, 1, level="total")]
    return table


def test_summary_income_lines_agree_with_the_revenue_table() -> None:
    summary = summary_table(
        "summary",
        [income("一、一般公共预算拨款收入", "100.00"), income("二、事业收入", "0.00"), income("收入总计", "100.00")],
    )
    revenue = revenue_table({"total": "100.00", "general_budget": "90.00", "business_income": "10.00"})
    found = only(checks(summary, revenue), "cross.same_figure")
    assert [(c.measure, c.status) for c in found] == [
        ("total", "pass"),
        ("general_budget", "fail"),
        ("business_income", "fail"),
    ]
    assert (
        found[1].message
        == "本年收入·一般公共预算：summary 与 部门收入总表 一致 (year.general_budget agrees between the two tables)"
    )
    assert (found[1].expected, found[1].actual) == (D("100.00"), D("90.00"))


def test_appropriation_funds_agree_with_the_general_budget_table() -> None:
    funds = ["expenditure_general_budget", "expenditure_gov_fund", "expenditure_state_capital"]
    appropriation = summary_table(
        "appropriation_summary",
        [
            (
                "expenditure",
                "一、卫生健康支出",
                dict(zip(["expenditure", *funds], ["10.00", "10.00", "0.00", "0.00"], strict=True)),
            ),
            (
                "expenditure",
                "本年支出合计",
                dict(zip(["expenditure", *funds], ["10.00", "10.00", "0.00", "0.00"], strict=True)),
            ),
        ],
        ["income", "expenditure", *funds],
    )
    appropriation.rows[0].standard_code = "210"
    general = Table(
        3, "general_budget_expenditure", "一般公共预算支出表", "function", 3, 1, columns=[Column("total", "合计")]
    )
    general.rows = [
        Row(1, "", "合计", {"total": D("10.00")}, 3, 1, level="total"),
        Row(2, "210", "卫生健康支出", {"total": D("10.00")}, 3, 2, level="class"),
    ]
    keys = {c.code or c.measure: c.status for c in only(checks(appropriation, general), "cross.same_figure")}
    assert keys == {"total": "pass", "210": "pass"}  # the table checked against the first: its code, measure
    general.rows[1].amounts["total"] = D("12.00")
    assert (
        "cross.same_figure: 一般公共预算·类·210：appropriation_summary 与 一般公共预算支出表 一致 (general_budget.class.210 agrees between the two tables)"
        in failed(checks(appropriation, general))
    )


@pytest.mark.parametrize(("printed", "status"), [("12345678", "pass"), ("12346000", "fail"), ("12344999", "fail")])
def test_tables_in_other_units_agree_within_the_rounding_of_the_coarser(printed: str, status: str) -> None:
    summary = summary_table("summary", [income("一、一般公共预算拨款收入", "1234.57"), income("收入总计", "1234.57")])
    revenue = revenue_table({"total": printed, "general_budget": printed})
    revenue.unit = "元"  # type: ignore[attr-defined]  # Table.unit, set by the reader where known
    assert in_wan(revenue, D(printed)) == D(printed) / 10000
    assert {c.status for c in only(checks(summary, revenue), "cross.same_figure")} == {status}


def test_final_accounts_totals_count_the_lines_between_year_and_total() -> None:
    """决算 form: 本年收入合计, 使用非财政拨款结余, 年初结转和结余, 总计 (a bare 总计 on both sides)."""
    table = summary_table(
        "summary",
        [
            income("一、一般公共预算财政拨款收入", "9746.50"),
            income("本年收入合计", "9746.50"),
            income("使用非财政拨款结余", "5.00"),
            income("年初结转和结余", "112.88"),
            income("总计", "9864.38"),
            spend("本年支出合计", "9759.38"),
            spend("结余分配", "0"),
            spend("年末结转和结余", "105.00"),
            spend("总计", "9864.38"),
        ],
    )
    found = {c.check: c.status for c in checks(table)}
    assert found["summary.year_income_plus_carryover"] == "pass"
    assert found["summary.year_expense_plus_carryforward"] == "pass"
    assert found["summary.income_equals_expense"] == "pass"
    table.rows[2].amounts["income"] = D("50.00")  # 使用非财政拨款结余: part of 总计, of no other figure
    assert failed(checks(table)) == [
        "summary.year_income_plus_carryover: 本年收入合计 + 上年结转结余 = 收入总计"
        " (income of the year plus carry-over equals total income)"
    ]


# ---------------------------------------------------------------- lines printed by name


def named_function_table(table_id: str, rows: list[tuple[str, str, str]]) -> Table:
    """(level, name, amount) rows of a function table printed by name only (no codes)."""
    table = Table(5, table_id, table_id, "function", 5, 1, columns=[Column("total", "合计")])
    for number, (level, name, amount) in enumerate(rows, start=1):
        row = Row(number, "", name, {"total": D(amount)}, 5, number, level=level)
        row.standard_code = "204" if level == "class" else ""
        table.rows.append(row)
    return table


def test_lines_a_summary_prints_by_name_agree_with_the_expenditure_table_in_printed_order() -> None:
    # as 杭州市司法局 2026 prints them (表1 p23 and 表3 p26): 行政运行 under 司法 and again under
    # 监狱; the expenditure table leaves 基层司法业务 out, which must not shift the others
    summary = summary_table(
        "summary",
        [
            spend("公共安全支出", "300.00"),
            spend("司法", "100.00"),
            spend("行政运行", "80.00"),
            spend("基层司法业务", "20.00"),
            spend("监狱", "200.00"),
            spend("行政运行", "200.00"),
            spend("本年支出合计", "300.00"),
        ],
    )
    summary.rows[0].standard_code, summary.rows[0].level = "204", "class"
    expenditure = named_function_table(
        "expenditure",
        [("total", "合计", "300.00"), ("class", "公共安全支出", "300.00"), ("line", "司法", "100.00"),
         ("line", "行政运行", "80.00"), ("line", "监狱", "200.00"), ("line", "行政运行", "200.00")],
    )  # fmt: skip
    found = only(checks(summary, expenditure), "cross.summary_lines_vs_expenditure")
    assert [(c.expected, c.actual, c.status) for c in found] == [
        (D("100.00"), D("100.00"), "pass"),
        (D("80.00"), D("80.00"), "pass"),
        (D("200.00"), D("200.00"), "pass"),
        (D("200.00"), D("200.00"), "pass"),
    ]
    expenditure.rows[5].amounts["total"] = D("190.00")  # the second 行政运行, under 监狱
    assert [f for f in failed(checks(summary, expenditure)) if "lines" in f] == [
        "cross.summary_lines_vs_expenditure: 公共安全支出 · 行政运行：收支总表 = 支出总表 "
        "(line 行政运行 of class 204 agrees with the expenditure table)"
    ]


def test_appropriation_lines_are_the_fund_tables_together_and_only_where_all_are_printed() -> None:
    appropriation = summary_table("appropriation_summary", [spend("公共安全支出", "30.00"), spend("司法", "30.00")])
    appropriation.rows[0].standard_code, appropriation.rows[0].level = "204", "class"
    general = named_function_table("general_budget_expenditure", [("class", "公共安全支出", "20.00"),
                                                                  ("line", "司法", "20.00")])  # fmt: skip
    fund = named_function_table("gov_fund_expenditure", [("class", "公共安全支出", "10.00"), ("line", "司法", "10.00")])
    assert only(checks(appropriation, general, fund), "cross.appropriation_lines_vs_fund_tables") == []
    capital = Table(7, "state_capital_expenditure", "国有资本经营预算支出表", "function", 7, 1)  # printed empty
    found = only(checks(appropriation, general, fund, capital), "cross.appropriation_lines_vs_fund_tables")
    assert [(c.expected, c.actual, c.status) for c in found] == [(D("30.00"), D("30.00"), "pass")]


def test_a_numbered_year_total_owns_the_classes_after_it_and_their_lines_are_no_items() -> None:
    # as 杭州市司法局's 财政拨款收支预算总表 (表4, pp. 28–29) prints its expenditure side
    table = summary_table(
        "appropriation_summary",
        [
            spend("一、本年支出合计", "300.00"),
            spend("公共安全支出", "300.00"),
            spend("司法", "100.00"),
            spend("行政运行", "100.00"),
            spend("监狱", "200.00"),
            spend("行政运行", "200.00"),
            spend("二、年终结转结余", "0"),
            spend("支出总计", "300.00"),
        ],
    )
    table.rows[1].standard_code, table.rows[1].level = "204", "class"
    found = checks(table)
    assert [
        (c.expected, c.actual, c.status) for c in only(found, "appropriation_summary.year_expense_plus_carryforward")
    ] == [(D("300.00"), D("300.00"), "pass")]
    assert only(found, "appropriation_summary.side_items_sum") == []  # 300 = its one class: function_classes_sum's
    assert failed(found) == []
    table.rows[0].amounts["expenditure"] = D("310.00")
    assert "appropriation_summary.function_classes_sum" in {f.split(":")[0] for f in failed(checks(table))}
