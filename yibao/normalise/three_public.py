"""“三公” tables (因公出国（境）费, 公务用车购置及运行费, 公务接待费): printed with the categories as
columns (one row per unit, read as a classified table) or one category per row."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from yibao.messages import say
from yibao.model import Column, Line, Problem, Row, Table
from yibao.normalise import cells
from yibao.normalise.cells import is_amount, parse_amount, tokens_of
from yibao.normalise.classified import read_classified, tree_layout
from yibao.normalise.headers import layout_from_grid, layout_from_text
from yibao.normalise.rows import (
    first_amount_cell,
    has_cells,
    is_header_line,
    is_noise,
    split_header,
    uses_sequence_numbers,
)
from yibao.normalise.summary import new_table, unspace
from yibao.recognise.titles import Segment
from yibao.reference import load_data, measures, vocabulary
from yibao.text import squeeze


def three_public_measure(label: str) -> str:
    of_which, of_which_half_width = vocabulary("cells").words("of_which")
    name = squeeze(label).removeprefix(of_which).removeprefix(of_which_half_width)
    for rule in measures()["three_public_rows"]:
        if re.search(rule["pattern"], name):
            return str(rule["measure"])
    return ""


@cache
def identities() -> tuple[tuple[str, tuple[str, ...]], ...]:
    entries = load_data("measures.yml")["three_public_identities"]
    return tuple((str(e["total"]), tuple(str(p) for p in e["parts"])) for e in entries)


def expanded(parts: tuple[str, ...], figures: dict[str, Decimal]) -> tuple[str, ...] | None:
    """`parts` with a part that is not printed replaced by its own parts where those are
    (公务用车购置费 + 运行费 where no subtotal is printed); None if a part cannot be found."""
    found: list[str] = []
    for part in parts:
        if part in figures:
            found.append(part)
            continue
        inner = next((p for whole, p in identities() if whole == part), None)
        replaced = expanded(inner, figures) if inner else None
        if replaced is None:
            return None
        found.extend(replaced)
    return tuple(found)


PREVIOUS = "previous_"  # last year's figures printed beside this year's (header_tree)


def category_identities(table: Table) -> list[tuple[str, list[str]]]:
    """The identities of a table with the categories as columns: its header's, with those of the
    categories as the domain has them (总计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费,
    公务用车 = 购置 + 运行), for this year's figures and for last year's printed beside them, where
    the header names fewer parts (its cells merged or missing); a category not printed is no part.
    Where the header names more (合计 over “三公”, 会议费 and 培训费), the header's identity stays."""
    present = [c.measure for c in table.columns]
    found: list[tuple[str, list[str]]] = []
    for prefix in ("", PREVIOUS):
        figures = {
            m.removeprefix(prefix): Decimal(0)
            for m in present
            if m.startswith(prefix) and (prefix or not m.startswith(PREVIOUS))
        }
        for whole, parts in identities():
            inner = expanded(parts, figures)
            if whole in figures and inner is not None and whole not in inner:
                found.append((prefix + whole, [prefix + part for part in inner]))
    printed = dict(table.identities)
    # the header's own where it names parts beyond the categories (合计 = “三公” + 会议费 + 培训费)
    kept = [(w, p) for w, p in found if w not in printed or set(printed[w]) <= set(p)]
    wholes = {whole for whole, _ in kept}
    return kept + [(whole, parts) for whole, parts in table.identities if whole not in wholes]


@cache
def _year_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    spec = load_data("columns.yml")["year_rows"]
    return re.compile(str(spec["year"])), re.compile(str(spec["change"]))


