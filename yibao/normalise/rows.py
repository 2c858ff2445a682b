"""Rows as printed, from the three layouts a table reaches this stage in.

- *cells*: tab-separated rows (Markdown exports, PDF tables): every amount keeps its column;
- *lines*: one row per line, space separated, blank cells dropped (`208 社会保障和就业支出 115.81 115.81`);
- *records*: rows numbered by 序号 whose cells wrap over many lines (`2` / `2080` / `5` / `行政` / …).
Each is turned into `RawRow`s (label cells + amounts); `placement` then puts the amounts into columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from yibao.model import Line
from yibao.normalise import cells
from yibao.normalise.cells import is_amount, is_blank_marker, parse_amount, tokens_of
from yibao.normalise.codes import CodeGroup, code_from_cell, exact_part_role, row_code
from yibao.normalise.headers import header_key, scan_words
from yibao.reference import compiled, measures, vocabulary
from yibao.text import join_text, squeeze

WORDS = vocabulary("rows")
GENERIC_HEADER_WORDS = WORDS.words("generic_header_words")
SEQUENCE_NUMBER = WORDS.word("sequence_number")
COLUMN_NUMBERS = WORDS.word("column_numbers")


@dataclass
class RawRow:
    """A row as printed: label cells and amounts (positioned when the layout kept positions)."""

    code: str
    labels: list[str]
    amounts: list[Decimal] = field(default_factory=list)
    positioned: dict[int, Decimal] | None = None  # amount-column index → amount
    line: Line | None = None
    code_note: str = ""
    indent: float | None = None  # the name cell's first-line indent, where the page gives it


def label_indent(line: Line, name: str) -> float | None:
    """The indent of the cell printing `name` (PDF cells only; None for text inputs)."""
    wanted = squeeze(name)
    if not wanted:
        return None
    for cell in line.cells:
        if squeeze(cell.text) == wanted:
            return cell.indent
    return None


def is_noise(text: str) -> bool:
    squeezed = squeeze(text)
    return not squeezed or any(p.search(squeezed) for p in compiled("noise"))


def is_header_line(text: str) -> bool:
    """A line made only of header words (a header repeated after a page break)."""
    if any(is_amount(t) for t in tokens_of(text)):
        return False
    squeezed = header_key(text)
    rest = squeezed
    for word, _role in scan_words(text):
        rest = rest.replace(word, "")
    for word in list(measures()["ignore"]) + list(GENERIC_HEADER_WORDS):
        rest = rest.replace(header_key(word), "")
    rest = re.sub(r"[\d\s*·]", "", rest)
    removed_a_word = len(rest) < len(re.sub(r"[\d\s*·]", "", squeezed))
    return removed_a_word and len(rest) <= 1


def page_furniture(header: list[Line]) -> set[str]:
    """The lines printed above a table's column headers (bureau, year, unit). A page that
    repeats one of them starts the repeated header of a table continued from the last page."""
    furniture: set[str] = set()
    for line in header:
        squeezed = squeeze(line.text)
        if squeezed.startswith(WORDS.words("header_starts")) or is_header_line(line.text):
            break
        furniture.add(squeezed)
    return furniture


def has_cells(lines: list[Line]) -> bool:
    return sum(1 for line in lines if "\t" in line.text) >= 2


def uses_sequence_numbers(lines: list[Line]) -> bool:
    """Rows numbered 1, 2, 3 … in a 序号 column: the header prints 序号, or the first row after
    the 栏次 line (column numbers) starts with 1."""
    if any(squeeze(line.text).startswith(SEQUENCE_NUMBER) for line in lines):
        return True
    after_column_numbers = False
    for line in lines:
        squeezed = squeeze(line.text)
        if squeezed.startswith(COLUMN_NUMBERS):
            after_column_numbers = True
        elif after_column_numbers and squeezed and not is_noise(line.text):
            return tokens_of(line.text.replace("\t", " "))[0] == "1"
    return False


def is_unit_table(header_text: str) -> bool:
    """Rows by 部门(单位)代码 rather than by classification code."""
    return bool(WORDS.pattern("unit_table").search(squeeze(header_text)))


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
            rows[-1].labels.append(join_text(labels))
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
    header_end = -1  # the repeated header's 栏次 line, once a page repeats the furniture
    for index, line in enumerate(data):
        text = line.text
        if is_noise(text) or squeeze(text) in furniture:
            skipping_header = not squeeze(text).startswith(COLUMN_NUMBERS)
            if skipping_header:
                header_end = _column_numbers_line(data, index)
            continue
        if _is_page_number(data, index, expected, records):
            continue
        if skipping_header:
            # Header words wrap one or two characters a line (上年 / 结转科目): every line up to
            # the repeated 栏次 line is header, whatever its words.
            if is_header_line(text) or index < header_end:
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


def _column_numbers_line(data: list[Line], start: int) -> int:
    """The index of the 栏次 line (column numbers) that ends a header repeated from `start`, if
    one comes before any amount; -1 when none does."""
    for index in range(start + 1, len(data)):
        text = data[index].text
        if squeeze(text).startswith(COLUMN_NUMBERS):
            return index
        if any(is_amount(t) for t in tokens_of(text)):
            return -1
    return -1


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
    return RawRow(code=code, labels=[join_text(labels)], amounts=amounts, line=record[0][1])


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
            code, note = code_from_cell(labels[0])
            labels = labels[1:]
        if not positioned and not any(labels) and not code:
            continue
        named = [label for label in labels if label]
        indent = label_indent(line, named[-1]) if len(named) == 1 else None
        rows.append(RawRow(code=code, labels=labels, positioned=positioned, line=line, code_note=note, indent=indent))
    return rows


def split_header(lines: list[Line], coded: bool, sequence: bool) -> tuple[list[Line], list[Line]]:
    """Lines before the first data row are the header (page furniture excluded)."""
    for index, line in enumerate(lines):
        if is_noise(line.text):
            continue
        tokens = tokens_of(line.text.replace("\t", " "))
        if not tokens:
            continue
        if sequence:
            if tokens[0] == "1" and not squeeze(line.text).startswith(COLUMN_NUMBERS):
                return lines[:index], lines[index:]
            continue
        if "\t" in line.text:
            first = [c.strip() for c in line.text.split("\t")]
            words_after = [c for c in first[2:] if c and not is_amount(c) and not is_blank_marker(c)]
            if (any(cells.is_total_label(c) for c in first[:2]) and not words_after) or (
                any(is_amount(c) for c in first) and not is_header_line(line.text)
            ):
                return lines[:index], lines[index:]
            continue
        labels, amounts = _label_and_amounts(tokens)
        is_code = tokens[0].isdigit() and not WORDS.pattern("year_alone").match(tokens[0])
        if cells.is_total_label("".join(labels)) or (coded and is_code and len(tokens) > 1):
            return lines[:index], lines[index:]
        if not coded and amounts and not is_header_line(line.text):
            return lines[:index], lines[index:]
    return lines, []


def first_amount_cell(header: list[Line]) -> int:
    """Index of the first cell under an amount header word, in tab-separated header rows. A word
    under a label column's header (科目名称, 功能分类科目编码 …) is a row's label, not a column's:
    an empty table may print its 合计 row on the header's last line (合计 | | 合计 基本支出 项目支出)."""
    best: int | None = None
    labels = label_header_cells(header)
    for line in header:
        for index, cell in enumerate(line.text.split("\t")):
            if index in labels:
                continue
            if scan_words(cell) or squeeze(cell) in measures().get("whole_cell_words", {}):
                best = index if best is None else min(best, index)
                break
    return best if best is not None else 2


