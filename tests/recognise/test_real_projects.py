"""Projects and performance targets of real PDFs, read by the whole pipeline. Every expected value
was read by hand from the page named (../shared/real/, the page image checked against the text
layer); none is copied from this program's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.recognise.corpus import REAL, document_of
from yibao.model import Document, PerformanceTarget

pytestmark = pytest.mark.skipif(not (REAL / "MANIFEST.tsv").is_file(), reason=f"{REAL} is not there")

BJ_YBJ = "018_bj-ybj-2026-bumen-yusuan-baobiao.pdf"
BJ_RENSHE = "029_bj-renshe-2026-bumen-yusuan-baobiao.pdf"
GZ_WJW = "024_gz-weijianwei-2026-bumen-yusuan.pdf"
GZ_ZSJ = "042_gz-zhengshuju-2026-xiangmu-jixiao.pdf"
CQ_QXJ = "030_cq-qixiangju-2026-bumen-yusuan.pdf"
HZ_SFJ = "032_hzh-sifaju-2026-bumen-yusuan.pdf"
SZ_WJW = "023_sz-weijianwei-2026-bumen-yusuan.pdf"


def target(t: PerformanceTarget) -> tuple[str, ...]:
    return (t.project, t.unit, t.level1, t.level2, t.level3, t.operator, t.value, t.value_unit)


def targets_on(document: Document, page: int) -> list[tuple[str, ...]]:
    return [target(t) for t in document.targets if t.page == page]


def unread(document: Document) -> list[tuple[str, int | None]]:
    return [(p.table, p.page) for p in document.problems if p.code == "table.unread"]


def test_a_department_wide_target_table_by_activity() -> None:
    """018 p27 预算13表 部门整体支出绩效目标表: 活动 | 绩效指标 (the three levels in one cell) | 指标性质
    | 指标值 | 度量单位, under 部门名称 北京市医疗保障局."""
    document = document_of(BJ_YBJ)
    on_27 = targets_on(document, 27)
    assert on_27[0] == (
        "医疗保障管理",
        "北京市医疗保障局",
        "产出指标",
        "数量指标",
        "参保人参保意愿调查样本",
        "≥",
        "3396",
        "人",
    )
    assert ("医疗保障管理", "北京市医疗保障局", "产出指标", "数量指标", "数据服务发生错误次数", "≤", "5", "次") in on_27
    assert ("医疗保障管理", "北京市医疗保障局", "产出指标", "质量指标", "普法工作完成率", "＝", "100", "%") in on_27
    assert not unread(document)


def test_projects_beside_their_targets_one_header_row() -> None:
    """018 p15 预算12表 项目支出绩效目标表: 项目名称 | 项目总额 | 其中 财政资金 其他资金 | 绩效目标 |
    一级 二级 三级指标 | 绩效指标性质 | 本年绩效指标值 | 绩效度量单位; a project's name and amount on
    its first row, its targets on the rows below."""
    document = document_of(BJ_YBJ)
    projects = {p.name: p.amount for p in document.projects}
    assert projects["11000022T000000444016-医疗保障公众评价"] == Decimal("76.436338")
    assert projects["11000023T000002062265-医疗保障基金飞行检查保障经费"] == Decimal("129.250000")
    assert projects["11000022T000000444095-执法运行综合保障经费"] == Decimal("20.000000")
    on_15 = targets_on(document, 15)
    evaluation = "11000022T000000444016-医疗保障公众评价"
    assert (evaluation, "", "产出指标", "数量指标", "深度访谈数量：区级经办人员", "≥", "32", "人") in on_15
    assert (evaluation, "", "成本指标", "经济成本指标", "医疗保障公众评价成本控制", "≤", "67.893", "万元") in on_15
    flight = "11000023T000002062265-医疗保障基金飞行检查保障经费"
    assert (flight, "", "产出指标", "数量指标", "派出局属工作人员总人数", "≥", "10", "人") in on_15


def test_an_amount_on_a_row_without_its_project_name_is_reported_not_guessed() -> None:
    """029 p33: the name 11000026T000003742334-社保工作咨询与评审服务项目 is one merged cell beside
    three 项目总额 cells (blank, 35.000000, 152.634100): which project each amount is the page does
    not say row by row."""
    document = document_of(BJ_RENSHE)
    reported = [p.reason for p in document.problems if p.code == "performance.amount_without_name" and p.page == 33]
    assert any("35.000000" in reason for reason in reported), reported
    assert any("152.634100" in reason for reason in reported), reported
    amounts = {p.amount for p in document.projects}
    assert Decimal("35.000000") not in amounts and Decimal("152.634100") not in amounts
    assert not unread(document)


def test_project_rows_under_their_units_told_by_indentation() -> None:
    """024 p31- 部门预算项目支出及其他支出预算表: 支出项目类别（资金使用单位） | 总计 | 财政拨款 …; each
    unit's row (广州市卫生健康委员会 11,312.38) sits left of its projects; a project may name its
    unit in brackets (物业管理费（广州医科大学附属中医医院） 5,000.00, p79). The 合计 row prints
    2,313,909.42; the projects add up to it but for the rounding of the 万元 amounts."""
    document = document_of(GZ_WJW)
    by_name = {(p.name, p.unit): p.amount for p in document.projects}
    assert by_name[("机构运行辅助经费", "广州市卫生健康委员会")] == Decimal("150.05")
    assert by_name[("保健经费", "广州市卫生健康委员会")] == Decimal("3641.83")
    assert by_name[("物业管理费（广州医科大学附属中医医院）", "广州医科大学附属中医医院")] == Decimal("5000.00")
    assert ("广州市卫生健康委员会", "") not in by_name  # a unit's row is no project
    total = sum((p.amount or Decimal(0) for p in document.projects), Decimal(0))
    assert abs(total - Decimal("2313909.42")) <= Decimal("0.05"), total
    assert not unread(document)


def test_projects_under_a_unit_row_in_a_two_row_header() -> None:
    """023 p30 项目支出总表: 支出项目类别 | 2026年预算 over 总计 | 财政拨款 …; the unit's row
    深圳市卫生健康委员会（本级） 124,216.99, then six 一级项目."""
    document = document_of(SZ_WJW)
    assert [(p.name, p.amount) for p in document.projects] == [
        ("公共卫生服务", Decimal("30431.03")),
        ("上级下达资金", Decimal("29.15")),
        ("市级人才专项经费", Decimal("19842.00")),
        ("卫生健康行业管理", Decimal("4568.92")),
        ("医疗服务", Decimal("66947.17")),
        ("预算准备金", Decimal("2398.72")),
    ]
    assert {p.unit for p in document.projects} == {"深圳市卫生健康委员会（本级）"}


def test_indicators_packed_as_sentences_in_one_cell() -> None:
    """042 p1: 绩效指标 prints each project's indicators as 1、1-产出指标；12-质量指标；不满意回访率；
    实施周期指标值:100%；年度指标值:100%。2、…"""
    document = document_of(GZ_ZSJ)
    hotline = "广州12345政务服务便民热线平台运营项目"
    assert {p.name: p.amount for p in document.projects}[hotline] == Decimal("12000.00")
    first = next(target(t) for t in document.targets if t.project == hotline)
    assert first == (hotline, "广州市政务服务和数据管理局", "产出指标", "质量指标", "不满意回访率", "", "100", "%")


def test_a_body_wide_target_table_and_an_empty_one() -> None:
    """030 p19 2026年部门整体绩效目标表 (单位名称 重庆市气象局; 绩效指标 | 指标名称 | 指标性质 | 指标值 |
    计量单位 | 指标权重(%)); p21 重点专项资金绩效目标表 printed empty (故此表无数据)."""
    document = document_of(CQ_QXJ)
    first = next(t for t in document.targets if t.page == 19)
    assert (first.project, first.level3, first.operator, first.value, first.value_unit, first.weight) == (
        "重庆市气象局", "气候预测准确率", "≥", "68", "%", "12",
    )  # fmt: skip
    empty = [t for t in document.tables if t.table_id == "performance_targets" and t.page == 21]
    assert [t.status for t in empty] == ["empty"]
    assert not unread(document)
    assert "主管部门" not in {p.name for p in document.projects}  # the heading of a blank name cell


def test_a_project_list_with_its_targets_in_words() -> None:
    """032 p39 表11 市级部门项目支出绩效表: 单位名称 | 项目名称 | 金额 | 绩效目标, read, not unread."""
    document = document_of(HZ_SFJ)
    assert not unread(document)
    assert [t.listed for t in document.tables if t.table_id == "performance_targets" and t.page == 39] == [31]
