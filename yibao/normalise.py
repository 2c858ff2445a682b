"""Stage 3 — normalise: the lines of a recognised table → rows of amounts in canonical columns.

Three layouts reach this stage:
- *cells*: tab-separated rows (Markdown exports, PDF tables): every amount keeps its column;
- *lines*: one row per line, space separated, blank cells dropped (`208 社会保障和就业支出 115.81 115.81`);
- *records*: rows numbered by 序号 whose cells wrap over many lines (`2` / `2080` / `5` / `行政` / …).
Each is turned into `RawRow`s (label cells + amounts), then amounts are placed into columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import cells
from .cells import is_amount, is_blank_marker, parse_amount, tokens_of
from .headers import Layout, layout_from_grid, layout_from_text, scan_words
from .model import Column, Line, Problem, Row, Table
from .placement import Placement, choose_children, row_candidates
from .recognise import Segment
from .reference import compiled, economic_codes, measures, squeeze

GENERIC_HEADER_WORDS = (
    "科目编码", "科目名称", "类级科目", "款级科目", "功能科目", "经济科目", "功能分类科目",
    "经济分类科目", "项目", "序号", "收入", "支出", "栏次", "编码", "名称", "科目", "资金性质",
    "单位代码", "单位名称", "部门", "单位",
)  # fmt: skip


@dataclass
class RawRow:
    """A row as printed: label cells and amounts (positioned when the layout kept positions)."""

    code: str
    labels: list[str]
    amounts: list[Decimal] = field(default_factory=list)
    positioned: dict[int, Decimal] | None = None  # amount-column index → amount
    line: Line | None = None
    code_note: str = ""


def is_noise(text: str) -> bool:
    squeezed = squeeze(text)
    return not squeezed or any(p.search(squeezed) for p in compiled("noise"))


def is_header_line(text: str) -> bool:
    """A line made only of header words (a header repeated after a page break)."""
    if any(is_amount(t) for t in tokens_of(text)):
        return False
    squeezed = squeeze(text).replace("(", "（").replace(")", "）")
    rest = squeezed
    for word, _role in scan_words(text):
        rest = rest.replace(word, "")
    for word in list(measures()["ignore"]) + list(GENERIC_HEADER_WORDS):
        rest = rest.replace(squeeze(word).replace("(", "（").replace(")", "）"), "")
    rest = re.sub(r"[\d\s*·]", "", rest)
    removed_a_word = len(rest) < len(re.sub(r"[\d\s*·]", "", squeezed))
    return removed_a_word and len(rest) <= 1


# --------------------------------------------------------------------------- layouts


def page_furniture(header: list[Line]) -> set[str]:
    """The lines printed above a table's column headers (bureau, year, unit). A page that
    repeats one of them starts the repeated header of a table continued from the last page."""
    furniture: set[str] = set()
    for line in header:
        squeezed = squeeze(line.text)
        if squeezed.startswith(("序号", "项目", "科目")) or is_header_line(line.text):
            break
        furniture.add(squeezed)
    return furniture


def has_cells(lines: list[Line]) -> bool:
    return sum(1 for line in lines if "\t" in line.text) >= 2


def uses_sequence_numbers(lines: list[Line]) -> bool:
    """Rows numbered 1, 2, 3 … in a 序号 column: the header prints 序号, or the first row after
    the 栏次 line (column numbers) starts with 1."""
    if any(squeeze(line.text).startswith("序号") for line in lines):
        return True
    after_column_numbers = False
    for line in lines:
        squeezed = squeeze(line.text)
        if squeezed.startswith("栏次"):
            after_column_numbers = True
        elif after_column_numbers and squeezed and not is_noise(line.text):
            return tokens_of(line.text.replace("\t", " "))[0] == "1"
    return False


def is_unit_table(header_text: str) -> bool:
    """Rows by 部门(单位)代码 rather than by classification code."""
    return bool(re.search(r"(部门|单位)[（(]?(单位)?[)）]?(代码|名称)", squeeze(header_text)))


def _label_and_amounts(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split tokens into the label part and the trailing run of amounts (dashes count as blanks)."""
    end = len(tokens)
    while end > 0 and (is_amount(tokens[end - 1]) or is_blank_marker(tokens[end - 1])):
        end -= 1
    amounts = [t for t in tokens[end:] if is_amount(t)]
    # a dash in a label cell is an empty cell ("项目支出 -- 348.45": a 类 with no 款)
    labels = ["" if is_blank_marker(t) else t for t in tokens[:end]]
    if (end < len(tokens) and is_blank_marker(tokens[end]) and not amounts) or (
        any(is_blank_marker(t) for t in tokens[end:]) and len(labels) == 1
    ):
        labels.append("")
    return labels, amounts


