"""Classification codes as tables print them in their label cells.

- one cell per code: `2080501`;
- code and name in one cell: `[205]教育支出`, `2050305-其他教育支出`, `30101 基本工资`;
- three cells 类 | 款 | 项: `210 | 15 | 01` is 2101501. A blank 类 (or 款) cell under a row that
  printed it continues the class (segment) of the rows above; a 款 printed as `5` is `05`.

A table may print two classifications side by side (部门 and 政府 economic codes): each run of
code cells is a *group*, and the row takes the group of the table's own family
(`yibao/data/columns.yml`, `code_families`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from yibao.messages import say
from yibao.normalise.cells import is_code
from yibao.reference import load_data, vocabulary
from yibao.text import squeeze

# code and name in one cell: "[205]教育支出", "2050305-其他教育支出", "30101 基本工资"
_CODE_AND_NAME = vocabulary("cells").pattern("code_and_name")


@cache
def _columns() -> dict[str, object]:
    return load_data("columns.yml")


def exact_part_role(header_word: str) -> str:
    """The role of a label column whose header word is one of columns.yml's, whole; else ''."""
    word = squeeze(header_word)
    roles = _columns()["label_columns"]
    assert isinstance(roles, dict)
    return next((str(role) for role, words in roles.items() if word in words), "")


def part_role(header_word: str) -> str:
    """The role of a label column from its lowest header word: class | segment | item (the
    three code parts), code (a whole code), name, or '' (neither)."""
    word = squeeze(header_word)
    roles = _columns()["label_columns"]
    assert isinstance(roles, dict)
    exact = exact_part_role(word)
    if exact:
        return exact
    for role, words in roles.items():
        if any(w in word for w in words if len(w) > 1):
            return str(role)
    return ""


def split_code(cell: str) -> tuple[str, str]:
    """'2050305-其他教育支出' → ('2050305', '其他教育支出'); ('', cell) when no code leads it."""
    text = cell.strip()
    match = _CODE_AND_NAME.match(text)
    if not match:
        return "", text
    return match.group(1), (match.group(2) or "").strip()


@dataclass
class CodeGroup:
    """A run of label columns that together print one code: 类 | 款 | 项, or one code cell."""

    columns: list[tuple[int, str]]  # (label column index, role)
    name_column: int | None = None  # the name column printed right after the code
    last: dict[str, str] = field(default_factory=dict)  # carried 类 / 款 from the rows above

    def read(self, cells: list[str]) -> tuple[str, str, str]:
        """(code, name, note) of one row; the name only where the code cell printed it, a note
        where the code cell held more than a code."""
        parts = {role: _cell(cells, index) for index, role in self.columns}
        if "code" in parts:
            code, name = split_code(parts["code"])
            if code or not re.search(r"\d{3}", name):
                return code, name, ""
            code, note = code_from_cell(name)
            return code, ("" if code else name), note
        cls, seg, item = parts.get("class", ""), parts.get("segment", ""), parts.get("item", "")
        code, name = split_code(cls) if cls else ("", "")
        if code and len(code) > 3:  # the whole code printed in the 类 column
            return code, name, ""
        if not (cls or seg or item):
            return "", "", ""
        if not cls.isdigit():
            if not seg and not item:
                return "", cls, ""
            cls = self.last.get("class", "")
        seg = seg.zfill(2) if seg.isdigit() else ""
        item = item.zfill(2) if item.isdigit() else ""
        if not seg and item:
            seg = self.last.get("segment", "") if self.last.get("class") == cls else ""
        if not cls or (item and not seg):
            return "", "", ""
        self.last = {"class": cls, "segment": seg}
        return cls + seg + item, "", ""


def code_from_cell(cell: str) -> tuple[str, str]:
    """The classification code in a code cell; a note when the cell held more than the code."""
    tokens = cell.split()
    if not tokens:
        return "", ""
    codes = [t for t in tokens if is_code(t)]
    if len(tokens) == 1:
        return (tokens[0] if tokens[0].isdigit() else ""), ""
    if len(codes) == 1:
        return codes[0], say("code.extra_text", cell=cell, read=codes[0])
    return "", say("code.unreadable", cell=cell)


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def code_groups(roles: list[str]) -> list[CodeGroup]:
    """Runs of code columns among the label columns' roles, each with its name column."""
    groups: list[CodeGroup] = []
    current: CodeGroup | None = None
    for index, role in enumerate(roles):
        if role in ("class", "segment", "item"):
            if current is None or any(r == role for _, r in current.columns) or current.name_column is not None:
                current = CodeGroup(columns=[])
                groups.append(current)
            current.columns.append((index, role))
        elif role == "code":
            current = CodeGroup(columns=[(index, "code")])
            groups.append(current)
        elif role == "name":
            if current is not None and current.name_column is None:
                current.name_column = index
            else:  # a name column printing "code-name" cells is a group of its own
                groups.append(CodeGroup(columns=[(index, "code")]))
            current = None
        else:
            current = None
    return groups


def family_prefix(classification: str, table_id: str) -> str:
    """The first digit of the codes of the table's own family (2 function, 3 部门 economic,
    5 政府 economic)."""
    families = _columns()["code_families"]
    assert isinstance(families, dict)
    family = "government_economic" if "government_economic" in table_id else classification
    return str(families.get(family, ""))


def row_code(groups: list[CodeGroup], cells: list[str], prefix: str) -> tuple[str, str, str]:
    """The row's (code, name, note) from its label cells: the group of the table's family first."""
    read = []
    for group in groups:
        code, name, note = group.read(cells)
        if not name and group.name_column is not None:
            name = _cell(cells, group.name_column)
        read.append((code, name, note))
    coded = [r for r in read if r[0]]
    own = [r for r in coded if prefix and r[0].startswith(prefix)]
    if own:
        return own[0]
    if coded:
        return coded[0]
    names = [n for _, n, _ in read if n]
    return "", (names[0] if names else ""), ""
