"""Uploaded PDFs are opened with qpdf (through pikepdf) and rewritten without their active parts.

Why a parser and a rewrite, not a scan of the bytes: a PDF reader follows the cross-reference
table, compressed object streams and incremental updates, and a scan of the raw bytes can be
walked around (an /OpenAction pointing at JavaScript inside an object stream whose /First sits
past the scanner's window was accepted). qpdf resolves all of that as a reader does, and the
file we keep is the one qpdf writes: only the objects reachable from the document's root, one
revision, no object streams, nothing before the header or after the end. So what an officer's
reader opens is exactly what was inspected.

Removed from every object: JavaScript (/JS, the /JavaScript name tree), /OpenAction and /AA
(actions run on opening, on closing, on a page or a field), every action but going to a page,
turning a page and opening an http(s)/mailto/tel link (so /Launch, /SubmitForm, /ImportData,
/GoToR, /GoToE, /Rendition, /Movie, /Sound, ... go, and javascript:/file: links with them),
embedded and attached files, XFA forms, rich media, 3D and portfolio collections. Then the
rewritten file is opened again and must hold none of them, or it is refused.

Encryption that needs no password (a "protected" bank statement) is removed; a PDF that needs a
password to open is refused, since an officer could not read it either.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

from .errors import RejectionCode, UploadRejected

_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_EOF_MARKER = b"%%EOF"
# Readers accept a little junk after %%EOF (some uploaders pad files), so look near the end only.
# A file cut short by a failed upload has no %%EOF there: the citizen is asked to send it again.
_EOF_WINDOW = 1024
# A paper is a few pages; a scanned booklet a few hundred objects. Far more is a file built to
# make the inspection slow.
_MAX_OBJECTS = 200_000
_MAX_PAGES = 500
# qpdf refuses deeper nesting itself; this bounds our own walk through direct objects.
_MAX_DEPTH = 64

# Keys whose value is active or carries another file, wherever they appear.
_ACTIVE_KEYS = frozenset({
    "/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/XFA",
    "/RichMediaContent", "/RichMediaSettings", "/3DD", "/Collection", "/AlternatePresentations",
    "/Renditions", "/NeedsRendering",
})
# Annotations that play, run or carry something; the others (links, widgets, notes) stay.
_ACTIVE_ANNOTATIONS = frozenset({
    "/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D",
})
# The only actions kept: moving within the document and opening an ordinary link.
_SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named", "/Thread", "/SetOCGState", "/Trans"})
_SAFE_NAMED_ACTIONS = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
_SAFE_URI_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Filespec"})
# Where readers find actions to run: links, outline items and fields (/A), a link's original
# action (/PA), and the actions chained after one (/Next, a dictionary or an array).
_ACTION_KEYS = frozenset({"/A", "/PA", "/Next"})
_CHAINED_ACTION_KEYS = frozenset({"/Next"})
_URI_NOISE = re.compile(r"[\x00-\x20\x7f]+")

# pikepdf warns when a form field is not listed in the form; the rewrite keeps what there is.
warnings.filterwarnings("ignore", category=pikepdf.exceptions.PageCopyWarning)

# What pikepdf and qpdf raise for a file they cannot read; all mean "damaged".
_PARSE_ERRORS = (pikepdf.PdfError, RuntimeError, ValueError, TypeError, KeyError, IndexError,
                 RecursionError, OverflowError, UnicodeError, NotImplementedError)


@dataclass(frozen=True)
class CleanPdf:
    """The rewritten PDF to store and how many pages it has."""

    content: bytes
    pages: int
    removed: int


def clean_pdf(data: bytes) -> CleanPdf:
    """Return the PDF rewritten without active parts, or raise UploadRejected."""
    _check_envelope(data)
    with _open(data) as pdf:
        pages = _page_count(pdf)
        removed = _remove_active_parts(pdf)
        content = _rewrite(pdf)
    with _open(content) as rewritten:
        if _remove_active_parts(rewritten) or _page_count(rewritten) != pages:
            # The rewrite kept something it should not have: refuse rather than trust it.
            raise UploadRejected(RejectionCode.PDF_ACTIVE_CONTENT)
    return CleanPdf(content, pages, removed)


def _check_envelope(data: bytes) -> None:
    """Refuse a file without a PDF header or without %%EOF near its end (truncated or fake)."""
    if not _HEADER.match(data) or _EOF_MARKER not in data[-_EOF_WINDOW:]:
        raise UploadRejected(RejectionCode.CORRUPT)


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise UploadRejected(RejectionCode.PDF_ENCRYPTED) from None
    except _PARSE_ERRORS:
        raise UploadRejected(RejectionCode.CORRUPT) from None
    return pdf


def _page_count(pdf: pikepdf.Pdf) -> int:
    try:
        pages = len(pdf.pages)
    except _PARSE_ERRORS:
        raise UploadRejected(RejectionCode.CORRUPT) from None
    if pages == 0:
        raise UploadRejected(RejectionCode.CORRUPT)
    if pages > _MAX_PAGES:
        raise UploadRejected(RejectionCode.TOO_LARGE)
    return pages


def _remove_active_parts(pdf: pikepdf.Pdf) -> int:
    """Remove every active part from every object; return how many were removed."""
    try:
        objects = pdf.objects
        if len(objects) > _MAX_OBJECTS:
            raise UploadRejected(RejectionCode.TOO_LARGE)
        removed = sum(_clean(item, 0) for item in objects)
        return removed + _clean(pdf.trailer, 0)
    except _PARSE_ERRORS:
        raise UploadRejected(RejectionCode.CORRUPT) from None


def _rewrite(pdf: pikepdf.Pdf) -> bytes:
    """Write only what the root reaches, as plain objects, stream data copied as it was."""
    buffer = io.BytesIO()
    try:
        pdf.save(
            buffer,
            encryption=False,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
            fix_metadata_version=False,
            deterministic_id=True,
        )
    except _PARSE_ERRORS:
        raise UploadRejected(RejectionCode.CORRUPT) from None
    return buffer.getvalue()


def _clean(item: pikepdf.Object, depth: int) -> int:
    """Clean an object and the direct objects inside it (indirect ones are cleaned on their own)."""
    if depth > _MAX_DEPTH:
        raise UploadRejected(RejectionCode.CORRUPT)
    if isinstance(item, Dictionary | Stream):
        return _clean_dictionary(item, depth)
    if isinstance(item, Array):
        return _clean_array(item, depth, actions=False)
    return 0


def _clean_dictionary(dictionary: pikepdf.Object, depth: int) -> int:
    if _is_active_object(dictionary):
        # An attached file or active annotation stored as its own object: emptied, so whatever
        # still points at it (a structure tree, a popup) points at nothing.
        return _empty(dictionary)
    removed = 0
    for key in list(dictionary.keys()):
        value = dictionary[key]
        if _is_removed_entry(key, value):
            del dictionary[key]
            removed += 1
        elif key in _CHAINED_ACTION_KEYS and isinstance(value, Array):
            removed += _clean_array(value, depth + 1, actions=True)
        elif _is_direct_container(value):
            removed += _clean(value, depth + 1)
    return removed


def _empty(dictionary: pikepdf.Object) -> int:
    keys = [key for key in dictionary.keys() if key != "/Length"]  # a stream keeps its length
    if isinstance(dictionary, Stream):
        dictionary.write(b"")
    for key in keys:
        if key in dictionary:
            del dictionary[key]
    return len(keys)


def _is_removed_entry(key: str, value: pikepdf.Object) -> bool:
    if key in _ACTIVE_KEYS or _is_active_object(value):
        return True
    return key in _ACTION_KEYS and _is_unsafe_action(value)


def _clean_array(array: pikepdf.Object, depth: int, *, actions: bool) -> int:
    """Clean an array's items; in a chain of actions (/Next), unsafe actions are removed."""
    removed = 0
    for index in reversed(range(len(array))):
        value = array[index]
        if _is_active_object(value) or (actions and _is_unsafe_action(value)):
            del array[index]
            removed += 1
        elif _is_direct_container(value):
            removed += _clean(value, depth + 1)
    return removed


