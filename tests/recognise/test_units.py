"""Units: amounts kept as printed, and in 万元 exactly (the decimal point moved, nothing rounded)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.recognise.corpus import REAL, document_of
from yibao.derive.units import to_wan
from yibao.model import Line
from yibao.package import document_rows
from yibao.recognise.units import document_unit, printed_unit


@pytest.mark.parametrize(
    ("printed", "unit", "wan"),
    [
        ("193018000", "元", "19301.8000"),  # 016 p7 一、财政拨款收入, printed in 元
        ("12.50", "元", "0.001250"),
        ("110387.976749", "万元", "110387.976749"),  # 018 p1: 6 decimals kept
        ("1234.5", "千元", "123.45"),
    ],
)
def test_to_wan_is_exact(printed: str, unit: str, wan: str) -> None:
    assert str(to_wan(Decimal(printed), unit)) == wan


@pytest.mark.parametrize(
    ("lines", "unit"),
    [
        (["2026年预算单位财务收支预算总表", "编制单位：上海市医疗保险事业管理中心 单位：元"], "元"),
        (["2026年单位“三公”经费和机关运行经费预算表", "编制单位：上海市医疗保险事业管理中心 单位:万元"], "万元"),
        (["预算01表 收支总表", "\t\t\t\t金额单位：万元"], "万元"),
        (["年部门收支总体情况表", "2026", "单位名称 重庆市气象局 单位 万元"], "万元"),
        (["收支预算总表部门：中共江苏省委办公厅 单位：万元"], "万元"),
        (["西南大学收入预算表", "科目编码\t科目名称\t本年收入合计", "合计\t1,234.56"], ""),
    ],
)
def test_printed_unit(lines: list[str], unit: str) -> None:
    source = [Line(page=1, number=n, text=text) for n, text in enumerate(lines, start=1)]
    assert printed_unit(source[0], source[1:]) == unit


def test_a_table_without_a_unit_takes_the_documents() -> None:
    assert document_unit(["万元", "", "万元", "元"]) == ("万元", "document")
    assert document_unit(["", ""]) == ("万元", "default")


NAME = "016_sh-ybzx-2026-danwei-yusuan.pdf"


@pytest.mark.skipif(not (REAL / NAME).is_file(), reason=f"{REAL / NAME} is not there")
def test_a_document_printed_in_yuan_is_published_in_wan_and_as_printed() -> None:
    """016 prints its tables in 元 (its 三公 table in 万元): hand-read in tests/golden/real/016…yml."""
    rows = document_rows(document_of(NAME))
    tables = {(r["table"], r["page"]): r for r in rows["tables"]}
    assert (tables[("summary", 7)]["unit"], tables[("summary", 7)]["unit_source"]) == ("元", "printed")
    assert tables[("three_public", 19)]["unit"] == "万元"
    income = next(r for r in rows["line_items"] if r["table"] == "summary" and r["name"] == "一、财政拨款收入")
    assert (income["amount_printed"], income["unit"]) == (Decimal("193018000"), "元")
    assert income["amount"] == Decimal("19301.8000")