def label_header_cells(header: list[Line]) -> set[int]:
    """The cells (by index) of the header rows that head a label column: 科目编码, 科目名称, 类 …"""
    return {index for line in header for index, cell in enumerate(line.text.split("\t")) if exact_part_role(cell)}


def _lone_row(line: Line, amount_columns: int) -> RawRow | None:
    """A label (no code) and exactly one amount a column, printed as plain text."""
    tokens = tokens_of(line.text)
    amounts = [t for t in tokens if is_amount(t)]
    label = [t for t in tokens if not is_amount(t)]
    if not amount_columns or len(amounts) != amount_columns or len(label) != 1 or tokens[0] != label[0]:
        return None
    positioned = {i: parse_amount(t) for i, t in enumerate(amounts)}
    return RawRow(code="", labels=[label[0]], positioned=positioned, line=line, code_note="", indent=None)


def rows_from_grid(
    data: list[Line],
    first_amount_cell: int,
    groups: list[CodeGroup],
    prefix: str,
    numbered: bool = False,
    header_words: frozenset[str] = frozenset(),
    amount_columns: int = 0,
) -> list[RawRow]:
    """Tab-separated rows whose label columns the header named (codes in 类 | 款 | 项 columns
    or in "code-name" cells, see `codes`). A blank 类 carries the class of the rows above. A
    line repeating the table's header cells (a page break) is no row. A line without cells (a
    row alone on a page, its ruling not found) is a row where it is a label and an amount for
    each of the `amount_columns`."""
    rows: list[RawRow] = []
    for line in data:
        if is_noise(line.text):
            continue
        if "\t" not in line.text:
            lone = _lone_row(line, amount_columns)
            rows.extend([lone] if lone else [])
            continue
        parts = [p.strip() for p in line.text.split("\t")]
        amount_cells = parts[first_amount_cell:]
        if is_header_line(" ".join(parts)) and not any(is_amount(c) for c in amount_cells):
            continue
        labels_part = parts[:first_amount_cell]
        positioned = {i: parse_amount(c) for i, c in enumerate(amount_cells) if is_amount(c)}
        printed = [squeeze(c) for c in labels_part if c]
        if not positioned and printed and all(c in header_words for c in printed):
            continue  # the header's own label cells repeated on a new page (类 | 款 | 项)
        code, name, note = row_code(groups, labels_part, prefix)
        if not code and not name:  # no code or name column named: the innermost label printed
            named = [c for c in labels_part[1 if numbered else 0 :] if c]
            name = named[-1] if named else ""
        if not positioned and not code and (not name or squeeze(name) in header_words):
            continue
        rows.append(
            RawRow(
                code=code,
                labels=[name],
                positioned=positioned,
                line=line,
                code_note=note,
                indent=label_indent(line, name),
            )
        )
    return rows
