"""Fixtures made on the fly with Pillow and by hand: no binary files live in the repository."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pillow_heif
from PIL import ExifTags, Image, ImageCms


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    """Save an image into bytes."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def noise(size: tuple[int, int], seed: int = 7) -> Image.Image:
    """An RGB image of random pixels, which compresses badly like a real photo."""
    width, height = size
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(width * height * 3))


def top_red_bottom_blue(size: tuple[int, int]) -> Image.Image:
    """An image whose top half is red and bottom half blue, to see which way it was turned."""
    width, height = size
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, width, height // 2))
    return image


def phone_exif(orientation: int = 1) -> Image.Exif:
    """EXIF like a phone camera writes: maker, model, orientation and a GPS position in Tây Ninh."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (11.0, 18.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 5.0, 54.0)
    return exif


def iphone_heic(image: Image.Image, orientation: int = 1) -> bytes:
    """A HEIC like an iPhone's: the turn stored as an irot box, EXIF orientation saying the same."""
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer, quality=80, exif=phone_exif(orientation).tobytes())
    return buffer.getvalue()


def srgb_icc() -> bytes:
    """The bytes of an sRGB ICC profile."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header but holds almost no pixel data (a bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_markers(content: bytes) -> list[int]:
    """List the marker bytes of a JPEG's segments up to the start of scan."""
    assert content[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(content):
        assert content[position] == 0xFF
        marker = content[position + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        position += 2 + int.from_bytes(content[position + 2 : position + 4], "big")
    return markers


# --- PDFs, written by hand so each test controls exactly what is inside ---

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def pages_tree(count: int, first_page: int = 3) -> bytes:
    """A /Pages node listing `count` page objects numbered from first_page."""
    kids = b" ".join(b"%d 0 R" % number for number in range(first_page, first_page + count))
    return b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)


def simple_objects(pages: int = 1) -> dict[int, bytes]:
    """Objects of a plain PDF with blank pages."""
    objects = {1: CATALOG, 2: pages_tree(pages)}
    objects.update({3 + index: PAGE for index in range(pages)})
    return objects


def stream_object(entries: bytes, data: bytes) -> bytes:
    """A stream object body: its dictionary entries, /Length, and the data."""
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def build_pdf(
    objects: dict[int, bytes], trailer_entries: bytes = b"", version: bytes = b"1.7"
) -> bytes:
    """Assemble numbered objects into a PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        in_use = number in offsets
        out += b"%010d 00000 n \n" % offsets[number] if in_use else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, trailer_entries, xref_at
    )
    return bytes(out)


def append_update(pdf: bytes, objects: dict[int, bytes]) -> bytes:
    """Append an incremental update that rewrites some objects, as signing or annotating does."""
    out = bytearray(pdf)
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n"
    for number, offset in sorted(offsets.items()):
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    size = max(max(offsets) + 1, _trailer_size(pdf))
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, _last_startxref(pdf), xref_at)
    return bytes(out)


def _last_startxref(pdf: bytes) -> int:
    return int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])


def _trailer_size(pdf: bytes) -> int:
    return int(pdf[pdf.rindex(b"/Size") + 5 :].split()[0])


def build_pdf_with_object_stream(
    objects: dict[int, bytes], compressed: dict[int, bytes], padding: int = 0
) -> bytes:
    """A PDF 1.5 file as modern writers make it: `compressed` objects live in one Flate object
    stream, found through a cross-reference stream (entries of type 2), the rest are plain.
    `padding` bytes of spaces are put inside the object stream's dictionary after /First."""
    stream_number = max([*objects, *compressed]) + 1
    xref_number = stream_number + 1
    offsets, position = [], 0
    for number, body in compressed.items():
        offsets.append(b"%d %d" % (number, position))
        position += len(body) + 1
    index = b" ".join(offsets) + b"\n"
    data = zlib.compress(index + b"\n".join(compressed.values()) + b"\n")
    stream_dictionary = b"<< /Type /ObjStm /N %d /First %d%s /Filter /FlateDecode /Length %d >>" % (
        len(compressed), len(index), b" " * padding, len(data))
    plain = {**objects, stream_number: stream_dictionary + b"\nstream\n" + data + b"\nendstream"}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    entries = {0: (0, 0, 65535)}
    for number, body in sorted(plain.items()):
        entries[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    for slot, number in enumerate(compressed):
        entries[number] = (2, stream_number, slot)
    xref_at = len(out)
    entries[xref_number] = (1, xref_at, 0)
    size = xref_number + 1
    rows = b"".join(struct.pack(">BIH", *entries.get(n, (0, 0, 0))) for n in range(size))
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number, size, len(rows))
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