def _starts_row(tokens: list[str], coded: bool) -> bool:
    if not tokens:
        return False
    if cells.is_total_label(tokens[0]) or (len(tokens) > 1 and cells.is_total_label("".join(tokens[:2]))):
        return True
    if coded:
        return tokens[0].isdigit() and len(tokens) > 1
    return True


def split_line_row(text: str, line: Line, coded: bool) -> RawRow:
    tokens = tokens_of(text)
    labels, amounts = _label_and_amounts(tokens)
    code = ""
    if coded and labels and labels[0].isdigit():
        code = labels.pop(0)
    return RawRow(code=code, labels=labels, amounts=[parse_amount(a) for a in amounts], line=line)


def rows_from_lines(data: list[Line], coded: bool) -> list[RawRow]:
    """One row per line. A coded table's line with neither code nor amounts continues the name
    of the row above (names wrapped in their cell)."""
    rows: list[RawRow] = []
    skipping_header = False
    previous_page = data[0].page if data else 0
    for line in data:
        if line.page != previous_page:
            skipping_header = True
            previous_page = line.page
        if is_noise(line.text):
            skipping_header = True
            continue
        tokens = tokens_of(line.text)
        if skipping_header and is_header_line(line.text):
            continue
        skipping_header = False
        labels, amounts = _label_and_amounts(tokens)
        starts = _starts_row(tokens, coded)
        if coded and rows and not amounts and not (tokens and tokens[0].isdigit()):
            rows[-1].labels.append(cells.join_text(labels))
            continue
        if not starts:
            continue
        rows.append(split_line_row(line.text, line, coded))
    return rows


def rows_from_records(data: list[Line], furniture: set[str] | None = None) -> list[RawRow]:
    """Rows numbered by 序号 whose cells wrap over several lines: gather the tokens of each
    record (from one 序号 to the next), re-join wrapped amounts and codes, then read it.

    `furniture` holds the lines printed above the header (bureau, year, unit): when a page
    repeats them, they are skipped, as is everything up to the repeated 栏次 line."""
    records: list[list[tuple[str, Line]]] = []
    expected = 1
    skipping_header = False
    furniture = furniture or set()
    for index, line in enumerate(data):
        text = line.text
        if is_noise(text) or squeeze(text) in furniture:
            skipping_header = not squeeze(text).startswith("栏次")
            continue
        if _is_page_number(data, index, expected, records):
            continue
        if skipping_header:
            if is_header_line(text):
                continue
            skipping_header = False
        tokens = tokens_of(text)
        if not tokens:
            continue
        if tokens[0] == str(expected) and not _record_unfinished(records):
            records.append([])
            expected += 1
            tokens = tokens[1:]
        if records:
            records[-1].extend((t, line) for t in tokens)
    return [_record_to_row(record) for record in records if record]


def _is_page_number(data: list[Line], index: int, expected: int, records: list[list[tuple[str, Line]]]) -> bool:
    """A lone number just before the next page's furniture is a page number, not a cell —
    unless it completes a wrapped amount or code."""
    text = data[index].text.strip()
    if not text.isdigit() or text == str(expected) or _record_unfinished(records):
        return False
    following = next((line for line in data[index + 1 :] if line.text.strip()), None)
    return following is None or is_noise(following.text) or following.page != data[index].page


