"""Checks on a PDF before any PDF library parses it: what could make the reader loop, explode or
carry active content.

pdfminer (under pdfplumber) trusts a file's structure: an object that is a reference to itself
(`4 0 obj 4 0 R endobj`, a `/Contents` pointing at itself, or two objects pointing at each other)
makes it loop for ever; it inflates every compressed stream in one piece (a few kilobytes can
inflate to gigabytes); and its layout analysis grows with the square of the text objects on a
page. So before it sees the file, this module reads the bytes itself, with bounds on everything:

1. the raw objects: how many there are, which are bare references (cycles are refused), which
   names occur (JavaScript, launch actions, attachments are reported, not refused);
2. every stream a reader could inflate (all but images), inflated in bounded steps: a stream or
   a document inflating beyond the limits below is refused before anything is allocated for it;
3. each page's content, with the form XObjects it draws (counted as often as it draws them):
   text-showing and other operators are counted against the limits below.

Every limit is a count (objects, bytes, operators), never a time: the same file gives the same
answer on any machine and under any load. The limits are far above what real disclosures need
(measured on 32 published PDFs: at most 7,744 objects, a 6 MB stream, 3,986 text operators and
18,190 operators on a page, 71,187 text operators in a document).

Whatever is refused raises `UnreadableDocument` with the limit in its message; active content is
returned for the caller to report (and for the site not to serve the file).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from yibao.model.errors import UnreadableDocument

# Stated limits (see README.md, "Limits").
MAX_OBJECTS = 200_000
MAX_STREAM_BYTES = 64 * 1024 * 1024  # one stream, inflated
MAX_DECODED_BYTES = 512 * 1024 * 1024  # all streams of the document, inflated
MAX_PAGE_TEXT_OPERATORS = 10_000  # Tj, TJ, ', " on one page, forms included (pdfplumber: 20k took 36 s)
MAX_PAGE_OPERATORS = 200_000  # every operator on one page, forms included
MAX_TEXT_OPERATORS = 500_000  # text-showing operators in the whole document
MAX_PAGES = 400  # pages looked at (the reader refuses more)
MAX_FORM_DEPTH = 16  # forms drawing forms
CHUNK = 1 << 20  # bytes inflated per step

# Names that make a PDF active, and how a report calls them.
ACTIVE_NAMES = {
    b"JavaScript": "javascript",
    b"JS": "javascript",
    b"Launch": "launch_action",
    b"EmbeddedFile": "attachment",  # the type of an embedded file's stream (an empty
    b"EF": "attachment",  # /EmbeddedFiles name tree alone holds nothing)
    b"FileAttachment": "attachment",
    b"RichMedia": "rich_media",
    b"XFA": "xfa_form",
    b"SubmitForm": "submit_form",
    b"ImportData": "import_data",
    b"GoToE": "attachment",
}

_OBJ = re.compile(rb"(?<![0-9])(\d{1,10})[ \t\r\n\f\x00]+(\d{1,5})[ \t\r\n\f\x00]+obj(?![A-Za-z])")
# what ends an object's header: its stream, its end, or (endobj missing) the next object
_HEADER_END = re.compile(
    rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)|(?<![A-Za-z])endobj(?![A-Za-z])"
    rb"|(?<![0-9])\d{1,10}[ \t\r\n\f\x00]+\d{1,5}[ \t\r\n\f\x00]+obj(?![A-Za-z])"
)
_ENDSTREAM = re.compile(rb"endstream")
_BARE_REF = re.compile(rb"^[ \t\r\n\f\x00]*(\d{1,10})[ \t\r\n\f\x00]+(\d{1,5})[ \t\r\n\f\x00]+R[ \t\r\n\f\x00]*$")
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%\x00]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_TOKEN = re.compile(
    rb"<<|>>|\[|\]|\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]<>(){}%]*|[^\s/\[\]<>(){}%]+|%[^\r\n]*",
    re.DOTALL,
)
# content streams: strings are blanked before operators are counted
_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.DOTALL)
_TEXT_OPERATOR = re.compile(rb"(?<![^\s\])>])(?:T[jJ]|'|\")(?![^\s\[(</%])")
_OPERATOR = re.compile(rb"(?<![^\s\])>\[(<])[A-Za-z'\"][A-Za-z0-9*]{0,2}(?![^\s\[(</%\]])")
_DO = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*Do(?![A-Za-z])")

_FLATE = {"FlateDecode", "Fl"}
_LZW = {"LZWDecode", "LZW"}
_RUN_LENGTH = {"RunLengthDecode", "RL"}
_SHRINKING = {"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85"}
_NOT_INFLATED = {"DCTDecode", "DCT", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "CCF", "Crypt"}


@dataclass
class Inspection:
    """What the checks found in a PDF that did not refuse it."""

    objects: int = 0
    decoded_bytes: int = 0
    active: list[str] = field(default_factory=list)  # sorted kinds: javascript, attachment, …
    encrypted: bool = False


def inspect_pdf(path: Path) -> Inspection:
    """Check the PDF at `path`; raise `UnreadableDocument` for what no reader should parse."""
    data = path.read_bytes()
    scan = RawScan(data)
    scan.run()
    inspection = Inspection(scan.objects, scan.decoded, sorted(scan.active), scan.encrypted)
    check_pages(path, scan)
    return inspection


# ----------------------------------------------------------------------------------------------
# The bytes


def _name(raw: bytes) -> bytes:
    """A PDF name with its #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def top_level(header: bytes) -> dict[bytes, list[bytes]]:
    """The top-level entries of the dictionary in `header`: key → the tokens of its value. A
    nested dictionary or array stays inside its key's value (a /Subtype /Image inside a nested
    dictionary does not make the stream an image)."""
    tokens = [m.group(0) for m in _TOKEN.finditer(header) if not m.group(0).startswith(b"%")]
    if not tokens or tokens[0] != b"<<":
        return {}
    entries: dict[bytes, list[bytes]] = {}
    i = 1
    while i < len(tokens) and tokens[i] != b">>":
        key = tokens[i]
        i += 1
        if not key.startswith(b"/"):
            continue  # not a key: skip it
        start = i
        i = _value_end(tokens, i)
        entries[_name(key[1:])] = tokens[start:i]
    return entries


