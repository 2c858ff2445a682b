"""benchmarks/mutation.py runs, and tells a caught change from an uncaught one."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCE_DOCS

SHUANGYASHAN = SOURCE_DOCS / "heilongjiang" / "shuangyashan-2024-budget.txt"


@pytest.fixture(scope="module")
def mutation():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "benchmarks" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("mode", ["table", "source"])
def test_harness_reports_the_share_caught(mutation, mode: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cases.json"
    assert (
        mutation.main([str(SHUANGYASHAN), "--mode", mode, "--limit", "12", "--workers", "1", "--json", str(out)]) == 0
    )
    text = capsys.readouterr().out
    assert "caught, tables with identities:" in text
    import json

    cases = json.loads(out.read_text(encoding="utf-8"))["cases"]
    assert cases and {c["mode"] for c in cases} == {mode}
    assert any(c["caught"] for c in cases)  # the summary table's amounts are tested by identities


def test_changes_are_deterministic_and_beyond_rounding(mutation) -> None:  # type: ignore[no-untyped-def]
    for kind in mutation.KINDS:
        first = mutation.changed(Decimal("3523.22"), kind, "seed")
        assert first == mutation.changed(Decimal("3523.22"), kind, "seed")
        assert abs(first - Decimal("3523.22")) >= Decimal("1.00")
        assert first.as_tuple().exponent == -2
    assert mutation.printed_like("1,116.56", Decimal("2116.56")) == "2,116.56"
