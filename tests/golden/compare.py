"""Compare a data package with the values read by hand from the real PDFs (tests/golden/real).

The golden files name each amount by table, page, side (summary tables), code, row label and
column as printed, with a canonical measure id chosen by the person who read it; this module
maps that onto the package's `line_items` (table, code, name, measure, amount in 万元) and says,
per amount, whether the package holds it: `match`, `wrong` (a row and column were found, with
another amount) or `missing`.

    .venv/bin/python -m tests.golden.compare PACKAGE_DIR      # report per document
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

GOLDEN = Path(__file__).parent / "real"
UNIT_FACTOR = {"元": Decimal(10000), "万元": Decimal(1), "千元": Decimal(10), None: Decimal(1), "": Decimal(1)}
SUMMARY_TABLES = {"summary", "appropriation_summary"}
ORDINAL = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
# A summary table printing its expenditure twice, side by side — by 功能分类 and by 支出用途 (or
# 经济分类) — publishes the second panel as `expenditure_economic` (yibao/data/measures.yml): each
# panel adds up to the same 当年支出小计. The golden files name the panel in the column.
FUNCTION_PANEL = "功能分类"
SECOND_PANEL = re.compile(r"支出用途|经济分类")
# measure ids the readers of the golden files chose, where the package has another name
MEASURE_ALIASES = {
    "superior_subsidy": "superior_subsidy",
    "higher_level_subsidy_income": "superior_subsidy",
    "subordinate_remittance": "affiliated_income",
    "subordinate_unit_remittance_income": "affiliated_income",
    "operating_expenditure": "business",
    "remittance_to_superior": "upper",
    "remittance_to_higher_level": "upper",
    "subsidy_to_subordinate": "subsidiary",
    "subsidy_to_subordinate_units": "subsidiary",
    "other_funds": "other_own_funds",
}


@dataclass(frozen=True)
class Expected:
    file: str
    table: str
    page: int
    side: str
    code: str
    row: str
    column: str
    measure: str
    amount: str  # as printed, in `unit`
    unit: str | None

    @property
    def in_wan(self) -> Decimal:
        return Decimal(self.amount) / UNIT_FACTOR[self.unit]


@dataclass
class Outcome:
    expected: Expected
    status: str  # match | wrong | missing
    found: list[str]


def bare(name: str) -> str:
    squeezed = re.sub(r"\s+", "", name)
    return ORDINAL.sub("", squeezed).replace("(", "（").replace(")", "）")


def golden(file: str) -> dict[str, Any]:
    with open(GOLDEN / (Path(file).stem + ".yml"), encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def golden_files() -> list[str]:
    return sorted(p.stem + ".pdf" for p in GOLDEN.glob("*.yml"))


def expected_amounts(file: str) -> list[Expected]:
    data = golden(file)
    units = {(t["id"], page): t.get("unit") for t in data.get("tables", []) for page in t.get("pages", [])}
    default_unit = {t["id"]: t.get("unit") for t in data.get("tables", [])}
    two_panels = {
        (a["table"], a["page"])
        for a in data.get("amounts") or []
        if a["table"] in SUMMARY_TABLES and FUNCTION_PANEL in a.get("column", "")
    }
    found = []
    for a in data.get("amounts") or []:
        measure = package_measure(a, data.get("kind", ""))
        if (a["table"], a["page"]) in two_panels and measure == "expenditure" and SECOND_PANEL.search(a["column"]):
            measure = "expenditure_economic"
        found.append(
            Expected(
                file=file,
                table=a["table"],
                page=int(a["page"]),
                side=a.get("side", ""),
                code=str(a.get("code") or ""),
                row=a.get("row") or "",
                column=a.get("column", ""),
                measure=measure,
                amount=str(a["amount"]),
                unit=units.get((a["table"], a["page"]), default_unit.get(a["table"])),
            )
        )
    return found


def package_measure(amount: dict[str, Any], kind: str) -> str:
    """The package's measure id for a golden amount (see tests/golden/real/README.md)."""
    measure = MEASURE_ALIASES.get(amount["measure"], amount["measure"])
    category = amount.get("category")
    if amount["table"] == "three_public" and category:
        # a 决算 三公 table prints each category's 预算数 and 决算数: the 决算数 is the category
        if measure in ("final", "total") or measure == category:
            return str(category)
        return f"{category}_{measure}"
    if kind == "决算" and measure == "final":
        return "total"
    side = amount.get("side")
    if amount["table"] in SUMMARY_TABLES and side:
        return side if measure == "total" else f"{side}_{measure}"
    return measure


def package_items(package: Path) -> dict[str, list[dict[str, str]]]:
    """source file name → its line items (each with the source file's tables' pages)."""
    with open(package / "documents.csv", encoding="utf-8-sig", newline="") as handle:
        documents = list(csv.DictReader(handle))
    files_of: dict[str, list[str]] = {}
    for document in documents:
        files_of[document["doc_id"]] = [Path(f).name for f in document["source_file"].split(";")]
    items: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(package / "line_items.csv", encoding="utf-8-sig", newline="") as handle:
        for item in csv.DictReader(handle):
            for file in files_of.get(item["doc_id"], []):
                items[file].append(item)
    return items


def candidates(expected: Expected, items: list[dict[str, str]]) -> list[dict[str, str]]:
    table = expected.table.removeprefix("other:")
    same = [i for i in items if i["table"] == table and i["measure"] == expected.measure]
    if expected.code:
        by_code = [i for i in same if expected.code in (i["code"], i.get("standard_code", ""))]
    else:
        by_code = []
    if by_code:
        chosen = by_code
    else:
        wanted = bare(expected.row)
        chosen = [i for i in same if bare(i["name"]) == wanted and not (expected.code and i["code"])]
    on_page = [i for i in chosen if i.get("page") == str(expected.page)]
    return on_page or chosen


def compare(expected: Expected, items: list[dict[str, str]]) -> Outcome:
    found = candidates(expected, items)
    amounts = [Decimal(i["amount"]) for i in found]
    if not found:
        return Outcome(expected, "missing", [])
    status = "match" if expected.in_wan in amounts else "wrong"
    return Outcome(expected, status, [format(a, "f") for a in amounts])


def outcomes(package: Path) -> dict[str, list[Outcome]]:
    items = package_items(package)
    return {file: [compare(e, items.get(file, [])) for e in expected_amounts(file)] for file in golden_files()}


def main(argv: list[str]) -> int:
    results = outcomes(Path(argv[0]))
    total = matched = 0
    for file, found in results.items():
        if not found:
            continue
        counts = {s: sum(o.status == s for o in found) for s in ("match", "wrong", "missing")}
        total += len(found)
        matched += counts["match"]
        print(f"{file:48} {counts['match']:4}/{len(found):4}  wrong {counts['wrong']:3}  missing {counts['missing']:3}")
        if "-v" in argv:
            for o in found:
                if o.status != "match":
                    e = o.expected
                    print(
                        f"   {o.status:7} p{e.page} {e.table} {e.side} {e.code} {e.row} [{e.measure}] {e.amount} {e.unit} → {o.found[:3]}"
                    )
    print(f"total {matched}/{total} = {100 * matched / max(1, total):.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
