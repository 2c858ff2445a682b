"""Changes on last year stated in the narrative: every one in the seeds, read by hand from the
text, with last year's figure derived from it; and the forms the reader must and must not take."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yibao.model import Line, StatedChange
from yibao.pipeline import parse_document
from yibao.recognise.narrative import narrative_of, stated_changes

SEEDS = Path(__file__).resolve().parents[2] / "source_docs"


def changes_of(*lines: str, fiscal_year: int = 2024) -> list[StatedChange]:
    narrative = narrative_of([Line(3, n, t) for n, t in enumerate(lines, start=1)], set())
    return stated_changes(narrative, fiscal_year)


def brief(change: StatedChange) -> tuple[str, str, str, str | None, str]:
    rate = None if change.rate is None else str(change.rate)
    return change.subject, str(change.amount), str(change.change), rate, str(change.previous)


def test_change_with_rate_wrapped_over_lines() -> None:
    [change] = changes_of("1.一般公共预算收入1,116.56万元，比上年预算数增加2.76", "万元，增长0.25%。")
    assert brief(change) == ("一般公共预算收入", "1116.56", "2.76", "0.25", "1113.80")
    assert (change.page, change.line, change.figure) == (3, 1, "general_budget_income")


def test_decrease_is_negative_and_previous_is_larger() -> None:
    [change] = changes_of("基本支出预算1,066.26万元，比上年预算数减少14.54万元，下降1.35%。")
    assert brief(change) == ("基本支出预算", "1066.26", "-14.54", "-1.35", "1080.80")


def test_change_without_rate_and_on_the_year_named() -> None:
    [change] = changes_of("2024年本部门机关运行经费安排66.56万元，较2023年增加0.07万元，与上年基本持平。")
    assert brief(change) == ("本部门机关运行经费安排", "66.56", "0.07", None, "66.49")


def test_a_year_that_is_not_last_year_is_no_stated_change() -> None:
    assert changes_of("收入预算100.00万元，较2021年增加10.00万元。", fiscal_year=2024) == []


def test_level_with_last_year_is_a_change_of_zero_but_roughly_level_is_not() -> None:
    [change] = changes_of("1. 因公出国（境）费 0 万元，与上年持平，无增减变化。")
    assert brief(change) == ("因公出国（境）费", "0", "0", None, "0")
    assert changes_of("“三公”经费预算共3.15万元，与上年基本持平。") == []


HEILONGJIANG_2020 = [
    # (subject, amount, change, rate, previous) — 情况说明 pages 26–30
    ("黑龙江省医疗保障局收支总预算", "1605.47", "1162.63", None, "442.84"),
    ("2080501行政单位离退休", "19.30", "19.30", "1930", "0.00"),
    ("2080505机关事业单位基本养老保险缴费支出", "96.51", "68.99", "250.69", "27.52"),
    ("2101101行政单位医疗", "62.09", "48.86", "407.69", "13.23"),
    ("2101103公务员医疗补助", "24.91", "18.42", "283.82", "6.49"),
    ("2101501行政运行", "933.89", "688.57", "280.68", "245.32"),
    ("2101502一般行政管理事务", "195.35", "63.55", "48.22", "131.80"),
    ("2101504信息化建设", "47.30", "47.30", "4730", "0.00"),
    ("2101506医疗保障经办事务", "125.29", "125.29", "12529", "0.00"),
    ("2101550事业运行", "9.87", "9.87", "987", "0.00"),
    ("2210201住房公积金", "90.96", "71.48", "366.94", "19.48"),
    ("本部门机关运行经费预算安排", "494.86", "285.5", "136.37", "209.36"),
]

SHUANGYASHAN_2024 = [
    ("一般公共预算收入", "1116.56", "2.76", "0.25", "1113.80"),
    *[
        (name, "0.00", "0.00", "0.00", "0.00")
        for name in (
            "政府性基金预算收入",
            "国有资本经营预算收入",
            "财政专户管理资金预算收入",
            "事业收入",
            "事业单位经营收入",
            "上级补助收入",
            "附属单位上缴收入",
            "其他收入",
            "上年结转结余",
        )
    ],
    ("基本支出预算", "1066.26", "-14.54", "-1.35", "1080.80"),
    ("项目支出预算", "50.30", "17.30", "52.42", "33.00"),
    ("事业单位经营支出预算", "0.00", "0.00", "0.00", "0.00"),
    ("上缴上级支出预算", "0.00", "0.00", "0.00", "0.00"),
    ("对附属单位补助支出预算", "0.00", "0.00", "0.00", "0.00"),
    ("本部门机关运行经费安排", "102.70", "-4.06", "-0.04", "106.76"),
]

ANSHAN_2025 = [
    ("鞍山市医疗保障局及所属单位部门收支预算", "2220.4", "-90.67", "-3.9", "2311.07"),
    ("鞍山市医疗保障局及所属单位部门财政拨款收支预算", "2220.4", "-90.67", "-3.9", "2311.07"),
    ("财政拨款预算安排的“三公”经费", "7.3", "-0.2", "-2.6", "7.5"),
    ("因公出国（境）费", "0", "0", None, "0"),
    ("公务接待费", "0.1", "-0.2", "-50", "0.3"),
    ("公务用车购置及运行费", "7.2", "0", None, "7.2"),
    ("公务用车购置", "0", "0", None, "0"),
    ("公务用车运行费", "7.2", "0", None, "7.2"),
]

CHENGDE_2024 = [
    # "2024年预算收支安排 3526.22万元，较 2023年预算减少 156.62万元"
    ("预算收支安排", "3526.22", "-156.62", None, "3682.84"),
]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("heilongjiang/heilongjiang-province-2020-budget.txt", HEILONGJIANG_2020),
        ("heilongjiang/shuangyashan-2024-budget.txt", SHUANGYASHAN_2024),
        ("liaoning/anshan-2025-budget.md", ANSHAN_2025),
        ("hebei/chengde-shuangqiao-2024-budget.txt", CHENGDE_2024),
    ],
)
def test_every_stated_change_of_the_seeds(relative: str, expected: list[tuple[str, ...]]) -> None:
    document = parse_document(SEEDS / relative, relative)
    assert [brief(c) for c in document.stated_changes] == expected
    for change in document.stated_changes:  # last year's figure is derived, never a measure of this year
        assert change.previous == change.amount - change.change


def test_stated_changes_never_enter_this_years_amounts() -> None:
    document = parse_document(SEEDS / "heilongjiang/shuangyashan-2024-budget.txt", "s.txt")
    measures = {item.measure for table in document.tables for item in table.line_items()}
    assert not any(m.startswith("previous") for m in measures)
    assert document.key_figures["basic_expenditure"] == Decimal("1066.26")  # this year's, not 1080.80
