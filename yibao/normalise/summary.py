"""Stage 3 — normalise, for tables that are not classified rows.

- *Summary tables* (收支总表, 财政拨款收支总表) print income and expenditure side by side:
  `一、一般公共预算拨款收入 1,116.56 一、社会保障和就业支出 980.15`. Each labelled item becomes a
  row on its side (`income`, `expenditure`, and `expenditure_economic` for the third column some
  documents print). An item whose amount cell is blank is printed, so it is 0.
- *“三公” tables* print the categories either as columns (one row per unit) or one per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from yibao.messages import say
from yibao.model import Column, Line, Problem, Row, Table
from yibao.normalise import cells
from yibao.normalise.cells import is_amount, parse_amount, tokens_of
from yibao.normalise.classified import INDENT_STEP
from yibao.normalise.header_tree import cells_from_lines, layout_from_leaves, leaves
from yibao.normalise.headers import Layout, layout_from_text
from yibao.normalise.placement import row_candidates
from yibao.normalise.rows import (
    has_cells,
    is_header_line,
    is_noise,
    page_furniture,
    uses_sequence_numbers,
)
from yibao.recognise.titles import Segment
from yibao.reference import function_class_codes, load_data, vocabulary
from yibao.text import squeeze

WORDS = vocabulary("summary_table")
ITEM_START = WORDS.pattern("item_start")
EXPENDITURE = WORDS.pattern("expenditure")
SPACED_WORDS = WORDS.table("spaced_words")
ECONOMIC_CLASSES = WORDS.pattern("economic_classes")
AMBIGUOUS = set(WORDS.words("ambiguous"))
# header words over a panel's label column (项目 | 预算数 | 项目 | 预算数)
LABEL_WORDS = set(WORDS.words("label_words"))
ORDINAL = WORDS.pattern("ordinal")
ITEM_HEADER = WORDS.word("item_header")
EXPENDITURE_LABEL, INCOME_LABEL = WORDS.word("expenditure_label"), WORDS.word("income_label")
ECONOMIC_EXPENDITURE_LABEL = WORDS.word("economic_expenditure_label")
# the side headings over a summary table's panels (收 入 | | 支 出 |)
SIDE_WORDS = set(WORDS.words("side_words"))


# an ordinal whose punctuation the text layer puts after the name ("一 一般公共预算资金、",
# "一 社会保障和就业支出( )"): the glyphs are drawn apart from the words
_ORDINAL_AFTER = WORDS.pattern("ordinal_after")


def ordinal_in_place(label: str) -> str:
    """A label's ordinal with its punctuation where it is printed: 一、一般公共预算资金, (一)社会保障和就业支出."""
    match = _ORDINAL_AFTER.match(label.strip())
    if not match:
        return label
    number, name, mark = match.groups()
    comma = WORDS.word("ordinal_comma")
    return f"{number}{comma}{name}" if mark == comma else f"({number}){name}"


def unspace(text: str) -> str:
    for word, pattern in SPACED_WORDS.items():
        text = re.sub(pattern, word, text)
    return text


def side_of(label: str) -> str:
    return "expenditure" if EXPENDITURE.search(squeeze(label)) else "income"


def bare_name(label: str) -> str:
    return ORDINAL.sub("", squeeze(label))


class Item:
    """One labelled cell pair of a summary table, with the amounts printed after it."""

    def __init__(self, label: str, line: Line) -> None:
        self.label = label
        self.line = line
        self.amounts: list[Decimal] = []
        self.row_number_read = False  # a 行次 column prints the row's number before its amount

    def add(self, token: str, row_numbers: bool) -> None:
        if row_numbers and not self.row_number_read and token.isdigit() and not self.amounts:
            self.row_number_read = True
            return
        self.amounts.append(parse_amount(token))


