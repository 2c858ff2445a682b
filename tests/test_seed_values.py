"""Every amount of the main tables of the four seed documents equals the printed amount.

The expected values (tests/expected_values.py) were read by hand from the documents.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import read_csv
from tests.expected_values import FAILED_CHECKS, METADATA, PROJECTS, TABLES

SOURCE_PREFIX = "source_docs/"


def _doc_ids(package: Path) -> dict[str, str]:
    return {
        row["source_file"].removeprefix(SOURCE_PREFIX): row["doc_id"] for row in read_csv(package / "documents.csv")
    }


def _expected_rows(measures: str, rows: str) -> dict[tuple[str, str], Decimal | None]:
    names = measures.split()
    expected: dict[tuple[str, str], Decimal | None] = {}
    for line in rows.strip("\n").splitlines():
        if not line.strip():
            continue
        key, amounts = (part.strip() for part in line.split("|"))
        values = amounts.split()
        assert len(values) == len(names), line
        for measure, value in zip(names, values, strict=True):
            expected[(key, measure)] = None if value == "-" else Decimal(value)
    return expected


def _printed(package: Path, doc_id: str, table: str) -> dict[tuple[str, str], str]:
    items = [r for r in read_csv(package / "line_items.csv") if r["doc_id"] == doc_id and r["table"] == table]
    first_table = min(int(r["table_no"]) for r in items)
    printed: dict[tuple[str, str], str] = {}
    for item in items:
        if int(item["table_no"]) != first_table:
            continue
        key = item["name"] if table == "summary" else (item["code"] or item["name"])
        assert (key, item["measure"]) not in printed, f"two amounts for {key} {item['measure']}"
        printed[(key, item["measure"])] = item["amount"]
    return printed


@pytest.mark.parametrize(("document", "table"), sorted(TABLES))
def test_every_amount_equals_the_printed_one(package: Path, document: str, table: str) -> None:
    doc_id = _doc_ids(package)[document]
    expected = _expected_rows(*TABLES[(document, table)])
    printed = _printed(package, doc_id, table)
    for (key, measure), amount in expected.items():
        found = printed.get((key, measure))
        if amount is None:  # a blank cell: absent, or 0
            assert found is None or Decimal(found) == 0, f"{key} {measure}: blank in the document, {found} in the data"
        else:
            assert found is not None, f"{key} {measure}: {amount} printed, missing in the data"
            assert Decimal(found) == amount, f"{key} {measure}: {amount} printed, {found} in the data"
            assert found == format(amount, "f"), f"{key} {measure}: printed as {amount}, written as {found}"
    keys = {key for key, _ in expected}
    extra = {k for k, v in printed.items() if k[0] not in keys and Decimal(v) != 0}
    assert not extra, f"amounts in the data that the document does not print: {sorted(extra)}"


@pytest.mark.parametrize("document", sorted(METADATA))
def test_document_metadata_read_from_the_text(package: Path, document: str) -> None:
    row = next(r for r in read_csv(package / "documents.csv") if r["source_file"] == SOURCE_PREFIX + document)
    bureau, year, doc_type, scope, level = METADATA[document]
    assert (row["bureau"], int(row["fiscal_year"]), row["doc_type"], row["scope"], row["admin_level"]) == (
        bureau, year, doc_type, scope, level,
    )  # fmt: skip


@pytest.mark.parametrize("document", sorted(PROJECTS))
def test_every_project_amount(package: Path, document: str) -> None:
    doc_id = _doc_ids(package)[document]
    rows = [r for r in read_csv(package / "projects.csv") if r["doc_id"] == doc_id]
    rows.sort(key=lambda r: int(r["project_no"]))
    assert [(r["name"], r["amount"]) for r in rows] == PROJECTS[document]


@pytest.mark.parametrize("document", sorted(FAILED_CHECKS))
def test_checks_report_exactly_the_inconsistencies_found_by_hand(package: Path, document: str) -> None:
    doc_id = _doc_ids(package)[document]
    failed = [r for r in read_csv(package / "checks.csv") if r["doc_id"] == doc_id and r["status"] == "fail"]
    found = [(r["check"], r["expected"] or None, r["actual"]) for r in failed]
    expected = FAILED_CHECKS[document]
    assert sorted(found, key=str) == sorted(expected, key=str)


def test_rounding_differences_are_notes_not_failures(package: Path) -> None:
    doc_id = _doc_ids(package)["hebei/chengde-shuangqiao-2024-budget.txt"]
    rounding = [r for r in read_csv(package / "checks.csv") if r["doc_id"] == doc_id and r["outcome"] == "rounding"]
    # 20805 = 21.87 but 1.11 + 20.75 = 21.86; 210 = 3,499.85 but its 款 add up to 3,499.86
    assert {(r["code"], r["expected"], r["actual"]) for r in rounding if r["measure"] == "total"} == {
        ("20805", "21.87", "21.86"),
        ("210", "3499.85", "3499.86"),
    }
    assert all(r["status"] == "pass" for r in rounding)


def test_key_figures(package: Path) -> None:
    figures = {r["doc_id"]: r for r in read_csv(package / "key_figures.csv")}
    ids = _doc_ids(package)
    shuangyashan = figures[ids["heilongjiang/shuangyashan-2024-budget.txt"]]
    assert shuangyashan["income_grand_total"] == "1116.56"
    assert shuangyashan["basic_expenditure"] == "1066.26"
    assert shuangyashan["personnel_expenditure"] == "963.56"
    assert shuangyashan["three_public_total"] == "0.00"
    anshan = figures[ids["liaoning/anshan-2025-budget.md"]]
    assert (
        anshan["three_public_total"],
        anshan["three_public_vehicle_operation"],
        anshan["three_public_reception"],
    ) == ("7.30", "7.20", "0.10")
    heilongjiang = figures[ids["heilongjiang/heilongjiang-province-2020-budget.txt"]]
    assert heilongjiang["income_year_total"] == ""  # the 2020 summary prints no 本年收入合计
    assert heilongjiang["three_public_overseas"] == "6.00"


def test_same_results_from_plain_seed_copies_without_metadata(package: Path, seeds_package: Path) -> None:
    seeds = {row["doc_id"] for row in read_csv(seeds_package / "documents.csv")}
    assert len(seeds) == 4
    for resource in ("line_items", "key_figures", "projects", "checks", "performance_targets"):
        published = [row for row in read_csv(package / f"{resource}.csv") if row["doc_id"] in seeds]
        assert published == read_csv(seeds_package / f"{resource}.csv"), resource


def test_appropriation_summary_agrees_with_the_fund_tables(package: Path) -> None:
    doc_id = _doc_ids(package)["hebei/chengde-shuangqiao-2024-budget.txt"]
    rows = [
        r for r in read_csv(package / "checks.csv")
        if r["doc_id"] == doc_id and r["check"] == "cross.appropriation_class_vs_fund_tables"
    ]  # fmt: skip
    # 223 国有资本经营预算支出 3.00 is printed in the 国有资本经营预算 table, 208 and 210 in the 一般公共预算 one
    assert {(r["code"], r["expected"], r["actual"], r["status"]) for r in rows} == {
        ("208", "23.37", "23.37", "pass"),
        ("210", "3499.85", "3499.85", "pass"),
        ("223", "3.00", "3.00", "pass"),
    }
