"""Safe processing of the photos (and PDFs) of papers that citizens upload from their phones.

Every image is decoded, turned upright, shrunk, stripped of all metadata (EXIF with GPS, XMP,
ICC, comments) and re-encoded as a progressive JPEG on a white background: papers need no
transparency, and one output format keeps storage, thumbnails and officers' screens simple.
PDFs are opened with qpdf and rewritten without scripts, actions or attached files (see
pdf_inspection). The type is judged from the bytes only: file names and declared content types
come from the phone and prove nothing.

These functions do the decoding in the calling process. The web app never calls them directly
on a citizen's file: `sandbox.process_in_sandbox` runs them in a child process with CPU, memory
and time limits, so one hostile file cannot slow or kill a web worker.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import struct
from dataclasses import dataclass

from PIL import Image, ImageCms
from pillow_heif import register_heif_opener

from .errors import RejectionCode, UploadRejected
from .pdf_inspection import clean_pdf

register_heif_opener()

DEFAULT_MAX_BYTES = 15_000_000
DEFAULT_MAX_PIXELS = 40_000_000
# What one decoded image may cost depends on the format. libjpeg decodes at 1/2, 1/4 or 1/8 scale
# (draft below), so a 40 MP JPEG unpacks to 5 MP at most. PNG, GIF, WebP, HEIF and AVIF always
# decode every pixel, up to 4 bytes each plus the converted copy: their caps keep one decode
# within the sandbox's memory and CPU budget (docs/uploads.md has the figures). A phone photo is
# 12-24 MP, a screenshot 3 MP, an A4 page scanned at 300 dpi 8.7 MP.
MAX_PIXELS_BY_FORMAT = {
    "JPEG": 40_000_000,
    "HEIF": 25_000_000,
    "AVIF": 25_000_000,
    "PNG": 16_000_000,
    "WEBP": 16_000_000,
    "GIF": 16_000_000,
}
DEFAULT_TARGET_LONG_SIDE = 2000
DEFAULT_THUMBNAIL_LONG_SIDE = 480
JPEG_QUALITY = 82
THUMBNAIL_QUALITY = 75

# Pillow's own guard backs up the explicit check below. It is process-wide, so it is set once
# here; catching its warning per call would need warnings.catch_warnings, which is not
# thread-safe, so instead every image above this limit is refused by our own check.
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS

JPEG_MEDIA_TYPE = "image/jpeg"
PDF_MEDIA_TYPE = "application/pdf"
PDF = "PDF"

# Pillow raises a variety of exceptions on hostile or damaged files; all mean "cannot decode".
# RuntimeError is what the libavif and libheif bindings raise when a damaged file fails to decode.
_DECODE_ERRORS = (
    OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, RuntimeError
)
_HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_GENERIC_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"miaf"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
# Formats whose files may hold an animation; a still photo of a paper is one frame. (A JPEG with
# several frames is an MPO, e.g. a portrait photo with its depth map: the first frame is the photo.
# A HEIF with several images shows its primary one, which Pillow opens.)
_ANIMATABLE = frozenset({"GIF", "PNG", "WEBP", "AVIF"})
_ORIENTATION_TAG = 0x0112
_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_KEPT_MODES = frozenset({"RGB", "RGBA", "L", "LA", "CMYK"})
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_EXTENSION = re.compile(r"\.?[a-z0-9]{1,8}")
NO_PROFILE, CONVERTED, PROFILE_IGNORED = "no_profile", "converted", "profile_ignored"


@dataclass(frozen=True)
class ProcessedUpload:
    """What to store for one accepted upload: the cleaned bytes and facts about them."""

    content: bytes
    media_type: str
    extension: str
    width: int | None
    height: int | None
    pages: int | None
    sha256: str
    thumbnail: bytes | None = None  # a small JPEG for images; PDFs show as a document icon
    # Which colour path ran: NO_PROFILE, CONVERTED (through the embedded profile to sRGB) or
    # PROFILE_IGNORED (the profile was broken or did not fit: colours may be off; the sandbox
    # logs and counts it for /healthz).
    colour: str = ""


def process_upload(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    target_long_side: int = DEFAULT_TARGET_LONG_SIDE,
    with_thumbnail: bool = False,
    pixel_caps: dict[str, int] = MAX_PIXELS_BY_FORMAT,
) -> ProcessedUpload:
    """Check and clean one uploaded file; raise UploadRejected(code) when it must be refused."""
    _check_size(data, max_bytes)
    kind = sniff_format(data)
    if kind is None:
        raise UploadRejected(RejectionCode.NOT_SUPPORTED)
    if kind == PDF:
        pdf = clean_pdf(data)
        return ProcessedUpload(pdf.content, PDF_MEDIA_TYPE, ".pdf", None, None, pdf.pages,
                               _sha256(pdf.content))
    image, colour = _clean_image(data, kind, min(max_pixels, pixel_caps[kind]),
                                 target_long_side)
    content = _encode_jpeg(image, JPEG_QUALITY)
    small = _encode_jpeg(_shrunk(image), THUMBNAIL_QUALITY) if with_thumbnail else None
    return ProcessedUpload(content, JPEG_MEDIA_TYPE, ".jpg", image.width, image.height, None,
                           _sha256(content), small, colour)


def thumbnail(content: bytes, long_side: int = DEFAULT_THUMBNAIL_LONG_SIDE) -> bytes:
    """Return a small JPEG of a stored image; PDFs have none (UploadRejected "not_supported")."""
    _check_size(content, DEFAULT_MAX_BYTES)
    kind = sniff_format(content)
    if kind is None or kind == PDF:
        raise UploadRejected(RejectionCode.NOT_SUPPORTED)
    image, _colour = _clean_image(content, kind, DEFAULT_MAX_PIXELS, long_side)
    return _encode_jpeg(image, THUMBNAIL_QUALITY)


def _shrunk(image: Image.Image, long_side: int = DEFAULT_THUMBNAIL_LONG_SIDE) -> Image.Image:
    return _resize(image, _fit_within(image.size, long_side))


def random_storage_name(extension: str) -> str:
    """Return an unguessable file name: 128 random bits as 32 hex digits, then the extension."""
    if not _EXTENSION.fullmatch(extension):
        # The extension ends up in a path; anything but a short lowercase word is a bug.
        raise ValueError("extension must look like '.jpg'")
    return f"{secrets.token_hex(16)}.{extension.lstrip('.')}"


def sniff_format(data: bytes) -> str | None:
    """Name the format from the leading bytes: a Pillow format name, "PDF", or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith(b"%PDF-"):
        return PDF
    return _sniff_isobmff(data)