def _record_unfinished(records: list[list[tuple[str, Line]]]) -> bool:
    """True when the record so far ends inside a cell: an amount fragment ('3526.', '320.0') or
    a code with nothing after it yet ('2082'), so a bare number on the next line continues it."""
    if not records or not records[-1]:
        return bool(records)
    tokens = [t for t, _ in records[-1]]
    if re.fullmatch(r"-?[\d,]+\.\d?", tokens[-1]):
        return True
    return all(t.isdigit() for t in tokens) and len("".join(tokens)) < 7


def _record_to_row(record: list[tuple[str, Line]]) -> RawRow:
    tokens = cells.join_wrapped_numbers([t for t, _ in record])
    code, used = cells.join_wrapped_code(tokens)
    rest = tokens[used:]
    amounts = [parse_amount(t) for t in rest if (is_amount(t) and not t.isdigit()) or _is_integer_amount(t, rest)]
    labels = [t for t in rest if not is_amount(t) and not is_blank_marker(t)]
    return RawRow(code=code, labels=[cells.join_text(labels)], amounts=amounts, line=record[0][1])


def _is_integer_amount(token: str, tokens: list[str]) -> bool:
    """Whole numbers count as amounts only in records whose other amounts are whole too."""
    return token.isdigit() and all("." not in t for t in tokens if is_amount(t))


def rows_from_cells(data: list[Line], first_amount_cell: int, coded: bool, numbered: bool = False) -> list[RawRow]:
    """Tab-separated rows. `numbered`: the first cell is a 序号 column, not part of the label."""
    rows: list[RawRow] = []
    for line in data:
        if is_noise(line.text) or "\t" not in line.text:
            continue
        parts = [p.strip() for p in line.text.split("\t")]
        labels = parts[1 if numbered else 0 : first_amount_cell]
        amount_cells = parts[first_amount_cell:]
        if is_header_line(" ".join(parts)) and not any(is_amount(c) for c in amount_cells):
            continue
        positioned = {i: parse_amount(c) for i, c in enumerate(amount_cells) if is_amount(c)}
        code = ""
        note = ""
        if coded and labels:
            code, note = _code_from_cell(labels[0])
            labels = labels[1:]
        if not positioned and not any(labels) and not code:
            continue
        rows.append(RawRow(code=code, labels=labels, positioned=positioned, line=line, code_note=note))
    return rows


def _code_from_cell(cell: str) -> tuple[str, str]:
    """The classification code in a code cell; a note when the cell held more than the code."""
    tokens = cell.split()
    if not tokens:
        return "", ""
    codes = [t for t in tokens if cells.is_code(t)]
    if len(tokens) == 1:
        return (tokens[0] if tokens[0].isdigit() else ""), ""
    if len(codes) == 1:
        return codes[
            0
        ], f"编码单元格“{cell}”含多余字符，取“{codes[0]}” (code cell {cell!r} has extra text; read {codes[0]})"
    return "", f"编码单元格“{cell}”无法识别 (unreadable code cell {cell!r})"


# --------------------------------------------------------------------------- header / data split


def split_header(lines: list[Line], coded: bool, sequence: bool) -> tuple[list[Line], list[Line]]:
    """Lines before the first data row are the header (page furniture excluded)."""
    for index, line in enumerate(lines):
        if is_noise(line.text):
            continue
        tokens = tokens_of(line.text.replace("\t", " "))
        if not tokens:
            continue
        if sequence:
            if tokens[0] == "1" and not squeeze(line.text).startswith("栏次"):
                return lines[:index], lines[index:]
            continue
        if "\t" in line.text:
            first = [c.strip() for c in line.text.split("\t")]
            if any(cells.is_total_label(c) for c in first[:2]) or (
                any(is_amount(c) for c in first) and not is_header_line(line.text)
            ):
                return lines[:index], lines[index:]
            continue
        labels, amounts = _label_and_amounts(tokens)
        if cells.is_total_label("".join(labels)) or (coded and tokens[0].isdigit() and len(tokens) > 1):
            return lines[:index], lines[index:]
        if not coded and amounts and not is_header_line(line.text):
            return lines[:index], lines[index:]
    return lines, []


