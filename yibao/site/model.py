"""What the pages are made of: bureaus, their documents, labels and look-ups.

Pure functions over package rows; no file is written here.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .charts import DOC_TYPE_LABELS, SCOPE_LABELS, Comparable, document_total, key_figure
from .formatting import readable_slug
from .names import province_of
from .package import Row, SitePackage

ADMIN_LEVEL_LABELS = {"national": "国家级", "province": "省级", "prefecture": "地市级", "county": "县区级"}
STATUS_LABELS = {"ok": "正常", "partial": "部分", "error": "失败"}
CHECK_STATUS_LABELS = {"pass": "通过", "fail": "未通过", "skip": "跳过"}
OUTCOME_LABELS = {"exact": "完全一致", "rounding": "尾数误差内", "mismatch": "不一致", "not_applicable": "不适用"}
CLASSIFICATION_LABELS = {"function": "功能分类", "economic": "经济分类", "": "—"}
RESERVED_PAGE_NAMES = {"index", "compare"}
TABLE_LABELS = {
    "summary": "收支总表",
    "revenue": "收入总表",
    "expenditure": "支出总表",
    "appropriation_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算支出表",
    "general_budget_basic_expenditure": "一般公共预算基本支出表",
    "general_budget_project_expenditure": "一般公共预算项目支出表",
    "general_budget_expenditure_government_economic": "一般公共预算支出表（政府经济分类）",
    "gov_fund_expenditure_economic": "政府性基金预算支出表（经济分类）",
    "gov_fund_expenditure_government_economic": "政府性基金预算支出表（政府经济分类）",
    "three_public": "“三公”经费支出表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
    "project_expenditure": "项目支出表",
    "performance_targets": "绩效目标表",
}

KEY_FIGURE_LABELS = [
    ("income_grand_total", "收入总计"),
    ("expense_grand_total", "支出总计"),
    ("income_year_total", "本年收入合计"),
    ("expense_year_total", "本年支出合计"),
    ("general_budget_income", "一般公共预算拨款收入"),
    ("carryover_income", "上年结转（结余）"),
    ("basic_expenditure", "基本支出"),
    ("project_expenditure", "项目支出"),
    ("personnel_expenditure", "人员经费"),
    ("public_expenditure", "公用经费"),
    ("three_public_total", "“三公”经费合计"),
    ("three_public_overseas", "因公出国（境）费"),
    ("three_public_vehicle_purchase", "公务用车购置费"),
    ("three_public_vehicle_operation", "公务用车运行（维护）费"),
    ("three_public_reception", "公务接待费"),
]


def page_href(from_page: str, to_path: str) -> str:
    """Relative URL from one docs-relative Markdown page to a docs-relative file.

    The site is built with `use_directory_urls: false`, so `a/b.md` is served as `a/b.html`
    and a relative link works from any sub-path and from file://.
    """
    target = re.sub(r"\.md$", ".html", to_path)
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def kind_label(doc: Row) -> str:
    doc_type = DOC_TYPE_LABELS.get(doc.get("doc_type", ""), doc.get("doc_type", ""))
    scope = SCOPE_LABELS.get(doc.get("scope", ""), doc.get("scope", ""))
    return f"{scope}{doc_type}"


def document_sort_key(doc: Row) -> tuple[Any, ...]:
    """Newest year first, budget before final accounts, department before unit."""
    year = doc.get("fiscal_year", "")
    return (-int(year) if year.isdigit() else 0, doc.get("doc_type", ""), doc.get("scope", ""), doc.get("doc_id", ""))


def recent_documents(documents: list[Row], limit: int) -> list[Row]:
    """Latest `published` first (undated last), then doc_id: stable between builds."""
    dated = sorted((d for d in documents if d.get("published")), key=lambda d: (d["published"], d.get("doc_id", "")))
    dated.reverse()
    undated = sorted((d for d in documents if not d.get("published")), key=lambda d: d.get("doc_id", ""))
    return (dated + undated)[:limit]


@dataclass
class DocumentView:
    doc: Row
    anchor: str
    file_id: str
    key_figures: Row | None
    checks: list[Row] = field(default_factory=list)
    problems: list[Row] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.doc.get("doc_id", "")

    @property
    def total(self) -> Decimal | None:
        return document_total(self.key_figures)

    @property
    def check_counts(self) -> Counter[str]:
        return Counter(row.get("status", "") for row in self.checks)


@dataclass
class BureauView:
    bureau_id: str
    slug: str
    documents: list[DocumentView]

    @property
    def latest(self) -> DocumentView:
        return self.documents[0]

    @property
    def name(self) -> str:
        return self.latest.doc.get("bureau", "") or self.bureau_id

    @property
    def region(self) -> str:
        return self.latest.doc.get("region", "")

    @property
    def province(self) -> str:
        return province_of(self.region, self.name)

    @property
    def admin_level(self) -> str:
        return self.latest.doc.get("admin_level", "")

    @property
    def years(self) -> list[str]:
        return sorted({d.doc.get("fiscal_year", "") for d in self.documents if d.doc.get("fiscal_year")})

    @property
    def page(self) -> str:
        return f"bureaus/{self.slug}.md"

    @property
    def checks_failed(self) -> int:
        return sum(d.check_counts["fail"] for d in self.documents)

    @property
    def status(self) -> str:
        statuses = {d.doc.get("status", "") for d in self.documents}
        for status in ("error", "partial"):
            if status in statuses:
                return status
        return "ok"


LEVEL_ORDER = {"national": 0, "province": 1, "prefecture": 2, "county": 3}


def document_anchor(doc: Row) -> str:
    """'2025-department-budget': readable, stable, and the same for every bureau."""
    parts = [doc.get("fiscal_year", ""), doc.get("scope", ""), doc.get("doc_type", "")]
    return readable_slug("-".join(part for part in parts if part)) or "document"


def unique(slug: str, used: set[str], fallback: str) -> str:
    """A slug not used yet: the slug, then with the fallback (e.g. the region), then numbered."""
    candidates = [slug, readable_slug(f"{fallback}-{slug}") if fallback else ""]
    for candidate in candidates:
        if candidate and candidate not in used and candidate not in RESERVED_PAGE_NAMES:
            used.add(candidate)
            return candidate
    number = 2
    while f"{slug}-{number}" in used:
        number += 1
    used.add(f"{slug}-{number}")
    return f"{slug}-{number}"


def bureau_sort_key(docs: list[Row], bureau_id: str) -> tuple[Any, ...]:
    """Province, then level (province before its cities and counties), then region and name."""
    first = sorted(docs, key=document_sort_key)[0]
    region = first.get("region", "")
    return (
        province_of(region, first.get("bureau", "")),
        LEVEL_ORDER.get(first.get("admin_level", ""), 9),
        region,
        first.get("bureau", ""),
        bureau_id,
    )


def bureau_views(package: SitePackage) -> list[BureauView]:
    """Every bureau with its documents, by province, level and region; slugs are the bureau's
    name (readable in the address bar), unique and file-safe."""
    checks = package.by_doc("checks")
    problems = package.by_doc("problems")
    figures = package.key_figures()
    by_bureau: dict[str, list[Row]] = defaultdict(list)
    for doc in package.documents():
        by_bureau[doc.get("bureau_id") or doc.get("bureau") or doc.get("doc_id", "")].append(doc)
    views = []
    used: set[str] = set()
    for bureau_id in sorted(by_bureau, key=lambda b: bureau_sort_key(by_bureau[b], b)):
        docs = sorted(by_bureau[bureau_id], key=document_sort_key)
        name = docs[0].get("bureau", "") or bureau_id
        slug = unique(readable_slug(name) or "bureau", used, readable_slug(docs[0].get("region", "")))
        anchors: set[str] = set()
        documents = []
        for doc in docs:
            anchor = unique(document_anchor(doc), anchors, "")
            documents.append(
                DocumentView(
                    doc,
                    anchor=anchor,
                    file_id=readable_slug(f"{slug}-{doc.get('fiscal_year', '')}年{kind_label(doc)}") or anchor,
                    key_figures=figures.get(doc.get("doc_id", "")),
                    checks=checks.get(doc.get("doc_id", ""), []),
                    problems=problems.get(doc.get("doc_id", ""), []),
                )
            )
        views.append(BureauView(bureau_id, slug, documents))
    return views


def comparable(view: DocumentView, bureau: BureauView) -> Comparable:
    figures = view.key_figures
    return Comparable(
        doc_id=view.doc_id,
        label=f"{bureau.name}（{view.doc.get('fiscal_year', '')}）",
        page=bureau.page,
        total=view.total,
        basic=key_figure(figures, "basic_expenditure"),
        project=key_figure(figures, "project_expenditure"),
        personnel=key_figure(figures, "personnel_expenditure"),
        public=key_figure(figures, "public_expenditure"),
        three_public=key_figure(figures, "three_public_total"),
        group=comparison_group(view.doc),
        kind=kind_label(view.doc),
    )


def comparison_group(doc: Row) -> str:
    """Documents are ranked only against documents of the same level, year and kind."""
    level = ADMIN_LEVEL_LABELS.get(doc.get("admin_level", ""), doc.get("admin_level", "") or "级别未知")
    return f"{level} · {doc.get('fiscal_year', '')}年{kind_label(doc)}"


def latest_budget(bureau: BureauView) -> DocumentView:
    """The document a bureau is compared by: its latest budget, else its latest document."""
    for view in bureau.documents:
        if view.doc.get("doc_type") == "budget" and view.total is not None:
            return view
    return bureau.latest


# ---------------------------------------------------------------- checks reference


@cache
def check_reference() -> dict[str, dict[str, str]]:
    """Descriptions keyed by check id or id prefix; rules are stored under `rule:<name>`."""
    path = Path(__file__).with_name("checks.yml")
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    reference = {str(key): value for key, value in loaded.get("checks", {}).items()}
    reference.update({f"rule:{key}": value for key, value in loaded.get("rules", {}).items()})
    return reference


def descriptor_check_reference(descriptor: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Check descriptions the package itself may carry, as a list or a mapping."""
    found: dict[str, dict[str, str]] = {}
    for key in ("checks", "x-checks", "yibao:checks"):
        value = descriptor.get(key)
        if isinstance(value, dict):
            for check_id, text in value.items():
                found[str(check_id)] = text if isinstance(text, dict) else {"zh": str(text)}
        elif isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict) and entry.get("id"):
                    found[str(entry["id"])] = {
                        "zh": str(entry.get("zh") or entry.get("description_zh") or entry.get("title") or ""),
                        "en": str(entry.get("en") or entry.get("description_en") or entry.get("description") or ""),
                    }
    return found


