"""Hostile PDFs, written byte by byte by the tests themselves (no fixture file, no PDF library).

`pdf(objects)` numbers the objects 1..n (object 1 the catalog) and writes a correct xref table;
`stream(dictionary, data, filters)` gives a stream object's body, compressed as the filters say.
"""

from __future__ import annotations

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"", flate: int = 0) -> bytes:
    """A stream object whose data is deflated `flate` times (/FlateDecode as often)."""
    for _ in range(flate):
        data = zlib.compress(data, 9)
    filters = b" /Filter [%s]" % b" ".join([b"/FlateDecode"] * flate) if flate else b""
    return b"<< /Length %d%s %s>>\nstream\n" % (len(data), filters, dictionary) + data + b"\nendstream"


def one_page(content: bytes, *, extra: list[bytes] | None = None, resources: bytes = b"", page: bytes = b"") -> bytes:
    """Catalog, page tree, one page drawing `content` with font F1; `extra` objects follow as 6, 7, …"""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> %s>>"
            b" /Contents 4 0 R %s>>" % (resources, page),
            stream(content),
            FONT,
            *(extra or []),
        ]
    )


def text_objects(count: int) -> bytes:
    """`count` text objects of one character each, spread over the page."""
    return b"\n".join(
        b"BT /F1 6 Tf %d %d Td (%d) Tj ET" % (20 + (i % 90) * 6, 20 + (i // 90) % 130 * 6, i % 10) for i in range(count)
    )


def inflating_zeros(size: int, flate: int = 2) -> bytes:
    """`size` zero bytes (a multiple of 16 MiB) deflated `flate` times, made in a fraction of a
    second: after a full flush, deflate writes every 16 MiB block of zeros as the same bytes."""
    block = bytes(1 << 24)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(block)
    compressor.flush(zlib.Z_FULL_FLUSH)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(1, size >> 24)
    adler = (((count << 24) % 65521) << 16) | 1  # Adler-32 of zeros
    data = b"\x78\xda" + unit * count + compressor.flush() + adler.to_bytes(4, "big")
    for _ in range(flate - 1):
        data = zlib.compress(data, 9)
    return data


def bomb_stream(size: int, dictionary: bytes = b"", flate: int = 2) -> bytes:
    data = inflating_zeros(size, flate)
    filters = b" ".join([b"/FlateDecode"] * flate)
    return b"<< /Length %d /Filter [%s] %s>>\nstream\n" % (len(data), filters, dictionary) + data + b"\nendstream"


def with_open_action(
    data: bytes, action: bytes = b"<< /S /JavaScript /JS (app.alert\\(document.domain\\)) >>"
) -> bytes:
    """`data` (a readable PDF) with an incremental update: a catalog that runs `action` on
    opening, the way a tampered copy of a real disclosure would carry it."""
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    root = next(x.trailer["Root"] for x in document.xrefs if "Root" in x.trailer)
    pages = document.catalog["Pages"]
    size = max(int(x.trailer.get("Size", 0)) for x in document.xrefs)
    previous = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    action_at = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (size, action)
    catalog_at = len(out)
    out += b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R /OpenAction %d 0 R >>\nendobj\n" % (
        root.objid,
        pages.objid,
        size,
    )
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n%d 1\n%010d 00000 n \n" % (
        root.objid,
        catalog_at,
        size,
        action_at,
    )
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size + 1,
        root.objid,
        previous,
        xref,
    )
    return bytes(out)
