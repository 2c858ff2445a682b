"""Rules across years: last year's figure stated in this year's text against last year's document."""

from __future__ import annotations

from decimal import Decimal

from yibao.model import Document, Metadata, StatedChange
from yibao.validate.years import checks_across_years, previous_documents


def document(year: int, bureau: str = "双鸭山市医疗保障局", units: tuple[str, ...] = ("万元",)) -> Document:
    metadata = Metadata(bureau=bureau, fiscal_year=year, doc_type="budget", scope="department", units=list(units))
    return Document(f"{year}.pdf", "0" * 64, metadata)


def stated(previous: str, sentence: str = "1.基本支出预算1,066.26万元，比上年预算数减少14.54万元") -> StatedChange:
    amount = Decimal("1066.26")
    return StatedChange(
        1,
        "基本支出预算",
        "basic_expenditure",
        amount,
        Decimal(previous) - amount,
        None,
        Decimal(previous),
        17,
        747,
        sentence,
    )


def test_stated_previous_figure_against_last_years_document() -> None:
    last, this = document(2023), document(2024)
    last.key_figures = {"basic_expenditure": Decimal("1080.80")}
    this.stated_changes = [stated("1080.80")]
    [found] = checks_across_years([this, last])
    assert (found.document, found.previous) == (this, last)
    check = found.check
    assert (check.check, check.status, check.expected, check.actual) == (
        "years.previous_year_figure",
        "pass",
        Decimal("1080.80"),
        Decimal("1080.80"),
    )
    assert "“基本支出预算”（第 17 页）所述上年数 1080.80 与 2023 年文件所印 1080.80 比对" in check.message
    assert this.checks == [] and last.checks == []  # the documents' own rows are left as built alone


def test_a_wrong_stated_change_fails() -> None:
    last, this = document(2023), document(2024)
    last.key_figures = {"basic_expenditure": Decimal("1080.80")}
    this.stated_changes = [stated("1090.80")]
    [found] = checks_across_years([last, this])
    check = found.check
    assert check.status == "fail" and check.difference == Decimal("10.00")


def test_nothing_to_compare() -> None:
    last, this = document(2023), document(2024)
    last.key_figures = {"basic_expenditure": Decimal("1080.80")}
    this.stated_changes = [stated("1080.80", sentence="基本支出1,066.26万元，比上年决算数减少14.54万元")]
    assert checks_across_years([last, this]) == []  # compared with last year's 决算, not its budget
    other_units = document(2023, units=("元",))
    other_units.key_figures = {"basic_expenditure": Decimal("10808000")}
    this.stated_changes = [stated("1080.80")]
    assert checks_across_years([other_units, this]) == []  # printed in other units: left to the unit-aware comparison
    assert previous_documents([document(2024), document(2022), document(2023, bureau="烟台市医疗保障局")]) == {}
