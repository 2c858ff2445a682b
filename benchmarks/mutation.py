"""Mutation benchmark: change one printed amount, run the checks again, say whether they noticed.

    .venv/bin/python benchmarks/mutation.py ../shared/seeds ../shared/real
    .venv/bin/python benchmarks/mutation.py source_docs --mode source --json mutation.json
    .venv/bin/python benchmarks/mutation.py FILE… --kinds random,digit,shift --limit 200
    .venv/bin/python benchmarks/mutation.py ../shared/real --sample 150 --workers 2

Two ways to change an amount:

- `table` (default; every format, PDFs included): the document is read once; for each amount of
  each recognised table, one copy of the document gets that amount changed, its key figures are
  derived again and the checks (`yibao.validate`) run again.
- `source` (text documents): the amount is changed in the source text itself, on the line it
  was read from, and the whole document is read again: the parser's own reading of the changed
  text is tested too. The amount is found on its line as the row's amounts in column order (or
  as the only number equal to it); where neither works it is skipped (counted).

A mutation is *caught* when the set of failed checks differs from the unchanged document's, or an
error problem appears, or the document can no longer be read. The share caught is reported over
all mutations, over the amounts of tables that have identities (a table some check of the
unchanged document tests) and over the tables whose identities all pass unchanged (where a table
was read wrong its identities fail already, and the share would measure the reading, not the
checks), per table, with every uncaught case (document, table, code, name, measure, page, line,
old → new) and their count by table and kind of row: what no identity catches. An uncaught amount
is told apart as *no identity covers it* when no check's figures move with it (a line printed in
no sum: the package publishes nothing that could tell it is wrong), from one an identity covers
that did not notice (it fails already as printed, or the change is within its rounding). Changes are at least 1.00 (万元): a smaller one is within the
rounding a document may print (尾数误差) and no identity can tell it from rounding.

Kinds of change (each deterministic, seeded by the document and the cell): `random` a value of
the same order of magnitude (3523.22 → 5074.13), `digit` one digit of the integer part replaced,
`shift` the decimal point moved (×10 or ÷10). The checks themselves are not this file's business:
it only measures them.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yibao.build import source_files  # noqa: E402
from yibao.derive.key_figures import key_figures  # noqa: E402
from yibao.extract import TEXT_SUFFIXES, read_source  # noqa: E402
from yibao.model import Document, SourceText  # noqa: E402
from yibao.pipeline import parse_document  # noqa: E402
from yibao.validate import run_checks  # noqa: E402

KINDS = ("random", "digit", "shift")
CENT = Decimal("0.01")
MIN_CHANGE = Decimal("1.00")
_NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d.])|(?<![\d.,])-?\d+(?:\.\d+)?(?![\d.])")


@dataclass(frozen=True)
class Cell:
    """One printed amount of a recognised table."""

    file: str
    table_no: int
    table: str
    row: int  # index in table.rows
    code: str
    name: str
    measure: str
    amount: str
    page: int
    line: int
    row_amounts: tuple[str, ...] = ()  # the row's amounts in column order (to find it on its line)
    position: int = 0  # this amount's place among them


@dataclass
class Case:
    cell: Cell
    kind: str
    new: str
    mode: str
    caught: bool
    how: str  # what noticed it: failed checks, a problem, unreadable; or "" when nothing did
    with_identities: bool
    identities_pass: bool = False  # its table has identities and none of them fails unchanged
    covered: bool = True  # some check's figures move with the amount (False: no identity covers it)


# ---------------------------------------------------------------- reading and checking


def signature(document: Document) -> tuple[frozenset[tuple[str, str, str, str]], int, bool, tuple[Any, ...]]:
    """What the checks say: the failed checks, the errors, unreadable; and (last) every check's
    figures, to tell an amount no identity covers (nothing moves with it) from one whose
    identities did not notice it (they already failed, or the change is within their rounding)."""
    failed = frozenset((c.check, c.table, c.code, c.measure) for c in document.checks if c.status == "fail")
    errors = sum(p.severity == "error" for p in document.problems)
    figures = tuple(
        sorted((c.check, c.table, c.code, c.measure, str(c.expected), str(c.actual)) for c in document.checks)
    )
    return failed, errors, document.status == "error", figures


def covered(before: tuple[Any, ...], after: tuple[Any, ...]) -> bool:
    return bool(noticed(before, after)) or after[3] != before[3]


def noticed(before: tuple[Any, ...], after: tuple[Any, ...]) -> str:
    if after[2] and not before[2]:
        return "unreadable"
    if after[0] != before[0]:
        return f"checks: {len(after[0] - before[0])} new failed, {len(before[0] - after[0])} no longer failed"
    if after[1] > before[1]:
        return "problem"
    return ""


def recheck(document: Document, source: SourceText) -> Document:
    document.checks = []
    document.key_figures = key_figures(document)
    document.checks = run_checks(document, source)  # the checks alone: not their coverage counts
    return document


def cells_of(file: str, document: Document) -> list[Cell]:
    cells = []
    for table in document.tables:
        for index, row in enumerate(table.rows):
            printed = tuple(str(a) for a in row.amounts.values())
            for position, (measure, amount) in enumerate(row.amounts.items()):
                cells.append(
                    Cell(file, table.table_no, table.table_id, index, row.code, row.name, measure, str(amount),
                         row.page, row.line, printed, position)
                )  # fmt: skip
    return cells


def tables_with_identities(document: Document) -> set[str]:
    return {c.table for c in document.checks if c.status != "skip" and c.table}


def tables_whose_identities_pass(document: Document) -> set[str]:
    """Tables with identities none of which fails as printed: there a caught share measures the
    checks, not how well the table was read (a table read wrong fails already)."""
    failing = {c.table for c in document.checks if c.status == "fail"}
    return tables_with_identities(document) - failing


# ---------------------------------------------------------------- changes


def changed(amount: Decimal, kind: str, seed: str) -> Decimal | None:
    """The changed amount, at least MIN_CHANGE away, as many decimals as printed; None if none."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    places = Decimal(1).scaleb(amount.as_tuple().exponent if isinstance(amount.as_tuple().exponent, int) else -2)
    for _ in range(20):
        if kind == "random":
            top = max(abs(amount) * 2, Decimal(100))
            new = (Decimal(rng.random()) * top).quantize(places)
        elif kind == "digit":
            whole = str(abs(int(amount)))
            position = rng.randrange(len(whole))
            digits = [d for d in "0123456789" if d != whole[position]]
            if position == 0 and len(whole) > 1:
                digits = [d for d in digits if d != "0"]
            replaced = whole[:position] + rng.choice(digits) + whole[position + 1 :]
            fraction = abs(amount) - abs(int(amount))
            new = (Decimal(replaced) + fraction).quantize(places).copy_sign(amount if amount else Decimal(1))
        elif kind == "shift":
            new = (amount * 10 if rng.random() < 0.5 or abs(amount) < 10 else amount / 10).quantize(places)
        else:
            raise ValueError(kind)
        if abs(new - amount) >= MIN_CHANGE:
            return new
    return None


