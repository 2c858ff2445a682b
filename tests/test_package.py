"""The data package: valid Frictionless, as committed, with the contract's resources and fields."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from frictionless import Package

from tests.conftest import ROOT, read_csv

CONTRACT_KEY_FIGURES = (
    "income_grand_total expense_grand_total income_year_total expense_year_total general_budget_income "
    "carryover_income basic_expenditure project_expenditure personnel_expenditure public_expenditure "
    "three_public_total three_public_overseas three_public_vehicle_purchase three_public_vehicle_operation "
    "three_public_reception"
).split()


def test_frictionless_validate_passes(package: Path) -> None:
    report = Package(str(package / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]


def test_each_document_has_a_valid_package_of_its_own(package: Path) -> None:
    documents = read_csv(package / "documents.csv")
    for document in documents:
        folder = package / "documents" / document["doc_id"]
        report = Package(str(folder / "datapackage.json")).validate()
        assert report.valid, document["doc_id"]
        assert [r["doc_id"] for r in read_csv(folder / "documents.csv")] == [document["doc_id"]]
        items = read_csv(folder / "line_items.csv")
        assert items and {r["doc_id"] for r in items} == {document["doc_id"]}


def test_contract_resources_and_fields(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    fields = {name: [f["name"] for f in r["schema"]["fields"]] for name, r in resources.items()}
    assert set(fields["documents"]) >= {
        "doc_id",
        "bureau",
        "fiscal_year",
        "doc_type",
        "scope",
        "admin_level",
        "source_file",
        "sha256",
        "status",
    }
    assert set(fields["line_items"]) >= {"doc_id", "table", "classification", "code", "name", "measure", "amount"}
    assert set(fields["checks"]) >= {"doc_id", "check", "status", "expected", "actual", "message"}
    # the contract's columns first, in its order; figures added since come after them
    assert fields["key_figures"][: len(CONTRACT_KEY_FIGURES) + 1] == ["doc_id", *CONTRACT_KEY_FIGURES]
    for resource in resources.values():
        for field in resource["schema"]["fields"]:
            assert field["x-description-zh"] and field["x-description-en"], (resource["name"], field["name"])
    assert resources["documents"]["schema"]["primaryKey"] == ["doc_id"]
    assert resources["line_items"]["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "documents",
        "fields": "doc_id",
    }
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"


def test_fiscal_data_package_model(package: Path) -> None:
    model = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["model"]
    assert model["measures"]["amount"] == {
        "source": "amount", "resource": "line_items", "currency": "CNY", "factor": 10000,
        "direction": "expenditure", "phase": "approved",
    }  # fmt: skip
    assert model["dimensions"]["functional_classification"]["classificationType"] == "functional"
    assert model["dimensions"]["economic_classification"]["attributes"]["parent_code"]["parent"] == "code"


def test_statuses_and_provenance(package: Path) -> None:
    documents = {r["source_file"]: r for r in read_csv(package / "documents.csv")}
    assert documents["source_docs/hebei/chengde-shuangqiao-2024-budget.txt"]["status"] == "ok"
    assert documents["source_docs/heilongjiang/shuangyashan-2024-budget.txt"]["status"] == "partial"
    # every amount says where it was printed
    item = next(
        r for r in read_csv(package / "line_items.csv")
        if r["table"] == "expenditure" and r["code"] == "2080109" and r["measure"] == "total"
    )  # fmt: skip
    assert (item["amount"], item["page"], item["line"], item["level"], item["parent_code"], item["is_leaf"]) == (
        "857.18", "5", "251", "item", "20801", "true",
    )  # fmt: skip
    # a subtotal is marked, so nobody adds it to its own children
    assert next(r for r in read_csv(package / "line_items.csv") if r["code"] == "20801")["is_leaf"] == "false"


def test_committed_package_is_what_the_build_makes(package: Path) -> None:
    committed = ROOT / "datapackage"
    built = sorted(p.relative_to(package) for p in package.rglob("*") if p.is_file())
    assert built == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for path in built:
        assert (package / path).read_bytes() == (committed / path).read_bytes(), (
            f"{path} differs: run python build.py data"
        )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_check_command_reports_what_was_recognised() -> None:
    result = _run("check", "source_docs/liaoning/anshan-2025-budget.md")
    assert result.returncode == 0
    assert "发布单位 bureau: 鞍山市医疗保障局" in result.stdout
    assert "年度 year: 2025" in result.stdout
    assert "expenditure" in result.stdout and "23 行 rows" in result.stdout
    # the failed checks with their numbers
    assert (
        "narrative.public_expenditure" in result.stdout and "应为 expected 118.06, 实为 actual 115.84" in result.stdout
    )
    # a problem and where it is
    assert "第 1 页 line 477" in result.stdout and "0 30206" in result.stdout


def test_check_command_json() -> None:
    result = _run("check", "--json", "source_docs/heilongjiang/shuangyashan-2024-budget.txt")
    report = json.loads(result.stdout)
    assert (report["bureau"], report["fiscal_year"], report["doc_type"], report["status"]) == (
        "双鸭山市医疗保障局",
        2024,
        "budget",
        "partial",
    )
    tables = {t["table"]: t["rows"] for t in report["tables"]}
    assert tables["expenditure"] == 15 and tables["general_budget_basic_expenditure"] == 44
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert [(c["check"], c["expected"], c["actual"]) for c in failed] == [("narrative.growth_rate", "3.80", "0.04")]


def test_check_command_fails_on_an_unreadable_document() -> None:
    result = _run("check", "tests/fixtures/bad/scanned-blank-page.pdf")
    assert result.returncode == 1
    assert "没有文本层" in result.stdout and "OCR" in result.stdout


def test_codes_as_printed_and_standard_codes_beside_them(package: Path) -> None:
    items = read_csv(package / "line_items.csv")
    # the 收支总表 prints the function class by name only: no code, its standard code beside it
    summary = next(r for r in items if r["table"] == "summary" and r["name"] == "一、社会保障和就业支出")
    assert (summary["code"], summary["standard_code"], summary["classification"], summary["level"]) == (
        "", "208", "function", "class",
    )  # fmt: skip
    # the 2020 economic table prints 款 by name under 类 names: 基本工资 is 30101 under 工资福利支出 (301)
    wage = next(
        r
        for r in items
        if r["table"] == "general_budget_basic_expenditure" and r["name"] == "基本工资" and r["code"] == ""
    )
    assert (wage["standard_code"], wage["parent_name"], wage["classification"]) == ("30101", "工资福利支出", "economic")
    # a name with no exact standard twin gets none: 年终一次性奖金 is not 奖金
    bonus = next(r for r in items if r["name"] == "年终一次性奖金")
    assert bonus["standard_code"] == ""
