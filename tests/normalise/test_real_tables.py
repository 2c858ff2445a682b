"""normalise on rows of real published tables, as the extract stage hands them on (tab-separated
cells, merged header cells blank). Every expected value was read by hand from the PDF page
named in the test (../shared/real/, checked with `pdftotext -layout` against the page image);
none is copied from this program's output.
"""

from __future__ import annotations

from decimal import Decimal

from yibao.model import Cell, Document, Line, Metadata, Problem, SourceText, Table
from yibao.normalise.classified import read_classified
from yibao.normalise.codes import CodeGroup, code_groups, split_code
from yibao.normalise.header_tree import cells_from_rows, layout_from_leaves, leaves
from yibao.normalise.summary import read_summary
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
    assert [leaf.path for leaf in unknown] == [("事业收入", "其中：教育收费")]  # a part of 事业收入, no source
    assert "non_appropriation_balance" in [c.measure for c in layout.columns]
    # 合计 557,259.13 = 93,801.70 + 230,876.38 + 122,342.73 + 50,265.53 + 59,972.79
    total, parts = layout.identities[0]
    assert total == "total" and "non_appropriation_balance" in parts


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
