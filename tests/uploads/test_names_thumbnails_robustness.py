"""Storage names, thumbnails, format sniffing, and robustness against damaged files."""

from __future__ import annotations

import hashlib
import io
import random
import re

import pytest
from PIL import Image, features

from webapp.uploads import (
    ProcessedUpload,
    UploadRejected,
    process_upload,
    random_storage_name,
    sniff_format,
    thumbnail,
)

from .builders import (
    build_pdf,
    build_pdf_with_object_stream,
    encode,
    iphone_heic,
    noise,
    simple_objects,
)


def test_storage_names_are_random_hex_with_the_extension():
    names = {random_storage_name(".jpg") for _ in range(1000)}

    assert len(names) == 1000
    assert all(re.fullmatch(r"[0-9a-f]{32}\.jpg", name) for name in names)
    assert random_storage_name("pdf").endswith(".pdf")


@pytest.mark.parametrize("extension", ["", ".", "../x", ".JPG", ".j/g", ".php.jpg", "a" * 20])
def test_storage_name_refuses_odd_extensions(extension):
    with pytest.raises(ValueError, match=r"^extension must look like '\.jpg'$"):
        random_storage_name(extension)


def test_thumbnail_is_a_small_jpeg_of_the_stored_image():
    stored = process_upload(encode(noise((3000, 2000)), "JPEG"))

    small = Image.open(io.BytesIO(thumbnail(stored.content)))

    assert (small.format, small.size) == ("JPEG", (480, 320))
    assert Image.open(io.BytesIO(thumbnail(stored.content, long_side=100))).size == (100, 67)


def test_thumbnail_of_a_small_image_is_not_enlarged():
    stored = process_upload(encode(Image.new("RGB", (200, 100), "white"), "PNG"))

    assert Image.open(io.BytesIO(thumbnail(stored.content))).size == (200, 100)


def test_pdfs_have_no_thumbnail():
    with pytest.raises(UploadRejected) as caught:
        thumbnail(build_pdf(simple_objects()))

    assert caught.value.code == "not_supported"


@pytest.mark.parametrize(
    ("image_format", "expected"),
    [("JPEG", "JPEG"), ("PNG", "PNG"), ("GIF", "GIF"), ("WEBP", "WEBP"), ("PDF", "PDF")],
)
def test_sniffing_reads_the_bytes(image_format, expected):
    assert sniff_format(encode(Image.new("RGB", (8, 8)), image_format)) == expected


def test_sniffing_knows_heic_by_its_brand():
    assert sniff_format(iphone_heic(Image.new("RGB", (64, 64)))) == "HEIF"
    assert sniff_format(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic") == "HEIF"
    assert sniff_format(b"\x00\x00\x00\x18ftypqt  \x00\x00\x00\x00qt  ") is None


def test_outline_with_first_before_an_image_is_not_mistaken_for_an_object_stream():
    # Bookmarks use a /First key too; the image stream after one must still be accepted.
    objects = simple_objects()
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R >>"
    objects[5] = b"<< /Type /Outlines /First 6 0 R /Last 6 0 R /Count 1 >>"
    objects[6] = b"<< /Title (Trang 1) /Parent 5 0 R /Dest [3 0 R /Fit] >>"
    jpeg = encode(noise((64, 64)), "JPEG")
    objects[7] = (
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(jpeg), jpeg)
    )

    assert process_upload(build_pdf(objects)).pages == 1


def valid_samples() -> dict[str, bytes]:
    picture = noise((96, 64))
    avif = {"avif": encode(picture, "AVIF")} if features.check("avif") else {}
    return avif | {
        "jpeg": encode(picture, "JPEG"),
        "png": encode(picture, "PNG"),
        "gif": encode(picture, "GIF"),
        "webp": encode(picture, "WEBP"),
        "heic": iphone_heic(picture),
        "pdf": encode(picture, "PDF"),
        "objstm-pdf": build_pdf_with_object_stream({}, simple_objects(2)),
    }


