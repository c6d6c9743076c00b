"""Checks on uploaded PDFs, which are kept byte for byte (never re-rendered).

This is a conservative scan of the raw bytes, not a full parse: it refuses PDFs that could run or
carry code in an officer's PDF reader (JavaScript, launch actions, embedded files, XFA forms, ...)
and PDFs whose hidden parts it cannot look inside, and it counts pages roughly.
"""

from __future__ import annotations

import bisect
import re
import zlib
from dataclasses import dataclass, field

from .errors import RejectionCode, UploadRejected

_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_EOF_MARKER = b"%%EOF"
# Readers accept a little junk after %%EOF (some uploaders pad files), so look near the end only.
_EOF_WINDOW = 1024
# Object streams hold ordinary objects compressed; more than this once inflated is a zip bomb.
_MAX_INFLATED_BYTES = 64_000_000
# A stream's dictionary starts at most this far before its keyword, after one of the few nearest
# object headers. Budgets of bytes searched and parsed bound the work a hostile file can cause;
# a real PDF uses a small fraction of them.
_DICT_WINDOW = 16_384
_HEADER_TRIES = 4
_MAX_SEARCHED_BYTES = 128_000_000
_MAX_PARSED_BYTES = 1_000_000
_MAX_ESCAPED_NAMES = 50_000
_MAX_NESTING = 32

_ENCRYPT = frozenset({"encrypt"})
_ACTIVE_LONG = frozenset({
    "javascript", "launch", "embeddedfile", "embeddedfiles", "fileattachment", "richmedia",
    "rendition", "movie", "sound", "submitform", "importdata", "gotor", "gotoe",
})
_ACTIVE_SHORT = frozenset({"js", "xfa"})
_ACTIVE = _ACTIVE_LONG | _ACTIVE_SHORT
_OBJECT_STREAM_KEY = "first"
_WATCHED = _ENCRYPT | _ACTIVE | {_OBJECT_STREAM_KEY}

_WHITESPACE = rb"\x00\t\n\x0c\r "
_DELIMITERS = rb"()<>\[\]{}/%"
_NAME_END = rb"(?=[" + _WHITESPACE + _DELIMITERS + rb"]|\Z)"
# Bounded repeats: an unbounded \d+ or \s+ lets a file of digits make the search quadratic.
_GAP = rb"[" + _WHITESPACE + rb"]{1,32}"


def _literal_names(names: frozenset[str]) -> re.Pattern[bytes]:
    """Compile a fast pattern for names written plainly, to run on lowercased bytes."""
    spellings = [re.escape(name.encode()) for name in sorted(names, key=len, reverse=True)]
    return re.compile(b"/(?:" + b"|".join(spellings) + b")" + _NAME_END)


# Names are case-sensitive in PDF, but readers are lenient; refusing /javascript costs nothing.
_ENCRYPT_NAME = _literal_names(_ENCRYPT)
# Long names are refused wherever they are, even inside binary stream data (a cross-reference
# entry can point a reader into another stream's data); they are too long to occur by chance.
_ACTIVE_LONG_NAME = _literal_names(_ACTIVE_LONG)
# Short names would turn up in the random bytes of a large photo, so outside object streams they
# are looked for only between streams, where the dictionaries are.
_ACTIVE_SHORT_NAME = _literal_names(_ACTIVE_SHORT)
_ACTIVE_NAME = _literal_names(_ACTIVE)
_OBJECT_STREAM_KEY_NAME = _literal_names(frozenset({_OBJECT_STREAM_KEY}))
# A name with #xx escapes (/J#61vaScript is /JavaScript), a classic trick against naive scans.
_ESCAPED_NAME = re.compile(
    rb"/[^" + _WHITESPACE + _DELIMITERS + rb"#]*#[^" + _WHITESPACE + _DELIMITERS + rb"]*"
)
# The literal comes first so the regex engine can skip ahead quickly; the lookbehind after it
# leaves out "endstream".
_STREAM_KEYWORD = re.compile(rb"stream(?<![A-Za-z]stream)[ \t\x00\x0c]{0,32}(?:\r\n|\r|\n)?")
_END_STREAM = b"endstream"
_OBJECT_HEADER_TEXT = rb"(?<![0-9])(\d{1,10})" + _GAP + rb"\d{1,5}" + _GAP + rb"obj(?![A-Za-z0-9])"
_OBJECT_HEADER = re.compile(_OBJECT_HEADER_TEXT)
_PAGE_TEXT = rb"/Type[" + _WHITESPACE + rb"]{0,32}/Page" + _NAME_END
_PAGE = re.compile(_PAGE_TEXT)
_HEADER_OR_PAGE = re.compile(_OBJECT_HEADER_TEXT + rb"|(?P<page>" + _PAGE_TEXT + rb")")
_TOKEN = re.compile(
    rb"(?P<space>[" + _WHITESPACE + rb"]+|%[^\r\n]*)"
    rb"|(?P<dict_open><<)|(?P<dict_close>>>)|(?P<array_open>\[)|(?P<array_close>\])"
    rb"|(?P<name>/[^" + _WHITESPACE + _DELIMITERS + rb"]*)"
    rb"|(?P<hex_string><[0-9A-Fa-f" + _WHITESPACE + rb"]*>)"
    rb"|(?P<string_open>\()"
    rb"|(?P<word>[^" + _WHITESPACE + _DELIMITERS + rb"]+)"
)
_REFERENCE_TAIL = re.compile(_GAP + rb"\d{1,5}" + _GAP + rb"R" + _NAME_END)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_INTEGER = re.compile(rb"[+-]?\d{1,10}")
_FLATE_NAMES = frozenset({"FlateDecode", "Fl"})