def items_from_tokens(
    tokens: list[str], line: Line, items: list[Item], wrapped: bool = False, row_numbers: bool = False
) -> None:
    """Read label and amount tokens. In wrapped layouts (序号 records) a label may continue
    after its amounts, on the next page."""
    for token in tokens:
        if is_amount(token):
            if items:
                items[-1].add(token, row_numbers)
            continue
        if cells.is_blank_marker(token):
            continue
        # a bare 总计 opens an item, except where cells wrap ("本年收入" / "合计" is one label)
        opens = ITEM_START.match(token) or (token in AMBIGUOUS and not wrapped)
        if items and not opens and (wrapped or not items[-1].amounts):
            items[-1].label += token  # a label wrapped in its cell
            continue
        items.append(Item(token, line))


def summary_items(data: list[Line], sequence: bool, furniture: set[str], row_numbers: bool = False) -> list[Item]:
    """Items in reading order.

    A page's repeated furniture and header are skipped: from a furniture or noise line up to the
    repeated 栏次 line (tables with 序号) or to the next line that opens an item."""
    items: list[Item] = []
    expected = 1
    skipping = False
    for line in data:
        text = unspace(line.text)
        squeezed = squeeze(text)
        if is_noise(text) or squeezed in furniture:
            skipping = not squeezed.startswith(WORDS.word("column_numbers"))
            continue
        tokens = tokens_of(text.replace("\t", " "))
        if sequence and tokens and tokens[0] == str(expected):
            tokens = tokens[1:]
            expected += 1
            skipping = False
        if skipping and not (tokens and ITEM_START.match(tokens[0])):
            continue
        skipping = False
        if "\t" in text:
            _items_from_cells(text, line, items, row_numbers)
        else:
            items_from_tokens(tokens, line, items, wrapped=sequence, row_numbers=row_numbers)
    return items


def _items_from_cells(text: str, line: Line, items: list[Item], row_numbers: bool) -> None:
    for cell in (c.strip() for c in text.split("\t")):
        if not cell:
            continue
        if is_amount(cell):
            if items:
                items[-1].add(cell, row_numbers)
        else:
            items.append(Item(squeeze(cell), line))


def expenditure_layout(header: list[Line]) -> Layout:
    """Extra expenditure columns (合计 / 一般公共预算 / 政府性基金 / 国有资本) when printed."""
    text = " ".join(line.text for line in header if not is_noise(line.text))
    after = re.split(ITEM_HEADER, text)[-1] if re.search(ITEM_HEADER, text) else ""
    layout = layout_from_text([after])
    if len(layout.columns) <= 1:
        return Layout(columns=[Column("expenditure", EXPENDITURE_LABEL)], identities=[])
    rename = {
        c.measure: ("expenditure" if c.measure == "total" else f"expenditure_{c.measure}") for c in layout.columns
    }
    return Layout(
        columns=[Column(rename[c.measure], c.label) for c in layout.columns],
        identities=[(rename[t], [rename[p] for p in parts]) for t, parts in layout.identities],
    )


def read_summary(segment: Segment, table_no: int, problems: list[Problem]) -> Table | None:
    lines = [line for line in segment.lines if line.text.strip()]
    sequence = uses_sequence_numbers(lines)
    header, data = _split_summary(lines)
    if not data:
        return None
    if has_cells(data) and not sequence:
        panelled = read_panels(segment, table_no, header, data)
        if panelled is not None:
            return panelled
    table = new_table(segment, table_no, "")
    spend_layout = expenditure_layout(header)
    furniture = page_furniture(header)
    columns = [Column("income", INCOME_LABEL), *spend_layout.columns]
    rows: list[Row] = []
    expenditure_seen_on_line: dict[int, int] = {}
    items_on_line: dict[int, int] = {}
    row_numbers = WORDS.word("row_numbers") in squeeze(" ".join(line.text for line in header))
    for number, item in enumerate(summary_items(data, sequence, furniture, row_numbers), start=1):
        position = items_on_line.get(item.line.number, 0)
        items_on_line[item.line.number] = position + 1
        side = side_of(item.label)
        if bare_name(item.label) in AMBIGUOUS:  # "总计" on both sides: the left one is income
            side = "income" if position == 0 else "expenditure"
        if side == "expenditure":
            count = expenditure_seen_on_line.get(item.line.number, 0)
            expenditure_seen_on_line[item.line.number] = count + 1
            if count >= 1:
                side = "expenditure_economic"
        if ECONOMIC_CLASSES.match(bare_name(item.label)) and _has_economic_column(header):
            side = "expenditure_economic"
        row = Row(
            row_no=number, code="", name=item.label, amounts={}, page=item.line.page, line=item.line.number, side=side
        )
        # a function class is printed by name only: its standard code is kept apart from `code`
        row.standard_code = function_class_codes().get(bare_name(item.label), "") if side == "expenditure" else ""
        if row.standard_code:
            row.level, row.classification = "class", "function"
        row.amounts, row.placement = _side_amounts(item, side, spend_layout, table, problems)
        rows.append(row)
    if any(r.side == "expenditure_economic" for r in rows):
        columns.append(Column("expenditure_economic", ECONOMIC_EXPENDITURE_LABEL))
    table.columns = columns
    table.identities = spend_layout.identities  # 支出 = 一般公共预算 + 政府性基金 + 国有资本经营预算
    table.rows = rows
    return table


