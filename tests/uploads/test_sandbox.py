"""Uploads are decoded in a child process whose CPU, memory and time are limited: a hostile file
costs the web worker nothing, and the citizen is told to send another photo."""

from __future__ import annotations

import ctypes
import os
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


def work_for_a_while(data: bytes):
    """Half a second of CPU, as a big photo's decoding takes; then the photo's processing."""
    while sum(os.times()[:2]) < 0.5:
        pass
    return process_upload(data)


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
    ("work", "limits", "stopped_by"),
    [(burn_cpu, sandbox.Limits(cpu_seconds=1), "exit -24"),  # SIGXCPU: the kernel's CPU limit
     (hoard_memory, sandbox.DEFAULT_LIMITS, None),  # a MemoryError in the child, reported
     (hang, sandbox.Limits(deadline_seconds=1.0), "exit -9")],  # killed at the deadline
    ids=["cpu", "memory", "deadline"],
)
def test_work_over_budget_is_stopped_and_refused_as_too_costly(work, limits, stopped_by, caplog):
    """Each limit stops its own kind of work. How long that takes on the wall clock depends on
    how busy the machine is (the child runs at a low priority), except for a child that sleeps:
    the deadline stops it on time whatever the load."""
    started = time.monotonic()

    assert refusal(work=work, limits=limits) == "too_costly"

    refused = [r.getMessage() for r in caplog.records if "ran out of" in r.getMessage()]
    if stopped_by is None:
        assert refused == []
    else:
        assert len(refused) == 1 and f"({stopped_by}," in refused[0]
    if work is hang:
        assert time.monotonic() - started < 15


def test_a_child_still_working_at_the_deadline_is_given_the_time_a_busy_machine_needs():
    """On a busy machine an ordinary photo's child can pass the wall-clock deadline while it
    waits for a CPU; it is runnable, not stuck, so it finishes (its CPU limit still holds)."""
    outcome, cost = sandbox.process_with_cost(
        encode(noise((64, 64)), "PNG"), work=work_for_a_while,
        limits=sandbox.Limits(deadline_seconds=0.05))

    assert outcome.width == 64 and cost.cpu_seconds >= 0.5


def test_a_child_still_working_is_killed_at_the_last_deadline():
    started = time.monotonic()

    assert refusal(work=burn_cpu, limits=sandbox.Limits(
        cpu_seconds=60, deadline_seconds=0.2, busy_machine_seconds=1.0)) == "too_costly"

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
