"""Classified tables (rows by 功能分类 / 经济分类 code, or by name): the lines of a recognised
table → rows of amounts in canonical columns, with their level (类 / 款 / 项) and parent.

The row layouts are read in `rows`, the amounts put into their columns in `placement`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from yibao.messages import say
from yibao.model import Column, Line, Problem, Row, Table
from yibao.normalise import cells
from yibao.normalise.codes import CodeGroup, code_groups, family_prefix, part_role
from yibao.normalise.header_tree import Leaf, cells_from_lines, column_paths, layout_from_leaves, leaves
from yibao.normalise.headers import Layout, layout_from_grid, layout_from_text, scan_words
from yibao.normalise.placement import KnownRows, Placement, agreeing_with, placements, resolve_placements
from yibao.normalise.rows import (
    RawRow,
    first_amount_cell,
    has_cells,
    is_noise,
    is_unit_table,
    page_furniture,
    rows_from_cells,
    rows_from_grid,
    rows_from_lines,
    rows_from_records,
    split_header,
    uses_sequence_numbers,
)
from yibao.recognise.titles import Segment
from yibao.reference import economic_codes, function_class_codes, vocabulary
from yibao.text import close_cjk_gaps, join_text, squeeze

# --------------------------------------------------------------------------- classified tables


def read_classified(
    segment: Segment, table_no: int, problems: list[Problem], known: KnownRows | None = None
) -> Table | None:
    """Read a table of classified rows; None when the title stands alone (a contents entry)."""
    kind = segment.kind
    table = Table(
        table_no=table_no,
        table_id=kind.table_id,
        title=segment.title,
        classification=kind.classification,
        page=segment.title_line.page,
        line=segment.title_line.number,
    )
    lines = [line for line in segment.lines if line.text.strip()]
    sequence = uses_sequence_numbers(lines)
    cell_layout = has_cells(lines)
    coded_guess = any(re.match(r"^\d{3}", line.text) for line in lines) or sequence
    header, data = split_header(lines, coded_guess, sequence)
    header_text = " ".join(line.text for line in header if not is_noise(line.text))
    if is_unit_table(header_text):
        table.classification = ""
    unknown: list[Leaf] = []
    if cell_layout:
        header, data = side_by_side(header, data)
        start = first_amount_cell([line for line in header if "\t" in line.text])
        grid = [[c.strip() for c in line.text.split("\t")] for line in header if "\t" in line.text]
        numbered = any(row and squeeze(row[0]) == vocabulary("cells").word("sequence_number") for row in grid)
        tree = tree_layout(header, start)
        if tree is not None:
            layout, unknown, groups = tree
            prefix = family_prefix(kind.classification, kind.table_id)
            words = frozenset(squeeze(c) for row in grid for c in row if c)
            raw = rows_from_grid(data, start, groups, prefix, numbered, words, len(layout.columns))
        else:
            layout = layout_from_grid(grid, start)
            raw = rows_from_cells(data, start, coded_guess, numbered)
    else:
        layout = layout_from_text([line.text for line in header if not is_noise(line.text)])
        if sequence:
            furniture = page_furniture(header)
            raw = rows_from_records(data, furniture)
        else:
            raw = rows_from_lines(data, coded_guess)
    if not layout.columns:
        layout = Layout(
            columns=[Column(measure="total", label=vocabulary("cells").word("budget_amount"))], identities=[]
        )
    table.columns = layout.columns
    table.identities = layout.identities
    if not header and not raw:
        return None
    table.rows = build_rows(raw, layout, table, problems, known or {})
    if unknown:
        _drop_unknown(table, unknown, problems)
    if not table.rows:
        table.status = "empty"
    return table


def panel_width(header: list[Line]) -> int:
    """The width of one panel where the header prints the same cells again beside themselves
    (经济分类科目编码 | 科目名称 | 决算数 | 经济分类科目编码 | 科目名称 | 决算数): 0 for one panel."""
    for line in header:
        parts = [squeeze(c) for c in line.text.split("\t")]
        for width in range(2, len(parts) // 2 + 1):
            panel = parts[:width]
            repeated = len(parts) % width == 0 and parts == panel * (len(parts) // width)
            # a panel opens with its label column and names an amount column; a blank is the rest
            # of a merged cell (经济分类科目编码 over 类 | 款)
            opens = bool(panel[0]) and not scan_words(panel[0])
            if repeated and opens and sum(map(bool, panel)) >= 2 and any(scan_words(c) for c in panel):
                return width
    return 0


def _panel_line(line: Line, first: int, width: int) -> Line:
    parts = line.text.split("\t")[first : first + width]
    inside = tuple(replace(c, column=c.column - first) for c in line.cells if first <= c.column < first + width)
    return replace(line, text="\t".join(parts), cells=inside)


def side_by_side(header: list[Line], data: list[Line]) -> tuple[list[Line], list[Line]]:
    """A table printed in panels side by side (人员经费 classes left, 公用经费 right) as one panel
    after the other, page by page: the header of the first panel, the rows of each in turn."""
    width = panel_width([line for line in header if "\t" in line.text])
    if not width:
        return header, data
    out: list[Line] = []
    for page in dict.fromkeys(line.page for line in data):
        lines = [line for line in data if line.page == page]
        count = max(len(line.text.split("\t")) for line in lines) // width
        for panel in range(max(count, 1)):
            for line in lines:
                if "\t" not in line.text:
                    out.extend([line] if panel == 0 else [])
                    continue
                cut = _panel_line(line, panel * width, width)
                if cut.text.strip("\t ").strip():
                    out.append(cut)
    return [_panel_line(line, 0, width) if "\t" in line.text else line for line in header], out


def tree_layout(header: list[Line], start: int) -> tuple[Layout, list[Leaf], list[CodeGroup]] | None:
    """The layout from the header tree, with the label columns' code groups; None when the
    tree names no column (the reading-order layout is tried then)."""
    rows = [line for line in header if "\t" in line.text or line.cells]
    if not rows:
        return None
    cells = cells_from_lines(rows)
    width = max([len(line.text.split("\t")) for line in rows] + [c.last + 1 for c in cells])
    found = leaves(cells, start, width)
    if not any(leaf.measure for leaf in found):
        return None
    layout, unknown = layout_from_leaves(found)
    paths = column_paths(cells, 0, start)
    roles = [part_role(path[-1].text) if path else "" for path in paths]
    return layout, unknown, code_groups(roles)


def _drop_unknown(table: Table, unknown: list[Leaf], problems: list[Problem]) -> None:
    """Columns the header names no measure for: reported with their page, never published."""
    dropped = {c.measure for c in table.columns if c.measure.startswith("unknown_")}
    for leaf in unknown:
        if leaf.kind == "repeat":
            continue  # the second grid column under a merged header cell: no column of its own
        label = "/".join(leaf.path) or vocabulary("cells").word("empty_header")
        code = "header.ratio_column" if leaf.kind == "ratio" else "header.unknown_column"
        problems.append(
            Problem(
                "warning",
                say(code, page=table.page, column=label, number=leaf.column + 1),
                table.table_id,
                table.page,
                table.line,
            )
        )
    table.columns = [c for c in table.columns if c.measure not in dropped]
    table.identities = [(t, p) for t, p in table.identities if t not in dropped and not dropped & set(p)]
    for row in table.rows:
        for measure in dropped:
            row.amounts.pop(measure, None)


def build_rows(raw: list[RawRow], layout: Layout, table: Table, problems: list[Problem], known: KnownRows) -> list[Row]:
    coded = any(r.code for r in raw) and table.classification != ""
    rows: list[Row] = []
    candidates: list[list[Placement]] = []
    class_name = ""
    class_code = ""  # standard code of the 类 printed by name
    family = "government_economic" if "government_economic" in table.table_id else "economic"
    for number, raw_row in enumerate(raw, start=1):
        line = raw_row.line
        assert line is not None
        if raw_row.code_note:
            problems.append(Problem("warning", raw_row.code_note, table.table_id, line.page, line.number))
        labels = [label for label in raw_row.labels if label]
        name = close_cjk_gaps(join_text(labels))
        row = Row(row_no=number, code=raw_row.code, name=name, amounts={}, page=line.page, line=line.number)
        if cells.is_total_label(name) and not raw_row.code:
            row.name = squeeze(name)
            row.level = "total"
        elif coded and cells.is_code(raw_row.code):
            row.level = cells.code_level(raw_row.code)
            row.parent_code = cells.parent_of(raw_row.code)
        elif not raw_row.code and table.classification == "economic" and not coded:
            # economic rows printed by name: 类级科目 and 款级科目 side by side; the standard code
            # of a name is kept apart from the (empty) printed code
            if len(labels) >= 2 or (len(labels) == 1 and raw_row.labels and raw_row.labels[-1] == ""):
                class_name = labels[0]
                class_code = _standard_code(class_name, "", family)
                if len(labels) >= 2:
                    row.name = join_text(labels[1:])
                    row.level = "segment"
                    row.standard_code = _standard_code(row.name, class_code, family) if class_code else ""
                else:
                    row.level = "class"
                    row.standard_code = class_code
            elif len(labels) == 1:
                row.level = "segment"
                row.standard_code = _standard_code(name, class_code, family) if class_code else ""
            row.parent_name = class_name if row.level == "segment" else ""
        options = placements(raw_row, layout, table, problems)
        candidates.append(agreeing_with(known.get(row.code, []), options) if row.code else options)
        rows.append(row)
    resolve_placements(rows, candidates, layout)
    indented = not any(r.code for r in raw) and levels_by_indent(rows, [r.indent for r in raw], table.classification)
    if indented and table.classification == "economic":
        codes: dict[str, str] = {}
        for row in rows:
            parent_code = codes.get(row.parent_name, "") if row.level == "segment" else ""
            if row.level == "class" or parent_code:
                row.standard_code = _standard_code(row.name, parent_code, family)
                codes.setdefault(row.name, row.standard_code)
    _mark_leaves(rows)
    return rows


INDENT_LEVELS = ("class", "segment", "item")
INDENT_STEP = 3.0  # pt: indents closer than this are one level (a full-width space is ~9 pt)


def levels_by_indent(rows: list[Row], indents: list[float | None], classification: str) -> bool:
    """Rows printed by name only, their level shown by indenting the name (功能分类科目名称 without
    codes; units under their department): the outermost indent is the 类, the next the 款, the
    next the 项, and each row's parent the nearest row above it one level out. Nothing changes
    unless every row has a known indent, there are two or three indents, and none is skipped
    (True when the levels were set)."""
    body = [(row, indent) for row, indent in zip(rows, indents, strict=True) if row.level != "total"]
    # rows still unplaced: lines, or economic names read one to a row (no 类 column beside them)
    unplaced = all(r.level == "line" or (r.level == "segment" and not r.parent_name) for r, _ in body)
    if not body or not unplaced or any(indent is None for _, indent in body):
        return False
    steps: list[float] = []
    for indent in sorted(i for _, i in body if i is not None):
        if not steps or indent - steps[-1] >= INDENT_STEP:
            steps.append(indent)
    if not 2 <= len(steps) <= len(INDENT_LEVELS):
        return False
    ranks = [max(k for k, step in enumerate(steps) if indent is not None and indent >= step) for _, indent in body]
    parents: list[Row | None] = []
    open_rows: list[Row] = []
    for (row, _), rank in zip(body, ranks, strict=True):
        if rank > len(open_rows):
            return False  # a level skipped: not an outline
        del open_rows[rank:]
        parents.append(open_rows[-1] if open_rows else None)
        open_rows.append(row)
    class_codes = function_class_codes() if classification == "function" else {}
    for (row, _), rank, parent in zip(body, ranks, parents, strict=True):
        row.level = INDENT_LEVELS[rank]
        row.parent_name = parent.name if parent is not None else ""
        row.standard_code = class_codes.get(squeeze(row.name), "") if rank == 0 else ""
    return True


def _standard_code(name: str, parent_code: str, family: str) -> str:
    """The standard code of a name printed without one, only where exactly one code has it
    (and, for a 款, only under its own 类)."""
    matches = [
        code
        for code, standard in economic_codes(family).items()
        if squeeze(standard) == squeeze(name) and (not parent_code or cells.parent_of(code) == parent_code)
    ]
    if parent_code == "" and matches:
        matches = [c for c in matches if len(c) == 3]
    return matches[0] if len(matches) == 1 else ""


def _mark_leaves(rows: list[Row]) -> None:
    parents = {row.parent_code for row in rows if row.parent_code}
    for row in rows:
        if row.level == "total":
            row.is_leaf = False
        elif row.level == "class" and row.code:
            row.is_leaf = row.code not in parents
        elif row.level == "class":
            row.is_leaf = not any(r.parent_name == row.name and r.level == "segment" for r in rows)
        elif row.code:
            row.is_leaf = row.code not in parents
        else:
            row.is_leaf = not (
                row.level == "segment" and any(r.parent_name == row.name and r.level == "item" for r in rows)
            )