def _value_end(tokens: list[bytes], i: int) -> int:
    """The index after the value starting at tokens[i]: a nested dictionary or array as a
    whole, `N G R` as one reference, anything else one token."""
    if i >= len(tokens):
        return i
    if tokens[i] in (b"<<", b"["):
        depth = 0
        while i < len(tokens):
            if tokens[i] in (b"<<", b"["):
                depth += 1
            elif tokens[i] in (b">>", b"]"):
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i
    if tokens[i].isdigit() and i + 2 < len(tokens) and tokens[i + 1].isdigit() and tokens[i + 2] == b"R":
        return i + 3
    return i + 1


def _names(tokens: list[bytes]) -> list[str]:
    return [_name(t[1:]).decode("latin-1") for t in tokens if t.startswith(b"/")]


@dataclass
class Stream:
    objid: int
    entries: dict[bytes, list[bytes]]
    raw: bytes


class RawScan:
    """One pass over the file's bytes: objects, bare references, names, streams."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.objects = 0
        self.decoded = 0
        self.refs: dict[int, set[int]] = {}  # object → objects it is a bare reference to
        self.active: set[str] = set()
        self.encrypted = b"/Encrypt" in data
        self.streams: list[Stream] = []

    def run(self) -> None:
        structure: list[bytes] = []  # everything outside stream bodies
        position = 0
        for start, objid, header, body in self.objects_of(self.data):
            structure.append(self.data[position:start])
            structure.append(header)
            position = start
            if body is None:
                self.bare_reference(objid, header)
            else:
                stream = Stream(objid, top_level(header), body)
                self.streams.append(stream)
            self.count_objects(1)
        structure.append(self.data[position:])
        for stream in self.streams:
            self.inflate(stream)
        for part in structure:
            self.scan_names(part)
        self.check_cycles()

    def objects_of(self, data: bytes) -> Iterator[tuple[int, int, bytes, bytes | None]]:
        """(offset, object number, header, stream body or None) of each `N G obj`."""
        position = 0
        while True:
            match = _OBJ.search(data, position)
            if match is None:
                return
            objid = int(match.group(1))
            end = _HEADER_END.search(data, match.end())
            if end is None:
                yield match.start(), objid, data[match.end() :], None
                return
            header = data[match.end() : end.start()]
            keyword = end.group(0)
            if keyword.startswith(b"stream"):
                body_start = end.end()
                body_end = self.stream_end(data, header, body_start)
                yield match.start(), objid, header, data[body_start:body_end]
                position = body_end
            elif keyword.startswith(b"endobj"):
                yield match.start(), objid, header, None
                position = end.end()
            else:
                yield match.start(), objid, header, None
                position = end.start()

    @staticmethod
    def stream_end(data: bytes, header: bytes, start: int) -> int:
        """Where a stream's body ends: its direct /Length when `endstream` follows it there,
        else the next `endstream`."""
        length = top_level(header).get(b"Length", [])
        if len(length) == 1 and length[0].isdigit():
            end = start + int(length[0])
            if re.match(rb"[ \t\r\n\f\x00]*endstream", data[end : end + 64]):
                return end
        found = _ENDSTREAM.search(data, start)
        return found.start() if found else len(data)

    def count_objects(self, count: int) -> None:
        self.objects += count
        if self.objects > MAX_OBJECTS:
            raise UnreadableDocument("pdf.too_many_objects", count=f"{self.objects:,}+", limit=f"{MAX_OBJECTS:,}")

    def bare_reference(self, objid: int, text: bytes) -> None:
        match = _BARE_REF.match(text)
        if match:
            self.refs.setdefault(objid, set()).add(int(match.group(1)))

    def scan_names(self, text: bytes) -> None:
        for match in _NAME.finditer(text):
            kind = ACTIVE_NAMES.get(_name(match.group(1)))
            if kind:
                self.active.add(kind)

    def inflate(self, stream: Stream) -> None:
        entries = stream.entries
        if _names(entries.get(b"Subtype", [])) == ["Image"]:
            return  # a reader drawing text never inflates an image
        kind = _names(entries.get(b"Type", []))
        if kind == ["EmbeddedFile"]:
            self.active.add("attachment")
            return
        if self.encrypted and kind != ["XRef"]:
            return  # encrypted bodies are checked after decryption, in check_pages
        filters = _names(entries.get(b"Filter", entries.get(b"F", [])))
        data = decode(stream.raw, filters, stream.objid, MAX_STREAM_BYTES)
        self.add_decoded(len(data))
        if kind == ["ObjStm"]:
            self.object_stream(stream.objid, entries, data)

    def add_decoded(self, size: int) -> None:
        self.decoded += size
        if self.decoded > MAX_DECODED_BYTES:
            raise UnreadableDocument("pdf.decoded_too_large", limit=f"{MAX_DECODED_BYTES // (1024 * 1024)} MB")

    def object_stream(self, objid: int, entries: dict[bytes, list[bytes]], data: bytes) -> None:
        """The objects packed in an object stream: counted, bare references and names found."""
        first = entries.get(b"First", [])
        count = entries.get(b"N", [])
        if len(first) != 1 or not first[0].isdigit() or len(count) != 1 or not count[0].isdigit():
            self.scan_names(data)
            return
        offset, number = int(first[0]), int(count[0])
        self.count_objects(number)
        numbers = data[:offset].split()
        pairs = [
            (int(a), int(b)) for a, b in zip(numbers[0::2], numbers[1::2], strict=False) if a.isdigit() and b.isdigit()
        ]
        for index, (member, start) in enumerate(pairs[:number]):
            end = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - offset
            self.bare_reference(member, data[offset + start : offset + max(start, end)])
        self.scan_names(data[offset:])

    def check_cycles(self) -> None:
        """A chain of bare references that comes back to itself makes a reader loop for ever
        (an object redefined by an update counts with each of its definitions)."""
        state: dict[int, int] = {}  # 1: on the current path, 2: done
        for root in sorted(self.refs):
            if root in state:
                continue
            path: list[int] = [root]
            todo: list[list[int]] = [sorted(self.refs[root])]
            state[root] = 1
            while path:
                if not todo[-1]:
                    state[path.pop()] = 2
                    todo.pop()
                    continue
                node = todo[-1].pop(0)
                if state.get(node) == 1:
                    cycle = [*path[path.index(node) :], node]
                    raise UnreadableDocument("pdf.reference_cycle", objects=" → ".join(map(str, cycle)))
                if node in state or node not in self.refs:
                    continue
                state[node] = 1
                path.append(node)
                todo.append(sorted(self.refs[node]))


# ----------------------------------------------------------------------------------------------
# Inflating, in bounded steps


def decode(raw: bytes, filters: list[str], objid: int, limit: int) -> bytes:
    """Apply the filters a reader would apply, refusing any output beyond `limit` bytes."""
    data = raw
    for name in filters:
        if name in _FLATE:
            data = _inflate(data, objid, limit)
        elif name in _LZW:
            data = _lzw(data, objid, limit)
        elif name in _RUN_LENGTH:
            if len(data) * 128 > limit:
                data = _run_length(data, objid, limit)
        elif name in _SHRINKING:
            continue  # output never longer than input; what follows sees the encoded bytes
        elif name in _NOT_INFLATED:
            break  # images and unsupported filters: a text reader stops here
        else:
            break
    if len(data) > limit:
        _too_large(objid, limit)
    return data


def _too_large(objid: int, limit: int) -> None:
    raise UnreadableDocument("pdf.stream_too_large", object=objid, limit=f"{limit // (1024 * 1024)} MB")


def _inflate(data: bytes, objid: int, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    out = bytearray()
    pending = data
    try:
        while pending:
            out += inflater.decompress(pending, CHUNK)
            if len(out) > limit:
                _too_large(objid, limit)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        out += inflater.flush(CHUNK)
    except zlib.error:
        pass  # a reader keeps what inflated before the damage
    if len(out) > limit:
        _too_large(objid, limit)
    return bytes(out)


def _lzw(data: bytes, objid: int, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for chunk in LZWDecoder(BytesIO(data)).run():
            out += chunk
            if len(out) > limit:
                _too_large(objid, limit)
    except UnreadableDocument:
        raise
    except Exception:
        pass
    return bytes(out)


def _run_length(data: bytes, objid: int, limit: int) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        n = data[i]
        if n == 128:
            break
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) > limit:
            _too_large(objid, limit)
    return bytes(out)


# ----------------------------------------------------------------------------------------------
# Pages


def check_pages(path: Path, scan: RawScan) -> None:
    """Count each page's operators, with the forms it draws, against the limits.

    Runs on pdfminer's view of the structure, which is safe once the raw scan has passed (no
    reference cycle, no stream beyond the limits); streams are still inflated here, bounded,
    never by pdfminer. A file pdfminer cannot open is left to the reader to explain."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:  # pragma: no cover - the PDF stack is a dependency
        return
    with path.open("rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle))
            if scan.encrypted:
                check_encrypted_objects(document, scan)
            pages = PDFPage.create_pages(document)
            counter = OperatorCounter(scan)
            total = 0
            for number, page in enumerate(pages, start=1):
                if number > MAX_PAGES:
                    break
                ops, text = counter.page(page)
                if text > MAX_PAGE_TEXT_OPERATORS:
                    raise UnreadableDocument(
                        "pdf.page_too_many_text_objects",
                        page=number,
                        count=f"{text:,}",
                        limit=f"{MAX_PAGE_TEXT_OPERATORS:,}",
                    )
                if ops > MAX_PAGE_OPERATORS:
                    raise UnreadableDocument(
                        "pdf.page_too_many_operators", page=number, count=f"{ops:,}", limit=f"{MAX_PAGE_OPERATORS:,}"
                    )
                total += text
                if total > MAX_TEXT_OPERATORS:
                    raise UnreadableDocument(
                        "pdf.too_many_text_objects", count=f"{total:,}+", limit=f"{MAX_TEXT_OPERATORS:,}"
                    )
        except UnreadableDocument:
            raise
        except RecursionError:
            raise UnreadableDocument("pdf.nested_too_deep") from None
        except Exception:
            return  # the reader reports what is wrong with the file


def check_encrypted_objects(document: Any, scan: RawScan) -> None:
    """Encrypted files: their object streams and bare references, once decrypted."""
    from pdfminer.pdftypes import PDFObjRef

    objids: set[int] = set()
    for xref in document.xrefs:
        objids.update(xref.get_objids())
    if len(objids) > MAX_OBJECTS:
        raise UnreadableDocument("pdf.too_many_objects", count=f"{len(objids):,}", limit=f"{MAX_OBJECTS:,}")
    for xref in document.xrefs:  # object streams first: getobj of a member inflates its stream
        for objid in sorted(xref.get_objids()):
            try:
                strmid, _, _ = xref.get_pos(objid)
            except KeyError:
                continue
            if strmid is not None:
                bounded_data(document.getobj(strmid), scan)
    for objid in sorted(objids):
        try:
            value = document.getobj(objid)
        except Exception:
            continue
        if isinstance(value, PDFObjRef) and value.objid is not None:
            scan.refs.setdefault(objid, set()).add(int(value.objid))
    scan.check_cycles()


def bounded_data(stream: Any, scan: RawScan) -> bytes:
    """A stream's data as a reader gets it (decrypted, inflated), with the limits applied."""
    from pdfminer.pdftypes import PDFStream, resolve1

    if not isinstance(stream, PDFStream):
        return b""
    if stream.data is not None:
        return stream.data
    raw = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    filters = resolve1(stream.get_any(("F", "Filter"), []))
    filters = filters if isinstance(filters, list) else [filters]
    names = [str(getattr(resolve1(f), "name", "")) for f in filters]
    data = decode(raw, names, stream.objid or 0, MAX_STREAM_BYTES)
    scan.add_decoded(len(data))
    return data


class OperatorCounter:
    """Operators of a page's content and of the forms it draws, forms counted once each and
    multiplied by how often they are drawn."""

    def __init__(self, scan: RawScan) -> None:
        self.scan = scan
        self.forms: dict[int, tuple[int, int]] = {}
        self.drawing: set[int] = set()

    def page(self, page: Any) -> tuple[int, int]:
        from pdfminer.pdftypes import resolve1

        contents = resolve1(page.attrs.get("Contents"))
        streams = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(bounded_data(resolve1(s), self.scan) for s in streams)
        return self.content(data, resolve1(page.attrs.get("Resources")), 0)

    def content(self, data: bytes, resources: Any, depth: int) -> tuple[int, int]:
        from pdfminer.pdftypes import PDFStream, resolve1

        blanked = _STRING.sub(b"()", data)
        ops = len(_OPERATOR.findall(blanked))
        text = len(_TEXT_OPERATOR.findall(blanked))
        if ops > MAX_PAGE_OPERATORS or text > MAX_PAGE_TEXT_OPERATORS:
            return ops, text
        names = _DO.findall(blanked)
        if not names:
            return ops, text
        xobjects = resolve1(resolve1(resources).get("XObject")) if isinstance(resolve1(resources), dict) else None
        if not isinstance(xobjects, dict):
            return ops, text
        for raw_name in names:
            form = xobjects.get(_name(raw_name).decode("latin-1"))
            stream = resolve1(form)
            if not isinstance(stream, PDFStream) or getattr(stream.get("Subtype"), "name", "") != "Form":
                continue
            form_ops, form_text = self.form(stream, resources, depth + 1)  # counted once, then looked up
            ops += form_ops
            text += form_text
        return ops, text

    def form(self, stream: Any, inherited: Any, depth: int) -> tuple[int, int]:
        from pdfminer.pdftypes import resolve1

        key = stream.objid if stream.objid is not None else id(stream)
        if key in self.forms:
            return self.forms[key]
        if key in self.drawing:
            raise UnreadableDocument("pdf.form_cycle", object=key)
        if depth > MAX_FORM_DEPTH:
            raise UnreadableDocument("pdf.nested_too_deep")
        self.drawing.add(key)
        resources = resolve1(stream.get("Resources")) or inherited
        counts = self.content(bounded_data(stream, self.scan), resources, depth)
        self.drawing.discard(key)
        self.forms[key] = counts
        return counts
