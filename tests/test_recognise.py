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
}


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
