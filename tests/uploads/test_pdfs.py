"""PDFs are kept byte for byte, but only when well formed, unencrypted and free of active code."""

from __future__ import annotations

import time
import zlib

import pytest
from PIL import Image

from webapp.uploads import UploadRejected, process_upload

from .builders import (
    CATALOG,
    PAGE,
    append_update,
    build_pdf,
    encode,
    noise,
    object_stream,
    pages_tree,
    simple_objects,
    stream_object,
)


def rejection(data: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        process_upload(data)
    return caught.value.code


def with_catalog(extra_entries: bytes, pages: int = 1) -> dict[int, bytes]:
    """Plain PDF objects whose catalog carries extra entries (actions, names, forms)."""
    objects = simple_objects(pages)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R %s >>" % extra_entries
    return objects


def test_pdf_made_by_pillow_is_kept_byte_for_byte():
    original = encode(Image.new("RGB", (595, 842), "white"), "PDF")

    result = process_upload(original)

    assert result.content == original
    assert (result.media_type, result.extension) == ("application/pdf", ".pdf")
    assert (result.width, result.height, result.pages) == (None, None, 1)


def test_pages_are_counted():
    first, *rest = [Image.new("RGB", (100, 140), color) for color in ("red", "green", "blue")]

    result = process_upload(encode(first, "PDF", save_all=True, append_images=rest))

    assert result.pages == 3


def test_scanned_pdf_with_a_large_noisy_photo_is_accepted():
    # Random image bytes must not look like /JS or a stream keyword to the scan.
    result = process_upload(encode(noise((1500, 1500)), "PDF", quality=95))

    assert result.pages == 1


def test_page_rewritten_by_an_incremental_update_counts_once():
    signed = append_update(build_pdf(simple_objects(2)), {3: PAGE.replace(b">>", b"/Annots [] >>")})

    assert process_upload(signed).pages == 2


def test_pages_inside_a_compressed_object_stream_are_counted():
    inner = {2: pages_tree(3, first_page=3), 3: PAGE, 4: PAGE, 5: PAGE}

    result = process_upload(build_pdf({1: CATALOG, 6: object_stream(inner)}))

    assert result.pages == 3


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


def test_encrypted_pdf_is_refused():
    pdf = build_pdf(
        {**simple_objects(), 9: b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>"},
        trailer_entries=b"/Encrypt 9 0 R /ID [<01> <01>]",
    )

    assert rejection(pdf) == "pdf_encrypted"


@pytest.mark.parametrize(
    "catalog_entries",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>",  # escaped name
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        b"/OpenAction << /S /GoToR /F (\\\\\\\\attacker\\\\share\\\\x.pdf) >>",
        b"/Names << /EmbeddedFiles << /Names [(a.exe) 9 0 R] >> >>",
        b"/AcroForm << /Fields [] /XFA 9 0 R >>",
        b"/AA << /WC << /JS (app.alert(1)) >> >>",
    ],
    ids=["javascript", "escaped", "launch", "remote-goto", "embedded-file", "xfa", "js-key"],
)
def test_active_content_is_refused(catalog_entries):
    assert rejection(build_pdf(with_catalog(catalog_entries))) == "pdf_active_content"


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    hidden = {9: b"<< /S /JavaScript /JS (app.alert(1)) >>"}

    pdf = build_pdf({**with_catalog(b"/OpenAction 9 0 R"), 10: object_stream(hidden)})

    assert b"JavaScript" not in pdf  # invisible to a naive search of the raw bytes
    assert rejection(pdf) == "pdf_active_content"


def test_short_js_key_hidden_in_an_object_stream_is_found():
    hidden = {9: b"<< /S /JS >>"}

    assert rejection(build_pdf({**simple_objects(), 10: object_stream(hidden)})) == (
        "pdf_active_content"
    )


def test_object_stream_whose_dictionary_hides_behind_a_fake_header_is_still_opened():
    hidden = object_stream({9: b"<< /S /JavaScript >>"}, extra_entries=b"/Note (1 0 obj)")

    assert rejection(build_pdf({**simple_objects(), 10: hidden})) == "pdf_active_content"


def test_object_stream_without_type_is_still_opened():
    # pdf.js reads any stream with /First and /N as an object stream.
    hidden = object_stream({9: b"<< /S /JavaScript >>"}).replace(b"/Type /ObjStm ", b"")

    assert rejection(build_pdf({**simple_objects(), 10: hidden})) == "pdf_active_content"


@pytest.mark.parametrize(
    "extra_entries",
    [b"/DecodeParms << /Predictor 12 /Columns 5 >>", b"/Filter [/FlateDecode /LZWDecode]"],
    ids=["predictor", "lzw"],
)
def test_object_streams_we_cannot_read_are_refused(extra_entries):
    stream = object_stream({9: PAGE}, extra_entries=extra_entries)
    stream = stream.replace(b"/Filter /FlateDecode /Filter", b"/Filter")

    assert rejection(build_pdf({**simple_objects(), 10: stream})) == "corrupt"


def test_object_stream_zip_bomb_is_refused():
    bomb = zlib.compress(b" " * 70_000_000, 9)
    stream = stream_object(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomb)

    assert rejection(build_pdf({**simple_objects(), 10: stream})) == "too_large"


@pytest.mark.parametrize(
    "body",
    [b"1" * 5_000_000, b"stream\n" * 700_000, b"1 0 obj " * 600_000, b"(" * 5_000_000],
    ids=["digits", "stream-keywords", "headers", "brackets"],
)
def test_hostile_bodies_are_refused_quickly(body):
    started = time.perf_counter()

    with pytest.raises(UploadRejected):
        process_upload(b"%PDF-1.7\n" + body + b"\n%%EOF\n")

    assert time.perf_counter() - started < 3
