"""Performance targets (绩效目标表): projects with their unit and budget (预算数) above their
indicator rows (一级 / 二级 / 三级指标, 指标值, 权重 …), in the three layouts documents print them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from yibao.model import Line, PerformanceTarget, Problem, Project
from yibao.normalise.cells import is_amount, parse_amount, tokens_of
from yibao.normalise.projects import PROJECT_CODE, UNIT_CODE, UNIT_NAME
from yibao.normalise.rows import is_noise
from yibao.recognise.titles import Segment
from yibao.reference import load_data, vocabulary
from yibao.text import join_text, squeeze

LEVEL1 = tuple(sorted(load_data("indicators.yml")["level1"], key=len, reverse=True))
LEVEL2 = tuple(sorted(load_data("indicators.yml")["level2"], key=len, reverse=True))
WORDS = vocabulary("performance")
DIRECTION = WORDS.pattern("direction")
OPERATORS = WORDS.words("operators")
VALUE = WORDS.pattern("value")
_VALUE_PARTS = re.compile(r"^(≥|≤|>=|<=|>|<|=)?\s*(\d[\d.,]*)\s*(.*)$")


@dataclass
class ProjectDraft:
    name_parts: list[str] = field(default_factory=list)
    unit_parts: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    description_parts: list[str] = field(default_factory=list)
    line: Line | None = None
    inherited_unit: list[str] = field(default_factory=list)  # a merged unit cell spans projects


def read_performance(segment: Segment, problems: list[Problem]) -> tuple[list[Project], list[PerformanceTarget]]:
    lines = [line for line in segment.lines if line.text.strip() and not is_noise(line.text)]
    if sum(1 for line in lines if "\t" in line.text) >= 2:
        return _performance_from_cells(segment, lines)
    if any(squeeze(line.text).startswith(WORDS.word("project_code")) for line in lines):
        return _performance_single_project(segment, lines)
    return _performance_list(segment, lines, problems)


def split_value(value: str) -> tuple[str, str, str]:
    """'≥98%' → ('≥', '98', '%'); a value that is not a number stays whole ('逐步提升')."""
    match = _VALUE_PARTS.match(value)
    if not match:
        return "", value, ""
    return match.group(1) or "", match.group(2), match.group(3)


def _target(project: str, unit: str, line: Line, **fields: str) -> PerformanceTarget:
    return PerformanceTarget(
        target_no=0,
        project_no=None,
        project=project,
        unit=unit,
        level1=fields.get("level1", ""),
        level2=fields.get("level2", ""),
        level3=fields.get("level3", ""),
        operator=fields.get("operator", ""),
        value=fields.get("value", ""),
        value_unit=fields.get("value_unit", ""),
        weight=fields.get("weight", ""),
        direction=fields.get("direction", ""),
        page=line.page,
        line=line.number,
    )


def _performance_from_cells(segment: Segment, lines: list[Line]) -> tuple[list[Project], list[PerformanceTarget]]:
    """Tab-separated: `项目(政策)名称 | X`, `预算资金情况 | 10.00`, then a header row with 一级指标
    and indicator rows whose blank 一级 / 二级 cells repeat the row above."""
    projects: list[Project] = []
    targets: list[PerformanceTarget] = []
    project = unit = ""
    columns: dict[str, int] = {}
    above = {"level1": "", "level2": ""}
    for line in lines:
        parts = [p.strip() for p in line.text.split("\t")]
        first = squeeze(parts[0]) if parts else ""
        filled = [p for p in parts[1:] if p]
        if first.startswith(WORDS.words("project_name_heads")):
            project = squeeze(filled[0]) if filled else ""
            unit = project if first.startswith(WORDS.word("department")) else ""
            columns = {}
            above = {"level1": "", "level2": ""}
            if not first.startswith(WORDS.word("department")):
                projects.append(
                    Project(len(projects) + 1, project, "", None, "", segment.kind.table_id, line.page, line.number)
                )
            continue
        if first.startswith(WORDS.word("implementing_unit")) or WORDS.word("implementing_unit") in squeeze(line.text):
            at = next((i for i, p in enumerate(parts) if squeeze(p) == WORDS.word("implementing_unit")), None)
            if at is not None and at + 1 < len(parts):
                unit = squeeze(parts[at + 1])
                if projects and projects[-1].name == project:
                    projects[-1].unit = unit
            continue
        if first.startswith(WORDS.words("budget_heads")):
            amount = next((p for p in filled if is_amount(p)), "")
            if projects and projects[-1].name == project and amount:
                projects[-1].amount = parse_amount(amount)
            continue
        if first.startswith(WORDS.words("description_heads")):
            if projects and projects[-1].name == project and filled:
                projects[-1].description = filled[0]
            continue
        if WORDS.word("level1_header") in [squeeze(p) for p in parts]:
            columns = {_column_key(squeeze(p)): i for i, p in enumerate(parts) if _column_key(squeeze(p))}
            continue
        if not columns:
            continue
        record = _indicator_record(parts, columns, above)
        if record is None:
            continue
        targets.append(
            _target(
                project, unit, line,
                level1=squeeze(above["level1"]), level2=squeeze(above["level2"]), level3=record.get("level3", ""),
                operator=record.get("operator", ""), value=record.get("value", ""), value_unit=record.get("value_unit", ""),
                weight=record.get("weight", ""), direction=record.get("direction", ""),
            )
        )  # fmt: skip
    return projects, targets


def _indicator_record(parts: list[str], columns: dict[str, int], above: dict[str, str]) -> dict[str, str] | None:
    """An indicator row's cells by column; its blank 一级 / 二级 cells repeat the row above
    (`above` is updated). None for a row that names no 三级指标."""
    record = {key: parts[i] if i < len(parts) else "" for key, i in columns.items()}
    if record.get("level1"):
        above["level1"] = record["level1"]
        above["level2"] = ""
    if record.get("level2"):
        above["level2"] = record["level2"]
    return record if record.get("level3") else None


def _column_key(header: str) -> str:
    return str(WORDS.table("columns").get(header, ""))


def _performance_single_project(segment: Segment, lines: list[Line]) -> tuple[list[Project], list[PerformanceTarget]]:
    """One table per project: `项目编码 … 项目名称 X`, `预算数 70.00 其中：财政资金 70.00`, then
    indicator rows `二级指标 三级指标 描述 指标值 依据` under 一级指标 headings."""
    project: Project | None = None
    targets: list[PerformanceTarget] = []
    level1 = ""
    in_targets = False
    name_follows = False
    describing = False  # the lines after 预算数 describe what the money is for
    for line in lines:
        squeezed = squeeze(line.text)
        tokens = tokens_of(line.text)
        if name_follows and not squeezed.startswith(WORDS.word("budget")):
            if project is None:
                project = Project(1, squeezed, "", None, "", segment.kind.table_id, line.page, line.number)
            else:  # the name wraps onto one more line
                project.name += squeezed
            continue
        name_follows = False
        if WORDS.word("project_name") in squeezed and project is None:
            name = line.text.split(WORDS.word("project_name"), 1)[1].strip()
            if not name:  # the name is printed on the next line
                name_follows = True
                continue
            project = Project(1, squeeze(name), "", None, "", segment.kind.table_id, line.page, line.number)
            continue
        if project is not None and project.amount is None and squeezed.startswith(WORDS.word("budget_amount")):
            amount = next((t for t in tokens if is_amount(t)), "")
            project.amount = parse_amount(amount) if amount else None
            describing = True
            continue
        if squeezed.startswith(WORDS.words("description_ends")):
            describing = False
        if describing and project is not None:
            project.description = join_text([project.description, squeezed])
            continue
        if squeezed.startswith(WORDS.word("level1_header")):
            in_targets = True
            continue
        if not in_targets or project is None:
            continue
        if tokens and tokens[0] in LEVEL1:
            level1 = tokens[0]
            tokens = tokens[1:]
        if len(tokens) < 3:
            continue
        # 二级指标 三级指标 绩效指标描述 指标值 指标值确定依据: with five cells each is in place;
        # a wrapped row prints fewer, and the value is the last one that looks like a value
        if not tokens[0].endswith(WORDS.words("level_endings")):  # the 二级 / 三级 cells wrapped onto lines above
            tokens = ["", *tokens]
        if len(tokens) == 5:
            value = tokens[3]
        else:
            value = next((t for t in reversed(tokens[2:-1] or tokens[2:]) if VALUE.search(t)), "")
        operator, number, unit = split_value(value)
        targets.append(
            _target(
                project.name, project.unit, line, level1=level1, level2=tokens[0], level3=tokens[1],
                operator=operator, value=number, value_unit=unit,
            )
        )  # fmt: skip
    return ([project] if project else []), targets


def _performance_list(
    segment: Segment, lines: list[Line], problems: list[Problem]
) -> tuple[list[Project], list[PerformanceTarget]]:
    """A list of projects, each with its name, unit, 预算数 and description, then indicator rows
    ending with the direction (正向 / 反向): `[一级] [二级] 三级 运算符 指标值 [单位] 权重 方向`."""
    projects: list[Project] = []
    targets: list[PerformanceTarget] = []
    draft: ProjectDraft | None = None
    pending: list[tuple[str, Line]] = []
    level1 = level2 = ""
    for line in lines:
        tokens = tokens_of(line.text)
        squeezed = squeeze(line.text)
        if not tokens or squeezed.startswith(WORDS.words("list_skipped")):
            continue
        opens = _starts_project(tokens) or (draft is None and (UNIT_CODE.match(tokens[0]) or tokens[0].isdigit()))
        if opens and (draft is None or draft.amount is not None):
            if draft is not None:
                projects.append(_finish(draft, len(projects) + 1, segment))
            previous_unit = draft.unit_parts if draft is not None else []
            draft = ProjectDraft(line=line)
            draft.inherited_unit = previous_unit
            level1 = level2 = ""
            pending = []
        if draft is None:
            continue
        if draft.amount is None:
            _read_project_header(draft, tokens)
            continue
        if DIRECTION.match(tokens[-1]) or (pending and DIRECTION.match(tokens[-1])):
            words = [w for w, _ in pending] + tokens
            target, level1, level2 = _indicator(words, level1, level2)
            if target:
                where = pending[0][1] if pending else line
                targets.append(_target(_clean_project_name(join_text(draft.name_parts)), "", where, **target))
            pending = []
            continue
        if tokens[0] in LEVEL1 and len(tokens) == 1:
            level1, level2 = tokens[0], ""
            continue
        if not level1 and not any(t in LEVEL1 for t in tokens) and not pending:
            draft.description_parts.append(squeezed)
            continue
        pending.extend((t, line) for t in tokens)
    if draft is not None:
        projects.append(_finish(draft, len(projects) + 1, segment))
    return [p for p in projects if p.name], targets


def _starts_project(tokens: list[str]) -> bool:
    return bool(PROJECT_CODE.match(tokens[0]))


def _read_project_header(draft: ProjectDraft, tokens: list[str]) -> None:
    """Name, unit and budget of a project in a performance list, in whichever order printed:
    a unit starts with its code (`100001-某某` `省医疗保障局`) and ends with 局 / 中心 …; the
    name is everything else before the amount; what follows the amount describes the project."""
    for token in tokens:
        if draft.amount is not None:
            draft.description_parts.append(token)
        elif is_amount(token) and "." in token:
            draft.amount = parse_amount(token)
        elif token.isdigit() and len(token) < 4 and not draft.name_parts and not draft.unit_parts:
            continue  # 序号
        elif (UNIT_CODE.match(token) and not PROJECT_CODE.match(token)) or (
            draft.unit_parts and not UNIT_NAME.search("".join(draft.unit_parts))
        ):
            draft.unit_parts.append(token)
        else:
            draft.name_parts.append(token)


def _finish(draft: ProjectDraft, number: int, segment: Segment) -> Project:
    line = draft.line
    assert line is not None
    return Project(
        project_no=number,
        name=_clean_project_name(join_text(draft.name_parts)),
        unit=re.sub(r"^\d{6}-", "", join_text(draft.unit_parts or draft.inherited_unit)),
        amount=draft.amount,
        description=join_text(draft.description_parts),
        source_table=segment.kind.table_id,
        page=line.page,
        line=line.number,
    )


def _clean_project_name(name: str) -> str:
    """Drop the budget system's project code printed before the name (`R100155.358-差旅费补助`)."""
    return re.sub(r"^([A-Z]\d{6}\.\d{3}|[\d ]{10,})-", "", name)


