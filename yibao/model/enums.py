"""Closed vocabularies of the domain, equal to the `enum` constraints of the data package's
schema (yibao/data/schema.yml; a test keeps the two the same).

`StrEnum` members are strings: they are written to the CSVs and compared with text as they are.
"""

from __future__ import annotations

from enum import StrEnum


class DocType(StrEnum):
    BUDGET = "budget"  # 预算
    FINAL_ACCOUNTS = "final_accounts"  # 决算


class Scope(StrEnum):
    DEPARTMENT = "department"  # 部门 (the department with its units)
    UNIT = "unit"  # 单位 (one unit)


class AdminLevel(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


class DocumentStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # parsed; some tables not found or some checks failed
    ERROR = "error"  # nothing usable


class TableStatus(StrEnum):
    OK = "ok"
    EMPTY = "empty"  # printed with no rows (空表)
    PARTIAL = "partial"
    UNREAD = "unread"  # recognised by its title; its rows could not be read (a problem says where)


class UnitSource(StrEnum):
    """Where a table's unit comes from."""

    PRINTED = "printed"  # printed with the table ("单位：元")
    DOCUMENT = "document"  # not printed with it: the unit the document's other tables print
    DEFAULT = "default"  # printed nowhere: 万元, the national templates' unit


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


class Outcome(StrEnum):
    EXACT = "exact"
    ROUNDING = "rounding"  # within one cent per summed item (尾数误差)
    MISMATCH = "mismatch"
    NOT_APPLICABLE = "not_applicable"


class Placement(StrEnum):
    """How an amount was put in its column."""

    COLUMN = "column"  # printed position
    IDENTITY = "identity"  # the only placement the identities allow
    ORDER = "order"  # left to right, consistent with every identity


class Level(StrEnum):
    """A row's place in its classification."""

    TOTAL = "total"  # 合计
    CLASS = "class"  # 类
    SEGMENT = "segment"  # 款
    ITEM = "item"  # 项
    LINE = "line"  # an uncoded line


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Side(StrEnum):
    """Which column pair of a summary table (收支总表) a row is printed in."""

    INCOME = "income"
    EXPENDITURE = "expenditure"
    EXPENDITURE_ECONOMIC = "expenditure_economic"


class Classification(StrEnum):
    FUNCTION = "function"  # 支出功能分类
    ECONOMIC = "economic"  # 支出经济分类
    NONE = ""


class TableFamily(StrEnum):
    """How a table's rows are read (one reader in yibao/normalise per family)."""

    CLASSIFIED = "classified"  # code + name + amounts
    SUMMARY = "summary"  # income | expenditure side by side
    THREE_PUBLIC = "three_public"
    PROJECTS = "projects"
    PERFORMANCE = "performance"


class ScoreOutcome(StrEnum):
    """How a document meets one scorecard criterion (yibao/data/scorecard.yml)."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"  # the criterion does not apply (a table with amounts needs no 空表 note)
    NOT_ASSESSED = "not_assessed"  # the criterion applies but the document does not let us tell