def printed_like(original: str, value: Decimal) -> str:
    """`value` written as the original token was (thousands separators kept)."""
    text = format(value, "f")
    if "," in original:
        whole, _, fraction = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        text = sign + f"{int(whole.lstrip('-')):,}" + (f".{fraction}" if fraction else "")
    return text


# ---------------------------------------------------------------- the two modes


def table_cases(
    path: Path, kinds: tuple[str, ...], limit: int | None, sample: int | None = None
) -> tuple[list[Case], str]:
    document = parse_document(path, path.name)
    if document.error:
        return [], document.error
    source = read_source(path)
    base = recheck(copy.deepcopy(document), source)
    before = signature(base)
    identities = tables_with_identities(base)
    passing = tables_whose_identities_pass(base)
    cases = []
    for cell in chosen(cells_of(path.name, base), limit, sample):
        table = next(t for t in base.tables if t.table_no == cell.table_no)
        for kind in kinds:
            new = changed(Decimal(cell.amount), kind, f"{path.name}|{cell}|{kind}")
            if new is None:
                continue
            amounts = table.rows[cell.row].amounts
            original = amounts[cell.measure]
            amounts[cell.measure] = new  # changed in place, checked, put back: no copy per case
            try:
                after = signature(recheck(base, source))
            finally:
                amounts[cell.measure] = original
            how = noticed(before, after)
            cases.append(
                Case(cell, kind, str(new), "table", bool(how), how, table.table_id in identities,
                     table.table_id in passing, covered(before, after))
            )  # fmt: skip
    return cases, ""


