"""Issue 5 — fuzzing the reader and the pipeline with mutated copies of the real disclosures.

Lines deleted, duplicated, swapped; characters inserted; numbers changed; the text cut short; raw
bytes damaged. Whatever comes in, `parse_document` returns a Document (never raises) with status
ok, partial or error, a reason when error, and no reader crash ("unexpected error") hidden in it;
the package rows of the document can be written. Deterministic (fixed seeds); speed is measured in benchmarks/
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import REAL, SOURCE_DOCS
from yibao.model import Document
from yibao.package import csv_bytes, document_rows
from yibao.pipeline import parse_document

# how many mutants per (document, mutation); the four documents parse in 0.05–0.25 s each
PER_CASE = {"chengde": 3, "heilongjiang": 3, "shuangyashan": 6, "anshan": 6}
NOISE = "0123456789.,-–—（）()：:、\t \f一二三合计小计表单位万元项目支出收入208" + "\u3000\xa0\u200b\ufeff"
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


# --------------------------------------------------------------------------- mutations


def delete_lines(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, max(1, len(lines) // 20))):
        start = rng.randrange(len(lines))
        del lines[start : start + rng.randint(1, 8)]
    return lines


def duplicate_lines(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 30)):
        start = rng.randrange(len(lines))
        block = lines[start : start + rng.randint(1, 12)]
        at = rng.randrange(len(lines))
        lines[at:at] = block
    return lines


def swap_lines(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 60)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if rng.random() < 0.5:  # neighbours, as a bad extraction would do
            j = min(len(lines) - 1, i + 1)
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def insert_characters(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(20, 300)):
        i = rng.randrange(len(lines))
        at = rng.randint(0, len(lines[i]))
        noise = "".join(rng.choice(NOISE) for _ in range(rng.randint(1, 4)))
        lines[i] = lines[i][:at] + noise + lines[i][at:]
    return lines


def change_numbers(lines: list[str], rng: random.Random) -> list[str]:
    def change(match: re.Match[str]) -> str:
        if rng.random() > 0.15:
            return match.group()
        return rng.choice(
            [
                lambda t: t[::-1],
                lambda t: t.replace(".", ""),
                lambda t: t + "0",
                lambda t: "-" + t,
                lambda t: t.replace(",", ""),
                lambda t: t.replace(".", ". "),
                lambda t: str(rng.randint(0, 10**9)),
                lambda t: f"{rng.randint(0, 99999)}.{rng.randint(0, 99):02d}",
                lambda t: "9" * rng.randint(1, 40) + ".99",
            ]
        )(match.group())

    return [NUMBER.sub(change, line) for line in lines]


def truncate(lines: list[str], rng: random.Random) -> list[str]:
    text = "\n".join(lines)
    return text[: rng.randint(0, len(text))].split("\n")


def all_at_once(lines: list[str], rng: random.Random) -> list[str]:
    for mutate in (delete_lines, duplicate_lines, swap_lines, insert_characters, change_numbers):
        lines = mutate(lines, rng)
    return lines


TEXT_MUTATIONS = {
    f.__name__: f
    for f in (delete_lines, duplicate_lines, swap_lines, insert_characters, change_numbers, truncate, all_at_once)
}


def damage_bytes(data: bytes, rng: random.Random) -> bytes:
    """Raw bytes: cut inside a multi-byte character, bytes flipped, a few NULs or invalid UTF-8."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        at = rng.randrange(len(data))
        data[at] = rng.choice([0x00, 0xFF, 0x80, 0xE4, 0x0A, 0x0C, rng.randrange(256)])
    cut = rng.randint(len(data) // 2, len(data))
    return bytes(data[:cut])


# --------------------------------------------------------------------------- invariants


def assert_sane(document: Document, what: str) -> None:
    assert isinstance(document, Document), what
    assert document.status in ("ok", "partial", "error"), what
    if document.status == "error":
        assert document.error.strip(), f"{what}: status error without a reason"
    # a reader bug turned into an error is still a bug: the pipeline caught something it raised
    assert "unexpected error" not in document.error, f"{what}: {document.error}"
    assert not any("Traceback" in p.reason for p in document.problems), f"{what}: {document.problems}"
    for table in document.tables:
        for item in table.line_items():
            assert isinstance(item.amount, Decimal), f"{what}: {item}"
            assert item.amount.is_finite(), f"{what}: {item}"
    for check in document.checks:
        assert check.status in ("pass", "fail", "skip"), what
    # and it can be packaged
    rows = document_rows(document)
    for name, resource_rows in rows.items():
        csv_bytes(name, resource_rows)


def label(relative: str) -> str:
    return Path(relative).stem.split("-")[0]


CASES = [(relative, mutation) for relative in REAL for mutation in TEXT_MUTATIONS]


@pytest.mark.parametrize(("relative", "mutation"), CASES, ids=[f"{label(r)}-{m}" for r, m in CASES])
def test_mutated_text_never_breaks_the_pipeline(relative: str, mutation: str, tmp_path: Path) -> None:
    original = SOURCE_DOCS / relative
    lines = original.read_text(encoding="utf-8").split("\n")
    for seed in range(PER_CASE[label(relative)]):
        rng = random.Random(f"{relative}:{mutation}:{seed}")
        mutant = TEXT_MUTATIONS[mutation](lines, rng)
        path = tmp_path / f"{seed}{original.suffix}"
        path.write_text("\n".join(mutant), encoding="utf-8")
        document = parse_document(path, path.name)
        assert_sane(document, f"{relative} {mutation} seed {seed}")


@pytest.mark.parametrize("relative", REAL, ids=[label(r) for r in REAL])
def test_damaged_bytes_never_break_the_reader(relative: str, tmp_path: Path) -> None:
    original = SOURCE_DOCS / relative
    data = original.read_bytes()
    for seed in range(4):
        rng = random.Random(f"{relative}:bytes:{seed}")
        path = tmp_path / f"{seed}{original.suffix}"
        path.write_bytes(damage_bytes(data, rng))
        document = parse_document(path, path.name)
        assert_sane(document, f"{relative} damaged bytes seed {seed}")


@pytest.mark.parametrize("relative", REAL, ids=[label(r) for r in REAL])
def test_mutants_in_gb18030_never_break_the_reader(relative: str, tmp_path: Path) -> None:
    """Mutants that also have to go through the GB18030 decoder."""
    original = SOURCE_DOCS / relative
    lines = original.read_text(encoding="utf-8").split("\n")
    for seed in range(2):
        rng = random.Random(f"{relative}:gb18030:{seed}")
        path = tmp_path / f"{seed}{original.suffix}"
        path.write_bytes("\n".join(all_at_once(lines, rng)).encode("gb18030"))
        document = parse_document(path, path.name)
        assert_sane(document, f"{relative} gb18030 seed {seed}")
