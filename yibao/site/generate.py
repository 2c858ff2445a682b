"""Render site_templates/ into docs/ from a data package: Markdown pages and download files."""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from yibao.messages import catalogue

from . import charts as ch
from . import downloads
from . import ranking as rk
from . import scorecard as sc
from .formatting import format_amount, front_matter_title, md_escape, readable_slug, safe_url, script_json
from .lead import build_lead, inconsistency_sentence
from .model import (
    ADMIN_LEVEL_LABELS,
    CHECK_STATUS_LABELS,
    CLASSIFICATION_LABELS,
    KEY_FIGURE_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    TABLE_LABELS,
    BureauView,
    DocumentView,
    bureau_views,
    check_reference,
    comparable,
    describe_check,
    descriptor_check_reference,
    field_texts,
    kind_label,
    latest_budget,
    license_of,
    page_href,
    recent_documents,
)
from .names import bureau_aliases, clean_names, shown_name
from .package import Row, SitePackage, load_package, row_sort_key

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "site_templates"

# Everything generate_pages writes lives here (all git-ignored); it is wiped before each run so
# a bureau that left the package leaves no page behind.
GENERATED_DIRS = ("bureaus", "generated", "data", "assets/generated", "assets/javascripts/vendor")
GENERATED_FILES = ("index.md",)
CHART_CSV_DIR = "assets/generated/charts"
ROWS_CSV_DIR = "data/rows"
CODE_DIR = "data/codes"
CHECKS_CSV_DIR = "data/checks"
ZIP_NAME = "open-yibao-budgets.zip"
HOME_COMPARE_LIMIT = 15
COMPARE_LIMIT = 40
RECENT_LIMIT = 10

MEASURE_ORDER = ["total", "basic", "personnel", "public", "project"]
LEVEL_LABELS = {"class": "类", "segment": "款", "item": "项", "total": "合计", "line": ""}


def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape,
        amount=format_amount,
        json=script_json,
        front_matter_title=front_matter_title,
        safe_url=safe_url,
    )
    env.globals.update(
        ADMIN_LEVEL_LABELS=ADMIN_LEVEL_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        CHECK_STATUS_LABELS=CHECK_STATUS_LABELS,
        OUTCOME_LABELS=OUTCOME_LABELS,
        CLASSIFICATION_LABELS=CLASSIFICATION_LABELS,
        LEVEL_LABELS=LEVEL_LABELS,
        kind_label=kind_label,
        CHART_CSV_DIR=CHART_CSV_DIR,
        TABLE_LABELS=TABLE_LABELS,
        OUTCOME_MARKS=sc.OUTCOME_MARKS,
        GROUP_LABELS=sc.GROUP_LABELS,
        DOC_KIND_LABELS=ch.DOC_TYPE_LABELS,
        signed=sc.signed,
    )
    return env


def measure_labels() -> dict[str, str]:
    """Chinese column names from yibao/data/measures.yml; ids where that file is unavailable."""
    try:
        from yibao.reference import measures

        return {key: str(value.get("zh", key)) for key, value in measures().get("measures", {}).items()}
    except Exception:  # the parser's reference data is optional for the site
        return {
            "total": "合计",
            "basic": "基本支出",
            "personnel": "人员经费",
            "public": "公用经费",
            "project": "项目支出",
        }


# ---------------------------------------------------------------- printed tables


def ordered_measures(items: list[Row], printed: str) -> list[str]:
    present = list(dict.fromkeys(row.get("measure", "") for row in items))
    listed = [m for m in printed.replace(",", " ").split() if m in present]
    if listed and set(listed) == set(present):
        return listed
    known = [m for m in MEASURE_ORDER if m in present]
    return known + sorted(m for m in present if m not in known)


