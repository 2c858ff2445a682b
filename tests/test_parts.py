"""One disclosure published in several files (issue 9, item 5), and the scope in the document id.

北京市医疗保障局 publishes its 2026 budget as 附件1 情况说明 (source_docs/beijing/…-shuoming.pdf,
narrative only) and 附件2 报表 (…-baobiao.pdf, tables only): one document, each amount with its
own file and page. Two files printing the same table stay a conflict. 上海市普陀区人民政府办公室
publishes a 部门预算 and a 单位预算 for 2025 (../shared/real 007 and 008): two documents.

Every amount asserted here was read by hand from the PDF page named beside it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCE_DOCS, read_csv
from tests.recognise.corpus import REAL
from yibao.build import build_data
from yibao.model import Metadata
from yibao.model.ids import doc_id

BEIJING = "source_docs/beijing"
SHUOMING = f"{BEIJING}/beijing-2026-budget-shuoming.pdf"
BAOBIAO = f"{BEIJING}/beijing-2026-budget-baobiao.pdf"
SHUANGYASHAN = SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt"
Rows = list[dict[str, str]]


def rows(package: Path, name: str, did: str) -> Rows:
    return [r for r in read_csv(package / f"{name}.csv") if r["doc_id"] == did]


@pytest.fixture(scope="module")
def beijing(package: Path) -> tuple[Path, str]:
    """The package built from source_docs/ and the doc_id of 北京市医疗保障局 2026."""
    [document] = [r for r in read_csv(package / "documents.csv") if r["bureau"] == "北京市医疗保障局"]
    return package, document["doc_id"]


def item(items: Rows, table: str, name: str, measure: str, code: str = "") -> dict[str, str]:
    found = [r for r in items if r["table"] == table and r["name"] == name and r["measure"] == measure]
    found = [r for r in found if r["code"] == code] if code else found
    assert len(found) == 1, (table, name, measure, code, found)
    return found[0]


# --------------------------------------------------------------------------- 说明 + 报表


def test_beijing_narrative_and_tables_are_one_document(beijing: tuple[Path, str]) -> None:
    package, did = beijing
    [document] = rows(package, "documents", did)
    assert document["parts"].split(";") == [SHUOMING, BAOBIAO]  # the 说明 first, as printed
    assert document["source_file"] == BAOBIAO  # the part holding the tables
    assert (document["fiscal_year"], document["doc_type"], document["scope"]) == ("2026", "budget", "department")
    assert document["status"] != "error"
    assert document["pages"] == str(8 + 28)
    rejected = {r["source_file"] for r in read_csv(package / "rejected_files.csv")}
    assert not rejected & {SHUOMING, BAOBIAO}


def test_beijing_amounts_keep_their_own_file_and_page(beijing: tuple[Path, str]) -> None:
    package, did = beijing
    items = rows(package, "line_items", did)
    # 报表 p1 预算01表 收支总表
    income = item(items, "summary", "一、一般公共预算拨款收入", "income")
    assert (income["amount"], income["source_file"], income["page"]) == ("110387.976749", BAOBIAO, "1")
    health = item(items, "summary", "九、卫生健康支出", "expenditure")
    assert (health["amount"], health["page"]) == ("101857.847222", "1")
    assert item(items, "summary", "上年结转结余", "income")["amount"] == "508.642853"
    # 报表 p6 预算05表 一般公共预算支出表: 2101501 行政运行 4,247.250789 (the first of its rows)
    running = [
        r
        for r in items
        if r["table"] == "general_budget_expenditure" and r["code"] == "2101501" and r["measure"] == "total"
    ]
    assert (running[0]["amount"], running[0]["source_file"], running[0]["page"]) == ("4247.250789", BAOBIAO, "6")
    # 报表 p11 预算09表 “三公”经费: 50.332600 1.920000 25.420000 18.690000 6.730000
    three = {r["measure"]: r for r in items if r["table"] == "three_public"}
    assert {m: three[m]["amount"] for m in ("overseas", "reception", "vehicle", "vehicle_purchase")} == {
        "overseas": "50.332600",
        "reception": "1.920000",
        "vehicle": "25.420000",
        "vehicle_purchase": "18.690000",
    }
    assert three["vehicle_operation"]["amount"] == "6.730000" and three["overseas"]["page"] == "11"
    assert {r["source_file"] for r in items} == {BAOBIAO}
    tables = rows(package, "tables", did)
    assert {r["source_file"] for r in tables} == {BAOBIAO}
    assert [r["page"] for r in tables if r["table"] == "summary"] == ["1"]


def test_beijing_narrative_is_read_from_its_own_file(beijing: tuple[Path, str]) -> None:
    package, did = beijing
    # 说明 p7 六、名词解释: 基本支出：指为保障机构正常运转、完成日常工作任务…
    glossary = {r["term"]: r for r in rows(package, "glossary", did)}
    assert glossary["基本支出"]["explanation"].startswith("指为保障机构正常运转、完成日常工作任务")
    assert (glossary["基本支出"]["source_file"], glossary["基本支出"]["page"]) == (SHUOMING, "7")
    # 说明 p5 "2026 年支出预算 110896.62 万元" against 报表 p1 支出总计 110,896.619602
    checks = {r["check"]: r for r in rows(package, "checks", did)}
    stated = checks["narrative.expense_grand_total"]
    assert (stated["status"], stated["actual"], stated["expected"]) == ("pass", "110896.62", "110896.619602")
    # 说明 p4 "一般公共预算拨款收入 110387.98 万元" against 报表 p1 110,387.976749
    assert checks["narrative.general_budget_income"]["actual"] == "110387.98"
    assert checks["narrative.general_budget_income"]["status"] == "pass"


def test_check_reports_the_files_merged(tmp_path: Path) -> None:
    """`build.py check` on the 说明 alone (no table in it) finds its 报表 beside it."""
    folder = tmp_path / "beijing"
    folder.mkdir()
    for name in (SHUOMING, BAOBIAO):
        shutil.copyfile(ROOT / name, folder / Path(name).name)
    shutil.copyfile(ROOT / SHUOMING.replace(".pdf", ".meta.toml"), folder / "beijing-2026-budget-shuoming.meta.toml")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", str(folder / Path(SHUOMING).name)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "合并 merged" in proc.stdout
    assert "beijing/beijing-2026-budget-shuoming.pdf  8 页 pages" in proc.stdout
    assert "beijing/beijing-2026-budget-baobiao.pdf  28 页 pages" in proc.stdout
    assert "发布单位 bureau: 北京市医疗保障局" in proc.stdout


# --------------------------------------------------------------------------- a text split in two


def split_shuangyashan(sources: Path) -> tuple[str, str]:
    """The 双鸭山 text cut before its 第二部分 … 报表: the narrative and the tables as two files,
    their metadata files saying what each half no longer prints (its year, its body)."""
    lines = SHUANGYASHAN.read_text(encoding="utf-8").split("\n")
    cut = next(n for n, line in enumerate(lines) if line.startswith("第二部分"))
    folder = sources / "heilongjiang"
    folder.mkdir(parents=True)
    (folder / "a-narrative.txt").write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
    (folder / "b-tables.txt").write_text("\n".join(lines[cut:]), encoding="utf-8")
    meta = SHUANGYASHAN.with_name("shuangyashan-2024-budget.meta.toml").read_text(encoding="utf-8")
    (folder / "a-narrative.meta.toml").write_text(meta + 'fiscal_year = 2024\ndoc_type = "budget"\n', "utf-8")
    (folder / "b-tables.meta.toml").write_text(meta + 'bureau = "双鸭山市医疗保障局"\n', "utf-8")
    return "src/heilongjiang/a-narrative.txt", "src/heilongjiang/b-tables.txt"


def comparable(found: Rows) -> list[tuple[tuple[str, str], ...]]:
    """Rows without their place (page, line, the file) and their running numbers."""
    drop = {"source_file", "page", "line", "check_no", "problem_no", "entry_no", "message", "evidence"}
    return sorted(tuple(sorted((k, v) for k, v in r.items() if k not in drop)) for r in found)


def test_a_document_split_into_narrative_and_tables_reads_as_the_whole(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    (whole / "src" / "heilongjiang").mkdir(parents=True)
    shutil.copyfile(SHUANGYASHAN, whole / "src" / "heilongjiang" / SHUANGYASHAN.name)
    shutil.copyfile(
        SHUANGYASHAN.with_name("shuangyashan-2024-budget.meta.toml"),
        whole / "src" / "heilongjiang" / "shuangyashan-2024-budget.meta.toml",
    )
    split = tmp_path / "split"
    narrative, tables = split_shuangyashan(split / "src")
    log = io.StringIO()
    assert build_data(whole / "src", whole / "out", log=io.StringIO()) == 0
    assert build_data(split / "src", split / "out", log=log) == 0, log.getvalue()
    assert f"{tables}: merged" in log.getvalue()
    [one] = read_csv(whole / "out" / "documents.csv")
    [merged] = read_csv(split / "out" / "documents.csv")
    assert merged["doc_id"] == one["doc_id"] and merged["parts"] == f"{narrative};{tables}"
    for name in ("line_items", "checks", "glossary", "stated_changes", "key_figures", "tables", "problems"):
        assert comparable(rows(split / "out", name, one["doc_id"])) == comparable(
            rows(whole / "out", name, one["doc_id"])
        ), name
    same = ("bureau", "fiscal_year", "doc_type", "scope", "admin_level", "units", "title", "status", "tables_found")
    assert {k: merged[k] for k in same} == {k: one[k] for k in same}
    # provenance: the tables in the second file, and the 名词解释 printed after them (第四部分)
    items = rows(split / "out", "line_items", one["doc_id"])
    assert {r["source_file"] for r in items} == {tables}
    assert {r["source_file"] for r in rows(split / "out", "glossary", one["doc_id"])} == {tables}
    whole_items = rows(whole / "out", "line_items", one["doc_id"])
    offset = min(int(r["page"]) for r in whole_items) - min(int(r["page"]) for r in items)
    assert offset > 0  # the narrative's pages come before: each file counts its own pages
    assert sorted(int(r["page"]) + offset for r in items) == sorted(int(r["page"]) for r in whole_items)


def test_two_files_printing_the_same_tables_stay_a_conflict(tmp_path: Path) -> None:
    """Not parts of one disclosure but two versions of it: both held back, the shared tables named."""
    sources = tmp_path / "src" / "heilongjiang"
    sources.mkdir(parents=True)
    text = SHUANGYASHAN.read_text(encoding="utf-8")
    (sources / "one.txt").write_text(text, encoding="utf-8")
    (sources / "two.txt").write_text(text.replace("857.18", "867.18", 1), encoding="utf-8")
    log = io.StringIO()
    assert build_data(tmp_path / "src", tmp_path / "out", log=log) == 1
    assert not read_csv(tmp_path / "out" / "documents.csv")
    reasons = {r["source_file"]: r["reason"] for r in read_csv(tmp_path / "out" / "rejected_files.csv")}
    assert set(reasons) == {"src/heilongjiang/one.txt", "src/heilongjiang/two.txt"}
    for reason in reasons.values():
        assert "neither was published" in reason
        assert "both print the same tables (" in reason and "summary" in reason
        assert "they are no parts of one disclosure" in reason
    assert "merged" not in log.getvalue()


# --------------------------------------------------------------------------- scope in the id


def test_scope_is_part_of_the_document_id() -> None:
    department = Metadata(bureau="某某局", fiscal_year=2025, doc_type="budget", scope="department")
    unit = Metadata(bureau="某某局", fiscal_year=2025, doc_type="budget", scope="unit")
    assert doc_id(unit) == doc_id(department) + "-unit"
    assert doc_id(department).endswith("-2025-budget")  # the 部门 form is the form of before


@pytest.mark.skipif(not (REAL / "MANIFEST.tsv").is_file(), reason=f"{REAL} is not there")
def test_department_and_unit_budget_of_one_body_are_two_documents(tmp_path: Path) -> None:
    """007 (部门预算) and 008 (单位预算) of 上海市普陀区人民政府办公室 2025: both published."""
    sources = tmp_path / "src" / "shanghai"
    sources.mkdir(parents=True)
    for prefix in ("007_", "008_"):
        [path] = REAL.glob(f"{prefix}*.pdf")
        shutil.copyfile(path, sources / path.name)
    log = io.StringIO()
    build_data(tmp_path / "src", tmp_path / "out", log=log)
    assert not read_csv(tmp_path / "out" / "rejected_files.csv"), log.getvalue()
    documents = read_csv(tmp_path / "out" / "documents.csv")
    assert {(r["bureau"], r["fiscal_year"], r["scope"]) for r in documents} == {
        ("上海市普陀区人民政府办公室", "2025", "department"),
        ("上海市普陀区人民政府办公室", "2025", "unit"),
    }
    by_scope = {r["scope"]: r["doc_id"] for r in documents}
    assert by_scope["unit"] == by_scope["department"] + "-unit"
    assert all(r["status"] != "error" and r["parts"] == "" for r in documents)


@pytest.mark.skipif(not (REAL / "MANIFEST.tsv").is_file(), reason=f"{REAL} is not there")
def test_jiangsu_file_and_tables_are_one_document(tmp_path: Path) -> None:
    """051 (文件: the narrative) + 052 (表格) of 中共江苏省委办公厅 2019. The narrative's cover prints
    江苏省委办公厅, the tables' 部门： 中共江苏省委办公厅: both name the Party organ in its formal form, so
    the two files are parts of one body's disclosure without a metadata file."""
    sources = tmp_path / "src" / "jiangsu"
    sources.mkdir(parents=True)
    names = []
    for prefix in ("051_", "052_"):
        [path] = REAL.glob(f"{prefix}*.pdf")
        shutil.copyfile(path, sources / path.name)
        names.append(f"src/jiangsu/{path.name}")
    log = io.StringIO()
    build_data(tmp_path / "src", tmp_path / "out", log=log)
    assert not read_csv(tmp_path / "out" / "rejected_files.csv"), log.getvalue()
    [document] = read_csv(tmp_path / "out" / "documents.csv")
    assert document["parts"] == ";".join(names) and document["source_file"] == names[1]
    assert (document["bureau"], document["fiscal_year"], document["status"]) == (
        "中共江苏省委办公厅",
        "2019",
        "ok",  # every check of the two files holds (28 checks, 0 failed); one warning (三公 小计 column)
    )
    items = rows(tmp_path / "out", "line_items", document["doc_id"])
    # 表格 p1 收支预算总表: 一、财政拨款 27,664.22 / 一、一般公共服务支出 22,395.50 / 一、基本支出 11,700.63
    assert {(r["name"], r["amount"], r["source_file"], r["page"]) for r in items if r["table"] == "summary"} >= {
        ("一、财政拨款", "27664.22", names[1], "1"),
        ("一、一般公共服务支出", "22395.50", names[1], "1"),
        ("一、基本支出", "11700.63", names[1], "1"),
    }