class _Unparsable(Exception):
    """The bytes before a stream keyword are not a dictionary we understand."""


@dataclass
class _Scan:
    """Where the dictionaries are, what object streams hold, and the work budgets left."""

    data: bytes
    lower: bytes
    escaped_key_positions: list[int]
    gaps: list[tuple[int, int]] = field(default_factory=list)
    object_stream_contents: list[bytes] = field(default_factory=list)
    object_stream_objects: list[bytes] = field(default_factory=list)
    searched_budget: int = _MAX_SEARCHED_BYTES
    parsed_budget: int = _MAX_PARSED_BYTES
    inflated_budget: int = _MAX_INFLATED_BYTES

    def spend(self, budget: str, amount: int) -> None:
        """Take work from a budget; a file that needs more is refused as unreadable."""
        left = getattr(self, budget) - amount
        if left < 0:
            raise UploadRejected(RejectionCode.CORRUPT)
        setattr(self, budget, left)


def count_safe_pdf_pages(data: bytes) -> int:
    """Return the rough page count of a PDF that is safe to keep, or raise UploadRejected."""
    _check_envelope(data)
    lower = data.lower()
    escaped = _escaped_names(lower)
    if _ENCRYPT_NAME.search(lower) or _ENCRYPT & escaped.keys():
        raise UploadRejected(RejectionCode.PDF_ENCRYPTED)
    scan = _scan_streams(data, lower, escaped.get(_OBJECT_STREAM_KEY, []))
    if _ACTIVE & escaped.keys() or _has_active_names(scan):
        raise UploadRejected(RejectionCode.PDF_ACTIVE_CONTENT)
    pages = _count_pages(scan)
    if pages == 0:
        raise UploadRejected(RejectionCode.CORRUPT)
    return pages


def _check_envelope(data: bytes) -> None:
    """Refuse a file without a PDF header or without %%EOF near its end (truncated or fake)."""
    if not _HEADER.match(data) or _EOF_MARKER not in data[-_EOF_WINDOW:]:
        raise UploadRejected(RejectionCode.CORRUPT)


def _escaped_names(lower: bytes) -> dict[str, list[int]]:
    """Return the watched names spelled with #xx escapes, with where each one starts."""
    found: dict[str, list[int]] = {}
    for count, match in enumerate(_ESCAPED_NAME.finditer(lower)):
        if count >= _MAX_ESCAPED_NAMES:
            raise UploadRejected(RejectionCode.CORRUPT)
        name = _unescape_name(match.group()[1:]).lower()
        if name in _WATCHED:
            found.setdefault(name, []).append(match.start())
    return found


def _has_active_names(scan: _Scan) -> bool:
    if _ACTIVE_LONG_NAME.search(scan.lower):
        return True
    if any(_ACTIVE_SHORT_NAME.search(scan.lower, start, end) for start, end in scan.gaps):
        return True
    for contents in scan.object_stream_contents:
        lower = contents.lower()
        if _ACTIVE_NAME.search(lower) or _ACTIVE & _escaped_names(lower).keys():
            return True
    return False


