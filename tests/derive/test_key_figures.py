"""derive.key_figures: the headline figures, read with the same labels the checks use."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from yibao.pipeline import parse_document

SUMMARY = """某某县医疗保障局2024年部门预算
收支总表
单位：万元
收入\t预算数\t支出\t预算数
一、一般公共预算拨款收入\t120.00\t一、社会保障和就业支出\t120.00
本年收入合计\t120.00\t本年支出合计\t120.00
年初结转和结余\t0.00\t年末结转和结余\t0.00
收入总计\t120.00\t支出总计\t120.00
"""


def test_a_carry_over_printed_as_zero_is_zero_not_undisclosed(tmp_path: Path) -> None:
    """年初结转和结余 printed 0.00 is a disclosed 0 (the checks always knew this label; the key
    figures did not, and published the carry-over as not disclosed)."""
    path = tmp_path / "doc.txt"
    path.write_text(SUMMARY, encoding="utf-8")
    figures = parse_document(path, path.name).key_figures
    assert format(figures["carryover_income"], "f") == "0.00"
    assert format(figures["income_grand_total"], "f") == "120.00"
    assert format(figures["expense_year_total"], "f") == "120.00"


def test_pass_through_funds_of_a_county_bureau() -> None:
    """承德市双桥区医疗保障局 2024: in its 一般公共预算支出表 the 款 21012 财政对基本医疗保险基金的补助
    2800.00 and 21013 医疗救助 320.00 (text lines 863–884); 20827 (1.50, its staff's insurance) is
    a running cost, not passed on."""
    seeds = Path(__file__).resolve().parents[2] / "source_docs"
    document = parse_document(seeds / "hebei" / "chengde-shuangqiao-2024-budget.txt", "c.txt")
    assert document.key_figures["pass_through_expenditure"] == Decimal("3120.00")
    provincial = parse_document(seeds / "heilongjiang" / "heilongjiang-province-2020-budget.txt", "h.txt")
    assert provincial.key_figures["pass_through_expenditure"] == Decimal("0")  # prints none