# --------------------------------------------------------------------------- panels


@dataclass
class Panel:
    """One side of a summary table printed as label + amount columns: `项目 | 预算数`."""

    side: str
    label: int  # grid column of the labels
    amounts: list[tuple[int, str]]  # (grid column, measure) of its amount columns
    # what its header's shape makes a total of its other columns: 支出 = 一般公共预算 + 政府性基金 …
    identities: list[tuple[str, list[str]]] = field(default_factory=list)


def _label_columns(data: list[Line]) -> list[int]:
    """Grid columns whose cells are mostly text, not amounts: the panels' label columns."""
    text: dict[int, int] = {}
    numbers: dict[int, int] = {}
    for line in data:
        for j, cell in enumerate(c.strip() for c in line.text.split("\t")):
            if not cell or cells.is_blank_marker(cell):
                continue
            counter = numbers if is_amount(cell) else text
            counter[j] = counter.get(j, 0) + 1
    return sorted(j for j, n in text.items() if n > numbers.get(j, 0))


def panels_of(header: list[Line], data: list[Line]) -> list[Panel]:
    """The panels of a summary table: each label column with the amount columns up to the next.
    The side comes from the header above the label (收入 / 支出), else from the position."""
    width = max(len(line.text.split("\t")) for line in header + data if "\t" in line.text)
    cells_ = cells_from_lines([line for line in header if "\t" in line.text or line.cells])
    labels = sorted({c.first for c in cells_ if _is_label_word(c.text)})
    if len(labels) < 2:
        labels = _label_columns(data)
    if len(labels) < 2:
        return []
    found: list[Panel] = []
    for position, label in enumerate(labels):
        end = labels[position + 1] if position + 1 < len(labels) else width
        above = " ".join(c.text for c in cells_ if c.first <= label <= c.last)
        side = side_of_header(above, position)
        named = leaves([c for c in cells_ if label < c.first < end], label + 1, end)
        amounts = [(label + 1 + leaf.column, _side_measure(side, leaf.measure)) for leaf in named if leaf.measure]
        if not amounts and end == label + 2:
            amounts = [(label + 1, side)]
        identities = [
            (_side_measure(side, whole), [_side_measure(side, p) for p in parts])
            for whole, parts in layout_from_leaves(named)[0].identities
        ]
        found.append(Panel(side, label, amounts, identities))
    sides = [p.side for p in found]
    for index, panel in enumerate(found):
        if panel.side == "expenditure" and "expenditure" in sides[:index]:
            panel.side = "expenditure_economic"
            panel.amounts = [(j, "expenditure_economic") for j, _ in panel.amounts[:1]]
            panel.identities = []
    return found


def _repeated_header(parts: list[str], found: list[Panel]) -> bool:
    """A header printed again after a page break: header words only, one of them in an amount
    column (预算数) or over a label column (项目, 收入, 支出). A printed item of header words
    whose amounts are blank (上级补助收入 | | 上缴上级支出 |) is a row: its amounts are 0."""
    if any(is_amount(c) for c in parts) or not is_header_line(" ".join(parts)):
        return False
    amounts = [parts[j] for panel in found for j, _ in panel.amounts if j < len(parts)]
    labels = [squeeze(parts[panel.label]) for panel in found if panel.label < len(parts)]
    if any(c and not cells.is_blank_marker(c) for c in amounts):
        return True
    return any(_is_label_word(label) or label in SIDE_WORDS for label in labels)


