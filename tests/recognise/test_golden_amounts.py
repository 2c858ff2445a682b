"""The amounts read by hand from the real PDFs (`amounts:` of tests/golden/real/*.yml) equal the
parser's reading of them — the Document, and for the documents published in datapackage/ (the
medical-insurance ones in source_docs/) the package's line items too. The scan (043) prints no
table: its hand-read values are sentences of the 说明 (`statements:`), compared with the changes
on last year the parser reads from them.

One test per document; its failure lists every mismatch (page, table, row, measure, printed vs
read). An amount the parser is known to misread is listed in KNOWN with the reason: the test
still fails on any other mismatch, and on a KNOWN one that has come right (so the list shrinks).

How an amount is found (the golden README names the fields):
- the table: the golden table listing the amount's page gives the page its title is printed on;
  the parser's table of that canonical id titled on that page. An `other:…` table (no canonical
  id) is the parser's non-canonical table titled on that page, if it reads one — if not, the
  amount is not compared (the parser does not claim those tables; counted, never failed). Nor
  are the amounts of 项目支出表 and 绩效目标表: the parser reads those as projects and targets,
  not as line items.
- the row: by code where one is printed, else by its label (white space removed, NFKC); on the
  amount's page first; for a summary table on the amount's side. A table of one row (三公) with
  no row label: that row.
- the column: the golden measure id, through ALIASES where the golden file names the same
  column differently from yibao/data/measures.yml; in a summary table `<side>` for the total and
  `<side>_<measure>` for the others. Failing that, the parser's column whose label is the golden
  column as printed.
- a table printed with no amounts (status `empty`, no rows) reads as zero.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.recognise.corpus import GOLDEN, REAL, ROOT, document_of, manifest, real_files
from yibao.model import Row, StatedChange, Table
from yibao.reference import table_kinds

pytestmark = pytest.mark.skipif(not (REAL / "MANIFEST.tsv").is_file(), reason=f"{REAL} is not there")

PACKAGE = ROOT / "datapackage"
SOURCES = ROOT / "source_docs"

# golden measure ids naming a column the parser calls otherwise (yibao/data/measures.yml); the
# golden README lets a file give its own snake_case id beside the printed column
ALIASES = {
    "operating_expenditure": "business",  # 事业单位经营支出 / 经营支出
    "remittance_to_superior": "upper",  # 上缴上级支出
    "remittance_to_higher_level": "upper",
    "subsidy_to_subordinate": "subsidiary",  # 对附属单位补助支出
    "subsidy_to_subordinate_units": "subsidiary",
    "subordinate_remittance": "affiliated_income",  # 附属单位上缴收入
    "special_account_education_fees": "special_account_tuition",  # 财政专户拨款收入/教育收费
    "subordinate_unit_remittance_income": "affiliated_income",
    "higher_level_subsidy_income": "superior_subsidy",  # 上级补助收入
    "current_year_income": "year_income",  # 本年收入/小计
    "non_appropriation_balance_used": "non_appropriation_balance",  # 使用非财政拨款结余
}

# Amounts the parser misreads, with the reason read from the page:
# (file, page, table, code or row label, measure) → reason
# percentages (增减(%)) the golden files record without their % sign: not amounts, not published
PERCENTAGES = {"change_pct", "change_pct_excl_capital"}

KNOWN: dict[tuple[str, int, str, str, str], str] = {}


@dataclass(frozen=True)
class Outcome:
    compared: int
    equal: int
    skipped: int
    mismatches: list[str]
    known: list[str]  # KNOWN amounts that were misread, as listed


def _golden(name: str) -> dict[str, Any] | None:
    path = GOLDEN / (name.removesuffix(".pdf") + ".yml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@cache
def _kinds() -> dict[str, str]:
    return {k.table_id: k.kind for k in table_kinds()}


# ------------------------------------------------------------------------------ finding an amount


def _title_page(golden: dict[str, Any], table_id: str, page: int) -> int | None:
    """The page the golden table holding this amount is titled on."""
    for printed in golden.get("tables") or []:
        if printed["id"] == table_id and page in printed["pages"]:
            return int(printed["pages"][0])
    return None


def _table(tables: list[Table], table_id: str, title_page: int) -> Table | None:
    if table_id.startswith("other:"):
        found = [t for t in tables if t.page == title_page and not _canonical(t.table_id)]
    else:
        found = [t for t in tables if t.table_id == table_id and t.page == title_page]
    return found[0] if found else None


def _canonical(table_id: str) -> bool:
    return table_id in {
        "summary", "revenue", "expenditure", "appropriation_summary", "general_budget_expenditure",
        "general_budget_basic_expenditure", "three_public", "gov_fund_expenditure",
        "state_capital_expenditure", "project_expenditure", "performance_targets",
    }  # fmt: skip


def _label(amount: dict[str, Any]) -> str:
    """The row label as printed, without the heading a golden file may put before it (年初结转和结余/一、…)."""
    return _norm(str(amount.get("row") or "")).split("/")[-1]


# A summary table printing its expenditure twice side by side, by 功能分类 and by 支出用途 (or
# 经济分类), reads the second panel as side `expenditure_economic` (each panel adds up to the same
# 当年支出小计); the golden files name that panel in the column (支出/支出用途/金额).
SECOND_PANEL = re.compile(r"支出用途|经济分类")


def _panel_side(table: Table, amount: dict[str, Any]) -> str:
    side = str(amount.get("side") or "")
    second = "expenditure_economic"
    column = str(amount.get("column") or "")
    if side == "expenditure" and SECOND_PANEL.search(column) and any(r.side == second for r in table.rows):
        return second
    return side


def _row(table: Table, amount: dict[str, Any], occurrence: int) -> Row | None:
    """The row of the amount: the `occurrence`-th (from 0) of the rows on its page with its code or
    label (a code or label printed twice on one page: the same rows in the same order)."""
    side = _panel_side(table, amount)
    rows = [r for r in table.rows if not side or r.side == side]
    code, label = str(amount.get("code") or ""), _label(amount)
    if code:
        found = [r for r in rows if r.code == code]
    elif label:
        found = [r for r in rows if _norm(r.name) == label]
    else:
        found = rows if len(rows) == 1 else [r for r in rows if not _norm(r.name)]
    on_page = [r for r in found if r.page == amount["page"]]
    if len(on_page) > occurrence:
        return on_page[occurrence]
    return found[0] if found and not on_page else None


def _measure(table: Table, amount: dict[str, Any]) -> str | None:
    measures = {c.measure for c in table.columns} | {m for r in table.rows for m in r.amounts}
    wanted = str(ALIASES.get(amount["measure"], amount["measure"]))
    if _kinds().get(table.table_id) == "summary":
        side = _panel_side(table, amount)
        wanted = side if wanted == "total" else f"{side}_{wanted}"
    if wanted in measures:
        return wanted
    labelled = [c.measure for c in table.columns if _norm(c.label) == _norm(str(amount.get("column") or ""))]
    return labelled[0] if len(labelled) == 1 else None


def _where(amount: dict[str, Any]) -> str:
    side = f" {amount['side']}" if amount.get("side") else ""
    row = " ".join(x for x in (str(amount.get("code") or ""), str(amount.get("row") or "")) if x) or "(one row)"
    return f"p{amount['page']} {amount['table']}{side} [{row}] {amount['measure']} ({amount.get('column')})"


def _read(
    tables: list[Table], golden: dict[str, Any], amount: dict[str, Any], occurrence: int
) -> tuple[str, Decimal | None]:
    """('ok' | 'skip' | why it was not found, the amount read)."""
    title_page = _title_page(golden, amount["table"], amount["page"])
    if title_page is None:
        return "no golden table lists this page", None
    if _kinds().get(amount["table"]) in ("projects", "performance"):
        return "skip", None  # read as projects and targets (projects.csv), not as line items
    if amount["measure"] in PERCENTAGES:
        return "skip", None  # not an amount: reported as header.ratio_column, asserted below
    table = _table(tables, amount["table"], title_page)
    if table is None:
        return ("skip", None) if amount["table"].startswith("other:") else (f"no table titled p{title_page}", None)
    if not table.rows and table.status == "empty":
        return "ok", Decimal(0)
    row = _row(table, amount, occurrence)
    if row is None:
        return f"no such row in {table.table_id} p{table.page}", None
    measure = _measure(table, amount)
    if measure is None:
        return f"no column for it (read: {', '.join(c.measure for c in table.columns)})", None
    if measure not in row.amounts:
        return f"row {row.name!r} p{row.page} has no {measure}", None
    if row.page != amount["page"]:
        return f"row read on p{row.page}", row.amounts[measure]
    return "ok", row.amounts[measure]


def _key(name: str, amount: dict[str, Any]) -> tuple[str, int, str, str, str]:
    return (
        name,
        amount["page"],
        amount["table"],
        str(amount.get("code") or amount.get("row") or ""),
        amount["measure"],
    )


def _occurrences(amounts: list[dict[str, Any]]) -> list[int]:
    """For each amount, how many rows of the same page, table, side and code or label the golden
    file lists before its row (its amounts are listed one after the other; a column seen again
    starts the next row)."""
    out: list[int] = []
    seen: dict[tuple[Any, ...], int] = {}
    current: tuple[Any, ...] | None = None
    columns: set[tuple[str, str]] = set()
    for amount in amounts:
        column = (amount["measure"], str(amount.get("column") or ""))
        key = (amount["page"], amount["table"], amount.get("side"), str(amount.get("code") or ""), _label(amount))
        if key != current or column in columns:
            seen[key] = seen.get(key, -1) + 1
            current, columns = key, set()
        columns.add(column)
        out.append(seen[key])
    return out


def compare(name: str, golden: dict[str, Any], tables: list[Table]) -> Outcome:
    compared = equal = skipped = 0
    mismatches: list[str] = []
    known: list[str] = []
    amounts = golden.get("amounts") or []
    for amount, occurrence in zip(amounts, _occurrences(amounts), strict=True):
        status, read = _read(tables, golden, amount, occurrence)
        if status == "skip":
            skipped += 1
            continue
        compared += 1
        printed = Decimal(str(amount["amount"]))
        ok = status == "ok" and read == printed
        equal += ok
        reason = KNOWN.get(_key(name, amount))
        if ok and reason:
            mismatches.append(f"{_where(amount)}: listed in KNOWN ({reason}) but read right, {read}")
        elif not ok:
            line = f"{_where(amount)}: printed {printed}, read {read}" + ("" if status == "ok" else f" — {status}")
            (known if reason else mismatches).append(line)
    return Outcome(compared, equal, skipped, mismatches, known)


# ------------------------------------------------------------------------------ the package


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _published_sources() -> dict[str, str]:
    """sha256 → the file's path under source_docs/ (as the package writes it)."""
    return {_sha(p): p.relative_to(ROOT).as_posix() for p in sorted(SOURCES.rglob("*.pdf"))}


