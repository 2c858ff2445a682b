"""A summary table whose last row stands alone on the next page, where the page draws no grid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.recognise.corpus import REAL, document_of, real_files

NAME = "032_hzh-sifaju-2026-bumen-yusuan.pdf"
pytestmark = pytest.mark.skipif(NAME not in real_files(), reason=f"{REAL / NAME} is not there")


def test_the_grand_totals_printed_alone_on_the_next_page_are_read() -> None:
    # 表4 2026年市级部门财政拨款收支预算总表: page 28 ends with 二、年终结转结余; page 29 prints only
    # "收 入 总 计 91,842.80 支 出 总 计 91,842.80" (and the page number), as plain text
    document = document_of(NAME)
    table = document.first_table("appropriation_summary")
    assert table is not None
    last = [(r.name, r.side, r.amounts, r.page) for r in table.rows[-2:]]
    assert last == [
        ("收入总计", "income", {"income": Decimal("91842.80")}, 29),
        ("支出总计", "expenditure", {"expenditure": Decimal("91842.80")}, 29),
    ]
    # 91,842.80 = 一、财政拨款 91,495.48 + 二、上年结转结余 347.32 = 一、本年支出合计 91,842.80 + 0
    outcomes = {c.check: c.status for c in document.checks if c.table == "appropriation_summary"}
    assert outcomes["appropriation_summary.year_income_plus_carryover"] == "pass"
    assert outcomes["appropriation_summary.year_expense_plus_carryforward"] == "pass"
    assert outcomes["appropriation_summary.income_equals_expense"] == "pass"