def _looks_like_title(text: str) -> bool:
    squeezed = squeeze(text)
    return 6 <= len(squeezed) <= 40 and squeezed.endswith(WORDS.word("title_end")) and not is_noise(text)


def _is_label_word(text: str) -> bool:
    return squeeze(text) in LABEL_WORDS


def side_of_header(text: str, position: int) -> str:
    squeezed = squeeze(text)
    if EXPENDITURE_LABEL in squeezed or WORDS.word("spaced_expenditure") in text:
        return "expenditure"
    if INCOME_LABEL in squeezed:
        return "income"
    return "income" if position == 0 else "expenditure"


def _side_measure(side: str, measure: str) -> str:
    return side if measure == "total" else f"{side}_{measure}"


def read_panels(segment: Segment, table_no: int, header: list[Line], data: list[Line]) -> Table | None:
    """A summary table whose rows keep their cells: every panel's label and amounts by column;
    a blank amount cell of a printed item is 0."""
    found = panels_of(header, data)
    if not found or not any(p.amounts for p in found):
        return None
    table = new_table(segment, table_no, "")
    columns: dict[str, Column] = {}
    for panel in found:
        for _, measure in panel.amounts:
            columns.setdefault(measure, Column(measure, measure))
    rows: list[Row] = []
    indents: dict[int, float | None] = {}
    for line in data:
        if rows and "\t" not in line.text and _looks_like_title(line.text):
            break  # the next table, under a title not recognised as one
        if is_noise(line.text):
            continue
        parts = (
            [c.strip() for c in unspace(line.text).split("	")] if "	" in line.text else _plain_row(line, found)
        )
        if not parts:
            continue
        if _repeated_header(parts, found) or (
            not any(is_amount(c) for c in parts)
            and all(p.label < len(parts) and _is_label_word(parts[p.label]) for p in found)
        ):
            continue  # the header repeated on a page the table continues on (项目 | 2026年预算数 | 项目 …)
        for index, panel in enumerate(found):
            label = squeeze(ordinal_in_place(parts[panel.label])) if panel.label < len(parts) else ""
            values = {m: parse_amount(parts[j]) for j, m in panel.amounts if j < len(parts) and is_amount(parts[j])}
            if not label:
                continue
            spanned = _spanned_total(parts, panel, found[index + 1 :], values)
            if spanned is not None:
                values = {panel.amounts[0][1]: spanned}
            row = _panel_row(panel, label, values, line, len(rows) + 1, _has_economic_column(header))
            indents[id(row)] = next((c.indent for c in line.cells if c.column == panel.label), None)
            rows.append(row)
            if spanned is not None:  # the total of the economic panel too
                rows.append(
                    Row(len(rows) + 1, "", label, {"expenditure_economic": spanned}, line.page, line.number,
                        side="expenditure_economic")
                )  # fmt: skip
    if not rows:
        return None
    if any(r.side == "expenditure_economic" for r in rows):
        columns.setdefault("expenditure_economic", Column("expenditure_economic", ECONOMIC_EXPENDITURE_LABEL))
    table.columns = list(columns.values())
    table.identities = [identity for panel in found for identity in panel.identities]
    table.rows = rows
    _parents_by_indent(rows, indents)
    return table


def _plain_row(line: Line, panels: list[Panel]) -> list[str]:
    """A row printed where the page has no ruled grid (a 收入总计 | 支出总计 row left alone on the
    next page): its cells when its words are one label and one amount per panel, in panel order,
    and every panel has one amount column; else nothing (a line of text, not a row)."""
    tokens = tokens_of(unspace(line.text))
    if len(tokens) != 2 * len(panels) or any(len(p.amounts) != 1 for p in panels):
        return []
    labels, amounts = tokens[0::2], tokens[1::2]
    if any(is_amount(t) for t in labels) or not all(is_amount(t) for t in amounts):
        return []
    parts = [""] * (max(max(p.label, p.amounts[0][0]) for p in panels) + 1)
    for panel, label, amount in zip(panels, labels, amounts, strict=True):
        parts[panel.label], parts[panel.amounts[0][0]] = label, amount
    return parts


