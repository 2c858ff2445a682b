"""Hostile PDFs: loops, bombs and active content, refused (or reported) before any PDF library
parses them, each with its stated limit in the message, within seconds, under the memory limit.

Every input is written by the test (tests/hostile/pdfs.py). The limits are counts
(yibao/extract/pdf_safety.py), so the outcome is the same on any machine and under any load.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.hostile.conftest import assert_others_published, build, read_alone, real_sources
from tests.hostile.pdfs import FONT, bomb_stream, one_page, pdf, stream, text_objects, with_open_action
from yibao.extract import pdf_safety
from yibao.isolation import MEMORY_MB
from yibao.site.downloads import servable_pdf

HELLO = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
TABLES_PDF = FIXTURES / "pdf" / "shuangyashan-2024-tables.pdf"
# A case ends well within a second of CPU; the bound leaves room for a busy machine's start-up.
CPU_BOUND_S = 10.0


def assert_refused(path: Path, reason: str) -> None:
    document, usage = read_alone(path)
    assert document.status == "error", document.error
    assert re.search(reason, document.error), document.error
    assert usage.how == "ok"  # the pre-check refused it: no limit had to stop the worker
    assert usage.cpu_seconds < CPU_BOUND_S, usage
    assert usage.max_rss_mb < MEMORY_MB, usage


# --------------------------------------------------------------------------- loops


def test_contents_referring_to_itself(tmp_path: Path, no_leftover_workers: None) -> None:
    """A 400-byte PDF whose /Contents is `4 0 R` and object 4 is `4 0 R`: pdfminer looped for ever."""
    data = pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"4 0 R",
        ]
    )
    assert len(data) < 500
    path = tmp_path / "self.pdf"
    path.write_bytes(data)
    assert_refused(path, r"objects 4 → 4 refer to each other in a cycle")


def test_two_objects_referring_to_each_other(tmp_path: Path) -> None:
    path = tmp_path / "pair.pdf"
    path.write_bytes(
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                b"5 0 R",
                b"4 0 R",
            ]
        )
    )
    assert_refused(path, r"objects 4 → 5 → 4 refer to each other in a cycle")


def test_catalog_referring_to_itself(tmp_path: Path) -> None:
    """The trailer's /Root: pdfminer resolves it while opening the file, before any page."""
    path = tmp_path / "root.pdf"
    path.write_bytes(pdf([b"1 0 R"]))
    assert_refused(path, r"refer to each other in a cycle")


def test_cycle_inside_an_object_stream(tmp_path: Path) -> None:
    """Objects packed in a compressed object stream: the cycle is found after inflating it."""
    members = b"4 0 R "
    header = b"4 0 "
    objstm = stream(header + members, b"/Type /ObjStm /N 1 /First %d" % len(header), flate=1)
    path = tmp_path / "objstm.pdf"
    path.write_bytes(
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                b"null",  # object 4 lives in the object stream (object 5)
                objstm,
            ]
        )
    )
    assert_refused(path, r"objects 4 → 4 refer to each other")


def test_form_drawing_itself(tmp_path: Path) -> None:
    form = stream(
        b"/Fm0 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Fm0 6 0 R >> >>"
    )
    path = tmp_path / "form-cycle.pdf"
    path.write_bytes(one_page(b"/Fm0 Do", extra=[form], resources=b"/XObject << /Fm0 6 0 R >>"))
    assert_refused(path, r"form XObject 6 draws itself")


# --------------------------------------------------------------------------- bombs


@pytest.mark.parametrize("flate", [1, 2])
def test_decompression_bomb_in_page_content(tmp_path: Path, flate: int) -> None:
    """8 GiB of zeros in a page's content: 13 KB deflated twice (the issue's bomb reached 8.2 GB)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        bomb_stream(8 << 30, flate=flate),
    ]
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf(objects))
    if flate == 2:
        assert path.stat().st_size < 20_000
    assert_refused(path, r"object 4 of the PDF inflates to more than 64 MB \(a decompression bomb\)")


def test_decompression_bomb_in_an_object_stream(tmp_path: Path) -> None:
    """pdfminer inflates object streams while it opens the file, before any page is read."""
    path = tmp_path / "objstm-bomb.pdf"
    path.write_bytes(
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                bomb_stream(1 << 30, b"/Type /ObjStm /N 1 /First 4"),
            ]
        )
    )
    assert_refused(path, r"inflates to more than 64 MB")


def test_bomb_disguised_as_image_in_a_nested_dictionary(tmp_path: Path) -> None:
    """Only a stream's own /Subtype /Image spares it from being checked (images are never
    inflated to read text); a /Subtype /Image inside a nested dictionary does not."""
    path = tmp_path / "disguised.pdf"
    path.write_bytes(
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                bomb_stream(1 << 30, b"/Decoy << /Subtype /Image >>"),
            ]
        )
    )
    assert_refused(path, r"inflates to more than 64 MB")


def test_many_streams_inflating_too_much_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streams each within the per-stream limit, beyond the document's limit together (both
    limits lowered here to keep the test fast: 9 × 16 MiB against 128 MiB)."""
    streams = [bomb_stream(16 << 20, flate=1) for _ in range(9)]
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(9))
    path = tmp_path / "many.pdf"
    path.write_bytes(
        pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [%s] /Count 9 >>" % kids,
                *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Contents %d 0 R >>" % (12 + i) for i in range(9)],
                *streams,
            ]
        )
    )
    monkeypatch.setattr(pdf_safety, "MAX_STREAM_BYTES", 17 << 20)
    monkeypatch.setattr(pdf_safety, "MAX_DECODED_BYTES", 128 << 20)
    assert_refused(path, r"inflate to more than 128 MB in all")


