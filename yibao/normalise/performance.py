"""Performance targets (绩效目标表): projects with their unit and budget (预算数) above their
indicator rows (一级 / 二级 / 三级指标, 指标值, 权重 …), in the three layouts documents print them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from yibao.messages import say
from yibao.model import Line, PerformanceTarget, Problem, Project
from yibao.normalise import cells
from yibao.normalise.cells import is_amount, parse_amount, tokens_of
from yibao.normalise.projects import PROJECT_CODE, UNIT_CODE, UNIT_NAME, is_unit_row, read_project_table
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
PACKED = WORDS.pattern("packed_indicator")
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
        if any(_is_project_header(line) for line in lines):
            return _performance_by_columns(segment, lines, problems)
        read = _performance_from_cells(segment, lines)
        return read if read != ([], []) else _performance_by_columns(segment, lines, problems)
    if any(squeeze(line.text).startswith(WORDS.word("project_code")) for line in lines):
        return _performance_single_project(segment, lines)
    found = _performance_list(segment, lines, problems)
    if found == ([], []):  # a list of projects and their targets in words (重点项目绩效目标表)
        return read_project_table(segment, problems), []
    return found


def _is_project_header(line: Line) -> bool:
    """A header row naming the project column and an indicator's (项目名称 | 项目总额 | … | 三级指标):
    one row per project, its indicators beside and below it."""
    keys = {_column_key(squeeze(p)) for p in line.text.split("\t")}
    return "project" in keys and bool(keys & {"level1", "level3", "indicator"})


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
            if project in WORDS.words("field_heads"):  # the name's cell is blank: the next field's heading
                project = ""
            unit = project if first.startswith(WORDS.word("department")) else ""
            columns = {}
            above = {"level1": "", "level2": ""}
            if project and not first.startswith(WORDS.word("department")):
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


# a header row names at least two columns, one of them the project's or an indicator's
_INDICATOR_OR_PROJECT = {"project", "level1", "level3", "indicator", "value"}


def _performance_by_columns(
    segment: Segment, lines: list[Line], problems: list[Problem]
) -> tuple[list[Project], list[PerformanceTarget]]:
    """Tab-separated rows, in either arrangement the documents print, or both:
    - key | value rows naming the project or the body (`项目(政策)名称 | X`, `部门名称 | X`,
      `预算资金情况 | 10.00`, `年度绩效目标 | …`), then indicator rows under a header row;
    - one header row naming every column (`序号 | 项目名称 | 金额 | 绩效目标 | 指标名称 | 指标值 …`):
      a row whose project cell is filled opens a project, the indicator rows below are its targets.
    Columns are known by their header words (performance.yml `columns`); blank 一级 / 二级 cells
    repeat the row above; a 绩效指标 cell printing the three levels as one is split by their names;
    a target of no project (部门整体绩效目标表) belongs to its 活动, or to the body."""
    state = _CellsState(segment)
    for line in lines:
        parts = [p.strip() for p in line.text.split("\t")]
        first = squeeze(parts[0]) if parts else ""
        filled = [p for p in parts[1:] if p]
        header = {_column_key(squeeze(p)): i for i, p in enumerate(parts) if _column_key(squeeze(p))}
        if "level3" in header:
            header.pop("indicator", None)  # 绩效指标 heads the 一级 labels beside the 指标名称 column
        if len(header) >= 2 and set(header) & _INDICATOR_OR_PROJECT:
            if state.columns.get("project") == header.get("project", -1):
                header = {**state.columns, **header}  # the header repeated on the next page, a cell overprinted
            state.columns, state.above = header, {"level1": "", "level2": ""}
        elif first.startswith(WORDS.words("body_heads")) and not state.columns:
            state.body = squeeze(filled[0] if filled else first.removeprefix(_head(first, "body_heads")))
        elif first.startswith(WORDS.words("project_name_heads")):
            name = squeeze(filled[0]) if filled else ""
            name = "" if name in WORDS.words("field_heads") else name  # a blank name: the next field's heading
            state.open_project(name, line, department=first.startswith(WORDS.word("department")))
        elif first.startswith(WORDS.word("implementing_unit")) or WORDS.word("implementing_unit") in squeeze(line.text):
            at = next((i for i, p in enumerate(parts) if squeeze(p) == WORDS.word("implementing_unit")), None)
            if at is not None and at + 1 < len(parts):
                state.set_unit(squeeze(parts[at + 1]))
        elif first.startswith(WORDS.words("budget_heads")) and not state.columns:
            amount = next((p for p in filled if is_amount(p)), "")
            if state.current is not None and amount:
                state.current.amount = parse_amount(amount)
        elif first.startswith(WORDS.words("description_heads")) and not state.columns:
            if state.current is not None and filled:
                state.current.description = filled[0]
        elif state.columns and "\t" in line.text:  # text beside the grid (clipped at a page break) is no row
            state.row(parts, line)
    problems.extend(state.problems)
    return state.projects, state.targets


def _head(text: str, heads: str) -> str:
    return next((h for h in WORDS.words(heads) if text.startswith(h)), "")


@dataclass
class _CellsState:
    """What the rows read so far say: the body, the project open, the columns and the levels above."""

    segment: Segment
    projects: list[Project] = field(default_factory=list)
    targets: list[PerformanceTarget] = field(default_factory=list)
    current: Project | None = None
    project: str = ""  # whom the next targets belong to
    unit: str = ""
    body: str = ""
    activity: str = ""
    columns: dict[str, int] = field(default_factory=dict)
    above: dict[str, str] = field(default_factory=lambda: {"level1": "", "level2": ""})
    problems: list[Problem] = field(default_factory=list)

    def open_project(self, name: str, line: Line, department: bool = False) -> None:
        self.project, self.columns, self.above = name, {}, {"level1": "", "level2": ""}
        self.unit = name if department else ""
        self.current = None
        if name and not department:
            self.current = Project(
                len(self.projects) + 1, name, "", None, "", self.segment.kind.table_id, line.page, line.number
            )
            self.projects.append(self.current)

    def _project_cells(self, name: str, record: dict[str, str], line: Line) -> None:
        """A row opening a project (its name printed); a row printing an amount and no name is a
        part of a project whose name cell spans several (Beijing's 预算12表): which project it is
        the page does not say row by row, so it is reported, not guessed."""
        amount = record.get("amount", "")
        if not name:
            self.problems.append(
                Problem("warning", say("performance.amount_without_name", page=line.page, amount=amount),
                        self.segment.kind.table_id, line.page, line.number)
            )  # fmt: skip
            return
        unit = squeeze(record.get("unit", "")) or self.unit
        self.project, self.activity, self.above = name, "", {"level1": "", "level2": ""}
        description = join_text([record.get("description", "")])
        value = parse_amount(amount) if is_amount(amount) else None
        self.current = Project(
            len(self.projects) + 1, name, unit, value, description, self.segment.kind.table_id, line.page, line.number
        )
        self.projects.append(self.current)

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        if self.current is not None and self.current.name == self.project:
            self.current.unit = unit

    def row(self, parts: list[str], line: Line) -> None:
        record = {key: parts[i] if i < len(parts) else "" for key, i in self.columns.items()}
        name = squeeze(record.get("project", ""))
        if name and is_unit_row(name) and not record.get("indicator") and not record.get("level3"):
            self.unit, self.project, self.current = name, "", None  # a unit's subtotal row heads its projects
            return
        if name and not cells.is_total_label(name):
            self._project_cells(name, record, line)
        elif is_amount(record.get("amount", "")):
            self._project_cells("", record, line)
        if record.get("activity"):
            self.activity = squeeze(record["activity"])
        packed = list(PACKED.finditer(squeeze(record.get("indicator", ""))))
        if packed:
            for match in packed:
                operator, number, unit = split_value(match.group("value"))
                fields = dict(match.groupdict(), operator=operator, value=number, value_unit=unit)
                self.targets.append(_target(self.project, self.unit, line, **fields))
            return
        if record.get("indicator"):
            level1, level2, level3 = split_levels(squeeze(record["indicator"]))
            record.update(level1=level1, level2=level2, level3=level3)
        found = _indicator_record(list(record.values()), {k: i for i, k in enumerate(record)}, self.above)
        if found is None or not (found.get("value") or found.get("operator")):
            return  # no indicator: a label printed in the column (表十一), not a target
        owner = self.project or self.activity or self.body
        unit = self.current.unit if self.current is not None and not self.activity else (self.unit or self.body)
        self.targets.append(
            _target(
                owner, unit, line,
                level1=squeeze(self.above["level1"]), level2=squeeze(self.above["level2"]), level3=squeeze(found.get("level3", "")),
                operator=found.get("operator", ""), value=found.get("value", ""), value_unit=found.get("value_unit", ""),
                weight=found.get("weight", ""), direction=found.get("direction", ""),
            )
        )  # fmt: skip


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
    """The field a header cell names: its words without an ordinal (7.绩效指标) or a bracketed
    unit (指标权重(%), 项目(政策)名称 → 项目名称)."""
    word = _HEADER_NOISE.sub("", header)
    return str(WORDS.table("columns").get(word, ""))


_HEADER_NOISE = WORDS.pattern("header_noise")


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