def _table_job(args: tuple[Path, tuple[str, ...], int | None, int | None]) -> tuple[list[Case], str]:
    return table_cases(*args)


def chosen(cells: list[Cell], limit: int | None, sample: int | None) -> list[Cell]:
    """The first `limit` cells, or `sample` of them drawn the same way every run (by file name)."""
    if sample is not None and sample < len(cells):
        picked = sorted(random.Random(cells[0].file).sample(range(len(cells)), sample))
        return [cells[i] for i in picked]
    return cells[:limit]


def _source_case(args: tuple[str, str, Cell, str, str, bool, bool, tuple[Any, ...]]) -> Case | None:
    text, suffix, cell, kind, new, with_identities, identities_pass, before = args
    import tempfile

    lines = text.split("\n")
    raw = lines[cell.line - 1]
    numbers = list(_NUMBER.finditer(raw))
    tail = numbers[-len(cell.row_amounts) :] if cell.row_amounts else []
    if len(tail) == len(cell.row_amounts) and [Decimal(m.group(0).replace(",", "")) for m in tail] == [
        Decimal(a) for a in cell.row_amounts
    ]:
        token = tail[cell.position]  # the row's amounts end its line, in column order
    else:
        same = [m for m in numbers if Decimal(m.group(0).replace(",", "")) == Decimal(cell.amount)]
        if len(same) != 1:
            return None  # cannot tell which of the equal amounts it is
        token = same[0]
    lines[cell.line - 1] = raw[: token.start()] + printed_like(token.group(0), Decimal(new)) + raw[token.end() :]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"mutant{suffix}"
        path.write_text("\n".join(lines), encoding="utf-8")
        document = parse_document(path, path.name)
    after = signature(document)
    how = noticed(before, after)
    return Case(cell, kind, new, "source", bool(how), how, with_identities, identities_pass, covered(before, after))


def source_cases(path: Path, kinds: tuple[str, ...], limit: int | None, workers: int) -> tuple[list[Case], str, int]:
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return [], "", 0
    document = parse_document(path, path.name)
    if document.error:
        return [], document.error, 0
    text = path.read_bytes().decode("utf-8-sig", errors="replace")  # Line.number counts every line
    identities = tables_with_identities(document)
    passing = tables_whose_identities_pass(document)
    before = signature(document)
    jobs = []
    for cell in cells_of(path.name, document)[:limit]:
        for kind in kinds:
            new = changed(Decimal(cell.amount), kind, f"{path.name}|{cell}|{kind}")
            if new is not None:
                jobs.append(
                    (text, path.suffix, cell, kind, str(new), cell.table in identities, cell.table in passing, before)
                )
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_source_case, jobs, chunksize=8))
    cases = [case for case in results if case is not None]
    return cases, "", len(results) - len(cases)


# ---------------------------------------------------------------- report


def share(cases: list[Case]) -> str:
    if not cases:
        return "—"
    caught = sum(c.caught for c in cases)
    return f"{caught}/{len(cases)} = {100 * caught / len(cases):.1f} %"


