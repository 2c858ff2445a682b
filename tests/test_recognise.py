"""Table titles of the national templates (预算 and 决算, several generations) → canonical ids."""

from __future__ import annotations

import pytest

from yibao.recognise.titles import match_title

TITLES = {
    "部门收支总体情况表": "summary",
    "2024年部门收支预算总表": "summary",
    "表一 部门收支总表": "summary",
    "收入支出决算总表": "summary",
    "部门收入总体情况表": "revenue",
    "收入决算表": "revenue",
    "部门支出总体情况表": "expenditure",
    "支出决算表": "expenditure",
    "财政拨款收支总体情况表": "appropriation_summary",
    "部门财政拨款收支预算总表": "appropriation_summary",
    "财政拨款收入支出决算总表": "appropriation_summary",
    "一般公共预算支出情况表": "general_budget_expenditure",
    "一般公共预算财政拨款支出决算表": "general_budget_expenditure",
    "一般公共预算基本支出情况表": "general_budget_basic_expenditure",
    "一般公共预算财政拨款基本支出决算表": "general_budget_basic_expenditure",
    "一般公共预算“三公”经费支出情况表": "three_public",
    "一般公共预算财政拨款“三公”经费支出决算表": "three_public",
    "政府性基金预算支出情况表": "gov_fund_expenditure",
    "政府性基金预算财政拨款收入支出决算表": "gov_fund_expenditure",
    "国有资本经营预算财政拨款支出决算表": "state_capital_expenditure",
    "部门项目支出预算表": "project_expenditure",
    "部门预算项目绩效目标表": "performance_targets",
    # titles printed in the real PDFs of ../shared/real (tests/golden/real/*.yml)
    "2026年预算单位一般公共预算支出功能分类预算表": "general_budget_expenditure",
    "2026年预算单位一般公共预算基本支出部门预算经济分类预算表": "general_budget_basic_expenditure",
    "2026年单位“三公”经费和机关运行经费预算表": "three_public",
    "2026年度一般公共预算拨款支出预算表": "general_budget_expenditure",
    "2026年度国有资本经营预算拨款支出预算表": "state_capital_expenditure",
    "国有资本经营预算财政拨款收入支出决算表": "state_capital_expenditure",
    "财政拨款政府性基金支出预算表": "gov_fund_expenditure",
    "“三公”经费、会议费、培训费支出预算表": "three_public",
    "财政拨款安排的行政经费及“三公”经费预算表": "three_public",
    "西南大学支出预算表": "expenditure",
    "表3：高等学校支出决算表": "expenditure",
    "三、支出决算表": "expenditure",
    "本年支出总体情况表": "expenditure",
    "预算01表 收支总表": "summary",
    "表1：2026年市级部门收支预算总表": "summary",
    "项目支出预算情况表": "project_expenditure",
    "项目支出总表": "project_expenditure",
    "部门预算项目支出及其他支出预算表": "project_expenditure",
    "财政项目支出绩效目标填报表": "performance_targets",
    "收支预算总表部门：中共江苏省委办公厅 单位：万元": "summary",
}

# Printed tables that are none of the canonical ones (golden `other:` ids): no canonical id.
OTHER_TITLES = [
    "西南大学财政拨款支出预算表",
    "基本支出总表",
    "政府采购支出预算表",
    "基本支出预算情况表",
    "财政拨款基本支出预算表（经济科目）",
]


@pytest.mark.parametrize("title", OTHER_TITLES)
def test_other_tables_get_no_canonical_id(title: str) -> None:
    kind = match_title(title)
    canonical = {"summary", "revenue", "expenditure", "general_budget_basic_expenditure", "project_expenditure"}
    assert kind is None or kind.table_id not in canonical


@pytest.mark.parametrize(("title", "table_id"), sorted(TITLES.items()))
def test_template_titles(title: str, table_id: str) -> None:
    kind = match_title(title)
    assert kind is not None and kind.table_id == table_id


@pytest.mark.parametrize(
    "sentence",
    [
        "关于部门收支总体情况表的说明",
        "（二）部门预算表。主要包括部门收支预算总表、部门收入预算总表",
        "详见附表：部门收支总表",
        "合计 1,116.56 1,066.26 50.30",
    ],
)
def test_sentences_and_rows_are_no_titles(sentence: str) -> None:
    assert match_title(sentence) is None


def test_a_title_wrapped_over_two_lines() -> None:
    from yibao.extract import text_to_source
    from yibao.recognise.titles import find_segments

    source = text_to_source(
        "单位预算一般公共预算财政拨款基本\n支出表\n序号 科目编码 科目名称 合计 人员经费 公用经费\n1 合计 203.22 192.05 11.17\n"
    )
    segments = find_segments(source)
    assert [(s.kind.table_id, s.title) for s in segments] == [
        ("general_budget_basic_expenditure", "单位预算一般公共预算财政拨款基本支出表")
    ]
    assert segments[0].lines[0].text.startswith("序号")


def test_contents_list_titles_not_tables() -> None:
    from yibao.extract import text_to_source
    from yibao.recognise.titles import find_segments

    source = text_to_source(
        "目 录\n一、收支预算总表\n二、收入预算总表\n\n部门概况。\n收支预算总表\n项目 预算数\n合计 1,116.56\n"
    )
    assert [(s.kind.table_id, s.title_line.number) for s in find_segments(source)] == [("summary", 6)]
