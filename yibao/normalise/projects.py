"""Projects (项目支出表).

Projects are read from the 项目支出表 where one is printed, otherwise from the performance tables,
which print each project's name, unit and budget (预算数) above its targets. Amounts are as
printed; texts (names, descriptions, indicators) are re-joined where the cells wrapped them.
"""

from __future__ import annotations

import re

from yibao.messages import say
from yibao.model import Line, Problem, Project
from yibao.normalise import cells
from yibao.normalise.cells import is_amount, parse_amount, tokens_of
from yibao.normalise.rows import is_header_line, is_noise
from yibao.recognise.titles import Segment
from yibao.reference import vocabulary
from yibao.text import join_text, squeeze

WORDS = vocabulary("projects")
UNIT_NAME = WORDS.pattern("unit_name")
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
    for line in lines:
        is_header_row = WORDS.word("project_name") in squeeze(line.text)
        if "\t" not in line.text or is_noise(line.text) or (is_header_line(line.text) and not is_header_row):
            continue
        parts = [p.strip() for p in line.text.split("\t")]
        if name_at is None or WORDS.word("project_name") in squeeze(line.text):
            if WORDS.word("project_name") in squeeze(line.text):
                unit_at = _header_index(parts, *WORDS.words("unit_headers"))
                name_at = _header_index(parts, WORDS.word("project_name"))
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
        if cells.is_total_label(labels[0] if labels else ""):
            started = True
            continue
        if not started:
            continue
        if amounts and labels:
            unit_index = next((i for i, t in enumerate(labels) if UNIT_NAME.search(t) and i > 0), None)
            if unit_index is None and pending_name and UNIT_NAME.search(labels[0]):
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
                say("projects.unread_tail", text="".join(pending_name)),
                segment.kind.table_id,
                lines[-1].page,
                lines[-1].number,
            )
        )
    return projects