KEY_FIGURE_NAMES = dict(KEY_FIGURE_LABELS)
FIELD_TEXT_KEYS = (
    "x-description-zh", "description_zh", "title_zh", "zh",
    "x-description-en", "description_en", "title_en", "en", "title", "description",
)  # fmt: skip


def describe_check(check_id: str, reference: dict[str, dict[str, str]]) -> dict[str, str]:
    """Whole id, then the longest dotted prefix, then `<table>.<rule>` as 表名：rule text.

    narrative.<key figure> reads as "说明文字中的<figure>与表格一致" when no entry says more.
    """
    parts = check_id.split(".")
    for length in range(len(parts), 1, -1):
        key = ".".join(parts[:length])
        if key in reference:
            return {"zh": reference[key].get("zh", ""), "en": reference[key].get("en", "")}
    if len(parts) == 2 and f"rule:{parts[1]}" in reference:
        rule = reference[f"rule:{parts[1]}"]
        table = TABLE_LABELS.get(parts[0], parts[0])
        return {"zh": f"{table}：{rule.get('zh', '')}", "en": f"{parts[0]}: {rule.get('en', '')}"}
    if len(parts) == 2 and parts[0] == "narrative" and parts[1] in KEY_FIGURE_NAMES:
        label = KEY_FIGURE_NAMES[parts[1]]
        return {
            "zh": f"说明文字中的{label}与表格中的数字一致。",
            "en": f"{parts[1]} stated in the text agrees with the tables.",
        }
    if parts[0] in reference:
        return {"zh": reference[parts[0]].get("zh", ""), "en": reference[parts[0]].get("en", "")}
    return {"zh": "", "en": ""}


# ---------------------------------------------------------------- schema text


_CJK = re.compile(r"[\u3400-\u9fff]")


def field_texts(field_descriptor: dict[str, Any]) -> tuple[str, str]:
    """(Chinese, English) description of a Table Schema field, whatever keys the descriptor uses."""
    candidates = [field_descriptor.get(key) for key in FIELD_TEXT_KEYS]
    texts = [str(value) for value in candidates if isinstance(value, str) and value.strip()]
    nested = field_descriptor.get("descriptions") or {}
    if isinstance(nested, dict):
        texts = [str(nested.get("zh", "")), str(nested.get("en", "")), *texts]
    chinese = next((text for text in texts if _CJK.search(text)), "")
    english = next((text for text in texts if text and not _CJK.search(text)), "")
    return chinese, english


def license_of(descriptor: dict[str, Any]) -> dict[str, str]:
    licenses = descriptor.get("licenses") or []
    if licenses and isinstance(licenses[0], dict):
        first = licenses[0]
        return {
            "name": str(first.get("name", "")),
            "title": str(first.get("title", "")),
            "path": str(first.get("path", "")),
        }
    return {"name": "", "title": "", "path": ""}
