"""The disclosure scorecard: each criterion on small documents built here (present, missing,
empty with an explanation, empty without), then its evidence on real documents, read by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yibao.model import Check, Document, Line, Metadata, PerformanceTarget, Project, Row, ScoreItem, SourceText, Table
from yibao.pipeline import parse_document
from yibao.validate.scorecard import criteria, reference, required_tables, scorecard

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "real"


def table(
    table_id: str, amounts: list[str], first_line: int = 1, end_line: int = 1, codes: list[str] | None = None
) -> Table:
    t = Table(1, table_id, f"{table_id} 表", "function", 2, first_line, first_line=first_line, end_line=end_line)
    codes = codes or [""] * len(amounts)
    t.rows = [
        Row(n, code, f"行{n}", {"total": Decimal(a)}, 2, first_line + n)
        for n, (code, a) in enumerate(zip(codes, amounts, strict=True))
    ]
    if not t.rows:
        t.status = "empty"
    return t


def text(*lines: str, page: int = 5) -> SourceText:
    return SourceText([Line(page, n, t) for n, t in enumerate(lines, start=100)], page)


def assess(document: Document, source: SourceText | None = None) -> dict[tuple[str, str], ScoreItem]:
    return {(i.criterion, i.item): i for i in scorecard(document, source or SourceText([], 1))}


def document_with(*tables: Table, doc_type: str = "budget") -> Document:
    return Document("doc.txt", "0" * 64, Metadata(doc_type=doc_type), tables=list(tables))


def test_every_criterion_names_its_source_rule_and_an_assessor() -> None:
    sources = reference()["sources"]
    for criterion in criteria():
        assert criterion.source in sources, criterion.criterion_id
        assert criterion.zh and criterion.en
    items = assess(document_with())
    assert {c.criterion_id for c in criteria()} == {criterion for criterion, _ in items}


def test_required_table_present_and_missing() -> None:
    items = assess(document_with(table("summary", ["10.00"])))
    assert items["completeness.table_printed", "summary"].outcome == "met"
    assert items["completeness.table_printed", "summary"].page == 2
    missing = items["completeness.table_printed", "three_public"]
    assert missing.outcome == "not_met"
    assert "未找到该表" in missing.detail and "not recognised" in missing.detail
    # the 空表 criterion does not apply to a table with amounts, nor to one that is missing
    assert items["completeness.empty_table_explained", "summary"].outcome == "not_applicable"
    assert items["completeness.empty_table_explained", "three_public"].outcome == "not_applicable"


def test_required_tables_differ_by_kind() -> None:
    assert "state_capital_expenditure" in required_tables("final_accounts")
    assert "state_capital_expenditure" not in required_tables("budget")
    assert required_tables("") == required_tables("budget")


def test_empty_table_explained_inside_the_table() -> None:
    fund = table("gov_fund_expenditure", ["0.00"], first_line=100, end_line=103)
    source = text("政府性基金预算支出表", "合计 0.00", "注：本部门没有政府性基金预算，故本表为空表。", "下一页")
    item = assess(document_with(fund), source)["completeness.empty_table_explained", "gov_fund_expenditure"]
    assert item.outcome == "met"
    assert (item.page, item.line) == (5, 102)
    assert item.evidence == "注：本部门没有政府性基金预算，故本表为空表。"


def test_empty_table_explained_in_the_narrative() -> None:
    fund = table("gov_fund_expenditure", [], first_line=100, end_line=101)
    filler = ["其他的说明。"] * 10  # the sentence is far below the table, in the 情况说明
    source = text("政府性基金预算支出表", *filler, "说明：2025年本部门无政府性基金", "预算收支，故相关表格无数据。")
    item = assess(document_with(fund), source)["completeness.empty_table_explained", "gov_fund_expenditure"]
    assert item.outcome == "met"
    assert item.line == 111  # the sentence starts there and wraps onto the next line
    assert item.evidence.startswith("说明：2025年本部门无政府性基金预算收支")


def test_empty_table_without_explanation() -> None:
    fund = table("gov_fund_expenditure", ["0.00", "0"], first_line=100, end_line=102)
    source = text("政府性基金预算支出表", "合计 0.00")
    item = assess(document_with(fund), source)["completeness.empty_table_explained", "gov_fund_expenditure"]
    assert item.outcome == "not_met"
    assert "未找到说明" in item.detail
    assert item.page == 2  # points at the table itself


def test_function_detail_to_item_and_short() -> None:
    deep = table("general_budget_expenditure", ["5.00", "5.00"], codes=["208", "2080501"])
    item = assess(document_with(deep))["detail.function_to_item", "general_budget_expenditure"]
    assert item.outcome == "met" and item.evidence == "2080501 行1"
    shallow = table("general_budget_expenditure", ["5.00", "5.00"], codes=["208", "20805"])
    item = assess(document_with(shallow))["detail.function_to_item", "general_budget_expenditure"]
    assert item.outcome == "not_met" and "最细只列到 5 位" in item.detail
    item = assess(document_with())["detail.function_to_item", "general_budget_expenditure"]
    assert item.outcome == "not_assessed"


def test_economic_detail_to_segment() -> None:
    basic = table("general_budget_basic_expenditure", ["5.00", "5.00"], codes=["301", "30101"])
    assert (
        assess(document_with(basic))["detail.economic_to_segment", "general_budget_basic_expenditure"].outcome == "met"
    )
    basic = table("general_budget_basic_expenditure", ["5.00"], codes=["301"])
    assert (
        assess(document_with(basic))["detail.economic_to_segment", "general_budget_basic_expenditure"].outcome
        == "not_met"
    )


def test_projects_with_and_without_amounts() -> None:
    document = document_with()
    assert assess(document)["detail.projects", ""].outcome == "not_met"
    document.projects = [Project(1, "医保信息系统运维", "本级", None, "", "project_expenditure", 9, 400)]
    item = assess(document)["detail.projects", ""]
    assert item.outcome == "not_met" and "未列金额" in item.detail
    document.projects[0].amount = Decimal("12.50")
    item = assess(document)["detail.projects", ""]
    assert (item.outcome, item.page, item.evidence) == ("met", 9, "医保信息系统运维")


def test_projects_and_targets_not_required_of_final_accounts() -> None:
    items = assess(document_with(doc_type="final_accounts"))
    assert items["detail.projects", ""].outcome == "not_applicable"
    assert items["detail.performance_targets", ""].outcome == "not_applicable"


def test_performance_targets() -> None:
    document = document_with()
    assert assess(document)["detail.performance_targets", ""].outcome == "not_met"
    document.targets = [
        PerformanceTarget(
            1, 1, "医保信息系统运维", "", "产出指标", "数量指标", "系统运行率", "≥", "99", "%", "", "", 11, 500
        )
    ]
    item = assess(document)["detail.performance_targets", ""]
    assert (item.outcome, item.page) == ("met", 11)


@pytest.mark.parametrize(
    ("criterion", "sentence"),
    [
        ("explanation.total_change", "2025年，本部门收支预算2,220.40万元，比上年减少90.67万元，降低3.9%。"),
        ("explanation.total_change", "2025年度收入总计1,200.00万元，比上年增加100.00万元，增长9.1%。"),
        ("explanation.three_public", "“三公”经费预算数7.30万元，比上年减少0.20万元，主要原因是压减公务接待费。"),
        ("explanation.agency_operating", "2025年机关运行经费预算为118.06万元，主要用于办公及印刷费。"),
        ("explanation.procurement", "2025年本部门政府采购预算9.00万元，其中货物类6.00万元。"),
        ("explanation.state_assets", "截至2024年末，本部门共有车辆4辆，单价100万元以上设备0台。"),
        ("explanation.performance", "2025年本部门实行绩效目标管理的项目5个，涉及预算金额348.45万元。"),
    ],
)
def test_explanation_found_and_missing(criterion: str, sentence: str) -> None:
    source = text("第四部分 情况说明", sentence[:12], sentence[12:])
    item = assess(document_with(), source)[criterion, ""]
    assert item.outcome == "met", item
    assert (item.page, item.line) == (5, 101)
    assert item.evidence == sentence
    assert assess(document_with(), text("第四部分 情况说明"))[criterion, ""].outcome == "not_met"


def test_a_table_of_contents_is_no_explanation() -> None:
    toc = text(
        "主要包括“三公”经费预算增减变化情况说明、机关运行经费安排情况说明、政府采购安排情况说明、国有资产占有使用情况说明等。"
    )
    items = assess(document_with(), toc)
    for criterion in ("three_public", "agency_operating", "procurement", "state_assets"):
        assert items[f"explanation.{criterion}", ""].outcome == "not_met", criterion


def test_table_rows_are_not_sentences() -> None:
    rows = text("政府采购平台运维\t12.00万元", "2080501\t机关运行经费 30.00万元")
    items = assess(document_with(), rows)
    assert items["explanation.procurement", ""].outcome == "not_met"
    assert items["explanation.agency_operating", ""].outcome == "not_met"


def test_consistency_from_the_checks() -> None:
    document = document_with(table("summary", ["10.00"]))
    assert assess(document)["consistency.identities", ""].outcome == "not_assessed"
    document.checks = [Check("summary.total", "pass", "exact", "ok", table="summary")] * 3
    assert assess(document)["consistency.identities", ""].outcome == "met"
    document.checks.append(
        Check("summary.income_equals_expenditure", "fail", "mismatch", "收入 10 ≠ 支出 9", table="summary")
    )
    item = assess(document)["consistency.identities", ""]
    assert item.outcome == "not_met" and "4 项核对中 1 项不一致" in item.detail
    assert (item.table, item.page, item.evidence) == ("summary", 2, "收入 10 ≠ 支出 9")


def test_tables_as_text_or_scans() -> None:
    assert assess(document_with())["form.tables_as_text", ""].outcome == "met"
    scanned = SourceText([], 8, ocr_pages=(3, 4))
    item = assess(document_with(), scanned)["form.tables_as_text", ""]
    assert item.outcome == "not_met" and item.page == 3 and "第 3, 4 页" in item.detail


# --------------------------------------------------------------------------- real documents, by hand

SEEDS = ROOT / "source_docs"


def items_of(path: Path) -> dict[tuple[str, str], ScoreItem]:
    document = parse_document(path, path.name)
    return {(i.criterion, i.item): i for i in document.scorecard}


def test_seed_heilongjiang_2020_evidence() -> None:
    items = items_of(SEEDS / "heilongjiang" / "heilongjiang-province-2020-budget.txt")
    # read in the text: "十三、关于政府采购预算支出情况说明 2020年，黑龙江省医疗保障局采购预算总额191.26万元 …"
    procurement = items["explanation.procurement", ""]
    assert procurement.outcome == "met"
    assert "政府采购货物预算11.55万元" in procurement.evidence
    # "十四、关于国有资产占有使用情况说明 截止2019年末 … 共有房屋426.2平方米，车辆2台"
    assets = items["explanation.state_assets", ""]
    assert "房屋426.2平方米，车辆2台" in assets.evidence
    # "2020年“三公”经费预算与上年相比，增加13.23万元，主要原因是：一是局机关新增机要用车1辆"
    assert "增加13.23万元，主要原因是" in items["explanation.three_public", ""].evidence
    assert "机关运行经费预算安排494.86万元" in items["explanation.agency_operating", ""].evidence
    assert items["completeness.table_printed", "three_public"].evidence == "十一、一般公共预算“三公”经费支出情况表"


def test_seed_shuangyashan_2024_empty_tables_explained() -> None:
    items = items_of(SEEDS / "heilongjiang" / "shuangyashan-2024-budget.txt")
    # both tables are printed empty with the note "注：本部门没有…，故本表为空表。"
    three_public = items["completeness.empty_table_explained", "three_public"]
    assert three_public.outcome == "met"
    assert three_public.evidence == "注：本部门没有“三公”经费支出，故本表为空表。"
    fund = items["completeness.empty_table_explained", "gov_fund_expenditure"]
    assert fund.outcome == "met" and "本部门没有政府性基金预算，故本表为空表" in fund.evidence
    # "本部门2024年一般公共预算资金“三公”经费预算为0.00万元，2023年预算为0.00万元。"
    assert "2023年预算为0.00万元" in items["explanation.three_public", ""].evidence
    # the text states changes item by item, never the total's
    assert items["explanation.total_change", ""].outcome == "not_met"


def test_seed_anshan_2025_evidence() -> None:
    items = items_of(SEEDS / "liaoning" / "anshan-2025-budget.md")
    total = items["explanation.total_change", ""]
    assert total.outcome == "met"
    assert "部门收支预算2220.4万元，比上年减少90.67万元" in total.evidence
    # "共有车辆4辆，其中：部级领导干部用车0辆、一般公务用车3辆"
    assert "共有车辆4辆" in items["explanation.state_assets", ""].evidence
    # the 收入总表 is not printed in this document (its tables go 收支总表 → 支出总表)
    assert items["completeness.table_printed", "revenue"].outcome == "not_met"
    # printed under the table: "备注：如此表为空表，则表示部门无政府性基金预算安排的支出。"
    explained = items["completeness.empty_table_explained", "gov_fund_expenditure"]
    assert (explained.outcome, explained.line) == ("met", 517)
    assert explained.evidence == "备注：如此表为空表，则表示部门无政府性基金预算安排的支出。"


REAL = ROOT.parent / "shared" / "real"
needs_real = pytest.mark.skipif(not REAL.exists(), reason="../shared/real is not beside the repository")


@needs_real
def test_real_yantai_2026_evidence_pages() -> None:
    """烟台市医疗保障局 2026 部门预算, pages read with pdftotext -layout."""
    items = items_of(REAL / "022_yt-ybj-2026-bumen-yusuan.pdf")
    expected = {
        # p28: "（三）增减变化情况：2026年收支预算16,375.67万元，比上年减少98,780.12万元"
        "explanation.total_change": (28, "2026年收支预算16,375.67万元，比上年减少"),
        # p29: "2026年本部门机关运行经费安排66.56万元，较2025年增加0.07万元"
        "explanation.agency_operating": (29, "机关运行经费安排66.56万元"),
        # p29: "五、政府采购情况 2026年政府采购预算314万元，其中：政府采购货物预算0万元"
        "explanation.procurement": (29, "2026年政府采购预算314万元"),
        # p29: "截至2025年12月31日，本部门共有车辆1辆"
        "explanation.state_assets": (29, "本部门共有车辆1辆"),
        # p29: "烟台市医疗保障局2026年政策和项目全面实施绩效目标管理，涉及一级预算项目12个"
        "explanation.performance": (29, "全面实施绩效目标管理"),
    }
    for criterion, (page, words) in expected.items():
        item = items[criterion, ""]
        assert (item.outcome, item.page) == ("met", page), item
        assert words in item.evidence, item
    # p20, under the empty 政府性基金预算支出情况表: "（注：2026年没有使用政府性基金预算拨款安排的支出。）"
    fund = items["completeness.empty_table_explained", "gov_fund_expenditure"]
    assert (fund.outcome, fund.page) == ("met", 20)
    assert fund.evidence == "（注：2026年没有使用政府性基金预算拨款安排的支出。）"
    assert items["completeness.table_printed", "summary"].page == 7  # 收支总体情况表


@needs_real
def test_real_shanghai_ybzx_2026_evidence_pages() -> None:
    """上海市医疗保险事业管理中心 2026 单位预算: the 说明 on pages 6 and 20."""
    items = items_of(REAL / "016_sh-ybzx-2026-danwei-yusuan.pdf")
    # p6: "2026年，上海市医疗保险事业管理中心收入预算19,302万元，其中：财政拨款收入19,302万元，比2025年预算增加4,476万元"
    total = items["explanation.total_change", ""]
    assert total.page == 6 and "收入预算19,302万元" in total.evidence
    # p20: "二、机关运行经费预算 2026年…财政拨款的机关运行经费预算为902.68万元。"
    assert items["explanation.agency_operating", ""].page == 20
    assert "机关运行经费预算为902.68万元" in items["explanation.agency_operating", ""].evidence
    # p20: "2026年度本单位政府采购预算8,661.14万元"; "本单位编报绩效目标的项目共16个"
    assert "政府采购预算8,661.14万元" in items["explanation.procurement", ""].evidence
    assert "编报绩效目标的项目共16个" in items["explanation.performance", ""].evidence
    assert items["form.tables_as_text", ""].outcome == "met"


def test_the_contributors_report_shows_scorecard_and_stated_changes() -> None:
    from yibao.report import as_dict, as_text

    document = parse_document(SEEDS / "liaoning" / "anshan-2025-budget.md", "anshan.md")
    report = as_text(document)
    assert "信息公开评分 scorecard: " in report
    assert "✗ completeness.table_printed revenue: 未找到该表" in report
    assert "公务接待费: 0.1 万元，增减 change -0.2，-50% → 上年 last year 0.3" in report
    data = as_dict(document)
    total = next(s for s in data["scorecard"] if s["criterion"] == "explanation.total_change")
    assert total["outcome"] == "met" and "比上年减少90.67万元" in total["evidence"]
    assert data["stated_changes"][4]["previous"] == "0.3"