def printed_tables(tables: list[Row], items: list[Row], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Each recognised table as printed: one row per row_no, one column per measure."""
    by_table: dict[str, list[Row]] = defaultdict(list)
    for item in items:
        by_table[item.get("table_no", "")].append(item)
    result = []
    for table in tables:
        rows_of_table = by_table.get(table.get("table_no", ""), [])
        measures = ordered_measures(rows_of_table, table.get("columns", ""))
        grouped: dict[str, dict[str, Any]] = {}
        for item in sorted(rows_of_table, key=lambda r: row_sort_key(r, ["row_no"])):
            row = grouped.setdefault(
                item.get("row_no", ""),
                {
                    "code": item.get("code", ""),
                    "name": item.get("name", ""),
                    "level": item.get("level", ""),
                    "amounts": {},
                },
            )
            row["amounts"][item.get("measure", "")] = item.get("amount", "")
        result.append(
            {
                "table": table,
                "measures": [(m, labels.get(m, m)) for m in measures],
                "rows": list(grouped.values()),
            }
        )
    return result


# ---------------------------------------------------------------- pages


class SiteWriter:
    """Holds the package, the views and the output folder while pages are written."""

    def __init__(self, package: SitePackage, docs_dir: Path) -> None:
        self.package = package
        self.docs_dir = docs_dir
        self.env = template_environment()
        self.bureaus = bureau_views(package)
        self.line_items = package.by_doc("line_items")
        self.tables = package.by_doc("tables")
        self.projects = package.by_doc("projects")
        self.targets = package.by_doc("performance_targets")
        self.key_figures = package.key_figures()
        self.measure_labels = measure_labels()
        self.check_reference = check_reference() | descriptor_check_reference(package.descriptor)
        self.document_packages: dict[str, str] = {}
        self.source_copies: dict[str, str] = {}
        self.sources_withheld: set[str] = set()
        self.clean_names = clean_names(package.rows("line_items"))
        self.code_pages: dict[str, str] = {}
        self.scorecards = {doc_id: sc.document_scorecard(rows) for doc_id, rows in package.by_doc("scorecard").items()}
        self.stated_changes = package.by_doc("stated_changes")
        self.rankings = rk.ranking_pages(self.bureaus, self.scorecards)
        self.ranking_of = rk.page_of_document(self.rankings)

    # -- writing

    def write_page(self, page: str, template: str, **context: Any) -> None:
        text = self.env.get_template(template).render(link=self.linker(page), page_path=page, **context)
        check_front_matter(page, text)
        downloads.write_bytes(self.docs_dir / page, text.encode("utf-8"))

    def linker(self, page: str) -> Callable[[str], str]:
        return lambda target: page_href(page, target)

    def write_chart_csv(self, chart: ch.Chart) -> None:
        downloads.write_bytes(self.docs_dir / self.chart_csv(chart), downloads.csv_bytes(chart.csv_rows()))

    @staticmethod
    def chart_csv(chart: ch.Chart) -> str:
        """Named after what it holds: 某市医疗保障局-2025年部门预算-支出功能分类.csv."""
        return f"{CHART_CSV_DIR}/{chart.csv_name or chart.chart_id}.csv"

    def with_csv(self, charts: Sequence[ch.Chart | None]) -> list[ch.Chart]:
        present = [chart for chart in charts if chart is not None]
        for chart in present:
            self.write_chart_csv(chart)
        return present

    # -- downloads

    def write_downloads(self, package_dir: Path) -> list[str]:
        data_dir = self.docs_dir / "data"
        names = downloads.copy_package(package_dir, data_dir)
        downloads.write_package_zip(package_dir, data_dir / ZIP_NAME, "open-yibao-budgets")
        file_ids = {view.doc_id: view.file_id for bureau in self.bureaus for view in bureau.documents}
        self.document_packages = downloads.copy_document_packages(package_dir, data_dir, file_ids)
        self.source_copies, self.sources_withheld = downloads.copy_sources(
            package_dir, data_dir, self.package.rows("documents"), file_ids
        )
        per_document = [
            ("line_items", ROWS_CSV_DIR, self.line_items),
            ("checks", CHECKS_CSV_DIR, self.package.by_doc("checks")),
        ]
        for resource, folder, rows_by_doc in per_document:
            fields = self.resource_fields(resource)
            for doc_id, file_id in sorted(file_ids.items()):
                if doc_id in self.document_packages:  # the document's own package has this CSV
                    continue
                rows = downloads.dict_rows(rows_by_doc.get(doc_id, []), fields)
                downloads.write_bytes(self.docs_dir / folder / f"{file_id}.csv", downloads.csv_bytes(rows))
        return names

    def document_csv(self, view: DocumentView, resource: str, folder: str) -> str:
        """One document's rows of a resource: the CSV of its own package where the data package
        has one (not copied twice), else a CSV written for the page."""
        if view.doc_id in self.document_packages:
            return f"data/documents/{self.document_packages[view.doc_id]}/{resource}.csv"
        return f"{folder}/{view.file_id}.csv"

    def resource_fields(self, name: str) -> list[str]:
        schema_fields = self.package.resource_descriptor(name).get("schema", {}).get("fields", [])
        names = [str(f.get("name")) for f in schema_fields if f.get("name")]
        if names:
            return names
        rows = self.package.rows(name)
        return list(rows[0].keys()) if rows else []

    # -- bureau pages

    def document_label(self, bureau: BureauView, view: DocumentView) -> str:
        return f"{bureau.name}{view.doc.get('fiscal_year', '')}年{kind_label(view.doc)}"

    def cite_chart(self, chart: ch.Chart, bureau: BureauView, view: DocumentView, where: str, pages: str) -> None:
        """A source line under the chart and self-describing CSV columns, named after the chart."""
        document = f"{bureau.name}《{view.doc.get('fiscal_year', '')}年{kind_label(view.doc)}》"
        chart.source = ch.source_line(document, where, pages)
        chart.csv_name = readable_slug(f"{view.file_id}-{chart.title}", 120)
        chart.extra["context"] = [
            ("医保局", bureau.name),
            ("年度", view.doc.get("fiscal_year", "")),
            ("文件", kind_label(view.doc)),
            ("单位", "万元"),
            ("来源", f"{document}{where}{pages}"),
        ]

    def document_context(self, bureau: BureauView, view: DocumentView) -> dict[str, Any]:
        items = [{**row, "name": shown_name(row, self.clean_names)} for row in self.line_items.get(view.doc_id, [])]
        figures = view.key_figures
        chart_id = view.file_id
        charts = {
            "function": ch.function_chart(chart_id, items),
            "basic_project": ch.basic_project_chart(chart_id, figures, items),
            "personnel_public": ch.personnel_public_chart(chart_id, figures, items),
            "economic": ch.economic_chart(chart_id, items),
            "income": ch.income_chart(chart_id, items, figures),
            "three_public": ch.three_public_chart(chart_id, figures),
        }
        lead = build_lead(self.document_label(bureau, view), figures, items)
        card_pages = {card.label: card.page for card in lead.cards}
        figure_sources = {
            "basic_project": ("", card_pages.get("基本支出", "")),
            "personnel_public": ("", card_pages.get("人员经费", "")),
            "three_public": ("“三公”经费支出表", card_pages.get("“三公”经费", "")),
        }
        for key, chart in charts.items():
            if chart is None:
                continue
            where, pages = figure_sources.get(key, (chart.extra.get("table", ""), ""))
            self.cite_chart(chart, bureau, view, where, pages or ch.pages_text(chart.extra.get("pages", [])))
        self.with_csv(list(charts.values()))
        key_figures = [(label, (figures or {}).get(name, "")) for name, label in KEY_FIGURE_LABELS]
        checks: list[dict[str, Any]] = [
            {**row, "description": describe_check(row.get("check", ""), self.check_reference)} for row in view.checks
        ]
        # Failures first (a reader comes for them), then skipped, then passed; stable by check_no.
        status_order = {"fail": 0, "skip": 1, "pass": 2}
        checks.sort(key=lambda row: (status_order.get(row.get("status", ""), 3), row_sort_key(row, ["check_no"])))
        failed = [row for row in checks if row.get("status") == "fail"]
        inconsistencies = [
            inconsistency_sentence(
                row,
                TABLE_LABELS.get(row.get("table", ""), ""),
                self.measure_labels.get(row.get("measure", ""), "") if row.get("measure") else "",
            )
            for row in failed
        ]
        return {
            "view": view,
            "doc": view.doc,
            "lead": lead,
            "label": self.document_label(bureau, view),
            "key_figures": [(label, value) for label, value in key_figures if value.strip()],
            "charts": charts,
            "projects": self.projects.get(view.doc_id, []),
            "targets": self.targets.get(view.doc_id, []),
            "checks": checks,
            "failed_checks": failed,
            "inconsistencies": inconsistencies,
            "check_groups": check_groups([row for row in checks if row.get("status") != "fail"]),
            "checks_csv": self.document_csv(view, "checks", CHECKS_CSV_DIR),
            "measure_labels": self.measure_labels,
            "check_counts": view.check_counts,
            "problems": view.problems,
            "printed": printed_tables(self.tables.get(view.doc_id, []), items, self.measure_labels),
            "rows_csv": self.document_csv(view, "line_items", ROWS_CSV_DIR),
            "source_href": self.source_copies.get(view.doc_id, ""),
            "source_file": view.doc.get("source_file", ""),  # the file source_href serves
            "source_withheld": view.doc_id in self.sources_withheld,
            "document_package": (
                f"data/documents/{self.document_packages[view.doc_id]}/datapackage.json"
                if view.doc_id in self.document_packages
                else ""
            ),
            "source_url": safe_url(view.doc.get("source_url", "")),
        }

    def years_context(self, bureau: BureauView, view: DocumentView, items: list[Row]) -> dict[str, Any]:
        """The scorecard and last year's figures of one document (site_templates/_scorecard.j2)."""
        last_year = last_year_document(bureau, view)
        changes = sc.stated_changes(
            self.stated_changes.get(view.doc_id, []), last_year.key_figures if last_year else None
        )
        ranking = self.ranking_of.get(view.doc_id)
        return {
            "scorecard": self.scorecards.get(view.doc_id, sc.Scorecard([])),
            "stated_changes": changes,
            "has_last_year_document": any(c.previous_document is not None for c in changes),
            "previous_tables": sc.previous_year_tables(
                self.tables.get(view.doc_id, []),
                [{**row, "name": shown_name(row, self.clean_names)} for row in items],
                self.measure_labels,
            ),
            "ranking_page": ranking.page if ranking else "",
            "ranking_title": ranking.title if ranking else "",
        }

    def write_bureau_page(self, bureau: BureauView) -> None:
        documents = [self.document_context(bureau, view) for view in bureau.documents]
        for context in documents:
            context.update(self.years_context(bureau, context["view"], self.line_items.get(context["view"].doc_id, [])))
        years = ch.years_chart(f"{bureau.slug}--years", [v.doc for v in bureau.documents], self.key_figures)
        if years is not None:
            years.source = ch.source_line(f"{bureau.name}各年度文件", "", "")
            years.csv_name = readable_slug(f"{bureau.slug}-历年支出总计", 120)
            years.extra["context"] = [("医保局", bureau.name), ("单位", "万元")]
        self.with_csv([years])
        self.write_page(
            bureau.page,
            "bureau.md.j2",
            bureau=bureau,
            documents=documents,
            years_chart=years,
            aliases=bureau_aliases(bureau.name)[1:],
            code_pages=self.code_pages,
        )

    # -- overview pages

    def comparables(self) -> list[ch.Comparable]:
        return [comparable(latest_budget(bureau), bureau) for bureau in self.bureaus]

    def comparison_charts(self, prefix: str, limit: int) -> list[ch.Chart]:
        charts = ch.comparison_charts(prefix, self.comparables(), limit)
        for chart in charts:
            chart.source = ch.source_line("各医保局最新一份预算文件（文件与页码见各局页面）", "", "")
            chart.csv_name = readable_slug(f"各局比较-{chart.title.split('（')[0]}", 120)
            chart.extra["context"] = [("单位", "万元")]
        return self.with_csv(charts)

    def all_comparables(self) -> list[tuple[BureauView, DocumentView, ch.Comparable]]:
        return [(bureau, view, comparable(view, bureau)) for bureau in self.bureaus for view in bureau.documents]

    def write_home(self) -> None:
        documents = self.package.documents()
        checks = Counter(row.get("status", "") for row in self.package.rows("checks"))
        by_year: dict[str, dict[str, Any]] = {}
        for bureau in self.bureaus:
            for view in bureau.documents:
                year = view.doc.get("fiscal_year", "")
                entry = by_year.setdefault(
                    year, {"documents": 0, "bureaus": set(), "total": Decimal(0), "with_total": 0}
                )
                entry["documents"] += 1
                entry["bureaus"].add(bureau.bureau_id)
                if view.total is not None and view.doc.get("doc_type") == "budget":
                    entry["total"] += view.total
                    entry["with_total"] += 1
        page_of = {view.doc_id: (bureau, view) for bureau in self.bureaus for view in bureau.documents}
        failing = [
            page_of[doc_id]
            for doc_id in sorted(page_of)
            if page_of[doc_id][1].check_counts["fail"] or page_of[doc_id][1].doc.get("status") == "error"
        ]
        self.write_page(
            "index.md",
            "home.md.j2",
            bureaus=self.bureaus,
            document_count=len(documents),
            years=sorted(by_year.items(), reverse=True),
            doc_types=Counter(kind_label(doc) for doc in documents),
            checks=checks,
            failing=failing,
            recent=[page_of[doc.get("doc_id", "")] for doc in recent_documents(documents, RECENT_LIMIT)],
            charts=self.comparison_charts("home", HOME_COMPARE_LIMIT)[2:4],
        )

    def write_bureau_index(self) -> None:
        levels = sorted({b.admin_level for b in self.bureaus if b.admin_level})
        listed = [(bureau, bureau_aliases(bureau.name)) for bureau in self.bureaus]
        self.write_page("bureaus/index.md", "bureaus.md.j2", bureaus=listed, levels=levels)

    def write_compare(self) -> None:
        self.write_page(
            "bureaus/compare.md",
            "compare.md.j2",
            charts=self.comparison_charts("compare", COMPARE_LIMIT),
            entries=self.all_comparables(),
            rankings=self.rankings,
        )

    def write_rankings(self) -> None:
        """One ranking page per administrative level and kind of document (bureaus/ranking/)."""
        for page in self.rankings:
            self.write_page(page.page, "ranking.md.j2", ranking=page, pages=self.rankings)

    def plan_code_pages(self) -> None:
        """One page per function and economic code that occurs: data/codes/<code>.md."""
        for row in self.package.rows("line_items"):
            code = row.get("code", "").strip()
            if code.isdigit() and row.get("classification") in ("function", "economic"):
                self.code_pages[code] = f"{CODE_DIR}/{code}.md"

    def write_code_pages(self) -> None:
        """Every bureau's amount for one code, from each document's first table printing it."""
        page_of = {view.doc_id: (bureau, view) for bureau in self.bureaus for view in bureau.documents}
        by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen: set[tuple[str, str, str]] = set()
        for row in sorted(
            self.package.rows("line_items"), key=lambda r: row_sort_key(r, ["doc_id", "table_no", "row_no"])
        ):
            code = row.get("code", "").strip()
            if code not in self.code_pages or row.get("doc_id", "") not in page_of:
                continue
            key = (code, row.get("doc_id", ""), row.get("classification", ""))
            if row.get("measure") != "total" or key in seen:
                continue
            seen.add(key)
            bureau, view = page_of[row["doc_id"]]
            by_code[code].append(
                {
                    "bureau": bureau,
                    "view": view,
                    "name": shown_name(row, self.clean_names),
                    "table": TABLE_LABELS.get(row.get("table", ""), ""),
                    "page": row.get("page", ""),
                    "amount": row.get("amount", ""),
                    "classification": row.get("classification", ""),
                }
            )
        sections = {entry["code"]: entry for section in self.classification_sections() for entry in section["entries"]}
        for code, page in sorted(self.code_pages.items()):
            entries = sorted(
                by_code.get(code, []),
                key=lambda e: (e["view"].doc.get("fiscal_year", ""), e["bureau"].province, e["bureau"].name),
            )
            info = sections.get(code, {"name": entries[0]["name"] if entries else code, "other_names": [],
                                       "level": "", "explanation": ""})  # fmt: skip
            parent = next(
                (self.code_pages[code[:n]] for n in (5, 3) if n < len(code) and code[:n] in self.code_pages), ""
            )
            children = sorted(
                c for c in self.code_pages if c != code and c.startswith(code) and len(c) == len(code) + 2
            )
            self.write_page(page, "code.md.j2", code=code, info=info, entries=entries, parent=parent,
                            children=[(c, self.code_pages[c], sections.get(c, {}).get("name", "")) for c in children])  # fmt: skip

    def write_classification(self) -> None:
        self.write_page(
            "data/classification.md",
            "classification.md.j2",
            sections=self.classification_sections(),
            terms=self.glossary_terms(),
            code_pages=self.code_pages,
        )

    def explanations(self) -> dict[str, str]:
        """Code → what the documents' 名词解释 say it covers (the most common wording)."""
        texts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.package.rows("glossary"):
            if row.get("code"):
                texts[row["code"]][row.get("explanation", "")] += 1
        return {code: sorted(c.items(), key=lambda p: (-p[1], p[0]))[0][0] for code, c in texts.items()}

    def glossary_terms(self) -> list[dict[str, Any]]:
        """Terms of the 名词解释 sections that are no classification code, with the most common
        explanation and how many documents explain them."""
        texts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.package.rows("glossary"):
            if not row.get("code") and "（项）" not in row.get("term", ""):
                texts[row.get("term", "")][row.get("explanation", "")] += 1
        terms = []
        for term in sorted(texts, key=lambda t: (-sum(texts[t].values()), t)):
            ranked = sorted(texts[term].items(), key=lambda p: (-p[1], p[0]))
            terms.append({"term": term, "explanation": ranked[0][0], "documents": sum(texts[term].values())})
        return terms

    def classification_sections(self) -> list[dict[str, Any]]:
        """Codes that occur, per classification: most common name, other spellings, documents."""
        names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        docs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in self.package.rows("line_items"):
            code = row.get("code", "").strip()
            classification = row.get("classification", "")
            if not code or classification not in ("function", "economic"):
                continue
            names[(classification, code)][shown_name(row, self.clean_names)] += 1
            docs[(classification, code)].add(row.get("doc_id", ""))
        sections = []
        explained = self.explanations()
        for classification, title in (("function", "支出功能分类科目"), ("economic", "支出经济分类科目")):
            codes = sorted(code for kind, code in names if kind == classification)
            entries = []
            for code in codes:
                counted = names[(classification, code)].most_common()
                ranked = sorted(counted, key=lambda pair: (-pair[1], pair[0]))
                entries.append(
                    {
                        "code": code,
                        "name": ranked[0][0],
                        "other_names": [name for name, _ in ranked[1:]],
                        "level": {3: "类", 5: "款", 7: "项"}.get(len(code), ""),
                        "documents": len(docs[(classification, code)]),
                        "explanation": explained.get(code, "") if classification == "function" else "",
                    }
                )
            sections.append({"id": classification, "title": title, "entries": entries})
        return sections

    def write_data_page(self, files: list[str]) -> None:
        resources = []
        for resource in self.package.descriptor.get("resources", []):
            fields = []
            for field_descriptor in resource.get("schema", {}).get("fields", []):
                zh, en = field_texts(field_descriptor)
                fields.append(
                    {
                        "name": field_descriptor.get("name", ""),
                        "type": field_descriptor.get("type", ""),
                        "zh": zh,
                        "en": en,
                    }
                )
            resources.append(
                {
                    "name": resource.get("name", ""),
                    "path": resource.get("path", "") if isinstance(resource.get("path"), str) else "",
                    "title": resource.get("title", ""),
                    "description": resource.get("description", ""),
                    "rows": len(self.package.rows(resource.get("name", ""))),
                    "primary_key": resource.get("schema", {}).get("primaryKey", []),
                    "fields": fields,
                }
            )
        status_by_check: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.package.rows("checks"):
            status_by_check[row.get("check", "")][row.get("status", "")] += 1
        checks = [
            {
                "id": check_id,
                "counts": status_by_check[check_id],
                "description": describe_check(check_id, self.check_reference),
            }
            for check_id in sorted(status_by_check)
        ]
        self.write_page(
            "data/index.md",
            "data.md.j2",
            downloads=self.download_entries(files),
            descriptor=self.package.descriptor,
            files=[name for name in files if name != "datapackage.json"],
            zip_name=ZIP_NAME,
            resources=resources,
            checks=checks,
            coverage=self.check_coverage(),
            problem_codes=self.problem_codes(),
            license=license_of(self.package.descriptor),
            document_count=len(self.package.documents()),
            scorecard_criteria=sc.method_criteria(),
            required_tables=sc.required_tables(),
            pass_through=sc.pass_through_reference(),
        )

    def check_coverage(self) -> dict[str, int]:
        """How many published amounts no check rests on (`tables.amounts_unchecked`), of all."""
        tables = self.package.rows("tables")
        return {
            "amounts": sum(int(row.get("amounts") or 0) for row in tables),
            "unchecked": sum(int(row.get("amounts_unchecked") or 0) for row in tables),
        }

    def problem_codes(self) -> list[dict[str, Any]]:
        """Each problem code the package holds, with its message from the catalogue and how many
        problems carry it."""
        counts = Counter(row.get("code", "") for row in self.package.rows("problems"))
        messages = catalogue()
        return [
            {
                "code": code,
                "zh": messages[code].zh if code in messages else "",
                "en": messages[code].en if code in messages else "",
                "count": count,
            }
            for code, count in sorted(counts.items())
        ]

    def download_entries(self, files: list[str]) -> list[dict[str, Any]]:
        """The data page's download table: file, what it holds, rows, size."""
        by_path = {
            str(resource.get("path", "")): resource
            for resource in self.package.descriptor.get("resources", [])
            if isinstance(resource.get("path"), str)
        }
        entries: list[dict[str, Any]] = [
            {"name": ZIP_NAME, "href": ZIP_NAME, "what": "全部数据（以下各文件的压缩包）", "rows": None}
        ]
        entries.append({"name": "datapackage.json", "href": "datapackage.json",
                        "what": "数据包描述：每张表的字段、类型和说明", "rows": None})  # fmt: skip
        for name in files:
            if name == "datapackage.json":
                continue
            resource = by_path.get(name, {})
            title = str(resource.get("title", "") or resource.get("description", "") or "")
            entries.append({"name": name, "href": name, "what": title,
                            "rows": len(self.package.rows(str(resource.get("name", "")))) if resource else None})  # fmt: skip
        for entry in entries:
            entry["size"] = human_size((self.docs_dir / "data" / entry["href"]).stat().st_size)
        return entries


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class UnsafePage(RuntimeError):
    """A generated page whose front matter MkDocs would not read: never written."""


def check_front_matter(page: str, text: str) -> None:
    """Read the page's front matter back as MkDocs does: a page whose front matter does not
    parse is rendered without it (its title line becomes Markdown), so it is refused here."""
    from mkdocs.utils import meta

    _, data = meta.get_data(text)
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not data["title"]:
        raise UnsafePage(f"{page}: the generated front matter does not parse")


def check_groups(checks: list[Row]) -> list[dict[str, Any]]:
    """Passed and skipped checks summarised per check id: a document runs hundreds of them, and
    listing each would make the page heavy; every row is in the per-document checks CSV."""
    groups: dict[str, dict[str, Any]] = {}
    for row in checks:
        group = groups.setdefault(
            row.get("check", ""),
            {
                "check": row.get("check", ""),
                "description": row.get("description", {}),
                "counts": Counter(),
                "outcomes": Counter(),
            },
        )
        group["counts"][row.get("status", "")] += 1
        group["outcomes"][row.get("outcome", "")] += 1
    return [groups[key] for key in sorted(groups)]


def last_year_document(bureau: BureauView, view: DocumentView) -> DocumentView | None:
    """The body's document of the year before, of the same kind, where the package has it."""
    year = view.doc.get("fiscal_year", "")
    if not year.isdigit():
        return None
    kind = (view.doc.get("doc_type", ""), view.doc.get("scope", ""))
    for other in bureau.documents:
        if (
            other.doc.get("fiscal_year", "") == str(int(year) - 1)
            and (
                other.doc.get("doc_type", ""),
                other.doc.get("scope", ""),
            )
            == kind
        ):
            return other
    return None


def safe_chart_id(value: str) -> str:
    return value.replace("/", "-")


def clean_generated(docs_dir: Path) -> None:
    for relative in GENERATED_DIRS:
        shutil.rmtree(docs_dir / relative, ignore_errors=True)
    for relative in GENERATED_FILES:
        (docs_dir / relative).unlink(missing_ok=True)


def generate(package_dir: Path, docs_dir: Path) -> None:
    package = load_package(package_dir)
    clean_generated(docs_dir)
    writer = SiteWriter(package, docs_dir)
    files = writer.write_downloads(package_dir)
    writer.plan_code_pages()
    for bureau in writer.bureaus:
        writer.write_bureau_page(bureau)
    writer.write_home()
    writer.write_bureau_index()
    writer.write_compare()
    writer.write_rankings()
    writer.write_classification()
    writer.write_code_pages()
    writer.write_data_page(files)