def _scan_streams(data: bytes, lower: bytes, escaped_key_positions: list[int]) -> _Scan:
    """Find the gaps between stream data, and open every object stream."""
    scan = _Scan(data, lower, escaped_key_positions)
    gap_start = body_end = 0
    next_end = -1
    for keyword in _STREAM_KEYWORD.finditer(data):
        # Keywords come in order, so the next "endstream" only moves forward: linear overall.
        if next_end < keyword.end():
            next_end = data.find(_END_STREAM, keyword.end())
            next_end = len(data) if next_end < 0 else next_end
        region_start = max(0, keyword.start() - _DICT_WINDOW)
        # A keyword inside another stream's data is usually just bytes, but a reader sent there by
        # the cross-reference table would take it for a stream, so it is inspected all the same.
        if keyword.start() >= body_end:
            scan.gaps.append((gap_start, keyword.start()))
            region_start = max(region_start, gap_start)
            body_end = gap_start = next_end
        _inspect_stream(scan, region_start, keyword, next_end)
    scan.gaps.append((gap_start, len(data)))
    return scan


def _inspect_stream(scan: _Scan, region_start: int, keyword: re.Match[bytes], end: int) -> None:
    """Add an object stream's contents to the scan; other streams' data is left alone."""
    # Readers (pdf.js) take any stream with /First and /N for an object stream, whatever its
    # /Type; a stream without /First nearby cannot be one, and its dictionary needs no parsing.
    if not _mentions_object_stream_key(scan, region_start, keyword.start()):
        return
    dictionary = _stream_dictionary(scan, region_start, keyword.start())
    if "First" not in dictionary:
        return
    contents = _decoded_object_stream(scan, dictionary, scan.data[keyword.end() : end])
    scan.object_stream_contents.append(contents)
    scan.object_stream_objects.append(_as_numbered_objects(dictionary, contents))


def _mentions_object_stream_key(scan: _Scan, start: int, end: int) -> bool:
    scan.spend("searched_budget", end - start)
    if _OBJECT_STREAM_KEY_NAME.search(scan.lower, start, end):
        return True
    index = bisect.bisect_left(scan.escaped_key_positions, start)
    return index < len(scan.escaped_key_positions) and scan.escaped_key_positions[index] < end


def _stream_dictionary(scan: _Scan, region_start: int, keyword_start: int) -> dict[str, object]:
    """Parse the dictionary that ends right before a stream keyword, from its object header."""
    headers = list(_OBJECT_HEADER.finditer(scan.data, region_start, keyword_start))
    # The nearest header may be fake (inside a string of the real dictionary); such a header
    # cannot start a dictionary that closes exactly at the keyword, so try a few further back.
    for header in reversed(headers[-_HEADER_TRIES:]):
        scan.spend("parsed_budget", keyword_start - header.end())
        try:
            value, position = _parse_value(scan.data, header.end(), keyword_start, 0)
        except _Unparsable:
            continue
        if isinstance(value, dict) and not scan.data[position:keyword_start].strip(
            b"\x00\t\n\x0c\r "
        ):
            return value
    # A stream that may be an object stream, but whose dictionary we cannot read: refuse it.
    raise UploadRejected(RejectionCode.CORRUPT)


def _decoded_object_stream(scan: _Scan, dictionary: dict[str, object], raw: bytes) -> bytes:
    """Return an object stream's contents, refusing filters we cannot undo faithfully."""
    filters = _filter_names(dictionary.get("Filter"))
    if not filters:
        return raw
    # Predictors and other filters would scramble names past our search: refuse what we can't read.
    if filters != ["FlateDecode"] or "DecodeParms" in dictionary:
        raise UploadRejected(RejectionCode.CORRUPT)
    inflater = zlib.decompressobj()
    try:
        contents = inflater.decompress(raw, scan.inflated_budget + 1)
    except zlib.error:
        raise UploadRejected(RejectionCode.CORRUPT) from None
    if len(contents) > scan.inflated_budget or inflater.unconsumed_tail:
        raise UploadRejected(RejectionCode.TOO_LARGE)
    scan.inflated_budget -= len(contents)
    return contents