def merge_year_rows(table: Table, problems: list[Problem]) -> None:
    """One row a year (年度: 2025年 | 2026年 | 增减变化金额) → one row: this year's amounts as
    printed, the earlier year's as `previous_<measure>` beside them (never as this year's). The
    change row is derived (this year's less last year's): checked, then left out. Rows of other
    kinds, or a table printing one year, are left as they are."""
    year_of, change_of = _year_patterns()
    years: dict[int, Row] = {}
    changes: list[Row] = []
    for row in table.rows:
        name = squeeze(row.name)
        found = year_of.match(name)
        if found:
            years[int(found.group(1))] = row
        elif change_of.match(name):
            changes.append(row)
        else:
            return  # a row of another kind: not a table of years
    if len(years) != 2 or len(changes) > 1:
        return
    last, this = (years[y] for y in sorted(years))
    for change in changes:
        for measure, printed in change.amounts.items():
            computed = this.amounts.get(measure, Decimal(0)) - last.amounts.get(measure, Decimal(0))
            if printed != computed:
                problems.append(
                    Problem(
                        "warning",
                        say(
                            "table.year_change_differs",
                            label=change.name,
                            measure=measure,
                            printed=printed,
                            computed=computed,
                        ),
                        table.table_id,
                        change.page,
                        change.line,
                    )
                )
    merged = dict(this.amounts)
    merged.update({PREVIOUS + measure: amount for measure, amount in last.amounts.items()})
    this.amounts = merged
    this.row_no = 1
    table.rows = [this]
    bare = list(table.columns)
    table.columns = bare + [
        Column(measure=PREVIOUS + c.measure, label=f"{last.name}/{c.label}")
        for c in bare
        if not c.measure.startswith(PREVIOUS) and c.measure in last.amounts
    ]


def read_three_public(segment: Segment, table_no: int, problems: list[Problem]) -> Table | None:
    lines = [line for line in segment.lines if line.text.strip()]
    header, data = split_header(lines, coded=False, sequence=uses_sequence_numbers(lines))
    header_text = [line.text for line in header if not is_noise(line.text)]
    if has_cells(lines):
        grid = [[c.strip() for c in line.text.split("\t")] for line in header if "\t" in line.text]
        layout = layout_from_grid(grid, first_amount_cell([h for h in header if "\t" in h.text]) if grid else 0)
    else:
        layout = layout_from_text(header_text)
    categories = {"overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"}
    measures_ = set(layout.measures)
    if has_cells(lines) and grid:
        tree = tree_layout(header, first_amount_cell([h for h in header if "\t" in h.text]))
        if tree is not None:
            # categories as columns, with funds or phases under them, or last year's beside
            bare = {c.measure.removeprefix("previous_") for c in tree[0].columns}
            measures_ |= {c for c in categories for m in bare if m == c or m.startswith(c + "_")}
    if categories & measures_ or (has_cells(lines) and len(measures_ - {"total"}) >= 2):
        # categories as columns; or categories as rows under fund columns (合计 | 一般公共预算 | …),
        # each row keeping every column
        table = read_classified(segment, table_no, problems)
        if table is not None:
            table.identities = category_identities(table)

            merge_year_rows(table, problems)
        return table
    return _read_three_public_by_rows(segment, table_no, data, problems, bool(header))


def _read_three_public_by_rows(
    segment: Segment, table_no: int, data: list[Line], problems: list[Problem], has_header: bool
) -> Table | None:
    """One category per row: `因公出国（境）经费 6.00`, a blank amount cell is 0."""
    table = new_table(segment, table_no, "")
    rows: list[Row] = []
    for line in data:
        text = unspace(line.text)
        if is_noise(text):
            continue
        tokens = tokens_of(text.replace("\t", " "))
        labels = [t for t in tokens if not is_amount(t)]
        amounts = [parse_amount(t) for t in tokens if is_amount(t)]
        label = "".join(labels)
        measure = "total" if cells.is_total_label(label) else three_public_measure(label)
        if not measure and is_header_line(text):
            continue
        if not measure:
            problems.append(
                Problem(
                    "warning",
                    say("three_public.unknown_row", label=label),
                    table.table_id,
                    line.page,
                    line.number,
                )
            )
            continue
        rows.append(
            Row(
                row_no=len(rows) + 1,
                code="",
                name=label,
                amounts={measure: amounts[0] if amounts else Decimal(0)},
                page=line.page,
                line=line.number,
            )
        )
    if not rows and not has_header:
        return None
    order = ["total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
    present = {m for r in rows for m in r.amounts}
    names = {m: str(measures()["measures"][m]["zh"]) for m in order}
    table.columns = [Column(m, names[m]) for m in order if m in present]
    table.rows = rows
    table.status = "ok" if rows else "empty"
    return table
