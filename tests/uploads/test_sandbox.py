"""Uploads are decoded in a child process whose CPU, memory and time are limited: a hostile file
costs the web worker nothing, and the citizen is told to send another photo."""

from __future__ import annotations

import ctypes
import threading
import time

import pytest
from PIL import Image

from tests.waiting import wait_until
from webapp.uploads import UploadRejected, process_upload, sandbox
from webapp.uploads.processing import MAX_PIXELS_BY_FORMAT

from .builders import encode, noise, srgb_icc

NO_CAPS = dict.fromkeys(MAX_PIXELS_BY_FORMAT, 40_000_000)


def hostile_png() -> bytes:
    """The file of issue 10: 6300x6300, one colour, RGBA, about 160 KB."""
    return encode(Image.new("RGBA", (6300, 6300), (200, 30, 30, 255)), "PNG")


def refusal(data: bytes = b"x", **options) -> str:
    with pytest.raises(UploadRejected) as caught:
        sandbox.process_with_cost(data, **options)
    return caught.value.code


# Misbehaving work for the child, imported there by name.
def burn_cpu(_data: bytes) -> None:
    while True:
        pass


def hang(_data: bytes) -> None:
    time.sleep(3600)


def hoard_memory(_data: bytes) -> None:
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))


def crash(_data: bytes) -> None:
    ctypes.string_at(0)  # a segmentation fault, as a broken decoder would have


def test_a_photo_is_cleaned_in_the_sandbox_as_it_would_be_in_process():
    photo = encode(noise((1600, 1200)), "JPEG")

    processed, cost = sandbox.process_with_cost(photo, with_thumbnail=True)

    assert processed.content == process_upload(photo).content
    assert processed.thumbnail and processed.thumbnail.startswith(b"\xff\xd8")
    assert 0 < cost.cpu_seconds < 2 and 0 < cost.peak_memory_bytes < 256 * 1024 * 1024


def test_a_photo_kept_without_its_colour_profile_is_logged_and_counted_for_healthz(
        app, caplog, monkeypatch):
    # The fallback keeps the photo, so nothing else would show that colour conversion broke.
    monkeypatch.setattr(sandbox._Fallbacks, "profile_ignored", 0)
    photo = encode(Image.new("RGB", (64, 64), "white"), "JPEG", icc_profile=b"broken")
    good = encode(Image.new("RGB", (64, 64), "white"), "JPEG", icc_profile=srgb_icc())

    with caplog.at_level("WARNING", logger="webapp.uploads.sandbox"):
        sandbox.process_in_sandbox(good)
        sandbox.process_in_sandbox(photo)
        sandbox.process_in_sandbox(photo)

    assert [record.getMessage() for record in caplog.records] == [
        "Upload kept without its colour profile: the profile could not be applied "
        f"({count} time(s) since this process started)" for count in (1, 2)]
    health = app.test_client().get("/healthz").json
    assert health["upload_processing"] == {"colour_profile_ignored": 2}


def test_a_refusal_in_the_child_reaches_the_caller():
    assert refusal(b"") == "empty"
    assert refusal(b"not an image") == "not_supported"


def test_the_hostile_png_is_refused_at_once_by_the_png_pixel_cap():
    hostile = hostile_png()
    own_cpu = time.process_time()

    started = time.monotonic()
    assert refusal(hostile) == "too_many_pixels"

    assert time.monotonic() - started < 2
    assert time.process_time() - own_cpu < 0.5  # the web worker itself decoded nothing


def test_without_the_pixel_cap_the_hostile_png_is_stopped_by_the_memory_limit():
    assert refusal(hostile_png(), pixel_caps=NO_CAPS) == "too_costly"


def test_the_largest_png_allowed_fits_the_budget():
    side = int(MAX_PIXELS_BY_FORMAT["PNG"] ** 0.5)
    worst = encode(Image.new("RGBA", (side, side), (200, 30, 30, 255)), "PNG")

    _processed, cost = sandbox.process_with_cost(worst)

    assert cost.cpu_seconds < 2 and cost.peak_memory_bytes < 256 * 1024 * 1024


@pytest.mark.parametrize(
    ("work", "limits"),
    [(burn_cpu, sandbox.Limits(cpu_seconds=1)),
     (hoard_memory, sandbox.DEFAULT_LIMITS),
     (hang, sandbox.Limits(deadline_seconds=1.0))],
    ids=["cpu", "memory", "deadline"],
)
def test_work_over_budget_is_stopped_and_refused_as_too_costly(work, limits):
    started = time.monotonic()

    assert refusal(work=work, limits=limits) == "too_costly"

    assert time.monotonic() - started < 15


def test_a_crashing_decoder_is_refused_as_damaged_and_the_worker_lives_on():
    assert refusal(work=crash) == "corrupt"
    assert sandbox.process_in_sandbox(encode(noise((64, 64)), "PNG")).width == 64


def test_uploads_wait_for_a_free_slot_and_give_up_when_none_frees(monkeypatch):
    monkeypatch.setattr(sandbox, "_slots", threading.BoundedSemaphore(1))
    monkeypatch.setattr(sandbox, "QUEUE_SECONDS", 0.5)
    slow = threading.Thread(target=refusal, kwargs={
        "work": hang, "limits": sandbox.Limits(deadline_seconds=3.0)})
    slow.start()
    wait_until(lambda: sandbox._slots._value == 0, what="the slow upload holding the slot")

    try:
        assert refusal(encode(noise((64, 64)), "PNG")) == "busy"
    finally:
        slow.join()
    assert sandbox.process_in_sandbox(encode(noise((64, 64)), "PNG")).width == 64