SIDE_FIGURES = ("income_total", "year_income", "carryover", "expense_total", "year_expense", "carryforward")


def _parents_by_indent(rows: list[Row], indents: dict[int, float | None]) -> None:
    """An item printed indented under the item above it (一、财政拨款收入 then, indented and without
    ordinal, 一般公共预算收入 …) is a part of it: its `parent_name` says so. The rows that print a
    side's figures (本年收入合计 …, often centred) are nobody's part and close every item above."""
    figures = {label for figure in SIDE_FIGURES for label in summary_labels(figure)}
    for side in {r.side for r in rows}:
        above: list[tuple[Row, float]] = []  # the open items, outermost first
        for row in (r for r in rows if r.side == side):
            indent = indents.get(id(row))
            if bare_name(row.name) in figures or indent is None:
                above = []
                continue
            while above and indent - above[-1][1] < INDENT_STEP:
                above.pop()
            if above:
                row.parent_name = above[-1][0].name
            above.append((row, indent))


def _panel_row(panel: Panel, label: str, values: dict[str, Decimal], line: Line, number: int, economic: bool) -> Row:
    """One panel's item on a line: its amounts by the panel's columns (blank is 0); an economic
    class printed in the expenditure panel of a table with an 经济科目 column is that column's."""
    side = panel.side
    if ECONOMIC_CLASSES.match(bare_name(label)) and side == "expenditure" and economic:
        side = "expenditure_economic"
    row = Row(number, "", label, {}, line.page, line.number, side=side)
    row.amounts = (
        {m: values.get(m, Decimal(0)) for _, m in panel.amounts}
        if side == panel.side
        else {side: next(iter(values.values()), Decimal(0))}
    )
    row.standard_code = function_class_codes().get(bare_name(label), "") if side == "expenditure" else ""
    if row.standard_code:
        row.level, row.classification = "class", "function"
    return row


def _spanned_total(parts: list[str], panel: Panel, after: list[Panel], values: dict[str, Decimal]) -> Decimal | None:
    """A total printed across the function and the economic panels (当年支出小计 | | | 27,664.22):
    the function panel's label with its amount cell blank, the economic panel's label cell blank
    and its amount printed. The amount is the total of both; None for any other row."""
    if values or panel.side != "expenditure" or not panel.amounts or not after:
        return None
    economic = after[0]
    if economic.side != "expenditure_economic" or not economic.amounts:
        return None
    label = parts[economic.label].strip() if economic.label < len(parts) else ""
    column = economic.amounts[0][0]
    cell = parts[column] if column < len(parts) else ""
    return parse_amount(cell) if not label and is_amount(cell) else None


def _has_economic_column(header: list[Line]) -> bool:
    return WORDS.word("economic_header") in squeeze(" ".join(line.text for line in header))