def _leading(text: str, names: tuple[str, ...]) -> tuple[str, str]:
    """A known name at the start of text, whole or cut short by one character: (name, rest)."""
    for name in names:
        for printed in (name, name[:-1]):
            if text.startswith(printed):
                return name, text[len(printed) :]
    return "", text


def split_levels(text: str, with_level1: bool = True) -> tuple[str, str, str]:
    """'效益指标社会效益指标政策知晓率' → ('效益指标', '社会效益指标', '政策知晓率'): the wrapped
    level cells of an indicator row, read back by their known names."""
    level1, rest = _leading(text, LEVEL1) if with_level1 else ("", text)
    level2, rest = _leading(rest, LEVEL2)
    return level1, level2, rest


def _indicator(words: list[str], level1: str, level2: str) -> tuple[dict[str, str] | None, str, str]:
    words = list(words)
    level1_printed = bool(words) and words[0] in LEVEL1
    if level1_printed:
        level1 = words.pop(0)
    if len(words) < 4:
        return None, level1, level2
    direction = words.pop()
    weight = words.pop() if is_amount(words[-1]) else ""
    operator_at = next((i for i, w in enumerate(words) if w in OPERATORS), None)
    if operator_at is None:
        return None, level1, level2
    before, after = words[:operator_at], words[operator_at + 1 :]
    operator = words[operator_at]
    level1_found, level2_found, level3 = split_levels(join_text(before), with_level1=not level1_printed)
    level1 = level1_found or level1
    level2 = level2_found or level2
    value = after[0] if after else ""
    unit = join_text(after[1:]) if len(after) > 1 else ""
    return (
        {"level1": level1, "level2": level2, "level3": level3, "operator": operator,
         "value": value, "value_unit": unit, "weight": weight, "direction": direction},
        level1,
        level2,
    )  # fmt: skip