def _csv(name: str) -> list[dict[str, str]]:
    with (PACKAGE / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _side(measure: str) -> str:
    for side in ("expenditure_economic", "expenditure", "income"):
        if measure == side or measure.startswith(side + "_"):
            return side
    return ""


@cache
def package_tables(source: str) -> list[Table]:
    """The published tables of one source file, rebuilt as Tables from the package's CSVs (the
    amounts as printed, in the table's unit)."""
    documents = {d["doc_id"]: d for d in _csv("documents.csv")}

    def of_source(row: dict[str, str]) -> bool:
        return (row["source_file"] or documents[row["doc_id"]]["source_file"]) == source

    tables: dict[tuple[str, str], Table] = {}
    for t in _csv("tables.csv"):
        if of_source(t):
            tables[t["doc_id"], t["table_no"]] = Table(
                table_no=int(t["table_no"]), table_id=t["table"], title=t["title"], classification="",
                page=int(t["page"]), line=int(t["line"]), status=t["status"],
            )  # fmt: skip
    rows: dict[tuple[str, str, str], Row] = {}
    for item in _csv("line_items.csv"):
        table = tables.get((item["doc_id"], item["table_no"]))
        if table is None or not of_source(item):
            continue
        key = (item["doc_id"], item["table_no"], item["row_no"])
        if key not in rows:
            rows[key] = Row(int(item["row_no"]), item["code"], item["name"], {}, int(item["page"]), int(item["line"]))
            table.rows.append(rows[key])
        rows[key].amounts[item["measure"]] = Decimal(item["amount_printed"])
        rows[key].side = rows[key].side or _side(item["measure"])
    return list(tables.values())


@cache
def package_changes(source: str) -> list[StatedChange]:
    """The published changes on last year stated in one source file (stated_changes.csv)."""
    documents = {d["doc_id"]: d for d in _csv("documents.csv")}
    return [
        StatedChange(
            int(c["change_no"]), c["subject"], c["figure"], Decimal(c["amount"]), Decimal(c["change"]),
            Decimal(c["rate"]) if c["rate"] else None, Decimal(c["previous"]), int(c["page"]), int(c["line"]),
            c["sentence"],
        )
        for c in _csv("stated_changes.csv")
        if (c["source_file"] or documents[c["doc_id"]]["source_file"]) == source
    ]  # fmt: skip


def _published(name: str) -> str | None:
    sha = manifest()[name]["sha256"]
    return _published_sources().get(sha)


# ------------------------------------------------------------------------------ the scan's sentences

_CHANGE = re.compile(r"比.{0,24}?(增加|减少|增长|下降|持平|相同|一致)")


def compare_statements(stated: list[StatedChange], golden: dict[str, Any]) -> Outcome:
    """Each amount of a sentence stating a change on last year (比…增加/减少…) is one the parser
    read from it: this year's, the change, last year's or the rate."""
    compared = equal = 0
    mismatches: list[str] = []
    for statement in golden.get("statements") or []:
        sentence = _norm(statement["sentence"])
        if not _CHANGE.search(sentence):
            continue
        compared += 1
        printed = Decimal(str(statement["amount"]))
        changes = [
            c for c in stated
            if c.page == statement["page"] and (_norm(c.sentence) in sentence or sentence in _norm(c.sentence))
        ]  # fmt: skip
        values = {v for c in changes for v in (c.amount, abs(c.change), c.previous, abs(c.rate or Decimal(0)))}
        if printed in values:
            equal += 1
        else:
            mismatches.append(f"p{statement['page']} {statement['sentence']}: {printed} not read ({sorted(values)})")
    return Outcome(compared, equal, 0, mismatches, [])


# ------------------------------------------------------------------------------ the tests


def _names() -> list[str]:
    out = []
    for name in real_files():
        golden = _golden(name)
        if golden and (golden.get("amounts") or golden.get("statements")):
            out.append(name)
    return out


def _report(outcome: Outcome, what: str) -> str:
    lines = [f"{what}: {outcome.equal}/{outcome.compared} equal ({outcome.skipped} in tables not read)"]
    return "\n".join(lines + outcome.mismatches)


@pytest.mark.parametrize("name", _names())
def test_amounts_equal_document(name: str) -> None:
    golden = _golden(name)
    assert golden is not None
    document = document_of(name)
    outcome = compare(name, golden, document.tables)
    statements = compare_statements(document.stated_changes, golden)
    assert outcome.compared + statements.compared, "nothing compared"
    assert not outcome.mismatches and not statements.mismatches, (
        _report(outcome, "document") + "\n" + _report(statements, "statements")
    )


def _published_names() -> list[str]:
    return [name for name in _names() if _published(name)]


@pytest.mark.parametrize("name", _published_names())
def test_amounts_equal_package(name: str) -> None:
    golden = _golden(name)
    source = _published(name)
    assert golden is not None and source is not None
    outcome = compare(name, golden, package_tables(source))
    statements = compare_statements(package_changes(source), golden)
    assert outcome.compared + statements.compared, "nothing compared"
    assert not outcome.mismatches and not statements.mismatches, (
        _report(outcome, f"package ({source})") + "\n" + _report(statements, "statements")
    )


@pytest.mark.skipif(not (REAL / "038_guojia-xinfangju-2026-bumen-yusuan.pdf").is_file(), reason="not in the corpus")
def test_percentages_are_reported_not_published() -> None:
    """国家信访局 p10 prints 增减(%) beside 增减额 (-60.86% beside -20,442.30 for 201): the
    amount is published as a memo column, the percentage is reported, never read as an amount."""
    document = document_of("038_guojia-xinfangju-2026-bumen-yusuan.pdf")
    table = next(t for t in document.tables if t.table_id == "general_budget_expenditure" and t.page == 10)
    row = next(r for r in table.rows if r.code == "201")
    assert row.amounts["change"] == Decimal("-20442.30")
    assert row.amounts["previous_executed"] == Decimal("33586.67")
    assert not any("pct" in c.measure for c in table.columns)
    assert ("total", ["basic", "project"]) in table.identities  # the memo columns are in no sum
    ratios = [p.reason for p in document.problems if p.code == "header.ratio_column" and p.page == 10]
    assert len(ratios) == 2
    assert "2026年预算数比2025年执行数/增减(%)" in ratios[0] and "是百分比" in ratios[0]
