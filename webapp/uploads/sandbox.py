"""Each upload is decoded in a child process of its own, with CPU, memory and time limits.

Why: a 154 KB PNG of one colour unpacks to 159 MB of pixels and cost 3.5 s of CPU; six at once
kept every web worker busy for a minute and got two killed by gunicorn's timeout. Pixel limits
alone cannot bound that (a file under any limit can still be expensive), so the work goes where
the kernel can bound it:

- a child forked from a small server process that has already imported Pillow, pillow-heif and
  pikepdf (multiprocessing's forkserver: a few milliseconds a child, no state of the web worker
  inherited), so nothing a file does can touch the worker, its database connection or its memory;
- RLIMIT_CPU of 2 s (the kernel kills the child), RLIMIT_DATA of 256 MB (allocations fail: a
  MemoryError), no files written, a lower priority than web requests (nice 10), and a wall-clock
  deadline after which a child that waits instead of working is killed (one still working gets
  longer on a busy machine: its CPU limit bounds it already);
- at most SLOTS children at a time per web process; a request waiting for a slot waits in its own
  thread (gunicorn runs threaded workers, gunicorn.conf.py), so other visitors are not held up,
  and it gives up after QUEUE_SECONDS with a "try again" message rather than pile up.

A child that runs out of CPU, memory or time means the file costs more than a photo of a paper
may: the citizen is told to take a new photo (RejectionCode.TOO_COSTLY).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection

from .errors import RejectionCode, UploadRejected
from .processing import PROFILE_IGNORED, ProcessedUpload, process_upload

log = logging.getLogger(__name__)

SLOTS = 2
QUEUE_SECONDS = 30.0
CHILD_NICENESS = 10

# The forkserver imports these once; every child is forked from it with them loaded.
_PRELOAD = ["webapp.uploads.processing"]
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(_PRELOAD)
_slots = threading.BoundedSemaphore(SLOTS)
_OUT_OF_BUDGET = {-signal.SIGXCPU, -signal.SIGKILL}


@dataclass(frozen=True)
class Limits:
    """What one child may spend (the budgets of issue 10: 2 s of CPU and 256 MB per upload)."""

    cpu_seconds: int = 2  # RLIMIT_CPU counts whole seconds
    memory_bytes: int = 256 * 1024 * 1024
    deadline_seconds: float = 20.0  # wall clock: 2 s of CPU even when sharing cores at nice 10
    # A child still working at the deadline (runnable: it wants the CPU a busy machine is not
    # giving it) is not stuck, and its CPU limit already bounds its cost; it gets up to this
    # long in all before it is killed, so a busy machine does not refuse ordinary photos.
    busy_machine_seconds: float = 60.0


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Cost:
    """What one upload cost its child process (logged, and reported by the benchmarks)."""

    cpu_seconds: float
    peak_memory_bytes: int


def start() -> None:
    """Start the fork server now (about a second of imports) rather than on the first upload."""
    forkserver.ensure_running()


def process_in_sandbox(data: bytes, **options) -> ProcessedUpload:
    """Run `process_upload(data, **options)` in a limited child; raise UploadRejected."""
    processed, _cost = process_with_cost(data, **options)
    return processed


def process_with_cost(
    data: bytes, limits: Limits = DEFAULT_LIMITS, work: Callable = process_upload, **options
) -> tuple[ProcessedUpload, Cost]:
    """The same, also returning what the child spent. `work` is what the child runs, a module
    level function that the child imports by name (tests pass misbehaving ones)."""
    if not _slots.acquire(timeout=QUEUE_SECONDS):
        raise UploadRejected(RejectionCode.BUSY)
    try:
        outcome, cost = _run_child(work, data, options, limits)
    finally:
        _slots.release()
    if isinstance(outcome, RejectionCode):
        raise UploadRejected(outcome)
    if outcome.colour == PROFILE_IGNORED:
        _count_profile_fallback()
    return outcome, cost


class _Fallbacks:
    """Photos kept with their colour profile ignored, since this process started (/healthz)."""

    profile_ignored = 0


def _count_profile_fallback() -> None:
    """A photo whose embedded colour profile could not be applied was kept with plain colours:
    logged and counted, so that a broken colour conversion shows instead of passing unnoticed."""
    _Fallbacks.profile_ignored += 1
    log.warning("Upload kept without its colour profile: the profile could not be applied "
                "(%d time(s) since this process started)", _Fallbacks.profile_ignored)


def health() -> dict:
    """For /healthz: how many photos were kept with their colour profile ignored."""
    return {"colour_profile_ignored": _Fallbacks.profile_ignored}


def _run_child(
    work: Callable, data: bytes, options: dict, limits: Limits
) -> tuple[ProcessedUpload | RejectionCode, Cost]:
    receiver, sender = _context.Pipe(duplex=False)
    child = _context.Process(target=_child_main, args=(sender, work, data, options, limits),
                             daemon=True)
    began = time.monotonic()
    child.start()
    sender.close()
    try:
        message = _receive(receiver, child, began + limits.deadline_seconds,
                           began + max(limits.deadline_seconds, limits.busy_machine_seconds))
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if message is None:
        return _failed(child.exitcode, time.monotonic() - began), Cost(0.0, 0)
    kind, value, cost = message
    return (RejectionCode(value) if kind == "rejected" else value), cost


def _receive(receiver: Connection, child, deadline: float, last_deadline: float) -> tuple | None:
    """The child's one message, or None if it died or ran past the deadline (then killed).
    Past the deadline, a child that is still runnable is waited for a second at a time, up to
    `last_deadline`; one that sleeps or waits on anything else is killed at once."""
    try:
        while not receiver.poll(max(0.0, deadline - time.monotonic())):
            if time.monotonic() >= last_deadline or not _runnable(child.pid):
                child.kill()
                return None
            deadline = min(last_deadline, time.monotonic() + 1.0)
        return receiver.recv()
    except (EOFError, OSError):
        return None


def _runnable(pid: int | None) -> bool:
    """Whether the process is running or waiting for a CPU (Linux's /proc; elsewhere: no)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # "pid (name) state ...": the name may hold spaces, so read after its last ")"
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"R"
    except (OSError, IndexError):
        return False


def _failed(exitcode: int | None, seconds: float) -> RejectionCode:
    if exitcode in _OUT_OF_BUDGET:
        log.warning("Upload refused: its decoding ran out of CPU, memory or time (exit %s, %.1f s)",
                    exitcode, seconds)
        return RejectionCode.TOO_COSTLY
    # A decoder that crashed on a damaged file, or a bug of ours: the file cannot be read.
    log.error("Upload refused: the decoding process failed (exit %s)", exitcode)
    return RejectionCode.CORRUPT


def _child_main(
    sender: Connection, work: Callable, data: bytes, options: dict, limits: Limits
) -> None:
    """In the child: limit this process, do the work, send back one message."""
    _limit_this_process(limits)
    try:
        message = ("ok", work(data, **options))
    except UploadRejected as rejected:
        message = ("rejected", rejected.code.value)
    except MemoryError:
        message = ("rejected", RejectionCode.TOO_COSTLY.value)
    sender.send((*message, _own_cost()))
    sender.close()


def _limit_this_process(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(CHILD_NICENESS)
    import pillow_heif

    # libheif's decoding threads would each reserve stack and a malloc arena of address space.
    pillow_heif.options.DECODE_THREADS = 1


def _own_cost() -> Cost:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return Cost(usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)
