"""validate: each rule on small documents built here, passing and failing; the registry and the
check catalogue agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yibao.model import Column, Document, Metadata, Project, Row, SourceText, Table
from yibao.validate import rules, run_checks
from yibao.validate.base import catalogue, registry


def D(text: str) -> Decimal:
    return Decimal(text)


def classified(table_id: str, rows: list[Row], measures: tuple[str, ...] = ("total",)) -> Table:
    table = Table(1, table_id, table_id, "function", 1, 1, columns=[Column(m, m) for m in measures])
    table.rows = rows
    if "basic" in measures and "project" in measures:
        table.identities = [("total", ["basic", "project"])]
    return table


def row(code: str, amounts: dict[str, str], level: str = "", parent: str = "", name: str = "") -> Row:
    level = level or {3: "class", 5: "segment", 7: "item"}.get(len(code), "line")
    return Row(0, code, name or code, {m: D(a) for m, a in amounts.items()}, 1, 1, level=level, parent_code=parent)


def summary(pairs: list[tuple[str, str, str]]) -> Table:
    """(side, label, amount) rows of a 收支总表."""
    table = Table(1, "summary", "收支总表", "", 1, 1, columns=[Column("income", "收入"), Column("expenditure", "支出")])
    table.rows = [
        Row(n, "", label, {side: D(amount)}, 1, n, side=side) for n, (side, label, amount) in enumerate(pairs)
    ]
    return table


def checks_of(*tables: Table, projects: list[Project] | None = None) -> dict[str, list[str]]:
    document = Document("doc.txt", "0" * 64, Metadata(), tables=list(tables), projects=projects or [])
    found: dict[str, list[str]] = {}
    for check in run_checks(document, SourceText([], 1)):
        found.setdefault(check.check, []).append(str(check.status))
    return found


def test_parent_equals_children_passes_and_fails() -> None:
    rows = [
        row("", {"total": "10.00"}, level="total", name="合计"),
        row("208", {"total": "10.00"}),
        row("20805", {"total": "7.00"}, parent="208"),
        row("20806", {"total": "3.00"}, parent="208"),
    ]
    assert checks_of(classified("expenditure", rows)) == {
        "expenditure.total_equals_rows": ["pass"],
        "expenditure.parent_equals_children": ["pass"],
    }
    rows[3] = row("20806", {"total": "3.50"}, parent="208")
    assert checks_of(classified("expenditure", rows))["expenditure.parent_equals_children"] == ["fail"]


def test_rounding_of_one_cent_per_item_passes_as_rounding() -> None:
    rows = [
        row("", {"total": "10.01"}, level="total", name="合计"),
        row("208", {"total": "5.00"}),
        row("210", {"total": "5.00"}),
    ]
    document = Document("d", "0" * 64, Metadata(), tables=[classified("expenditure", rows)])
    (check,) = run_checks(document, SourceText([], 1))
    assert (check.status, check.outcome) == ("pass", "rounding")


def test_row_identities_follow_the_header() -> None:
    rows = [row("208", {"total": "10.00", "basic": "6.00", "project": "4.00"})]
    table = classified("expenditure", rows, ("total", "basic", "project"))
    assert checks_of(table)["expenditure.row_total_equals_parts"] == ["pass"]
    table.rows[0].amounts["project"] = D("5.00")
    assert checks_of(table)["expenditure.row_total_equals_parts"] == ["fail"]


def test_summary_totals() -> None:
    table = summary(
        [
            ("income", "本年收入合计", "100.00"),
            ("income", "上年结转结余", "20.00"),
            ("income", "收入总计", "120.00"),
            ("expenditure", "本年支出合计", "110.00"),
            ("expenditure", "年终结转结余", "10.00"),
            ("expenditure", "支出总计", "120.00"),
        ]
    )
    assert checks_of(table) == {
        "summary.income_equals_expense": ["pass"],
        "summary.year_income_plus_carryover": ["pass"],
        "summary.year_expense_plus_carryforward": ["pass"],
    }
    table.rows[4].amounts["expenditure"] = D("9.00")
    assert checks_of(table)["summary.year_expense_plus_carryforward"] == ["fail"]


def test_projects_add_up_to_project_expenditure() -> None:
    expenditure = classified(
        "expenditure", [row("", {"total": "9.00", "basic": "4.00", "project": "5.00"}, level="total", name="合计")],
        ("total", "basic", "project"),
    )  # fmt: skip
    projects = [
        Project(1, "甲", "", D("2.00"), "", "project_expenditure", 1, 1),
        Project(2, "乙", "", D("3.00"), "", "project_expenditure", 1, 2),
    ]
    assert checks_of(expenditure, projects=projects)["cross.projects_vs_project_expenditure"] == ["pass"]
    projects[1].amount = D("3.10")
    assert checks_of(expenditure, projects=projects)["cross.projects_vs_project_expenditure"] == ["fail"]


@pytest.mark.parametrize("rule", list(registry()), ids=lambda r: r.code)
def test_every_rule_is_described_in_the_catalogue(rule: type) -> None:
    for code in (rule.code, *rule.also_emits):
        text = catalogue()[code]
        assert text.title_zh and text.title_en and text.description_zh and text.description_en and text.message_zh


def test_every_catalogue_entry_has_its_rule() -> None:
    emitted = {code for rule in registry() for code in (rule.code, *rule.also_emits)}
    assert set(catalogue()) == emitted
    assert len(rules()) == len(set(type(r) for r in rules()))


def test_a_class_printed_only_by_its_items_is_their_sum_across_tables() -> None:
    # a 支出总表 printing only 项 rows (as 034_qz-zfb-2026-bumen-yusuan.pdf, page 15, does)
    table = summary([("expenditure", "社会保障和就业支出", "1095.52")])
    table.rows[0].standard_code = "208"
    rows = [
        row("", {"total": "1095.52"}, level="total", name="合计"),
        row("2080501", {"total": "653.08"}, parent="20805"),
        row("2080505", {"total": "442.44"}, parent="20805"),
    ]
    assert checks_of(table, classified("expenditure", rows))["cross.summary_class_vs_expenditure"] == ["pass"]
    rows[2] = row("2080505", {"total": "442.45"}, parent="20805")
    assert checks_of(table, classified("expenditure", rows))["cross.summary_class_vs_expenditure"] == ["pass"]
    rows[2] = row("2080505", {"total": "443.44"}, parent="20805")
    assert checks_of(table, classified("expenditure", rows))["cross.summary_class_vs_expenditure"] == ["fail"]


def test_a_code_printed_twice_is_the_parent_of_the_rows_below_each() -> None:
    # 022_yt-ybj-2026-bumen-yusuan.pdf, page 17 (一般公共预算基本支出情况表): 301 工资福利支出 printed
    # under 501 机关工资福利支出 (493.12) and again under 505 对事业单位经常性补助 (1,516.54)
    first = ["119.40", "124.96", "106.24", "49.11", "12.00", "22.41", "12.28", "4.65", "42.07"]
    second = ["389.95", "131.79", "279.16", "282.85", "152.31", "22.00", "69.49", "38.08", "20.86", "130.05"]
    rows = [row("", {"total": "2009.66"}, level="total", name="合计"), row("301", {"total": "493.12"})]
    rows += [row(f"3010{k}", {"total": a}, parent="301") for k, a in enumerate(first)]
    rows.append(row("301", {"total": "1516.54"}))
    rows += [row(f"3011{k}", {"total": a}, parent="301") for k, a in enumerate(second)]
    table = classified("general_budget_basic_expenditure", rows)
    table.classification = "economic"
    assert checks_of(table)["general_budget_basic_expenditure.parent_equals_children"] == ["pass", "pass"]


def test_three_public_figure_above_its_basic_expenditure_line_is_not_testable() -> None:
    # 007_sh-putuo-zfb-2025-bumen-yusuan.pdf: 公务接待费 28.50 万元 in the “三公” table (page 20),
    # 185,000.00 元 = 18.50 万元 on 30217 of the basic-expenditure table (page 19); the rest is paid
    # from 项目支出, which no table prints by economic line
    three = Table(1, "three_public", "“三公”经费", "", 1, 1, columns=[Column("reception", "公务接待费")])
    three.rows = [Row(1, "", "合计", {"reception": D("28.50")}, 1, 1, level="total")]
    basic = classified("general_budget_basic_expenditure", [row("30217", {"total": "18.50"}, parent="302")])
    document = Document("d", "0" * 64, Metadata(), tables=[three, basic])
    (check,) = [c for c in run_checks(document, SourceText([], 1)) if c.check == "cross.three_public_vs_economic"]
    assert (check.status, check.outcome) == ("skip", "not_applicable")
    basic.rows[0].amounts["total"] = D("30.00")  # more than the “三公” figure: a mismatch
    (check,) = [c for c in run_checks(document, SourceText([], 1)) if c.check == "cross.three_public_vs_economic"]
    assert check.status == "fail"


def test_an_economic_code_naming_another_line_is_not_the_three_public_line() -> None:
    # 013_sh-putuo-fuliyuan-2024-danwei-yusuan.pdf: page 15 prints 因公出国(境)费 0, page 14 (一般公共
    # 预算基本支出部门预算经济分类预算表) prints 302 12 机关事业单位退休人员活动费 7,020 元 — a local
    # classification, where 30212 is not 因公出国（境）费用
    three = Table(1, "three_public", "“三公”经费", "", 1, 1, columns=[Column("overseas", "因公出国(境)费")])
    three.rows = [Row(1, "", "合计", {"overseas": D("0")}, 1, 1, level="total")]
    line = row("30212", {"total": "0.7020"}, parent="302", name="机关事业单位退休人员活动费")
    basic = classified("general_budget_basic_expenditure", [line])
    document = Document("d", "0" * 64, Metadata(), tables=[three, basic])
    (check,) = [c for c in run_checks(document, SourceText([], 1)) if c.check == "cross.three_public_vs_economic"]
    assert (check.status, check.outcome) == ("skip", "not_applicable")
    line.name = "因公出国(境)费用"  # the standard line, printed with ASCII brackets: compared
    (check,) = [c for c in run_checks(document, SourceText([], 1)) if c.check == "cross.three_public_vs_economic"]
    assert check.status == "fail"


def test_unnumbered_income_items_between_two_numbered_ones_are_parts_of_the_first() -> None:
    # 022_yt-ybj-2026-bumen-yusuan.pdf, page 7 (收支总体情况表): 一、财政拨款收入 16,375.67 printed
    # over 一般公共预算收入 15,375.67, 政府性基金预算收入 (blank), 国有资本经营预算收入 1,000.00
    table = summary(
        [
            ("income", "一、财政拨款收入", "16375.67"),
            ("income", "一般公共预算收入", "15375.67"),
            ("income", "政府性基金预算收入", "0"),
            ("income", "国有资本经营预算收入", "1000.00"),
            ("income", "二、财政专户管理资金收入", "0"),
            ("income", "三、事业收入（不含教育收费）", "0"),
            ("income", "四、事业单位经营收入", "0"),
            ("income", "五、其他收入", "0"),
            ("income", "本年收入合计", "16375.67"),
        ]
    )
    assert checks_of(table)["summary.side_items_sum"] == ["pass", "pass"]


def test_income_of_the_year_stated_is_no_claim_on_the_grand_total() -> None:
    # 045_swu-2023-bumen-yusuan.pdf, page 11: "我校 2023 年收支总预算 557,259.13 万元，其中本年收入预算
    # 403,484.64 万元，…；本年支出预算 468,779.07 万元" — 本年收入 / 本年支出, not the totals
    from yibao.recognise.narrative import claims
    from yibao.validate.narrative import stated_in

    text = "我校2023年收支总预算557,259.13万元，其中本年收入预算403,484.64万元，上年结转93,801.70万元；本年支出预算468,779.07万元。"
    found = dict(zip([c.figure for c in claims()], stated_in(text), strict=True))
    assert [amount for _, amount in found["income_grand_total"]] == [D("557259.13")]
    assert found["expense_grand_total"] == ()


def test_a_page_number_is_no_part_of_a_sentence_over_the_page_break() -> None:
    # 032_hzh-sifaju-2026-bumen-yusuan.pdf, pages 4–5: "…比上年执行数增加" / page number "3" /
    # "7,331.92 万元，增长 8.0%": the change is 7,331.92, not 37,331.92
    from yibao.model.source import Line
    from yibao.validate.base import narrative_of

    lines = [
        Line(4, 72, "2026 年收入预算 99,230.46 万元，比上年执行数增加"),
        Line(4, 73, "3"),
        Line(5, 74, "7,331.92 万元，增长 8.0%，主要原因是"),
    ]
    assert "增加7,331.92万元" in narrative_of(SourceText(lines, 5)).text


def test_a_sentence_on_the_appropriations_states_their_figures() -> None:
    # 038_guojia-xinfangju-2026-bumen-yusuan.pdf, page 18 (四、关于财政拨款收支总表的说明): 一般公共服务支出
    # 15,291.3 is the 财政拨款收支总表's (page 9: 15,291.30), not the 收支总表's 47,179.30; 045_swu-2023,
    # page 12: "（四）财政拨款支出预算情况说明我校2023年当年财政拨款支出预算…其中教育支出208,613.34万元"
    from yibao.validate.narrative import in_fund_scope

    text = (
        "四、关于财政拨款收支总表的说明2026年国家信访局财政拨款收支总预算18,728.91万元。收入全部为一般公共预算拨款"
        "（无政府性基金及国有资本经营预算拨款），包括：一般公共预算当年拨款收入16,474.82万元、上年结转2,254.12万元；"
        "支出包括：一般公共服务支出15,291.3万元"
    )
    assert in_fund_scope(text, text.index("一般公共服务支出"))
    text = (
        "财政拨款收入10.76%事业收入（三）支出预算情况说明我校2023年支出预算557,259.13万元，其中：教育支出434,334.99万元"
    )
    assert not in_fund_scope(text, text.index("教育支出"))  # under its own heading: all funds
