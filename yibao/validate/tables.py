"""Rules on one classified table: parent = sum of children, and each row's own identities."""

from __future__ import annotations

from collections.abc import Iterable

from yibao.model import Check, Row, Table
from yibao.model.enums import Level
from yibao.reference import vocabulary
from yibao.validate.base import ZERO, Rule, register, total
from yibao.validate.summary import SUMMARY_TABLES
from yibao.validate.three_public import THREE_PUBLIC, one_per_row

CODED_LEVELS = (Level.CLASS, Level.SEGMENT, Level.ITEM)
OUTER: dict[str, str] = {Level.SEGMENT: Level.CLASS, Level.ITEM: Level.SEGMENT}  # the level a row's parent is at


class ClassifiedRule(Rule):
    """A rule run on each table of classified rows: every table but the summary tables (their own
    rules, `summary.py`) and a “三公” table printed one category per row (`three_public.py`); a
    “三公” table with the categories as columns is read as classified rows, and checked as such."""

    def applies_to(self, table: Table) -> bool:
        if not (table.rows and table.columns) or table.table_id in SUMMARY_TABLES:
            return False
        return not (table.table_id == THREE_PUBLIC and one_per_row(table))


def children_by_parent(table: Table) -> dict[int, list[Row]]:
    """Row index of each printed parent → its printed children. The 合计 row is the parent of
    every row whose own parent is not printed in the table (类 rows, or 款 printed by name)."""
    index_by_code = {row.code: i for i, row in enumerate(table.rows) if row.code and row.level in CODED_LEVELS}
    total_index = next((i for i, r in enumerate(table.rows) if r.level == Level.TOTAL), None)
    children: dict[int, list[Row]] = {}
    # a code printed more than once (rows grouped by a second classification: 301 under 501 and
    # again under 505): a row's parent is the nearest one printed above it
    above: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        if row.level == Level.TOTAL:
            continue
        parent = above.get(row.parent_code, index_by_code.get(row.parent_code)) if row.parent_code else None
        if row.code and row.level in CODED_LEVELS:
            above[row.code] = index
        if parent is None and not row.code and row.parent_name and row.level in OUTER:
            parent = _named_parent(table.rows, index, row)
        if parent is None:
            if total_index is None or (row.level == Level.LINE and len(row.code) > 3):
                continue  # unit rows such as 303001 belong under 303, not under 合计
            parent = total_index
        children.setdefault(parent, []).append(row)
    return children


def _named_parent(rows: list[Row], index: int, row: Row) -> int | None:
    """A row printed by name only: its parent is the nearest row above it, one level out, with
    the parent's name (so a unit named like its department finds the department)."""
    for k in range(index - 1, -1, -1):
        if rows[k].level == OUTER[row.level] and rows[k].name == row.parent_name and not rows[k].code:
            return k
    return None


@register
class ParentEqualsChildren(ClassifiedRule):
    """Each printed parent against the sum of its printed children, column by column; the 合计
    row's check is `total_equals_rows`."""

    code = "parent_equals_children"
    also_emits = ("total_equals_rows",)

    def check_table(self, table: Table) -> Iterable[Check]:
        measures = [c.measure for c in table.columns]
        for parent_index, kids in sorted(children_by_parent(table).items()):
            parent = table.rows[parent_index]
            is_total = parent.level == Level.TOTAL
            label = vocabulary("validate").word("total") if is_total else f"{parent.code} {parent.name}"
            for measure in measures:
                yield self.compare(
                    table.table_id,
                    parent.amounts.get(measure, ZERO),
                    total(kids, measure),
                    len(kids),
                    table.table_id,
                    parent.code,
                    measure,
                    rule="total_equals_rows" if is_total else "",
                    params={"label": label, "count": len(kids)},
                )


@register
class RowEqualsParts(ClassifiedRule):
    """合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费 …: the identities the header's shape
    implies (Table.identities), in every row."""

    code = "row_equals_parts"

    def check_table(self, table: Table) -> Iterable[Check]:
        measures = [c.measure for c in table.columns]
        for row in table.rows:
            for whole, parts in table.identities:
                if whole not in measures or any(p not in measures for p in parts):
                    continue
                yield self.compare(
                    table.table_id,
                    row.amounts.get(whole, ZERO),
                    sum((row.amounts.get(p, ZERO) for p in parts), ZERO),
                    len(parts),
                    table.table_id,
                    row.code,
                    whole,
                    check_id=f"{table.table_id}.row_{whole}_equals_parts",
                    params={"label": row.code or row.name, "total": whole, "parts": " + ".join(parts)},
                )