def first_amount_cell(header: list[Line]) -> int:
    """Index of the first cell under an amount header word, in tab-separated header rows."""
    best: int | None = None
    for line in header:
        for index, cell in enumerate(line.text.split("\t")):
            if scan_words(cell):
                best = index if best is None else min(best, index)
                break
    return best if best is not None else 2


# --------------------------------------------------------------------------- classified tables


KnownRows = dict[str, list[dict[str, Decimal]]]  # code → that row's amounts in each table read before


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
    if cell_layout:
        start = first_amount_cell([line for line in header if "\t" in line.text])
        grid = [[c.strip() for c in line.text.split("\t")] for line in header if "\t" in line.text]
        layout = layout_from_grid(grid, start)
        numbered = any(row and squeeze(row[0]) == "序号" for row in grid)
        raw = rows_from_cells(data, start, coded_guess, numbered)
    else:
        layout = layout_from_text([line.text for line in header if not is_noise(line.text)])
        if sequence:
            furniture = page_furniture(header)
            raw = rows_from_records(data, furniture)
        else:
            raw = rows_from_lines(data, coded_guess)
    if not layout.columns:
        layout = Layout(columns=[Column(measure="total", label="预算数")], identities=[])
    table.columns = layout.columns
    table.identities = layout.identities
    if not header and not raw:
        return None
    table.rows = build_rows(raw, layout, table, problems, known or {})
    if not table.rows:
        table.status = "empty"
    return table


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
        name = cells.join_text(labels)
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
                    row.name = cells.join_text(labels[1:])
                    row.level = "segment"
                    row.standard_code = _standard_code(row.name, class_code, family) if class_code else ""
                else:
                    row.level = "class"
                    row.standard_code = class_code
            elif len(labels) == 1:
                row.level = "segment"
                row.standard_code = _standard_code(name, class_code, family) if class_code else ""
            row.parent_name = class_name if row.level == "segment" else ""
        options = _placements(raw_row, layout, table, problems)
        candidates.append(_agreeing_with(known.get(row.code, []), options) if row.code else options)
        rows.append(row)
    _resolve_placements(rows, candidates, layout)
    _mark_leaves(rows)
    return rows


def _agreeing_with(known: list[dict[str, Decimal]], options: list[Placement]) -> list[Placement]:
    """Among several placements, those that agree with the same code's row in a table read before
    (the same figure agrees across tables): same total, same amounts in the columns both tables
    print beyond the total. When no earlier row says more than the total, all stay."""
    if len(options) < 2:
        return options
    columns = _measures_of(options) - {"total"}
    for amounts in known:
        shared = columns & set(amounts)
        if not shared or "total" not in amounts:
            continue
        agreeing = [
            option
            for option in options
            if option.get("total") == amounts["total"] and all(option.get(m, Decimal(0)) == amounts[m] for m in shared)
        ]
        if agreeing:
            return agreeing
    return options


def _measures_of(options: list[Placement]) -> set[str]:
    return {m for option in options for m in option}


def known_rows(table: Table) -> dict[str, dict[str, Decimal]]:
    """Rows of a classified table whose placement was certain, for the tables read after it."""
    return {
        row.code: dict(row.amounts)
        for row in table.rows
        if row.code and table.classification and row.placement in ("column", "identity")
    }


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


class Options(list[Placement]):
    """Candidate placements of one row; `full` when the row printed every cell of the layout."""

    full = False


def _full(options: list[Placement]) -> Options:
    marked = Options(options)
    marked.full = True
    return marked


def _placements(raw_row: RawRow, layout: Layout, table: Table, problems: list[Problem]) -> list[Placement]:
    names = layout.measures
    if raw_row.positioned is None and len(raw_row.amounts) in (0, len(names)):
        if not raw_row.amounts:  # every cell blank
            return _full([{m: Decimal(0) for m in names}])
        return _full([dict(zip(names, raw_row.amounts, strict=True))])
    if raw_row.positioned is not None:
        placed: Placement = {}
        for index, amount in raw_row.positioned.items():
            if index < len(names):
                placed[names[index]] = amount
            else:
                _extra_amount_problem(raw_row, layout, table, problems)
        return _full([placed])
    options = row_candidates(raw_row.amounts, layout)
    if options is None:
        _extra_amount_problem(raw_row, layout, table, problems)
        return [dict(zip(names, raw_row.amounts, strict=False))]
    return options