def report(cases: list[Case], unreadable: dict[str, str], skipped: int, seconds: float, uncaught_limit: int) -> str:
    lines = [
        f"mutations: {len(cases)} over {len({c.cell.file for c in cases})} documents ({seconds:.0f} s)",
        f"caught, all tables:              {share(cases)}",
        f"caught, tables with identities:  {share([c for c in cases if c.with_identities])}",
        f"caught, tables whose identities pass unchanged: {share([c for c in cases if c.identities_pass])}",
    ]
    if skipped:
        lines.append(f"skipped (amount not found on its line, source mode): {skipped}")
    for mode in sorted({c.mode for c in cases}):
        lines.append(f"  mode {mode:7} {share([c for c in cases if c.mode == mode])}")
    for kind in KINDS:
        chosen = [c for c in cases if c.kind == kind]
        if chosen:
            lines.append(f"  kind {kind:7} {share(chosen)}")
    lines += ["", "per table (with identities marked *):"]
    by_table: dict[str, list[Case]] = {}
    for case in cases:
        by_table.setdefault(case.cell.table, []).append(case)
    for table in sorted(by_table):
        marked = "*" if any(c.with_identities for c in by_table[table]) else " "
        lines.append(f"  {marked} {table:48} {share(by_table[table])}")
    uncaught = [c for c in cases if not c.caught and c.with_identities]
    uncovered = [c for c in uncaught if not c.covered]
    lines[4:4] = [
        f"caught, tables with identities, amounts an identity covers: "
        f"{share([c for c in cases if c.with_identities and c.covered])}",
        f"  uncaught in tables with identities: {len(uncaught)}: {len(uncovered)} no identity covers "
        f"(no check moves with the amount), {len(uncaught) - len(uncovered)} covered by an identity that did not "
        "notice (it fails already, or the change is within its rounding)",
    ]
    lines += ["", "uncaught in tables with identities, by table and kind of row (what no identity catches):"]
    kinds = Counter(
        (c.cell.table, row_kind(c.cell), "no identity covers it" if not c.covered else "") for c in uncaught
    )
    for (table, kind, why), count in sorted(kinds.items()):
        lines.append(f"  {table:48} {kind:40} {count:4} {why}")
    lines += ["", f"uncaught in tables with identities: {len(uncaught)}"]
    for case in uncaught[:uncaught_limit]:
        cell = case.cell
        lines.append(
            f"  {cell.file} {cell.table} #{cell.table_no} {cell.code or '-'} {cell.name[:24]} {cell.measure}: "
            f"{cell.amount} → {case.new} ({case.kind}, {case.mode}; page {cell.page} line {cell.line})"
            + ("" if case.covered else " — no identity covers it")
        )
    if len(uncaught) > uncaught_limit:
        lines.append(f"  … {len(uncaught) - uncaught_limit} more (--json has them all)")
    if unreadable:
        lines += ["", "not read (no mutation):"] + [
            f"  {name}: {reason[:100]}" for name, reason in sorted(unreadable.items())
        ]
    return "\n".join(lines)


def row_kind(cell: Cell) -> str:
    """What the changed amount was, in a few words: coded row or named line, and its column."""
    what = "coded row" if cell.code else "named line"
    return f"{what}, {cell.measure}"


def documents(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += list(source_files(path)) if path.is_dir() else [path]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="documents, or folders of documents")
    parser.add_argument("--mode", choices=("table", "source", "both"), default="table")
    parser.add_argument("--kinds", default="random,digit", help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--limit", type=int, help="at most this many amounts per document")
    parser.add_argument("--sample", type=int, help="this many amounts per document, drawn the same way every run")
    parser.add_argument("--workers", type=int, default=2, help="processes (documents at once in table mode)")
    parser.add_argument("--uncaught", type=int, default=40, help="uncaught cases listed in the text report")
    parser.add_argument("--json", type=Path, help="write every case here")
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    cases: list[Case] = []
    unreadable: dict[str, str] = {}
    skipped = 0
    paths = documents(args.paths)
    if args.mode in ("table", "both"):
        jobs = [(path, kinds, args.limit, args.sample) for path in paths]
        with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
            for path, (found, error) in zip(paths, pool.map(_table_job, jobs), strict=True):
                cases += found
                if error:
                    unreadable[path.name] = error
                print(f"  {path.name}: {len(found)} mutations", file=sys.stderr, flush=True)
    for path in paths:
        if args.mode in ("source", "both"):
            found, error, missed = source_cases(path, kinds, args.limit, args.workers)
            cases += found
            skipped += missed
            if error:
                unreadable[path.name] = error
    print(report(cases, unreadable, skipped, time.monotonic() - started, args.uncaught))
    if args.json:
        summary = Counter((c.mode, c.with_identities, c.caught) for c in cases)
        args.json.write_text(
            json.dumps(
                {
                    "cases": [asdict(c) for c in cases],
                    "unreadable": unreadable,
                    "skipped": skipped,
                    "summary": {f"{m}|identities={i}|caught={c}": n for (m, i, c), n in sorted(summary.items())},
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