def _split_summary(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The header ends where the first item opens (with its 序号 when it stands on its own line),
    or at the first row of cells with an amount under the row naming the label columns (财政拨款 |
    151,082.36 | 一、教育支出 | 5,702.55 under 项目 | 2026年预算数 | 项目 | 2026年预算数)."""
    labelled = False
    for index, line in enumerate(lines):
        if labelled and _first_amount_row(line):
            return lines[:index], lines[index:]
        labelled = labelled or ("\t" in line.text and any(_is_label_word(c) for c in line.text.split("\t")))
        text = unspace(line.text)
        tokens = tokens_of(text.replace("\t", " "))
        if tokens and tokens[0].isdigit() and len(tokens) > 1:
            tokens = tokens[1:]
        if tokens and ITEM_START.match(tokens[0]) and not is_header_line(text) and not _over_label_row(lines, index):
            if index > 0 and lines[index - 1].text.strip() == "1":
                index -= 1
            return lines[:index], lines[index:]
    return lines, []


def _first_amount_row(line: Line) -> bool:
    parts = [c.strip() for c in line.text.split("\t")]
    label = squeeze(parts[0]) if parts else ""
    return (
        "\t" in line.text
        and bool(label)
        and not label.startswith(tuple(WORDS.words("column_number_rows")))
        and any(map(is_amount, parts))
    )


def _over_label_row(lines: list[Line], index: int) -> bool:
    """A row of cells without amounts (本年收入 | 本年支出) over a row naming the panels' label
    columns (项目 | 预算数 | 项目 | 预算数) is a header row, not an item."""
    if "\t" not in lines[index].text:
        return False
    for line in lines[index:]:
        parts = [c.strip() for c in line.text.split("\t")]
        if any(is_amount(c) for c in parts):
            return False
        if line is not lines[index] and any(_is_label_word(c) for c in parts if c):
            return True
    return False


def _side_amounts(
    item: Item, side: str, layout: Layout, table: Table, problems: list[Problem]
) -> tuple[dict[str, Decimal], str]:
    if side != "expenditure" or len(layout.columns) == 1:
        if len(item.amounts) > 1:
            problems.append(
                _problem(
                    item,
                    table,
                    say("summary.extra_amounts", label=item.label, count=len(item.amounts)),
                )
            )
        return {side: item.amounts[0] if item.amounts else Decimal(0)}, "column"
    if not item.amounts:
        return {m: Decimal(0) for m in layout.measures}, "column"
    if len(item.amounts) == len(layout.columns):
        return dict(zip(layout.measures, item.amounts, strict=True)), "column"
    options = row_candidates(item.amounts, layout) or []
    if len(options) == 1:
        return dict(options[0]), "identity"
    problems.append(
        _problem(
            item,
            table,
            say(
                "summary.columns_undecided",
                label=item.label,
                count=len(item.amounts),
                columns=len(layout.columns),
                others=len(item.amounts) - 1,
            ),
        )
    )
    return {"expenditure": item.amounts[0]}, "column"


def _problem(item: Item, table: Table, reason: str) -> Problem:
    return Problem("warning", reason, table.table_id, item.line.page, item.line.number)


def new_table(segment: Segment, table_no: int, classification: str) -> Table:
    return Table(
        table_no=table_no,
        table_id=segment.kind.table_id,
        title=segment.title,
        classification=classification,
        page=segment.title_line.page,
        line=segment.title_line.number,
    )


FIGURE_SIDES = {
    "income_total": "income", "year_income": "income", "carryover": "income", "general_budget_income": "income",
    "expense_total": "expenditure", "year_expense": "expenditure", "carryforward": "expenditure",
}  # fmt: skip


@cache
def summary_labels(figure: str) -> tuple[str, ...]:
    """The row labels a summary table prints a figure under (yibao/data/summary.yml)."""
    data = load_data("summary.yml")
    labels = data["figures"].get(figure) or data[figure]
    return tuple(squeeze(label) for label in labels)


def summary_figure(table: Table, figure: str) -> Decimal | None:
    """A figure of a summary table (`income_total`, `year_expense`, `carryover` …): the amount
    of the first row printed under one of its labels; None where no such row is printed."""
    return summary_value(table, FIGURE_SIDES[figure], *summary_labels(figure))


def summary_row(table: Table, figure: str) -> Row | None:
    """The row of a summary table that prints a figure; None where none is printed."""
    return labelled_row(table, FIGURE_SIDES[figure], *summary_labels(figure))


def labelled_row(table: Table, side: str, *names: str) -> Row | None:
    """The first row of a side printed under the first of `names` the table prints."""
    printed: dict[str, Row] = {}
    for row in table.rows:
        if row.side == side:
            printed.setdefault(bare_name(row.name), row)
    return next((printed[squeeze(n)] for n in names if squeeze(n) in printed), None)


def summary_value(table: Table, side: str, *names: str) -> Decimal | None:
    row = labelled_row(table, side, *names)
    return row.amounts.get(side, Decimal(0)) if row is not None else None