def _is_direct_container(value: object) -> bool:
    """A dictionary or array written inside its parent (pikepdf gives numbers as int, etc.)."""
    return isinstance(value, Dictionary | Stream | Array) and not value.is_indirect


def _is_active_object(value: pikepdf.Object) -> bool:
    """An embedded file, a file specification or an annotation that plays or runs something."""
    if not isinstance(value, Dictionary | Stream):
        return False
    return (_name(value.get("/Type")) in _ACTIVE_TYPES
            or _name(value.get("/Subtype")) in _ACTIVE_ANNOTATIONS)


def _is_unsafe_action(value: pikepdf.Object) -> bool:
    """Whether the value of an action entry is an action that does more than move within the
    document or open an ordinary link. (/A also names other things, e.g. a measure's area
    formats: a value without /S runs nothing.)"""
    if not isinstance(value, Dictionary | Stream) or "/S" not in value:
        return False
    action = _name(value.get("/S"))
    if action not in _SAFE_ACTIONS:
        return True
    if action == "/Named":
        return _name(value.get("/N")) not in _SAFE_NAMED_ACTIONS
    if action == "/Thread":
        return "/F" in value  # a thread in another file would open that file
    if action == "/URI":
        return not _is_safe_uri(value.get("/URI"))
    return False


def _is_safe_uri(uri: pikepdf.Object | None) -> bool:
    if not isinstance(uri, String):
        return False
    text = _URI_NOISE.sub("", bytes(uri).decode("latin-1")).lower()
    return text.startswith(_SAFE_URI_SCHEMES)


def _name(value: pikepdf.Object | None) -> str | None:
    return str(value) if isinstance(value, Name) else None