def _filter_names(value: object) -> list[str]:
    values = value if isinstance(value, list) else [] if value is None else [value]
    names = [item.name if isinstance(item, _Name) else "?" for item in values]
    return ["FlateDecode" if name in _FLATE_NAMES else name for name in names]


def _as_numbered_objects(dictionary: dict[str, object], contents: bytes) -> bytes:
    """Rewrite an object stream as "N 0 obj ... endobj" text so its pages count like others."""
    first = dictionary.get("First")
    if not isinstance(first, int) or first < 0:
        return b""
    numbers = [int(number) for number in _INTEGER.findall(contents[:first])]
    pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))
    pieces = []
    for index, (number, offset) in enumerate(pairs):
        stop = pairs[index + 1][1] if index + 1 < len(pairs) else len(contents)
        pieces.append(b"%d 0 obj\n%s\nendobj\n" % (number, contents[first + offset : first + stop]))
    return b"".join(pieces)


def _count_pages(scan: _Scan) -> int:
    """Count distinct page objects, so pages rewritten by incremental updates count once."""
    ranges = [(scan.data, start, end) for start, end in scan.gaps]
    ranges += [(text, 0, len(text)) for text in scan.object_stream_objects]
    page_numbers: set[int] = set()
    for text, start, end in ranges:
        if not _PAGE.search(text, start, end):
            continue  # the quick literal search spares the slower pass over object headers
        current_object = None
        for match in _HEADER_OR_PAGE.finditer(text, start, end):
            if match.lastgroup != "page":
                current_object = int(match.group(1))
            elif current_object is not None:
                page_numbers.add(current_object)
    return len(page_numbers)


@dataclass(frozen=True)
class _Name:
    """A PDF name with its #xx escapes undone."""

    name: str


def _parse_value(data: bytes, position: int, limit: int, depth: int) -> tuple[object, int]:
    """Parse one PDF object from data[position:limit]; return it and where it ended."""
    if depth > _MAX_NESTING:
        raise _Unparsable
    token, position = _next_token(data, position, limit)
    kind = token.lastgroup
    if kind == "dict_open":
        return _parse_dictionary(data, position, limit, depth + 1)
    if kind == "array_open":
        return _parse_array(data, position, limit, depth + 1)
    if kind == "name":
        return _Name(_unescape_name(token.group()[1:])), position
    if kind == "string_open":
        return b"", _skip_literal_string(data, position, limit)
    if kind == "hex_string":
        return b"", position
    if kind == "word":
        return _word_value(data, token.group(), position, limit)
    raise _Unparsable


def _next_token(data: bytes, position: int, limit: int) -> tuple[re.Match[bytes], int]:
    """Return the next token that is not whitespace or a comment."""
    while position < limit:
        token = _TOKEN.match(data, position, limit)
        if token is None:
            raise _Unparsable
        position = token.end()
        if token.lastgroup != "space":
            return token, position
    raise _Unparsable


def _parse_dictionary(data: bytes, position: int, limit: int, depth: int) -> tuple[dict, int]:
    entries: dict[str, object] = {}
    while True:
        token, after = _next_token(data, position, limit)
        if token.lastgroup == "dict_close":
            return entries, after
        if token.lastgroup != "name":
            raise _Unparsable
        value, position = _parse_value(data, after, limit, depth)
        entries[_unescape_name(token.group()[1:])] = value


def _parse_array(data: bytes, position: int, limit: int, depth: int) -> tuple[list, int]:
    items: list[object] = []
    while True:
        token, after = _next_token(data, position, limit)
        if token.lastgroup == "array_close":
            return items, after
        value, position = _parse_value(data, position, limit, depth)
        items.append(value)


def _word_value(data: bytes, word: bytes, position: int, limit: int) -> tuple[object, int]:
    """Turn a bare word into an int (or a reference, kept as its object number) or keep it."""
    if not _INTEGER.fullmatch(word):
        return word, position
    reference = _REFERENCE_TAIL.match(data, position, limit)
    return int(word), reference.end() if reference else position


def _skip_literal_string(data: bytes, position: int, limit: int) -> int:
    """Return the position after a (literal string) whose opening bracket is already read."""
    depth = 1
    while position < limit:
        byte = data[position]
        position += 1
        if byte == 0x5C:  # backslash: the next byte is escaped, even a bracket
            position += 1
        elif byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return position
    raise _Unparsable


def _unescape_name(raw: bytes) -> str:
    return _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw).decode("latin-1")
