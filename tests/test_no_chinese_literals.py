"""Issue 8: no Chinese vocabulary in the parser's Python. Table titles, header words, row labels,
units and patterns live in yibao/data/*.yml (loaded through yibao/reference); every sentence said
to a person lives in yibao/data/messages.yml (through yibao/messages.py). A string literal with a
CJK character (ideographs, CJK punctuation such as 、。《》, full-width forms such as （）：) in
yibao/ (the site excepted: it renders its Chinese UI text from templates and site.yml) or build.py
fails this test. Docstrings and comments are prose for the reader and are not scanned.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# CJK symbols and punctuation, ideographs (with extension A and compatibility ideographs),
# full-width and half-width forms, vertical and small form variants, CJK compatibility forms
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uffef“”‘’]")


def scanned_files() -> list[Path]:
    package = ROOT / "yibao"
    files = [path for path in package.rglob("*.py") if (package / "site") not in path.parents]
    return [*sorted(files), ROOT / "build.py"]


def docstring_nodes(tree: ast.AST) -> set[int]:
    """The ids of the constants that are docstrings: a string expression first in a module,
    class or function body."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.add(id(first.value))
    return found


def chinese_literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = docstring_nodes(tree)
    # f-string parts are ast.Constant nodes inside ast.JoinedStr: ast.walk reaches them too
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
            if isinstance(text, str) and CJK.search(text):
                yield node.lineno, text


def test_no_chinese_string_literals_outside_the_catalogues() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in scanned_files()
        for line, text in sorted(chinese_literals(path))
    ]
    assert not found, f"{len(found)} Chinese literals in Python (move them to yibao/data/*.yml):\n" + "\n".join(found)


def test_the_scan_sees_what_it_should() -> None:
    """The scanner itself: a literal, an f-string part and full-width punctuation are found;
    docstrings and comments are not."""
    source = (
        '"""模块说明"""\n'
        "def f(x):\n"
        '    """函数说明"""\n'
        "    # 注释\n"
        "    a = '合计'\n"
        "    b = f'{x}万元'\n"
        "    c = '（'\n"
        "    return a, b, c\n"
    )
    sample = ROOT / "tests" / "__scan_sample__.py"
    tree = ast.parse(source)
    docstrings = docstring_nodes(tree)
    texts = sorted(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and id(node) not in docstrings
        and isinstance(node.value, str)
        and CJK.search(node.value)
    )
    assert texts == ["万元", "合计", "（"], sample
