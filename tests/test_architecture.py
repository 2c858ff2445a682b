"""The dependency rules of ARCHITECTURE.md, enforced: a stage imports only the foundation (model,
reference data, small shared helpers) and the stages before it; the site imports nothing from the
parser. Imports inside functions count as much as those at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "yibao"

# Importable from anywhere: the domain model and the helpers every stage shares.
FOUNDATION = {"model", "reference", "text", "messages", "display"}

# Each stage, in pipeline order, with what it may import besides the foundation and itself.
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "reference": set(),
    "text": set(),
    "messages": set(),
    "display": set(),
    "extract": set(),
    "recognise": {"extract"},
    "normalise": {"extract", "recognise"},
    "derive": {"extract", "recognise", "normalise"},
    "validate": {"extract", "recognise", "normalise", "derive"},
    "output": set(),
    "package": {"derive", "output"},
    # The site reads the published package: its CSV cell format and the atomic output folder, and
    # checks a served PDF for active content before copying it (the same scan the reader runs).
    "site": {"output", "package", "extract.pdf_safety"},
    # The orchestration modules tie the stages together.
    "pipeline": {"extract", "recognise", "normalise", "derive", "validate"},
    "isolation": {"pipeline"},
    # the parse cache: what a worker stores of a document (its summary) and where (extract: the
    # metadata file beside a document)
    "cache": {"extract"},
    "report": set(),
    "build": {"cache", "extract", "isolation", "output", "package", "pipeline"},
}

# The foundation itself is layered: the model may use messages and text, nothing of the stages.
FOUNDATION_ALLOWED: dict[str, set[str]] = {
    "text": set(),
    "display": set(),
    "reference": set(),
    "messages": {"reference"},
    "model": {"messages", "text", "reference"},
}


def unit_of(path: Path) -> str:
    """The top-level unit a module belongs to: its folder under yibao/, or its module name."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name under yibao) of every import of the project's own modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("yibao.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "yibao":
                found += [(node.lineno, f"yibao.{alias.name}") for alias in node.names]
            elif node.module.startswith("yibao."):
                found.append((node.lineno, node.module))
    return found


def permitted(unit: str, target: str) -> bool:
    """May modules of `unit` import `target` (a dotted name without the yibao. prefix)?"""
    target_unit = target.split(".")[0]
    if target_unit == unit:
        return True
    if unit in FOUNDATION_ALLOWED:
        return target_unit in FOUNDATION_ALLOWED[unit]
    if target_unit in FOUNDATION:
        return True
    allowed = ALLOWED[unit]
    return target_unit in allowed or any(target == a or target.startswith(a + ".") for a in allowed if "." in a)


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def test_every_unit_has_a_rule() -> None:
    units = {unit_of(p) for p in MODULES}
    assert units <= set(ALLOWED), f"add these to ALLOWED and ARCHITECTURE.md: {sorted(units - set(ALLOWED))}"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_follow_the_stage_order(path: Path) -> None:
    unit = unit_of(path)
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in imported_modules(path)
        if not permitted(unit, name.removeprefix("yibao."))
    ]
    assert not wrong, "imports against ARCHITECTURE.md's rules:\n" + "\n".join(wrong)


def test_the_rules_can_fail(tmp_path: Path) -> None:
    """The checker sees a late stage imported by an early one, also inside a function."""
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from yibao.validate import run_checks\n    return run_checks\n", encoding="utf-8")
    assert imported_modules(module) == [(2, "yibao.validate")]
    assert not permitted("extract", "validate")
    assert not permitted("site", "normalise.rows")
    assert not permitted("site", "extract.pdf")
    assert permitted("site", "extract.pdf_safety")
    assert not permitted("model", "normalise")
