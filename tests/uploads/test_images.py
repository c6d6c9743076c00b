"""Photos of papers: sniffed from bytes, bombs refused, turned upright, shrunk, stripped, JPEG."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps, features

from webapp.uploads import RejectionCode, UploadRejected, process_upload
from webapp.uploads.processing import CONVERTED, NO_PROFILE, PROFILE_IGNORED

from .builders import (
    encode,
    iphone_heic,
    jpeg_markers,
    noise,
    phone_exif,
    png_header_only,
    srgb_icc,
    top_red_bottom_blue,
)

APP1, APP2, APP13, COMMENT, PROGRESSIVE = 0xE1, 0xE2, 0xED, 0xFE, 0xC2


def rejection(data: bytes, **options) -> str:
    with pytest.raises(UploadRejected) as caught:
        process_upload(data, **options)
    return caught.value.code


def reopen(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def is_close(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def test_gps_exif_xmp_icc_and_comment_are_all_gone():
    original = encode(
        Image.new("RGB", (640, 480), "white"), "JPEG",
        exif=phone_exif(), xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>secret</x:xmpmeta>",
        icc_profile=srgb_icc(), comment=b"taken at home",
    )
    assert reopen(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture does carry GPS

    result = process_upload(original)

    cleaned = reopen(result.content)
    assert len(cleaned.getexif()) == 0
    assert not cleaned.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(cleaned.info)
    markers = jpeg_markers(result.content)
    assert not {APP1, APP2, APP13, COMMENT} & set(markers)
    for leak in (b"Exif", b"PhoneMaker", b"xmpmeta", b"taken at home"):
        assert leak not in result.content


def test_result_is_a_progressive_jpeg_with_facts_filled_in():
    result = process_upload(encode(Image.new("RGB", (300, 200), "white"), "PNG"))

    assert (result.media_type, result.extension, result.pages) == ("image/jpeg", ".jpg", None)
    assert (result.width, result.height) == (300, 200)
    assert PROGRESSIVE in jpeg_markers(result.content)
    assert reopen(result.content).format == "JPEG"
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()


def test_sideways_phone_photo_comes_out_upright():
    # Orientation 6: the camera was turned, and the viewer must rotate 90 degrees clockwise.
    original = encode(top_red_bottom_blue((400, 200)), "JPEG", exif=phone_exif(orientation=6))

    result = process_upload(original)

    upright = reopen(result.content).convert("RGB")
    assert upright.size == (200, 400)
    assert is_close(upright.getpixel((150, 200)), (255, 0, 0))  # the old top is now on the right
    assert is_close(upright.getpixel((50, 200)), (0, 0, 255))
    assert ExifTags.Base.Orientation not in upright.getexif()


@pytest.mark.parametrize(
    ("orientation", "size"), [(1, (400, 200)), (3, (400, 200)), (8, (200, 400)), (99, (400, 200))]
)
def test_other_orientations_and_nonsense_values(orientation, size):
    original = encode(top_red_bottom_blue((400, 200)), "JPEG", exif=phone_exif(orientation))

    assert reopen(process_upload(original).content).size == size


def test_huge_header_is_refused_quickly_without_decoding_pixels(monkeypatch):
    def must_not_decode(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)
    started = time.perf_counter()

    assert rejection(png_header_only(30_000, 30_000)) == "too_many_pixels"
    assert time.perf_counter() - started < 1


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_header_above_the_limit_where_pillow_only_warns_is_refused(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))

    assert rejection(png_header_only(7_000, 7_000)) == "too_many_pixels"  # 49 MP > 40 MP


def test_caller_can_lower_the_pixel_limit():
    assert rejection(encode(Image.new("RGB", (300, 300)), "PNG"), max_pixels=10_000) == (
        "too_many_pixels"
    )


@pytest.mark.parametrize(
    "data",
    [
        "Giấy khai sinh của bà Tư".encode(),  # a text file renamed .jpg
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<html><body>hello</body></html>",
        b"PK\x03\x04" + bytes(100),  # a zip / Word document
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(32),  # a video
        b"BM" + bytes(100),  # BMP: Pillow could read it, but phones never send it
    ],
    ids=["text", "svg", "html", "zip", "mp4", "bmp"],
)
def test_files_that_are_not_photos_are_not_supported(data):
    assert rejection(data) == "not_supported"


def test_truncated_jpeg_is_corrupt():
    whole = encode(noise((800, 600)), "JPEG", quality=90)

    assert rejection(whole[: len(whole) // 2]) == "corrupt"


def test_jpeg_magic_followed_by_garbage_is_corrupt():
    assert rejection(b"\xff\xd8\xff\xe0" + b"garbage" * 50) == "corrupt"


def test_large_photo_shrinks_to_the_target_long_side():
    result = process_upload(encode(Image.new("RGB", (5000, 3000), "white"), "JPEG"))

    assert (result.width, result.height) == (2000, 1200)
    assert reopen(result.content).size == (2000, 1200)


def test_portrait_photo_with_orientation_shrinks_by_its_long_side():
    original = encode(Image.new("RGB", (4000, 3000), "white"), "JPEG", exif=phone_exif(6))

    result = process_upload(original, target_long_side=1000)

    assert (result.width, result.height) == (750, 1000)


def test_small_photo_is_never_enlarged():
    result = process_upload(encode(Image.new("RGB", (800, 600), "white"), "JPEG"))

    assert (result.width, result.height) == (800, 600)


def test_png_with_transparency_becomes_jpeg_on_white():
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))  # transparent *black*
    image.paste((0, 0, 0, 255), (50, 50, 150, 150))

    result = process_upload(encode(image, "PNG"))

    flattened = reopen(result.content).convert("RGB")
    assert result.media_type == "image/jpeg"
    assert is_close(flattened.getpixel((5, 5)), (255, 255, 255), tolerance=3)
    assert is_close(flattened.getpixel((100, 100)), (0, 0, 0), tolerance=3)


@pytest.mark.parametrize(
    ("mode", "color", "expected"),
    [
        ("CMYK", (0, 255, 255, 0), (237, 28, 36)),  # pure "red" ink
        ("L", 128, (128, 128, 128)),
        ("LA", (0, 0), (255, 255, 255)),
        ("1", 1, (255, 255, 255)),
    ],
)
def test_unusual_modes_are_converted(mode, color, expected):
    image_format = "JPEG" if mode in ("CMYK", "L") else "PNG"

    result = process_upload(encode(Image.new(mode, (64, 64), color), image_format))

    pixel = reopen(result.content).convert("RGB").getpixel((32, 32))
    assert is_close(pixel, expected, tolerance=60)


def test_sixteen_bit_grey_png_keeps_its_tones():
    image = Image.new("I;16", (64, 64), 32768)  # mid grey on a 0..65535 scale

    result = process_upload(encode(image, "PNG"))

    assert abs(reopen(result.content).convert("L").getpixel((32, 32)) - 128) <= 3


def test_webp_and_still_gif_are_accepted():
    assert process_upload(encode(Image.new("RGB", (120, 80), "white"), "WEBP")).width == 120
    assert process_upload(encode(Image.new("RGB", (120, 80), "white"), "GIF")).width == 120


def frames() -> list[Image.Image]:
    return [Image.new("RGB", (60, 40), color) for color in ("red", "green", "blue")]


@pytest.mark.parametrize("image_format", ["GIF", "WEBP", "PNG"])
def test_animations_are_refused(image_format):
    first, *rest = frames()

    animation = encode(first, image_format, save_all=True, append_images=rest, duration=100)

    assert rejection(animation) == "animated"


def test_heic_from_an_iphone_is_accepted_and_cleaned():
    original = iphone_heic(top_red_bottom_blue((400, 200)), orientation=6)
    assert original[4:12] == b"ftypheic" and b"irot" in original

    result = process_upload(original)

    upright = reopen(result.content).convert("RGB")
    assert result.media_type == "image/jpeg"
    assert upright.size == (200, 400)
    assert is_close(upright.getpixel((150, 200)), (255, 0, 0), tolerance=60)
    assert len(upright.getexif()) == 0
    assert b"PhoneMaker" not in result.content


def test_truncated_heic_is_corrupt():
    whole = encode(noise((256, 256)), "HEIF", quality=80)

    assert rejection(whole[: len(whole) // 2]) == "corrupt"


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF support")
def test_avif_is_accepted():
    result = process_upload(encode(Image.new("RGB", (120, 80), "white"), "AVIF"))

    assert (result.media_type, result.width, result.height) == ("image/jpeg", 120, 80)


def test_empty_upload():
    assert rejection(b"") == "empty"


def test_over_size_upload_is_refused_before_anything_else():
    assert rejection(b"x" * 1001, max_bytes=1000) == "too_large"
    assert rejection(bytes(15_000_001)) == "too_large"


def test_codes_compare_equal_to_plain_strings():
    with pytest.raises(UploadRejected) as caught:
        process_upload(b"")

    assert caught.value.code is RejectionCode.EMPTY
    assert caught.value.code == "empty"
    assert str(caught.value) == "empty"


QUADRANTS = {"red": (255, 0, 0), "green": (0, 128, 0), "blue": (0, 0, 255),
             "yellow": (255, 255, 0)}


def four_colours(size: tuple[int, int]) -> Image.Image:
    """Red, green / blue, yellow: every turn and every mirror image shows as a different layout."""
    width, height = size
    image = Image.new("RGB", size, "yellow")
    image.paste("red", (0, 0, width // 2, height // 2))
    image.paste("green", (width // 2, 0, width, height // 2))
    image.paste("blue", (0, height // 2, width // 2, height))
    return image


def layout(image: Image.Image) -> list[str]:
    """The colours of the four quadrants, top left, top right, bottom left, bottom right."""
    image = image.convert("RGB")
    width, height = image.size
    corners = [(width // 4, height // 4), (3 * width // 4, height // 4),
               (width // 4, 3 * height // 4), (3 * width // 4, 3 * height // 4)]
    return [next(name for name, rgb in QUADRANTS.items()
                 if is_close(image.getpixel(point), rgb, tolerance=60)) for point in corners]


@pytest.mark.parametrize("orientation", [None, 1, 2, 3, 4, 5, 6, 7, 8])
def test_every_orientation_shows_the_paper_as_the_camera_saw_it(orientation):
    # A paper photographed upright must read left to right, never mirrored: the expected
    # layout is Pillow's own reading of the EXIF tag (None: a photo without one, kept as is).
    picture = four_colours((400, 200))
    options = {} if orientation is None else {"exif": phone_exif(orientation)}
    original = encode(picture, "JPEG", quality=95, **options)

    result = reopen(process_upload(original).content)

    assert layout(result) == layout(ImageOps.exif_transpose(reopen(original)))
    assert result.size == ((200, 400) if orientation in (5, 6, 7, 8) else (400, 200))
    if orientation in (None, 1):
        assert layout(result) == ["red", "green", "blue", "yellow"]


@pytest.mark.parametrize("transparency", [False, True])
def test_a_palette_picture_keeps_its_colours(transparency):
    # A screenshot saved with a palette (GIF, some PNGs): the ink stays its colour, and a
    # transparent background becomes white paper.
    image = Image.new("P", (64, 64), 0)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0, 0, 0] * 254)
    image.paste(1, (16, 16, 48, 48))
    options = {"transparency": 0} if transparency else {}

    pixels = reopen(process_upload(encode(image, "PNG", **options)).content).convert("RGB")

    assert is_close(pixels.getpixel((32, 32)), (200, 30, 30), tolerance=12)
    background = (255, 255, 255) if transparency else (0, 0, 0)
    assert is_close(pixels.getpixel((4, 4)), background, tolerance=12)


def test_a_photo_with_a_colour_profile_is_converted_through_it():
    original = encode(Image.new("RGB", (64, 64), (200, 120, 40)), "JPEG", quality=95,
                      icc_profile=srgb_icc())

    result = process_upload(original)

    assert result.colour == CONVERTED
    assert is_close(reopen(result.content).getpixel((32, 32)), (200, 120, 40), tolerance=6)


@pytest.mark.parametrize("profile", [b"not a colour profile",
                                     ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
                                     .tobytes()], ids=["broken", "for-other-pixels"])
def test_a_photo_whose_profile_cannot_be_applied_is_kept_and_says_so(profile):
    # Kept with plain colours (the paper stays readable) and reported as such, so that the
    # sandbox logs and counts it instead of the conversion failing unnoticed.
    original = encode(Image.new("RGB", (64, 64), (200, 120, 40)), "JPEG", quality=95,
                      icc_profile=profile)

    result = process_upload(original)

    assert result.colour == PROFILE_IGNORED
    assert is_close(reopen(result.content).getpixel((32, 32)), (200, 120, 40), tolerance=6)


def test_a_cmyk_photo_with_a_broken_profile_still_becomes_rgb():
    original = encode(Image.new("CMYK", (64, 64), (0, 255, 255, 0)), "JPEG",
                      icc_profile=b"not a colour profile")

    result = process_upload(original)

    assert result.colour == PROFILE_IGNORED
    assert reopen(result.content).mode == "RGB"
    assert is_close(reopen(result.content).getpixel((32, 32)), (237, 28, 36), tolerance=60)


def test_without_a_profile_nothing_is_converted():
    assert process_upload(encode(Image.new("RGB", (64, 64)), "PNG")).colour == NO_PROFILE
    grey = encode(Image.new("L", (64, 64), 128), "JPEG", icc_profile=srgb_icc())
    assert process_upload(grey).colour == NO_PROFILE  # a grey picture needs no conversion


def test_a_file_dressed_as_a_jpeg_is_never_handed_to_another_decoder():
    # JPEG's first bytes, then a Kodak PhotoCD body: only the decoder of the format the bytes
    # announce may run, or any of Pillow's rarely used decoders could be reached this way.
    disguised = (b"\xff\xd8\xff" + bytes(2045) + b"PCD_IPI" + bytes(2041)
                 + bytes(96 * 2048 + 768 * 512 * 2))
    assert Image.open(io.BytesIO(disguised)).format == "PCD"  # what Pillow alone would do

    assert rejection(disguised) == "corrupt"


def test_a_file_of_exactly_the_size_limit_is_not_refused_as_too_large():
    assert rejection(b"x" * 1000, max_bytes=1000) == "not_supported"  # judged, not too large


def test_a_very_long_thin_picture_keeps_at_least_one_pixel_across():
    # A strip 5000 x 1 shrinks to 2000 x 0.4, which must round up to one pixel, not two.
    result = process_upload(encode(Image.new("RGB", (5000, 1), "white"), "PNG"))

    assert (result.width, result.height) == (2000, 1)


def test_a_thumbnail_is_made_with_the_photo_when_asked():
    # The officer's queue shows the 480 px thumbnail made in the same child as the photo.
    original = encode(four_colours((1600, 800)), "JPEG", exif=phone_exif(6))

    result = process_upload(original, with_thumbnail=True)

    small = reopen(result.thumbnail)
    assert (small.format, small.size) == ("JPEG", (240, 480))
    assert layout(small) == layout(reopen(result.content))
    assert process_upload(original).thumbnail is None


def test_a_damaged_exif_block_counts_as_upright():
    # Pillow refuses this EXIF block when asked for it: the photo is kept as it was taken.
    original = encode(four_colours((400, 200)), "PNG", exif=b"garbage!")
    with pytest.raises(SyntaxError):
        reopen(original).getexif()

    result = reopen(process_upload(original).content)

    assert (result.size, layout(result)) == ((400, 200), ["red", "green", "blue", "yellow"])


@pytest.mark.parametrize("value", [0, 9, 99])
def test_orientation_values_outside_the_eight_of_exif_count_as_upright(value):
    from webapp.uploads.processing import _exif_orientation

    image = reopen(encode(Image.new("RGB", (8, 8)), "JPEG", exif=phone_exif(value)))

    assert _exif_orientation(image) == 1


@pytest.mark.parametrize(("mode", "expected"), [
    ("PA", "RGBA"), ("RGBa", "RGBA"), ("La", "LA"), ("F", "L"), ("I", "L"), ("1", "L"),
    ("P", "RGB"), ("YCbCr", "RGB"), ("HSV", "RGB"), ("RGB", "RGB"), ("LA", "LA"),
])
def test_every_mode_is_brought_to_one_that_resizes_and_keeps_its_transparency(mode, expected):
    # Modes no accepted format decodes to today are covered too: a Pillow or pillow-heif
    # upgrade may start to produce them, and transparency must still become white paper.
    from webapp.uploads.processing import _to_working_mode

    assert _to_working_mode(Image.new(mode, (8, 8))).mode == expected


def test_thirty_two_bit_grey_keeps_its_tones():
    from webapp.uploads.processing import _to_working_mode

    grey = _to_working_mode(Image.new("I", (8, 8), 32768))

    assert (grey.mode, grey.getpixel((4, 4))) == ("L", 128)


def test_a_grey_scan_stays_one_channel_with_or_without_a_profile():
    for options in ({}, {"icc_profile": srgb_icc()}, {"icc_profile": b"broken"}):
        result = process_upload(encode(Image.new("L", (64, 64), 128), "JPEG", **options))

        assert reopen(result.content).mode == "L"  # a third of the bytes of the same in RGB


def test_photos_and_thumbnails_are_stored_at_their_own_jpeg_quality():
    # 82 for the photo an officer reads, 75 for the thumbnail in the queue: the quantisation
    # tables in the file are those of that quality, whatever the phone's quality was.
    picture = noise((640, 480))
    result = process_upload(encode(picture, "JPEG", quality=95), with_thumbnail=True)

    def tables(quality, size):
        return reopen(encode(picture.resize(size), "JPEG", quality=quality)).quantization

    assert reopen(result.content).quantization == tables(82, (640, 480))
    assert reopen(result.thumbnail).quantization == tables(75, (480, 360))


def test_the_smallest_pictures_and_the_pixel_limit_itself_are_accepted():
    assert process_upload(encode(Image.new("RGB", (1, 1), "white"), "PNG")).width == 1
    exactly = encode(Image.new("RGB", (100, 100), "white"), "PNG")
    assert process_upload(exactly, max_pixels=10_000).width == 100  # 10,000 is allowed


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_caller_cannot_raise_the_pixel_limit_past_pillows(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))

    assert rejection(png_header_only(7_000, 7_000), max_pixels=10**9,
                     pixel_caps={"PNG": 10**9}) == "too_many_pixels"


def test_a_photo_a_little_smaller_than_the_target_is_not_enlarged():
    result = process_upload(encode(Image.new("RGB", (1500, 1000), "white"), "JPEG"))

    assert (result.width, result.height) == (1500, 1000)


def test_a_very_tall_thin_picture_keeps_at_least_one_pixel_across():
    result = process_upload(encode(Image.new("RGB", (1, 5000), "white"), "PNG"))

    assert (result.width, result.height) == (1, 2000)
