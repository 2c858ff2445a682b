"""Projects (项目支出表).

Projects are read from the 项目支出表 where one is printed, otherwise from the performance tables,
which print each project's name, unit and budget (预算数) above its targets. Amounts are as
printed; texts (names, descriptions, indicators) are re-joined where the cells wrapped them.
"""

from __future__ import annotations

import itertools
import re

from yibao.messages import say
from yibao.model import Cell, Line, Problem, Project
from yibao.normalise import cells
from yibao.normalise.cells import is_amount, parse_amount, tokens_of
from yibao.normalise.rows import is_header_line, is_noise
from yibao.recognise.titles import Segment
from yibao.reference import vocabulary
from yibao.text import join_text, squeeze

WORDS = vocabulary("projects")
UNIT_NAME = WORDS.pattern("unit_name")
UNIT_ROW = WORDS.pattern("unit_row")
UNIT_CODE = re.compile(r"^\d{6}-")
PROJECT_CODE = re.compile(r"^([A-Z]\d{6}\.\d{3}-|\d{10,}|\d{10,}-)")


# --------------------------------------------------------------------------- 项目支出表


def read_project_table(segment: Segment, problems: list[Problem]) -> list[Project]:
    lines = [line for line in segment.lines if line.text.strip()]
    if sum(1 for line in lines if "\t" in line.text) >= 2:
        return _projects_from_cells(segment, lines)
    return _projects_from_lines(segment, lines, problems)


def _header_index(cells_: list[str], *words: str) -> int | None:
    for index, cell in enumerate(cells_):
        if any(word in squeeze(cell) for word in words):
            return index
    return None


def _projects_from_cells(segment: Segment, lines: list[Line]) -> list[Project]:
    """Tab-separated rows: 单位名称 | 项目名称 | 项目内容 | 总计 …; a row with a unit and no project
    names the unit of the projects below it."""
    projects: list[Project] = []
    unit_at = name_at = content_at = amount_at = None
    unit = ""
    names = WORDS.words("project_name")
    headings: dict[int | None, set[int]] = {}
    for line in lines:
        is_header_row = _names_columns(line)
        if is_header_row and "\t" in line.text:
            at = _header_index([p.strip() for p in line.text.split("\t")], *names)
            if at not in headings:  # the header repeated on every page names the same column
                headings[at] = heading_rows(lines, at)
        parts = [p.strip() for p in line.text.split("\t")]
        if "\t" in line.text and is_header_line(line.text) and not is_header_row and name_at is not None:
            # a header's lower row: the amount column may be named only here (2026年预算 / 总计)
            if amount_at is None:
                amount_at = _header_index(parts, *WORDS.words("amount_headers"))
            continue
        if "\t" not in line.text or is_noise(line.text) or (is_header_line(line.text) and not is_header_row):
            continue
        if name_at is None or is_header_row:
            if is_header_row:
                unit_at = _header_index(parts, *WORDS.words("unit_headers"))
                name_at = _header_index(parts, *names)
                content_at = _header_index(parts, *WORDS.words("content_headers"))
                amount_at = _header_index(parts, *WORDS.words("amount_headers"))
            continue

        def cell(index: int | None, parts: list[str] = parts) -> str:
            return parts[index] if index is not None and index < len(parts) else ""

        name = squeeze(cell(name_at))
        amount_cell = cell(amount_at)
        if cells.is_total_label(cell(0)) or cells.is_total_label(name):
            continue
        if not name:
            if squeeze(cell(unit_at)) and not cells.is_total_label(cell(unit_at)):
                unit = squeeze(cell(unit_at))
            continue
        if unit_at is None and line.number in headings.get(name_at, set()):  # a unit's row heads its projects
            unit = name
            continue
        if squeeze(cell(unit_at)):
            unit = squeeze(cell(unit_at))
        projects.append(
            Project(
                project_no=len(projects) + 1,
                name=name,
                unit=unit,
                amount=parse_amount(amount_cell) if is_amount(amount_cell) else None,
                description=cell(content_at).strip(),
                source_table=segment.kind.table_id,
                page=line.page,
                line=line.number,
            )
        )
    return projects


# points a name cell starts further right than the row above it for that row to be under it
INDENT_STEP = 6.0


def heading_rows(lines: list[Line], column: int | None) -> set[int]:
    """The rows (line numbers) heading the rows below them: where the page gives each name
    cell's indent, a row whose name starts left of the next row's (a unit above its projects);
    for text without geometry, a row naming a unit alone (`is_unit_row`)."""
    rows = [line for line in lines if "\t" in line.text and not is_header_line(line.text) and not _names_columns(line)]
    named: list[tuple[Line, Cell]] = []
    for line in rows:
        cell = _cell_at(line, column)
        if cell is not None and cell.text.strip():
            named.append((line, cell))
    if not any(cell.indent for _, cell in named):
        return {line.number for line, cell in named if is_unit_row(squeeze(cell.text))}
    return {
        line.number
        for (line, cell), (_, below) in itertools.pairwise(named)
        if cell.indent + INDENT_STEP <= below.indent and not cells.is_total_label(cell.text)
    }


def _names_columns(line: Line) -> bool:
    return any(word in squeeze(line.text) for word in WORDS.words("project_name"))


def _cell_at(line: Line, column: int | None) -> Cell | None:
    return next((c for c in line.cells if c.column == column), None)


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def is_unit_row(name: str) -> bool:
    """A row naming a unit alone (广州市胸科医院, 深圳市卫生健康委员会（本级）), not a project."""
    return bool(UNIT_NAME.search(name) and UNIT_ROW.match(name))


def _projects_from_lines(segment: Segment, lines: list[Line], problems: list[Problem]) -> list[Project]:
    """Space-separated rows `项目名称 项目单位 合计 …`, names wrapped above their row and
    descriptions (ending with 。) below it."""
    projects: list[Project] = []
    pending_name: list[str] = []
    current: Project | None = None
    description_open = False
    started = False
    for line in lines:
        tokens = tokens_of(line.text)
        if not tokens or is_noise(line.text):
            continue
        labels = [t for t in tokens if not is_amount(t)]
        amounts = [t for t in tokens if is_amount(t)]
        if cells.is_total_label(labels[0] if labels else "") or squeeze(line.text) in WORDS.words("content_headers"):
            started = True  # rows follow the 合计 row, or the header's last column (绩效目标)
            continue
        if not started:
            continue
        if amounts and (labels or pending_name):  # a name wrapped above its amount
            unit_index = next((i for i, t in enumerate(labels) if UNIT_NAME.search(t) and i > 0), None)
            if unit_index is None and pending_name and labels and UNIT_NAME.search(labels[0]):
                unit_index = 0
            name_tokens = labels[:unit_index] if unit_index is not None else labels
            unit = "".join(labels[unit_index:]) if unit_index is not None else ""
            current = Project(
                project_no=len(projects) + 1,
                name=join_text(pending_name + name_tokens),
                unit=unit,
                amount=parse_amount(amounts[0]),
                description="",
                source_table=segment.kind.table_id,
                page=line.page,
                line=line.number,
            )
            projects.append(current)
            pending_name = []
            description_open = True
            continue
        text = squeeze(line.text)
        if current is not None and description_open:
            current.description = join_text([current.description, text])
            description_open = not text.endswith(WORDS.word("full_stop"))
        else:
            pending_name.append(text)
    if pending_name:
        problems.append(
            Problem(
                "warning",
                say("projects.unread_tail", text=_shortened("".join(pending_name))),
                segment.kind.table_id,
                lines[-1].page,
                lines[-1].number,
            )
        )
    return projects
