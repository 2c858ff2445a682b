"""Checks across years in the build: a figure this year's text states for last year
("比上年预算数增加2.76万元") against the same body's document of the year before.

The package holds no body with two years yet, so the year before is made here: the 双鸭山 2024
disclosure with its year set to 2023 (its tables and numbers unchanged). The 2024 text states last
year's figures as 1,113.80 (general-budget income), 1,080.80 (basic), 33.00 (project) and 106.76
(机关运行经费; read by hand, seed lines 700, 747, 757, 773); the "2023" copy prints this year's
1,116.56 / 1,066.26 / 50.30 / 102.70, so each comparison fails by the stated change.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from tests.conftest import SOURCE_DOCS
from yibao.build import build_data

SHUANGYASHAN = SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt"


def rows(package: Path, resource: str) -> list[dict[str, str]]:
    with (package / f"{resource}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def build(tmp_path: Path, name: str, years: tuple[int, ...]) -> Path:
    sources = tmp_path / name / "sources"  # the same relative path in every build: source_file agrees
    sources.mkdir(parents=True)
    text = SHUANGYASHAN.read_text(encoding="utf-8")
    for year in years:
        (sources / f"shuangyashan-{year}.txt").write_text(text.replace("2024", str(year)), encoding="utf-8")
    package = tmp_path / name / "datapackage"
    assert build_data(sources, package, log=io.StringIO()) in (0, 1)
    return package


def test_stated_last_year_figures_against_last_years_document(tmp_path: Path) -> None:
    both = build(tmp_path, "both", (2023, 2024))
    found = rows(both, "year_checks")
    documents = {row["fiscal_year"]: row["doc_id"] for row in rows(both, "documents")}
    assert {row["doc_id"] for row in found} == {documents["2024"]}
    assert {row["previous_doc_id"] for row in found} == {documents["2023"]}
    compared = {row["measure"]: (Decimal(row["expected"]), Decimal(row["actual"]), row["status"]) for row in found}
    assert compared == {
        "general_budget_income": (Decimal("1116.56"), Decimal("1113.80"), "fail"),
        "basic_expenditure": (Decimal("1066.26"), Decimal("1080.80"), "fail"),
        "project_expenditure": (Decimal("50.30"), Decimal("33.00"), "fail"),
        # "机关运行经费…比上年减少4.06万元" is no statement on 公用经费 (yibao/data/narrative.yml): not compared
    }
    income = next(row for row in found if row["measure"] == "general_budget_income")
    assert income["difference"] == "-2.76"
    assert "“一般公共预算收入”（第 16 页）所述上年数 1113.80 与 2023 年文件所印 1116.56 比对" in income["message"]


def test_a_neighbour_never_changes_a_documents_own_rows(tmp_path: Path) -> None:
    both = build(tmp_path, "both", (2023, 2024))
    alone = build(tmp_path, "alone", (2024,))
    [doc_id] = [row["doc_id"] for row in rows(alone, "documents")]
    for resource in ("documents", "checks", "scorecard"):
        assert [r for r in rows(both, resource) if r["doc_id"] == doc_id] == rows(alone, resource), resource
    assert (both / "documents" / doc_id / "checks.csv").read_bytes() == (
        alone / "documents" / doc_id / "checks.csv"
    ).read_bytes()
    assert rows(both / "documents" / doc_id, "year_checks") == []  # only in the combined package
    assert rows(alone, "year_checks") == []
