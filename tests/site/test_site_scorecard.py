"""yibao/site/scorecard.py and yibao/site/ranking.py on the committed data package (datapackage/,
the four seed documents of source_docs/).

Every expected amount, line and sentence was read by hand from the seed texts named (line numbers
of the text file); the shares are computed here, in Decimal, from the amounts printed in the
tables named — none is copied from this program's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yibao.site import ranking as rk
from yibao.site import scorecard as sc
from yibao.site.generate import last_year_document
from yibao.site.model import BureauView, bureau_views
from yibao.site.package import SitePackage, load_package

PACKAGE = Path(__file__).resolve().parents[2] / "datapackage"

SHUANGYASHAN = "双鸭山市医疗保障局"  # source_docs/heilongjiang/shuangyashan-2024-budget.txt
ANSHAN = "鞍山市医疗保障局"  # source_docs/liaoning/anshan-2025-budget.md
SHUANGQIAO = "承德市双桥区医疗保障局本级"  # source_docs/hebei/chengde-shuangqiao-2024-budget.txt
HEILONGJIANG = "黑龙江省医疗保障局"  # source_docs/heilongjiang/heilongjiang-province-2020-budget.txt


def D(text: str) -> Decimal:
    return Decimal(text)


def share(part: str, whole: Decimal) -> Decimal:
    """A share as the site prints it: percent to one decimal."""
    return (D(part) / whole * 100).quantize(D("0.1"))


@pytest.fixture(scope="module")
def package() -> SitePackage:
    return load_package(PACKAGE)


@pytest.fixture(scope="module")
def bureaus(package: SitePackage) -> dict[str, BureauView]:
    return {b.name: b for b in bureau_views(package)}


@pytest.fixture(scope="module")
def scorecards(package: SitePackage) -> dict[str, sc.Scorecard]:
    return {doc_id: sc.document_scorecard(rows) for doc_id, rows in package.by_doc("scorecard").items()}


@pytest.fixture(scope="module")
def pages(bureaus: dict[str, BureauView], scorecards: dict[str, sc.Scorecard]) -> list[rk.RankingPage]:
    return rk.ranking_pages(list(bureaus.values()), scorecards)


def doc_id_of(bureaus: dict[str, BureauView], name: str) -> str:
    (view,) = bureaus[name].documents
    return view.doc_id


# ---------------------------------------------------------------- stated changes


def test_shuangyashan_stated_changes_give_last_years_amounts(package, bureaus) -> None:
    doc_id = doc_id_of(bureaus, SHUANGYASHAN)
    changes = {c.subject: c for c in sc.stated_changes(package.by_doc("stated_changes")[doc_id], None)}
    # line 700: 1.一般公共预算收入1,116.56万元，比上年预算数增加2.76 万元，增长0.25%
    income = changes["一般公共预算收入"]
    assert (income.amount, income.change, income.rate) == (D("1116.56"), D("2.76"), D("0.25"))
    assert income.previous == D("1116.56") - D("2.76") == D("1113.80")
    assert income.figure == "general_budget_income"
    assert income.change_text == "+2.76" and income.rate_text == "+0.25%"
    assert "比上年预算数增加2.76" in income.sentence
    # line 747: 1.基本支出预算1,066.26万元，比上年预算数减少14.54万元，下降1.35%
    basic = changes["基本支出预算"]
    assert (basic.amount, basic.change, basic.rate) == (D("1066.26"), D("-14.54"), D("-1.35"))
    assert basic.previous == D("1080.80")
    assert basic.change_text == "−14.54"  # a real minus sign, as the page prints it
    # line 753: 2.项目支出预算50.30万元，比上年预算数增加17.30万元，增长52.42%
    assert changes["项目支出预算"].previous == D("50.30") - D("17.30") == D("33.00")
    # line 773: 机关运行经费安排102.70万元，比上年减少4.06万元，下降0.04%
    public = changes["本部门机关运行经费安排"]
    assert (public.amount, public.change, public.previous) == (D("102.70"), D("-4.06"), D("106.76"))
    # 政府性基金预算收入0.00万元，比上年预算数增加0.00万元: shown in one line with the other zeros
    assert changes["政府性基金预算收入"].all_zero and not income.all_zero
    # the package holds one document of this body: nothing to compare last year's with
    assert income.previous_document is None and income.agrees_with_document is None


def test_anshan_three_public_change_and_the_order_of_the_text(package, bureaus) -> None:
    doc_id = doc_id_of(bureaus, ANSHAN)
    changes = sc.stated_changes(package.by_doc("stated_changes")[doc_id], None)
    # anshan-2025-budget.md line 179 first, then 187, 201, 203 …: in the order of the text
    assert [c.subject for c in changes][:3] == [
        "鞍山市医疗保障局及所属单位部门收支预算",
        "鞍山市医疗保障局及所属单位部门财政拨款收支预算",
        "财政拨款预算安排的“三公”经费",
    ]
    # line 187: 收支预算 2220.4 万元，比上年减少 90.67 万元，降低 3.9%
    assert changes[1].previous == D("2220.4") + D("90.67") == D("2311.07")
    # line 201: “三公”经费预算数 7.3 万元，比上年预算数减少 0.2 万元，下降 2.6 %
    three = changes[2]
    assert (three.figure, three.amount, three.change, three.rate) == ("three_public_total", D("7.3"), D("-0.2"), D("-2.6"))
    assert three.previous == D("7.5") and three.rate_text == "−2.6%"


def test_a_stated_change_is_checked_against_last_years_document() -> None:
    row = {"change_no": "1", "subject": "一般公共预算收入", "figure": "general_budget_income"}
    row |= {"amount": "1116.56", "change": "2.76", "previous": "1113.80"}
    (agrees,) = sc.stated_changes([row], {"general_budget_income": "1113.80"})
    assert agrees.previous_document == D("1113.80") and agrees.agrees_with_document is True
    (differs,) = sc.stated_changes([row], {"general_budget_income": "1200.00"})
    assert differs.agrees_with_document is False


def test_no_seed_prints_last_years_columns_and_none_is_made_up(package, bureaus) -> None:
    tables, items = package.by_doc("tables"), package.by_doc("line_items")
    for bureau in bureaus.values():
        for view in bureau.documents:
            if view.doc.get("source_file", "").endswith(".pdf"):
                continue  # the published PDFs: 烟台 prints last year's 三公 (tests/normalise/test_real_previous_year.py)
            assert sc.previous_year_tables(tables.get(view.doc_id, []), items.get(view.doc_id, []), {}) == []
            # one document a body: no document of the year before
            assert last_year_document(bureau, view) is None


def test_last_years_columns_stay_beside_this_years() -> None:
    """A 三公 table printing 2025年预算数 beside 2026年预算数 (as 027_yt-renshe p. 23 does)."""
    tables = [{"table_no": "7", "title": "一般公共预算“三公”经费支出情况表", "page": "23"}]
    tables[0]["columns"] = "previous_total;previous_reception;total;reception"
    printed = {"previous_total": "20.60", "previous_reception": "12.60", "total": "20.60", "reception": "11.60"}
    items = [{"table_no": "7", "row_no": "1", "level": "total", "measure": m, "amount": a} for m, a in printed.items()]
    (table,) = sc.previous_year_tables(tables, items, {"total": "合计", "reception": "公务接待费"})
    (row,) = table.rows
    assert row.name == "合计"
    assert [(c.measure, c.label, c.current, c.previous) for c in row.columns] == [
        ("total", "合计", D("20.60"), D("20.60")),
        ("reception", "公务接待费", D("11.60"), D("12.60")),
    ]
    assert [c.difference for c in row.columns] == [D("0.00"), D("-1.00")]


# ---------------------------------------------------------------- scorecard


def test_shuangyashan_scorecard_criteria_point_at_the_printed_lines(scorecards, bureaus) -> None:
    card = scorecards[doc_id_of(bureaus, SHUANGYASHAN)]
    by_id = {c.criterion: c for c in card.criteria}
    # in the order of scorecard.yml: the completeness criteria first
    assert list(by_id)[0].startswith("completeness.")
    printed = {i.item: i for i in by_id["completeness.table_printed"].items}
    # line 452: 一般公共预算“三公”经费支出表 (表7); line 233 部门支出总表 (表3)
    assert printed["three_public"].outcome == "met" and printed["three_public"].evidence == "一般公共预算“三公”经费支出表"
    assert printed["expenditure"].evidence == "部门支出总表"
    # line 462: 注：本部门没有“三公”经费支出，故本表为空表。 — an empty table with its explanation
    empty = {i.item: i for i in by_id["completeness.empty_table_explained"].items}
    assert empty["three_public"].outcome == "met"
    assert empty["three_public"].evidence == "注：本部门没有“三公”经费支出，故本表为空表。"
    assert by_id["completeness.empty_table_explained"].per_table
    assert empty["revenue"] in by_id["completeness.empty_table_explained"].skipped  # has amounts
    # line 364 3010101 基本工资: basic expenditure detailed below the 款
    assert by_id["detail.economic_to_segment"].outcome == "met"
    assert by_id["detail.economic_to_segment"].items[0].evidence.startswith("3010101")
    # line 773: 102.70万元，比上年减少4.06万元，下降0.04% — 4.06 ÷ 106.76 is 3.80%, not 0.04%
    assert by_id["consistency.identities"].outcome == "not_met"
    assert D("4.06") / D("106.76") * 100 > 3
    assert by_id["explanation.three_public"].outcome == "met"
    assert by_id["explanation.three_public"].items[0].evidence.startswith("六、“三公”经费增减变化情况")
    assert card.met + sum(c.outcome == "not_met" for c in card.criteria) == card.assessed
    assert card.assessed + card.not_assessed + sum(c.outcome == "not_applicable" for c in card.criteria) == len(
        card.criteria
    )


def test_every_seed_has_a_scorecard_and_the_method_page_names_each_rule(scorecards, bureaus) -> None:
    method = {m.criterion: m for m in sc.method_criteria()}
    for bureau in bureaus.values():
        card = scorecards[doc_id_of(bureaus, bureau.name)]
        assert card and card.assessed > 0
        for criterion in card.criteria:
            assert criterion.criterion in method
            assert method[criterion.criterion].source_zh
            assert criterion.rule  # the source named on the body's page too


def test_criterion_outcome_is_its_worst_item() -> None:
    def item(outcome: str) -> sc.ScoreItem:
        return sc.ScoreItem("t", outcome, "", "", "", "", "")

    view = sc.CriterionView("c", "g", "zh", "en", "rule", [item("met"), item("not_applicable")])
    assert view.outcome == "met"
    view.items.append(item("not_met"))
    assert view.outcome == "not_met"
    assert sc.CriterionView("c", "g", "zh", "en", "rule").outcome == "not_assessed"


# ---------------------------------------------------------------- rankings


def test_ranking_groups_compare_one_level_kind_and_year(pages) -> None:
    found = {(p.level, p.scope, p.doc_type): {g.year: [e.bureau.name for e in g.entries] for g in p.groups} for p in pages}
    # documents.csv: 鞍山, 双鸭山 and 烟台 are prefectures' 部门预算, of 2025, 2024 and 2026: one page,
    # three tables; the published PDFs add 北京 (province) and 上海医保中心 (a province's 单位预算)
    assert found == {
        ("province", "department", "budget"): {"2026": ["北京市医疗保障局"], "2020": [HEILONGJIANG]},
        ("province", "unit", "budget"): {"2026": ["上海市医疗保险事业管理中心"]},
        ("prefecture", "department", "budget"): {"2026": ["烟台市医疗保障局"], "2025": [ANSHAN], "2024": [SHUANGYASHAN]},
        ("county", "unit", "budget"): {"2024": [SHUANGQIAO]},
    }
    for page in pages:
        assert page.page.startswith(rk.RANKING_DIR + "/") and page.page.endswith(".md")
        assert [g.year for g in page.groups] == sorted((g.year for g in page.groups), reverse=True)
        for group in page.groups:
            levels = {(e.view.doc["admin_level"], e.view.doc["scope"], e.view.doc["doc_type"]) for e in group.entries}
            assert levels == {(page.level, page.scope, page.doc_type)}
            assert {e.view.doc["fiscal_year"] for e in group.entries} == {group.year}
    prefecture = next(p for p in pages if p.level == "prefecture")
    assert prefecture.title == "地市级部门预算比较" and prefecture.documents == 3 and prefecture.bodies == 3
    # the pages in order of level: province, prefecture, county
    assert [p.level for p in pages] == ["province", "province", "prefecture", "county"]


def entry_of(pages: list[rk.RankingPage], name: str) -> rk.RankingEntry:
    return next(e for p in pages for g in p.groups for e in g.entries if e.bureau.name == name)


def test_shuangyashan_shares(pages) -> None:
    entry = entry_of(pages, SHUANGYASHAN)
    # 表3 部门支出总表 (line 245): 合计 1,116.56 = 基本支出 1,066.26 + 项目支出 50.30
    whole = D("1066.26") + D("50.30")
    assert entry.year_expenditure == whole == D("1116.56")
    assert entry.basic_share == share("1066.26", whole) == D("95.5")
    assert entry.project_share == share("50.30", whole) == D("4.5")
    # 表6 (line 358): 合计 1,066.26 | 人员经费 963.56 | 公用经费 102.70 — personnel of basic
    assert entry.personnel_share == share("963.56", D("1066.26")) == D("90.4")
    # 表7 (line 460): 合计 0.00 — the 三公 table printed empty
    assert entry.three_public_share == D("0.0")
    # no 21012 / 21013 / 21016 class in 表3: nothing passed on
    assert entry.pass_through == D("0") and entry.pass_through_share == D("0.0")
    assert entry.own_spending == whole


def test_anshan_shares(pages) -> None:
    entry = entry_of(pages, ANSHAN)
    # anshan-2025-budget.md lines 172-173: 基本支出2009.29万元；项目支出211.11万元
    whole = D("2009.29") + D("211.11")
    assert entry.year_expenditure == whole == D("2220.40")
    assert entry.basic_share == share("2009.29", whole) == D("90.5")
    assert entry.project_share == share("211.11", whole) == D("9.5")
    # line 195: 人员经费 1891.23 万元
    assert entry.personnel_share == share("1891.23", D("2009.29")) == D("94.1")
    # line 201: “三公”经费预算数 7.3 万元
    assert entry.three_public_share == share("7.3", whole) == D("0.3")
    assert entry.pass_through_share == D("0.0")


def test_shuangqiao_pass_through_funds_are_shown_apart(pages) -> None:
    entry = entry_of(pages, SHUANGQIAO)
    # line 763: 合计 3526.22 | 基本支出 203.22 | 项目支出 3323.00
    whole = D("203.22") + D("3323.00")
    assert entry.year_expenditure == whole == D("3526.22")
    assert entry.basic_share == share("203.22", whole) == D("5.8")
    assert entry.project_share == share("3323.00", whole) == D("94.2")
    # line 1439: 合计 203.22 | 人员经费 192.05 | 公用经费 11.17
    assert entry.personnel_share == share("192.05", D("203.22")) == D("94.5")
    # lines 1387-1401: 21012 财政对基本医疗保险基金的补助 2800.00, 21013 医疗救助 320.00 — passed on
    passed = D("2800.00") + D("320.00")
    assert entry.pass_through == passed == D("3120.00")
    assert entry.pass_through_share == share("3120.00", whole) == D("88.5")
    assert entry.own_spending == whole - passed == D("406.22")


def test_heilongjiang_shares(pages) -> None:
    entry = entry_of(pages, HEILONGJIANG)
    # heilongjiang-province-2020-budget.txt line 268: 合计 1,605.47 | 1,257.02 | 348.45
    whole = D("1257.02") + D("348.45")
    assert entry.year_expenditure == whole == D("1605.47")
    assert entry.basic_share == share("1257.02", whole) == D("78.3")
    assert entry.project_share == share("348.45", whole) == D("21.7")
    # line 873: 合 计 17.63 (the 三公 table)
    assert entry.three_public_share == share("17.63", whole) == D("1.1")


def test_larger_own_spending_ranks_first_and_unknown_last(pages, bureaus) -> None:
    shuangyashan, anshan = entry_of(pages, SHUANGYASHAN), entry_of(pages, ANSHAN)
    assert rk.ranking_order(anshan) < rk.ranking_order(shuangyashan)  # 2220.40 before 1116.56
    unknown = rk.RankingEntry(
        bureau=anshan.bureau,
        view=anshan.view,
        figures=anshan.figures,
        year_expenditure=None,
        pass_through=None,
        scorecard=anshan.scorecard,
    )
    assert unknown.own_spending is None and unknown.basic_share is None
    assert rk.ranking_order(shuangyashan) < rk.ranking_order(unknown)


def test_every_document_has_its_ranking_page(pages, bureaus) -> None:
    of = rk.page_of_document(pages)
    assert set(of) == {view.doc_id for b in bureaus.values() for view in b.documents}
    assert of[doc_id_of(bureaus, ANSHAN)] is of[doc_id_of(bureaus, SHUANGYASHAN)]
    assert of[doc_id_of(bureaus, SHUANGQIAO)] is not of[doc_id_of(bureaus, SHUANGYASHAN)]
