"""normalise on rows of real published tables, as the extract stage hands them on (tab-separated
cells, merged header cells blank). Every expected value was read by hand from the PDF page
named in the test (../shared/real/, checked with `pdftotext -layout` against the page image);
none is copied from this program's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from yibao.model import Cell, Document, Line, Metadata, Problem, SourceText, Table
from yibao.normalise.classified import read_classified
from yibao.normalise.codes import CodeGroup, code_groups, split_code
from yibao.normalise.header_tree import cells_from_rows, layout_from_leaves, leaves
from yibao.normalise.screen import screened
from yibao.normalise.summary import read_summary
from yibao.normalise.three_public import read_three_public
from yibao.recognise.titles import Segment
from yibao.reference import table_kinds
from yibao.validate import run_checks


def D(text: str) -> Decimal:
    return Decimal(text)


def segment(table_id: str, title: str, page: int, rows: list[str]) -> Segment:
    kind = next(k for k in table_kinds() if k.table_id == table_id)
    title_line = Line(page, 1, title)
    lines = [Line(page, number, text) for number, text in enumerate(rows, start=2)]
    return Segment(kind=kind, title=title, title_line=title_line, lines=lines)


def amounts(table: Table, code: str, name: str = "") -> dict[str, Decimal]:
    found = [r for r in table.rows if r.code == code and (not name or r.name == name)]
    assert len(found) == 1, [(r.code, r.name) for r in table.rows]
    return found[0].amounts


# 022_yt-ybj-2026-bumen-yusuan.pdf, page 15 (公开表5 一般公共预算支出情况表): codes in 类 | 款 | 项
# columns, 类 and 款 left blank under the row that printed them; header 基本支出 over three cells.
YANTAI_P15 = [
    "部门（单位）：烟台市医疗保障局 单位：万元",
    "科目编码\t\t\t科目名称\t合 计\t基本支出\t\t\t项目支出",
    "类\t款\t项\t\t\t小 计\t人员支出\t日常公用支出\t",
    "\t\t\t合 计\t15,375.67\t2,200.67\t2,035.20\t165.48\t13,175.00",
    "205\t\t\t教育支出\t4.70\t4.70\t\t4.70\t",
    "\t08\t\t进修及培训\t4.70\t4.70\t\t4.70\t",
    "\t\t03\t培训支出\t4.70\t4.70\t\t4.70\t",
    "208\t\t\t社会保障和就业支出\t327.92\t257.92\t257.92\t\t70.00",
    "\t05\t\t行政事业单位养老支出\t257.92\t257.92\t257.92\t\t",
    "\t\t01\t行政单位离退休\t13.27\t13.27\t13.27\t\t",
]


def test_codes_in_three_columns_are_joined_with_the_class_carried_down() -> None:
    problems: list[Problem] = []
    table = read_classified(
        segment("general_budget_expenditure", "一般公共预算支出情况表", 15, YANTAI_P15), 1, problems
    )
    assert table is not None
    assert [c.measure for c in table.columns] == ["total", "basic", "personnel", "public", "project"]
    assert [r.code for r in table.rows] == ["", "205", "20508", "2050803", "208", "20805", "2080501"]
    assert amounts(table, "", "合计") == {
        "total": D("15375.67"),
        "basic": D("2200.67"),
        "personnel": D("2035.20"),
        "public": D("165.48"),
        "project": D("13175.00"),
    }
    # a blank cell of a printed row is 0, in its own column
    assert amounts(table, "2050803") == {
        "total": D("4.70"),
        "basic": D("4.70"),
        "personnel": D("0"),
        "public": D("4.70"),
        "project": D("0"),
    }
    assert amounts(table, "208")["project"] == D("70.00")
    assert table.rows[3].parent_code == "20508" and table.rows[3].level == "item"
    assert ("basic", ["personnel", "public"]) in table.identities
    assert not problems


@pytest.mark.parametrize("token", ["NaN", "２５７．９２", "(257.92)", "#N/A", "2.5792e2"])
def test_a_cell_that_is_no_clean_amount_is_a_problem_and_moves_no_column(token: str) -> None:
    """The 人员支出 cell of 208 replaced: a problem at its page and line, the cell read as blank,
    the 项目支出 70.00 after it still in its own column, the name as printed."""
    rows = [
        r.replace("社会保障和就业支出\t327.92\t257.92\t257.92", f"社会保障和就业支出\t327.92\t257.92\t{token}")
        for r in YANTAI_P15
    ]
    problems: list[Problem] = []
    read = screened(segment("general_budget_expenditure", "一般公共预算支出情况表", 15, rows), problems)
    table = read_classified(read, 1, problems)
    assert table is not None
    row = next(r for r in table.rows if r.code == "208")
    assert row.name == "社会保障和就业支出"
    assert (row.amounts["basic"], row.amounts["personnel"], row.amounts["project"]) == (D("257.92"), D("0"), D("70.00"))
    (problem,) = problems
    assert (problem.severity, problem.table, problem.page, problem.line) == (
        "error",
        "general_budget_expenditure",
        15,
        row.line,
    )
    assert problem.reason.startswith(f"第 15 页第 {row.line} 行（一般公共预算支出情况表）：“{token}”不是规范的金额")


# 018_bj-ybj-2026-bumen-yusuan-baobiao.pdf, page 6 (预算05表 一般公共预算支出表): three header rows,
# 预算数 over every amount column, 项目支出 over 项目支出总数 and 扣除基建项目后预算数.
BEIJING_P6_HEADER = [
    "\t功能分类科目\t\t预算数\t\t\t\t\t",
    "\t科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出\t",
    "\t\t\t\t小计\t人员经费\t公用经费\t项目支出总数\t扣除基建项目后预算数",
]


def test_header_tree_names_every_column_by_its_path() -> None:
    cells = cells_from_rows([row.split("\t") for row in BEIJING_P6_HEADER])
    found = leaves(cells, 3, 9)
    assert [leaf.measure for leaf in found] == [
        "total", "basic", "personnel", "public", "project", "project_excluding_capital_construction",
    ]  # fmt: skip
    layout, unknown = layout_from_leaves(found)
    assert not unknown
    # 扣除基建项目后预算数 is a figure beside 项目支出, not a part of the total
    assert layout.identities == [("total", ["basic", "project"]), ("basic", ["personnel", "public"])]


def test_unknown_column_is_reported_with_its_page_not_published() -> None:
    # the same page with its last header cell renamed to words no measure has
    header = [*BEIJING_P6_HEADER[:2], BEIJING_P6_HEADER[2].replace("扣除基建项目后预算数", "备用列甲乙")]
    rows = [
        *header,
        "\t2050803\t培训支出\t99.812380\t18.000000\t\t18.000000\t81.812380\t81.812380",
        "\t2101501\t行政运行\t4,247.250789\t4,247.250789\t3,914.676706\t332.574083\t\t",
    ]
    problems: list[Problem] = []
    table = read_classified(segment("general_budget_expenditure", "预算05表一般公共预算支出表", 6, rows), 1, problems)
    assert table is not None
    assert amounts(table, "2050803") == {
        "total": D("99.812380"),
        "basic": D("18.000000"),
        "personnel": D("0"),
        "public": D("18.000000"),
        "project": D("81.812380"),
    }
    assert amounts(table, "2101501")["personnel"] == D("3914.676706")
    assert [p.page for p in problems] == [6]
    assert "备用列甲乙" in problems[0].reason


def test_year_columns_and_phases() -> None:
    # a 三公 table printing last year's columns beside this year's (golden 023, page 26 layout)
    header = [
        "2025年预算数\t\t\t\t\t2026年预算数\t\t\t\t",
        "合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t公务接待费\t合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t公务接待费",
        "\t\t小计\t公务用车购置经费\t\t\t\t小计\t公务用车购置经费\t",
    ]
    found = leaves(cells_from_rows([r.split("\t") for r in header]), 0, 10)
    assert [leaf.measure for leaf in found] == [
        "previous_total", "previous_overseas", "previous_vehicle", "previous_vehicle_purchase", "previous_reception",
        "total", "overseas", "vehicle", "vehicle_purchase", "reception",
    ]  # fmt: skip
    # a 决算 三公 table: 预算数 and 决算数 under each category, 决算数 the primary amount
    final = [
        "合计\t\t因公出国（境）费\t",
        "预算数\t决算数\t预算数\t决算数",
    ]
    found = leaves(cells_from_rows([r.split("\t") for r in final]), 0, 4)
    assert [leaf.measure for leaf in found] == ["total_initial_budget", "total", "overseas_initial_budget", "overseas"]
    # funds under a category are a dimension of it; under a funding source, its parts
    funds = ["因公出国(境)费\t\t财政拨款\t", "一般公共预算\t政府性基金预算\t一般公共预算\t政府性基金预算"]
    found = leaves(cells_from_rows([r.split("\t") for r in funds]), 0, 4)
    assert [leaf.measure for leaf in found] == [
        "overseas_general_budget",
        "overseas_gov_fund",
        "general_budget",
        "gov_fund",
    ]


def test_code_cells() -> None:
    assert split_code("[205]教育支出") == ("205", "教育支出")
    assert split_code("2050305-其他教育支出") == ("2050305", "其他教育支出")
    assert split_code("30101-基本工资") == ("30101", "基本工资")
    assert split_code("一般公共服务支出") == ("", "一般公共服务支出")
    group = CodeGroup(columns=[(0, "class"), (1, "segment"), (2, "item")])
    assert group.read(["210", "15", "1"])[0] == "2101501"  # zero-filled
    assert group.read(["", "", "02"])[0] == "2101502"  # 类 and 款 carried down
    assert group.read(["", "11", ""])[0] == "21011"
    # two economic classifications side by side (022 page 17: 部门 301|01, 政府 501|01)
    groups = code_groups(["class", "segment", "name", "class", "segment", "name"])
    assert [g.name_column for g in groups] == [2, 5]


# 005_sh-putuo-wanli-2024-bumen-yusuan.pdf, page 21 (2024年部门财政拨款收支预算总表, in 元): two panels,
# the expenditure one with four amount columns, blank cells where nothing is budgeted.
WANLI_P21 = [
    "编制部门：上海市普陀区人民政府万里街道办事处 单位：元",
    "财政拨款收入\t\t财政拨款支出\t\t\t\t",
    "项目\t预算数\t项目\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算",
    "一、一般公共预算资金\t156,211,123\t一、一般公共服务支出\t2,932,700\t2,932,700\t\t",
    "二、政府性基金\t\t二、公共安全支出\t1,633,000\t1,633,000\t\t",
    "\t\t九、住房保障支出\t8,882,399\t8,882,399\t\t",
    "收入总计\t156,211,123\t支出总计\t156,211,123\t156,211,123\t\t",
]


def test_summary_table_in_two_panels() -> None:
    table = read_summary(segment("appropriation_summary", "2024年部门财政拨款收支预算总表", 21, WANLI_P21), 1, [])
    assert table is not None
    rows = {(r.side, r.name): r.amounts for r in table.rows}
    assert rows[("income", "一、一般公共预算资金")] == {"income": D("156211123")}
    assert rows[("income", "二、政府性基金")] == {"income": D("0")}
    assert rows[("expenditure", "二、公共安全支出")] == {
        "expenditure": D("1633000"),
        "expenditure_general_budget": D("1633000"),
        "expenditure_gov_fund": D("0"),
        "expenditure_state_capital": D("0"),
    }
    assert rows[("expenditure", "支出总计")]["expenditure"] == D("156211123")
    assert ("income", "") not in rows
    # 合计 over 一般公共预算 | 政府性基金预算 | 国有资本经营预算: the header makes the first their total
    assert table.identities == [
        ("expenditure", ["expenditure_general_budget", "expenditure_gov_fund", "expenditure_state_capital"])
    ]


# 052_js-shengweiban-2019-bumen-yusuan-biaoge.pdf, page 1 (收支预算总表): income | function classes |
# 支出用途 panels; the totals 当年支出小计 and 支出合计 are printed across both expenditure panels,
# their amount in the last column; 当年收入小计 + 上年结转资金 = 收入合计. Classes without amounts left out.
JIANGSU_P1 = [
    "部门：中共江苏省委办公厅 单位：万元",
    "收入\t\t支出\t\t\t",
    "项目名称\t金额\t功能分类\t\t支出用途\t",
    "\t\t功能科目名称\t金额\t项目名称\t金额",
    "一、财政拨款\t27,664.22\t一、一般公共服务支出\t22,395.50\t一、基本支出\t11,700.63",
    "1.一般公共预算\t27,664.22\t二、外交支出\t\t二、项目支出\t13,025.38",
    "2.政府性基金预算\t\t三、国防支出\t\t三、单位预留机动经费\t2,938.21",
    "二、财政专户管理资金\t\t四、公共安全支出\t\t\t",
    "三、其他资金\t\t五、教育支出\t\t\t",
    "\t\t八、社会保障和就业支出\t1,374.63\t\t",
    "\t\t十八、住房保障支出\t3,894.09\t\t",
    "当年收入小计\t27,664.22\t当年支出小计\t\t\t27,664.22",
    "上年结转资金\t\t结转下年资金\t\t\t",
    "收入合计\t27,664.22\t支出合计\t\t\t27,664.22",
]


def test_a_total_printed_across_both_expenditure_panels_is_the_total_of_each() -> None:
    table = read_summary(segment("summary", "收支预算总表", 1, JIANGSU_P1), 1, [])
    assert table is not None
    rows = {(r.side, r.name): r.amounts for r in table.rows}
    assert rows[("expenditure", "当年支出小计")] == {"expenditure": D("27664.22")}
    assert rows[("expenditure_economic", "当年支出小计")] == {"expenditure_economic": D("27664.22")}
    assert rows[("expenditure", "支出合计")] == {"expenditure": D("27664.22")}
    assert rows[("expenditure", "结转下年资金")] == {"expenditure": D("0")}
    found = {c.check: (c.status, c.expected, c.actual) for c in run_checks(document_of(table), SourceText([], 1))}
    assert found["summary.function_classes_sum"] == (
        "pass",
        D("27664.22"),
        D("27664.22"),
    )  # 22395.50 + 1374.63 + 3894.09
    assert found["summary.economic_classes_sum"] == (
        "pass",
        D("27664.22"),
        D("27664.22"),
    )  # 11700.63 + 13025.38 + 2938.21
    assert found["summary.year_income_plus_carryover"] == ("pass", D("27664.22"), D("27664.22"))
    assert found["summary.year_expense_plus_carryforward"] == ("pass", D("27664.22"), D("27664.22"))
    table.rows[1].amounts["expenditure"] = D("22895.50")  # 一、一般公共服务支出 changed
    failed = [c.check for c in run_checks(document_of(table), SourceText([], 1)) if c.status == "fail"]
    assert failed == ["summary.function_classes_sum"]


def document_of(table: Table) -> Document:
    return Document("doc.txt", "0" * 64, Metadata(), tables=[table])


# 027_yt-renshe-2026-bumen-yusuan.pdf, page 23 (公开表7 一般公共预算“三公”经费支出情况表): 2025年预算数
# and 2026年预算数 side by side, each 合计 | 因公出国（境）经费 | 公务用车购置及运行维护费 (小计, 购置, 运行) |
# 公务接待费; one row of amounts: 20.60 = 0 + 8.00 + 12.60 last year, 20.60 = 5.00 + 4.00 + 11.60 this year.
YANTAI_RENSHE_P23 = [
    "部门（单位）：烟台市人力资源和社会保障局 单位：万元",
    "2025年预算数\t\t\t\t\t\t2026年预算数\t\t\t\t\t",
    "合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t\t公务接待费",
    "\t\t小计\t公务用车购置经费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置经费\t公务用车运行维护费\t",
    "20.60\t\t8.00\t\t8.00\t12.60\t20.60\t5.00\t4.00\t\t4.00\t11.60",
]


def test_three_public_columns_carry_the_categories_identities_for_both_years() -> None:
    table = read_three_public(segment("three_public", "一般公共预算“三公”经费支出情况表", 23, YANTAI_RENSHE_P23), 1, [])
    assert table is not None
    assert table.identities == [
        ("total", ["overseas", "vehicle", "reception"]),
        ("vehicle", ["vehicle_purchase", "vehicle_operation"]),
        ("previous_total", ["previous_overseas", "previous_vehicle", "previous_reception"]),
        ("previous_vehicle", ["previous_vehicle_purchase", "previous_vehicle_operation"]),
    ]
    found = {c.check: c.status for c in run_checks(document_of(table), SourceText([], 1))}
    assert set(found.values()) == {"pass"} and len(found) == 4
    table.rows[0].amounts["previous_reception"] = D("15.60")  # last year's 公务接待费 changed
    failed = [c for c in run_checks(document_of(table), SourceText([], 1)) if c.status == "fail"]
    assert [(c.check, c.message) for c in failed] == [
        ("three_public.row_previous_total_equals_parts",
         ": previous_total = previous_overseas + previous_vehicle + previous_reception"),
    ]  # fmt: skip


# 005_sh-putuo-wanli-2024-bumen-yusuan.pdf, pages 22–23 (2024年部门一般公共预算支出功能分类预算表, in 元):
# page 23 repeats the three header rows, its 类 | 款 | 项 row among them, with no title above.
WANLI_P22_P23 = [
    "项目\t\t\t\t一般公共预算支出\t\t",
    "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出",
    "类\t款\t项\t\t\t\t",
    "201\t38\t\t市场监督管理事务\t135,200\t0\t135,200",
    "201\t38\t02\t一般行政管理事务\t135,200\t0\t135,200",
    "项目\t\t\t\t一般公共预算支出\t\t",
    "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出",
    "类\t款\t项\t\t\t\t",
    "204\t\t\t公共安全支出\t1,633,000\t0\t1,633,000",
    "204\t06\t\t司法\t300,000\t0\t300,000",
]


def test_header_repeated_on_a_new_page_is_no_row() -> None:
    problems: list[Problem] = []
    table = read_classified(
        segment("general_budget_expenditure", "2024年部门一般公共预算支出功能分类预算表", 22, WANLI_P22_P23),
        1,
        problems,
    )
    assert table is not None
    # no row 201 without amounts made of the repeated 类 | 款 | 项 cells
    assert [r.code for r in table.rows] == ["20138", "2013802", "204", "20406"]
    assert amounts(table, "204") == {"total": D("1633000"), "basic": D("0"), "project": D("1633000")}


# 016_sh-ybzx-2026-danwei-yusuan.pdf, page 7 (2026年预算单位财务收支预算总表, in 元): 本年收入 | 本年支出
# over 项目 | 预算数 | 项目 | 预算数, the expenditure side's 预算数 over 合计 | 基本支出 (人员经费, 公用经费) | 项目支出.
YBZX_P7 = [
    "编制单位：上海市医疗保险事业管理中心 单位：元",
    "本年收入\t\t本年支出\t\t\t\t",
    "项目\t预算数\t项目\t预算数\t\t\t",
    "\t\t\t合计\t基本支出\t\t项目支出",
    "\t\t\t\t人员经费\t公用经费\t",
    "一、财政拨款收入\t193,018,000\t一、一般公共服务支出\t7,099,698\t6,910,898\t188,800\t",
    "1、一般公共预算\t193,018,000\t二、卫生健康支出\t175,412,674\t32,174,674\t8,838,000\t134,400,000",
]


def test_summary_header_row_over_the_label_row_is_no_item() -> None:
    table = read_summary(segment("summary", "2026年预算单位财务收支预算总表", 7, YBZX_P7), 1, [])
    assert table is not None
    rows = {(r.side, r.name): r.amounts for r in table.rows}
    assert ("income", "本年收入") not in rows
    assert rows[("income", "一、财政拨款收入")] == {"income": D("193018000")}
    assert rows[("expenditure", "二、卫生健康支出")] == {
        "expenditure": D("175412674"),
        "expenditure_personnel": D("32174674"),
        "expenditure_public": D("8838000"),
        "expenditure_project": D("134400000"),
    }


# 032_hzh-sifaju-2026-bumen-yusuan.pdf, page 26 (表3：2026年市级部门支出预算总表): 功能分类科目名称 printed
# without codes, the 款 indented one full-width space under its 类, the 项 two. (indent in points
# from the cell's left rule to the name, as the page draws it: 5.4 / 15.4 / 25.4)
HANGZHOU_P26_HEADER = [
    "功能分类科目名称\t总计\t基本支出\t\t项目支出\t事业单位经营支出\t上缴上级支出\t对附属单位补助支出",
    "\t\t人员支出\t日常公用支出\t\t\t\t",
    "**\t1\t2\t3\t4\t5\t6\t7",
]
HANGZHOU_P26_ROWS = [
    (5.4, "合计\t99,230.46\t58,486.35\t12,237.94\t28,506.17\t\t\t"),
    (5.4, "一般公共服务支出\t12,868.19\t\t\t12,868.19\t\t\t"),
    (15.4, "社会工作事务\t0.19\t\t\t0.19\t\t\t"),
    (25.4, "其他社会工作事务支出\t0.19\t\t\t0.19\t\t\t"),
    (15.4, "其他一般公共服务支出\t12,868.00\t\t\t12,868.00\t\t\t"),
    (25.4, "其他一般公共服务支出\t12,868.00\t\t\t12,868.00\t\t\t"),
    (5.4, "公共安全支出\t76,468.81\t48,594.69\t12,236.14\t15,637.98\t\t\t"),
]


def _with_cells(number: int, text: str, indent: float) -> Line:
    parts = text.split("\t")
    cells = tuple(
        Cell(part, k, 1, 100.0 * k, 100.0 * (k + 1), indent if k == 0 else 2.0) for k, part in enumerate(parts)
    )
    return Line(26, number, text, cells=cells)


def test_names_indented_under_their_parent_give_levels_and_parents() -> None:
    kind = next(k for k in table_kinds() if k.table_id == "expenditure")
    lines = [Line(26, n, text) for n, text in enumerate(HANGZHOU_P26_HEADER, start=2)]
    lines += [_with_cells(n, text, indent) for n, (indent, text) in enumerate(HANGZHOU_P26_ROWS, start=5)]
    title = "表3：2026年市级部门支出预算总表"
    table = read_classified(Segment(kind, title, Line(26, 1, title), lines), 1, [])
    assert table is not None
    assert [(r.name, r.level, r.parent_name) for r in table.rows] == [
        ("合计", "total", ""),
        ("一般公共服务支出", "class", ""),
        ("社会工作事务", "segment", "一般公共服务支出"),
        ("其他社会工作事务支出", "item", "社会工作事务"),
        ("其他一般公共服务支出", "segment", "一般公共服务支出"),
        ("其他一般公共服务支出", "item", "其他一般公共服务支出"),
        ("公共安全支出", "class", ""),
    ]
    assert table.rows[1].standard_code == "201" and table.rows[1].amounts["total"] == D("12868.19")
    # each parent is the sum of its own children: 201 = 0.19 + 12,868.00, not every row below it
    checks = [c for c in run_checks(Document("d", "0" * 64, Metadata(), tables=[table]), SourceText([], 1))]
    parent = [c for c in checks if c.check == "expenditure.parent_equals_children" and c.code == ""]
    assert parent and all(c.status == "pass" for c in parent)


# 045_swu-2023-bumen-yusuan.pdf, page 8 (西南大学收入预算表): 使用非财政拨款结余 is a source of the total.
SWU_P8_HEADER = [
    "科目编码\t科目名称\t收入合计\t上年结转\t财政拨款收入\t事业收入\t\t其他收入\t使用非财政拨款结余",
    "\t\t\t\t\t金额\t其中：教育收费\t\t",
]


def test_balance_of_non_appropriation_funds_is_a_column_of_its_own() -> None:
    cells = cells_from_rows([row.split("\t") for row in SWU_P8_HEADER])
    layout, unknown = layout_from_leaves(leaves(cells, 2, 9))
    assert unknown == []
    measures = [c.measure for c in layout.columns]
    assert "non_appropriation_balance" in measures
    # 其中：教育收费 is a part of 事业收入 (a memo), no source of the total
    assert "business_income_tuition" in measures
    # 合计 557,259.13 = 93,801.70 + 230,876.38 + 122,342.73 + 50,265.53 + 59,972.79
    total, parts = layout.identities[0]
    assert total == "total" and "non_appropriation_balance" in parts and "business_income_tuition" not in parts


# 022_yt-ybj-2026-bumen-yusuan.pdf, page 19 (一般公共预算“三公”经费支出情况表): 2025年预算数 and
# 2026年预算数 side by side, each over 合计 | 因公出国（境）经费 | 公务用车购置及运行维护费 (小计,
# 购置, 运行维护) | 公务接待费.
YANTAI_P19_HEADER = [
    "2025年预算数\t\t\t\t\t\t2026年预算数\t\t\t\t\t",
    "合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t\t公务接待费\t"
    "合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t\t公务接待费",
    "\t\t小计\t公务用车购置经费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置经费\t公务用车运行维护费\t",
]


def test_three_public_under_a_year_heading_sums_all_three_categories() -> None:
    cells = cells_from_rows([row.split("\t") for row in YANTAI_P19_HEADER])
    layout, unknown = layout_from_leaves(leaves(cells, 0, 12))
    assert not unknown
    # 2026: 合计 3.15 = 因公出国 (blank) + 公务用车 (blank) + 公务接待费 3.15
    assert layout.identities[0] == ("total", ["overseas", "vehicle", "reception"])


# 054_js-renda-2019-bumen-yusuan-biao.pdf, page 9 (公开表九 “三公”经费、会议费、培训费支出预算表): the
# 合计 2,600.71 is “三公” 767.60 (199.25 + 183.60 + 384.75) + 会议费 1,469.73 + 培训费 363.38.
JIANGSU_RENDA_P9 = [
    "部门： 江苏省人大常委会办公厅 单位：万元",
    "合计\t“三公”经费\t\t\t\t\t\t会议费\t培训费",
    "\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t\t",
    "\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t",
    "2,600.71\t767.60\t199.25\t183.60\t\t183.60\t384.75\t1,469.73\t363.38",
]


def test_a_three_public_table_with_meetings_and_training_keeps_its_three_public_total() -> None:
    problems: list[Problem] = []
    table = read_three_public(
        segment("three_public", "“三公”经费、会议费、培训费支出预算表", 9, JIANGSU_RENDA_P9), 1, problems
    )
    assert table is not None
    # the “三公” total is “三公”经费/小计 767.60; the 合计 2,600.71 adds 会议费 and 培训费
    assert table.rows[0].amounts["total"] == D("767.60")
    assert table.rows[0].amounts["grand_total"] == D("2600.71")
    assert ("total", ["overseas", "vehicle", "reception"]) in table.identities
    assert ("grand_total", ["total", "meeting", "training"]) in table.identities
    assert ("vehicle", ["vehicle_purchase", "vehicle_operation"]) in table.identities
    found = {c.check: c.status for c in run_checks(document_of(table), SourceText([], 1))}
    assert found == {
        "three_public.row_total_equals_parts": "pass",
        "three_public.row_grand_total_equals_parts": "pass",
        "three_public.row_vehicle_equals_parts": "pass",
    }
    assert not [p for p in problems if p.code == "header.unknown_column"]  # merged cells are no columns


# 030_cq-qixiangju-2026-bumen-yusuan.pdf, page 17 (表八): the text layer puts the title's year on a
# line of its own and draws the brackets of 因公出国（境）费 apart; one row of amounts, no label column
CHONGQING_P17 = [
    "2026 “ ”",
    "单位名称 重庆市气象局 单位 万元",
    ": :",
    "合 计\t因公出国 境 费( )\t公务用车购置及运行费\t\t\t公务接待费",
    "\t\t小 计\t公务用车购置费\t公务用车运行费\t",
    "13.85\t\t13.55\t\t13.55\t0.30",
]


def test_a_three_public_header_with_its_brackets_out_of_place() -> None:
    problems: list[Problem] = []
    table = read_three_public(segment("three_public", "年财政拨款三公经费支出情况表", 17, CHONGQING_P17), 1, problems)
    assert table is not None
    [row] = table.rows
    assert row.amounts == {
        "total": D("13.85"),
        "overseas": D("0"),  # a blank cell under a printed column
        "vehicle": D("13.55"),
        "vehicle_purchase": D("0"),
        "vehicle_operation": D("13.55"),
        "reception": D("0.30"),
    }
    assert [c.label for c in table.columns][:2] == ["合 计", "因公出国 境 费( )"]  # labels as printed
    assert not [p for p in problems if p.severity == "error"]


# 003_sh-putuo-caizhengju-2024-juesuan.pdf, page 16 (一般公共预算财政拨款基本支出决算表): two panels
# side by side, 经济分类科目编码 merged over 类 | 款 in each; letter-spaced names on the right
PUTUO_FINANCE_P16 = [
    "单位：万元",
    "经济分类\t\t科目名称\t决算数\t经济分类\t\t科目名称\t决算数",
    "科目编码\t\t\t\t科目编码\t\t\t",
    "类\t款\t\t\t类\t款\t\t",
    "301\t\t工资福利支出\t2,082.85\t302\t\t商品和服务支出\t171.07",
    "301\t01\t基本工资\t262.33\t302\t01\t办公费\t21.21",
    "301\t02\t津贴补贴\t1,238.58\t302\t02\t印刷费\t7.61",
    "301\t03\t奖金\t\t302\t03\t咨询费\t",
    "301\t13\t住房公积金\t187.19\t302\t12\t因 公 出 国 （ 境 ） 费\n用\t",
    "\t\t\t\t310\t\t资本性支出\t13.58",
    "\t\t\t\t310\t02\t办公设备购置\t13.58",
    "人员经费合计\t\t\t2,152.26\t公用经费合计\t\t\t184.65",
]


def test_a_table_of_two_panels_whose_codes_sit_under_a_merged_header_cell() -> None:
    problems: list[Problem] = []
    segment_ = segment("general_budget_basic_expenditure", "一般公共预算财政拨款基本支出决算表", 16, PUTUO_FINANCE_P16)
    table = read_classified(segment_, 1, problems)
    assert table is not None
    assert amounts(table, "301") == {"total": D("2082.85")}
    assert amounts(table, "302") == {"total": D("171.07")}  # the right panel: read, not dropped
    assert amounts(table, "30201") == {"total": D("21.21")}
    assert amounts(table, "30203") == {"total": D("0")}  # a blank cell
    assert amounts(table, "31002") == {"total": D("13.58")}
    assert [r.name for r in table.rows if r.code == "30212"] == ["因公出国（境）费用"]
    totals = {r.name: r.amounts["total"] for r in table.rows if r.name.endswith("经费合计")}
    assert totals == {"人员经费合计": D("2152.26"), "公用经费合计": D("184.65")}
    assert not [r for r in table.rows if not r.name]  # no row of blanks from the empty left cells
    assert not [p for p in problems if p.code == "header.unknown_column"], problems


# 001_sh-putuo-guihuaziyuan-2024-juesuan.pdf, page 18 (政府性基金预算财政拨款收入支出决算表, 本表无数据):
# the empty table's 合计 row shares the header's last line with 本年支出's 合计 | 基本支出 | 项目支出
PUTUO_PLANNING_P18 = [
    "单位：万元",
    "项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余",
    "功能分类科目编码\t科目名称\t\t\t\t\t\t",
    "合计\t\t\t\t合计\t基本支出\t项目支出\t",
    "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。",
]


def test_a_total_row_label_on_the_header_line_is_no_column() -> None:
    problems: list[Problem] = []
    title = "政府性基金预算财政拨款收入支出决算表"
    table = read_classified(segment("gov_fund_expenditure", title, 18, PUTUO_PLANNING_P18), 1, problems)
    assert table is not None
    assert [(c.label, c.measure) for c in table.columns] == [
        ("年初结转和结余", "carryover"),  # the 决算 name of 上年结转结余
        ("本年收入", "year_income"),
        ("本年支出/合计", "total"),
        ("本年支出/基本支出", "basic"),
        ("本年支出/项目支出", "project"),
        ("年末结转和结余", "carryforward"),
    ]
    assert table.status == "empty" and not table.rows
    assert not [p for p in problems if p.code == "header.unknown_column"], problems
