"""Every problem carries a code, every code is described in the message catalogue, and the data
page lists each code the package holds with its description."""

from __future__ import annotations

import ast
import html
from pathlib import Path

from tests.conftest import ROOT, read_csv
from yibao.messages import catalogue, say
from yibao.model import Problem
from yibao.site import generate_pages


def test_a_problem_takes_its_code_from_its_message() -> None:
    problem = Problem("warning", say("three_public.unknown_row", label="会议费"), "three_public", 9, 120)
    assert problem.code == "three_public.unknown_row"
    assert problem.reason == "“三公”表中无法识别的行“会议费” (unrecognised row)"
    assert type(problem.reason) is str  # plain text in the package


def test_every_code_said_in_the_code_is_in_the_catalogue() -> None:
    said = set()
    for path in (ROOT / "yibao").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "say" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    said.add(first.value)
    assert said and said - set(catalogue()) == set()


def test_every_problem_in_the_package_has_a_described_code(package: Path, tmp_path: Path) -> None:
    problems = read_csv(package / "problems.csv")
    assert problems, "the published documents have problems to describe"
    codes = {row["code"] for row in problems}
    assert "" not in codes
    assert codes <= set(catalogue())
    docs = tmp_path / "docs"
    generate_pages(package, docs)
    page = (docs / "data" / "index.md").read_text(encoding="utf-8")
    section = html.unescape(page[page.index("## 问题代码") :])  # the page escapes every value
    for code in codes:
        assert f"<code>{code}</code>" in section, code
    assert catalogue()["summary.columns_undecided"].zh.split("{")[0] in section