def mutate(data: bytes, chance: random.Random) -> bytes:
    """Damage a file the ways uploads get damaged: flipped bytes, cut short, junk inserted."""
    damaged = bytearray(data)
    for _ in range(chance.randint(1, 8)):
        position = chance.randrange(len(damaged))
        action = chance.choice(["flip", "cut", "insert"])
        if action == "flip":
            damaged[position] = chance.randrange(256)
        elif action == "cut" and position > 16:
            del damaged[position:]
        else:
            damaged[position:position] = chance.randbytes(chance.randint(1, 64))
    return bytes(damaged)


@pytest.mark.parametrize("name", sorted(valid_samples()))
def test_damaged_files_are_processed_or_refused_never_crash(name):
    original = valid_samples()[name]
    chance = random.Random(name)

    for _ in range(150):
        try:
            result = process_upload(mutate(original, chance))
        except UploadRejected:
            continue
        assert isinstance(result, ProcessedUpload)


def ftyp(major: bytes, compatible: list[bytes], size: int | None = None,
         extra: int = 0) -> bytes:
    """An ISO media file's first box: its size, "ftyp", the major brand, a minor version and
    the compatible brands; `size` overrides the size written, `extra` adds bytes after it."""
    body = b"ftyp" + major + bytes(4) + b"".join(compatible)
    written = size if size is not None else len(body) + 4
    return written.to_bytes(4, "big") + body + bytes(extra)


def test_sniffing_reads_every_brand_of_the_ftyp_box_and_nothing_past_it():
    assert sniff_format(ftyp(b"heic", [])) == "HEIF"  # the smallest box: 16 bytes
    assert sniff_format(ftyp(b"mif1", [b"mp41"] * 3 + [b"avif"])) == "AVIF"  # the last brand
    assert sniff_format(ftyp(b"mif1", [b"mp41", b"avis"])) == "AVIF"
    assert sniff_format(ftyp(b"heic", [b"avif"])) == "HEIF"  # an iPhone photo says HEVC first
    assert sniff_format(ftyp(b"mp41", [b"mp41", b"msf1"])) == "HEIF"
    assert sniff_format(ftyp(b"mp41", [b"mp41"])) is None  # a video
    assert sniff_format(ftyp(b"mif1", [b"avif", b"mp41"])) == "AVIF"  # brands are 4 bytes
    assert sniff_format(ftyp(b"mif1", [b"mpav", b"if41"])) == "HEIF"  # and start every 4th
    # "avif" right after a box that ends before it is another box's data, not a brand.
    assert sniff_format(ftyp(b"mif1", [b"mp41"], extra=0) + b"avif") == "HEIF"


def test_sniffing_refuses_ftyp_boxes_of_impossible_sizes():
    assert sniff_format(ftyp(b"heic", [], size=15)) is None
    assert sniff_format(ftyp(b"heic", [], size=2**24 + 16)) is None  # 16 MB, not 16 bytes
    assert sniff_format(ftyp(b"heic", [b"mp41"] * 252, extra=40)) == "HEIF"  # 1024 bytes
    assert sniff_format(ftyp(b"heic", [b"mp41"] * 252, size=1025, extra=40)) is None
    assert sniff_format(ftyp(b"heic", [], size=24)) is None  # says more than the file holds


def test_a_pdf_comes_back_rewritten_with_its_facts():
    original = build_pdf(simple_objects(2))

    result = process_upload(original)

    assert (result.media_type, result.extension, result.pages) == ("application/pdf", ".pdf", 2)
    assert (result.width, result.height, result.thumbnail) == (None, None, None)
    assert result.content.startswith(b"%PDF-")
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()


def test_a_sound_file_is_not_taken_for_a_webp_photo():
    wave = b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt " + bytes(24)
    with pytest.raises(UploadRejected) as caught:
        process_upload(wave)

    assert caught.value.code == "not_supported"