def test_text_object_bomb(tmp_path: Path) -> None:
    """One page, 100,000 text objects: pdfplumber took 3–6 minutes, and whether it ended in a
    timeout or in "no table" depended on the machine's load. Refused by count, at once."""
    path = tmp_path / "text-bomb.pdf"
    path.write_bytes(one_page(text_objects(100_000)))
    assert_refused(path, r"page 1 draws 100,000 text objects, the limit is 10,000")


def test_text_objects_multiplied_by_a_form(tmp_path: Path) -> None:
    """A form of 500 text objects drawn 40 times is 20,000 text objects on the page."""
    form = stream(
        text_objects(500), b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
    )
    path = tmp_path / "form-bomb.pdf"
    path.write_bytes(one_page(b"\n".join([b"/Fm0 Do"] * 40), extra=[form], resources=b"/XObject << /Fm0 6 0 R >>"))
    assert_refused(path, r"page 1 draws 20,000 text objects, the limit is 10,000")


def test_drawing_operator_bomb(tmp_path: Path) -> None:
    path = tmp_path / "lines.pdf"
    path.write_bytes(one_page(b"0 0 m 1 1 l S\n" * 70_000))
    assert_refused(path, r"page 1 holds 210,000 drawing operators, the limit is 200,000")


def test_object_count_bomb(tmp_path: Path) -> None:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    objects += [b"0"] * 200_001
    path = tmp_path / "objects.pdf"
    path.write_bytes(pdf(objects))
    assert_refused(path, r"too many objects in the PDF: 200,001\+, the limit is 200,000")


# --------------------------------------------------------------------------- active content

ACTIVE = {
    "javascript": b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>",
    "javascript-hex-escaped": b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    "launch_action": b"/OpenAction << /S /Launch /F (calc.exe) >>",
    "attachment": b"/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>] >> >>",
    "submit_form": b"/AA << /WC << /S /SubmitForm /F (http://example.invalid/) >> >>",
}


def active_pdf(entry: bytes) -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s >>" % entry,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            stream(HELLO),
            FONT,
            stream(b"MZ fake executable", b"/Type /EmbeddedFile"),
        ]
    )


@pytest.mark.parametrize("case", sorted(ACTIVE))
def test_active_content_is_found(case: str) -> None:
    scan = pdf_safety.RawScan(active_pdf(ACTIVE[case]))
    scan.run()
    kind = case.removesuffix("-hex-escaped")
    assert kind in scan.active
    assert not servable_pdf(active_pdf(ACTIVE[case]))


def test_plain_pdf_has_no_active_content() -> None:
    data = one_page(HELLO)
    scan = pdf_safety.RawScan(data)
    scan.run()
    assert scan.active == set()
    assert servable_pdf(data)


def test_active_content_is_reported_as_a_problem(tmp_path: Path) -> None:
    """A real table PDF with JavaScript run on opening: its data is published, with a warning."""
    path = tmp_path / "active.pdf"
    path.write_bytes(with_open_action(TABLES_PDF.read_bytes()))
    document, _ = read_alone(path)
    assert document.status != "error", document.error
    assert document.tables
    warnings = [p.reason for p in document.problems if p.severity == "warning"]
    assert any("holds active or embedded content (javascript)" in w for w in warnings), warnings
    assert not servable_pdf(path.read_bytes()) and servable_pdf(TABLES_PDF.read_bytes())


# --------------------------------------------------------------------------- all at once


def test_every_hostile_pdf_in_one_build_leaves_the_others_published(tmp_path: Path, alone, no_leftover_workers) -> None:
    cases = {
        "bad/self.pdf": pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                             b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", b"4 0 R"]),
        "bad/bomb.pdf": pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                             b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", bomb_stream(8 << 30)]),
        "bad/text-bomb.pdf": one_page(text_objects(100_000)),
        "bad/active.pdf": active_pdf(ACTIVE["launch_action"]),
    }  # fmt: skip
    status, _log, package = build(real_sources(tmp_path, cases), tmp_path / "out")
    assert status == 1
    assert_others_published(package, alone)
    errors = {r["source_file"]: r["problems"] for r in package["documents"] if r["status"] == "error"}
    assert set(errors) == {f"src/{name}" for name in cases}  # the active one has no budget table
    assert "cycle" in errors["src/bad/self.pdf"] and "decompression bomb" in errors["src/bad/bomb.pdf"]
    assert "100,000 text objects" in errors["src/bad/text-bomb.pdf"]