def _extra_amount_problem(raw_row: RawRow, layout: Layout, table: Table, problems: list[Problem]) -> None:
    line = raw_row.line
    assert line is not None
    count = len(raw_row.amounts) or len(raw_row.positioned or {})
    problems.append(
        Problem(
            "error",
            f"行“{cells.join_text(raw_row.labels)}”有 {count} 个金额，表头只有 {len(layout.columns)} 列"
            f" (row has {count} amounts but the header names {len(layout.columns)} columns)",
            table.table_id,
            line.page,
            line.number,
        )
    )


def _resolve_placements(rows: list[Row], candidates: list[list[Placement]], layout: Layout) -> None:
    """Fix each row's placement top-down: the 合计 row, then 类 under it, 款 under 类, 项 under 款."""
    children_of = _children_index(rows)
    fixed: dict[int, Placement] = {}

    def settle(index: int, placement: Placement, how: str) -> None:
        fixed[index] = placement
        rows[index].amounts = {m: placement.get(m, Decimal(0)) for m in layout.measures}
        rows[index].placement = how

    def place_children(parent_index: int | None) -> None:
        kids = children_of.get(parent_index, [])
        if not kids:
            return
        if parent_index is None:
            for kid in kids:
                _settle_alone(kid)
        else:
            parent = fixed[parent_index]
            choice = choose_children(parent, [candidates[k] for k in kids], layout.measures)
            for position, kid in enumerate(kids):
                if choice is None:
                    _settle_alone(kid)
                    continue
                chosen, forced = choice
                option = candidates[kid][chosen[position]]
                settle(kid, option, _how(candidates[kid], forced[position]))
        for kid in kids:
            place_children(kid)

    def _settle_alone(index: int) -> None:
        options = candidates[index]
        feasible = [o for o in options if _children_fit(index, o)] or options
        settle(index, feasible[0], _how(options, len(feasible) == 1))

    def _children_fit(index: int, option: Placement) -> bool:
        kids = children_of.get(index, [])
        if not kids:
            return True
        return choose_children(option, [candidates[k] for k in kids], layout.measures) is not None

    place_children(None)
    for index in range(len(rows)):  # rows outside any hierarchy
        if index not in fixed:
            settle(index, candidates[index][0], _how(candidates[index], len(candidates[index]) == 1))


def _how(options: list[Placement], forced: bool) -> str:
    """`column` when the row printed every cell, `identity` when only one placement fits the
    identities, `order` when several fit and the leftmost was taken."""
    if len(options) == 1 and getattr(options, "full", False):
        return "column"
    return "identity" if forced or len(options) == 1 else "order"


def _children_index(rows: list[Row]) -> dict[int | None, list[int]]:
    """Parent row index → child row indexes, by code prefix (合计 is the parent of the 类)."""
    by_code = {row.code: index for index, row in enumerate(rows) if row.code}
    total_index = next((i for i, r in enumerate(rows) if r.level == "total"), None)
    children: dict[int | None, list[int]] = {}
    for index, row in enumerate(rows):
        if row.level == "total":
            children.setdefault(None, []).append(index)
        elif row.level == "class" and total_index is not None:
            children.setdefault(total_index, []).append(index)
        elif row.parent_code and row.parent_code in by_code:
            children.setdefault(by_code[row.parent_code], []).append(index)
        else:
            children.setdefault(None, []).append(index)
    return children


def _mark_leaves(rows: list[Row]) -> None:
    parents = {row.parent_code for row in rows if row.parent_code}
    for row in rows:
        if row.level == "total":
            row.is_leaf = False
        elif row.level == "class" and row.code:
            row.is_leaf = row.code not in parents
        elif row.level == "class":
            row.is_leaf = not any(r.parent_name == row.name and r.level == "segment" for r in rows)
        else:
            row.is_leaf = row.code not in parents if row.code else True
