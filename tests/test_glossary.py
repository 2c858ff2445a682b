"""The 名词解释 sections: every term, and each 类/款/项 term with its code (read by hand)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import read_csv

SHUANGYASHAN_TERMS = [
    "财政拨款收入", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入",
    "基本支出", "项目支出", "经营支出", "机关运行经费", "“三公”经费", "绩效目标",
    "社会保障和就业支出（类）人力资源和社会保障管理事务（款）一般行政管理事务（项）",
    "社会保障和就业支出（类）人力资源和社会保障管理事务（款）社会保险经办机构（项）",
    "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）",
    "社会保障和就业支出（类）其他社会保障和就业支出（款）其他社会保障和就业支出（项）",
    "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）",
    "住房保障支出（类）住房改革支出（款）住房公积金（项）",
]  # fmt: skip


def _entries(package: Path, source_file: str) -> list[dict[str, str]]:
    doc_id = next(r["doc_id"] for r in read_csv(package / "documents.csv") if r["source_file"] == source_file)
    rows = [r for r in read_csv(package / "glossary.csv") if r["doc_id"] == doc_id]
    return sorted(rows, key=lambda r: int(r["entry_no"]))


def test_every_term_of_the_glossary(package: Path) -> None:
    entries = _entries(package, "source_docs/heilongjiang/shuangyashan-2024-budget.txt")
    assert [e["term"] for e in entries] == SHUANGYASHAN_TERMS
    # 十、机关运行经费 runs over three lines and a page break; 具体包括 belongs to it
    running = next(e for e in entries if e["term"] == "机关运行经费")
    assert running["explanation"].startswith("指用于维持行政（参公）单位机关运行的经费。具体包括：办公费")
    assert running["explanation"].endswith("以及其他商品和服务支出。")


def test_classification_terms_get_the_code_the_tables_print(package: Path) -> None:
    codes = {e["term"]: e["code"] for e in _entries(package, "source_docs/heilongjiang/shuangyashan-2024-budget.txt")}
    assert codes["社会保障和就业支出（类）人力资源和社会保障管理事务（款）社会保险经办机构（项）"] == "2080109"
    assert codes["住房保障支出（类）住房改革支出（款）住房公积金（项）"] == "2210201"
    # 一般行政管理事务 is explained, but the tables print no such row: no code is guessed
    assert codes["社会保障和就业支出（类）人力资源和社会保障管理事务（款）一般行政管理事务（项）"] == ""
    # 鞍山 writes the class without 支出: 社会保障和就业（类）… 行政单位离退休（项）
    anshan = {e["term"]: e["code"] for e in _entries(package, "source_docs/liaoning/anshan-2025-budget.md")}
    assert anshan["社会保障和就业（类）行政事业单位养老支出（款）行政单位离退休（项）"] == "2080501"
    assert anshan["住房保障（类）住房改革（款）购房补贴（项）"] == "2210203"


def test_glossary_without_numbers_and_after_a_preamble(package: Path) -> None:
    entries = _entries(package, "source_docs/heilongjiang/heilongjiang-province-2020-budget.txt")
    assert [e["term"] for e in entries] == ["预算绩效管理", "绩效目标"]
    assert entries[0]["explanation"].startswith("是以财政支出结果为导向")
    chengde = _entries(package, "source_docs/hebei/chengde-shuangqiao-2024-budget.txt")
    assert len(chengde) == 10 and chengde[-1]["term"] == "机关运行经费"