def _sniff_isobmff(data: bytes) -> str | None:
    """Tell HEIF (iPhone photos) and AVIF apart from other ISO media files by the ftyp brands."""
    if data[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(data[0:4], "big")
    if box_size < 16 or box_size > min(len(data), 1024):
        return None
    major = data[8:12]
    brands = {major} | {data[i : i + 4] for i in range(16, box_size - 3, 4)}
    if major in _HEVC_BRANDS:
        return "HEIF"
    if brands & _AVIF_BRANDS:
        return "AVIF"
    if brands & (_HEVC_BRANDS | _GENERIC_HEIF_BRANDS):
        return "HEIF"
    return None


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise UploadRejected(RejectionCode.EMPTY)
    if len(data) > max_bytes:
        raise UploadRejected(RejectionCode.TOO_LARGE)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _clean_image(data: bytes, kind: str, max_pixels: int,
                 long_side: int) -> tuple[Image.Image, str]:
    """Decode an image and return it upright, shrunk, flattened, in sRGB and without metadata,
    with the colour path that ran (see ProcessedUpload.colour)."""
    with _open_image(data, kind, max_pixels) as source:
        # Sized from the header, before the draft below rounds the decoded size up.
        target_size = _fit_within(source.size, long_side)
        if kind == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: a 12 MP photo never fully unpacks.
            source.draft(None, target_size)
        _load_pixels(source)
        icc_profile = source.info.get("icc_profile")
        orientation = _exif_orientation(source)
        image = _resize(_to_working_mode(source), target_size)
        image = _flatten_onto_white(_apply_orientation(image, orientation))
        image, colour = _to_srgb(image, icc_profile)
        return _without_metadata(image), colour


def _open_image(data: bytes, kind: str, max_pixels: int) -> Image.Image:
    """Open only the sniffed format and read its header; refuse bombs before decoding pixels."""
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
    except Image.DecompressionBombError:
        raise UploadRejected(RejectionCode.TOO_MANY_PIXELS) from None
    except _DECODE_ERRORS:
        raise UploadRejected(RejectionCode.CORRUPT) from None
    try:
        _check_header(image, kind, max_pixels)
    except BaseException:
        image.close()
        raise
    return image


def _check_header(image: Image.Image, kind: str, max_pixels: int) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise UploadRejected(RejectionCode.CORRUPT)
    if width * height > _pixel_limit(max_pixels):
        raise UploadRejected(RejectionCode.TOO_MANY_PIXELS)
    try:
        animated = kind in _ANIMATABLE and getattr(image, "is_animated", False)
    except _DECODE_ERRORS:
        raise UploadRejected(RejectionCode.CORRUPT) from None
    if animated:
        # Zalo stickers and memes move; a paper does not, so the citizen picked the wrong file.
        raise UploadRejected(RejectionCode.ANIMATED)


def _pixel_limit(max_pixels: int) -> int:
    """Return the stricter of the caller's limit and Pillow's, so Pillow never merely warns."""
    if Image.MAX_IMAGE_PIXELS is None:
        return max_pixels
    return min(max_pixels, int(Image.MAX_IMAGE_PIXELS))


def _load_pixels(image: Image.Image) -> None:
    try:
        image.load()
    except Image.DecompressionBombError:
        raise UploadRejected(RejectionCode.TOO_MANY_PIXELS) from None
    except _DECODE_ERRORS:
        # Truncated uploads land here too (Pillow refuses them unless LOAD_TRUNCATED_IMAGES).
        raise UploadRejected(RejectionCode.CORRUPT) from None


def _exif_orientation(image: Image.Image) -> int:
    """Return the EXIF orientation (1 to 8); a damaged EXIF block counts as upright."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE_FOR_ORIENTATION else 1


def _apply_orientation(image: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE_FOR_ORIENTATION.get(orientation)
    return image if method is None else image.transpose(method)


def _to_working_mode(image: Image.Image) -> Image.Image:
    """Convert palette, bilevel, 16-bit and other modes to one that resizes well."""
    mode = image.mode
    if mode in _KEPT_MODES:
        return image
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode in ("PA", "RGBa"):
        return image.convert("RGBA")
    if mode == "La":
        return image.convert("LA")
    if mode in ("1", "F"):
        return image.convert("L")
    if mode == "I" or mode.startswith("I;16"):
        # 16-bit grey (PNG): convert("L") would clip everything above 255 to white.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGB")


def _fit_within(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """Return size scaled down so its long side is at most long_side; never enlarged."""
    width, height = size
    scale = long_side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if size == image.size:
        return image
    # A box reduction by the whole part of the factor first, Lanczos for the rest: on a 24 MP
    # photo it takes a third of the CPU of Lanczos all the way, with no visible difference on
    # a photo of a paper (Pillow reduces by int(factor / reducing_gap)).
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)


def _flatten_onto_white(image: Image.Image) -> Image.Image:
    """Put a transparent image on white paper: JPEG has no alpha, and black would hide the text."""
    if image.mode not in ("RGBA", "LA"):
        return image
    canvas = Image.new(image.mode[:-1], image.size, "white")
    canvas.paste(image, mask=image.getchannel("A"))
    return canvas


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> tuple[Image.Image, str]:
    """Convert RGB and CMYK to sRGB through the embedded profile (iPhones use Display P3);
    return the image and the colour path that ran."""
    colour = NO_PROFILE
    if icc_profile and image.mode in ("RGB", "CMYK"):
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return (ImageCms.profileToProfile(image, source_profile, _SRGB, outputMode="RGB"),
                    CONVERTED)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # A broken or mismatched profile: a plain conversion keeps the paper readable,
            # though its colours may be off. The caller is told, to log and count it.
            colour = PROFILE_IGNORED
    return (image if image.mode in ("RGB", "L") else image.convert("RGB")), colour


def _without_metadata(image: Image.Image) -> Image.Image:
    """Copy the pixels into a fresh image, so no EXIF, XMP, ICC or comment can follow them."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, progressive=True, optimize=True)
    return buffer.getvalue()
