"""Where the bytes of photos and PDFs live: a folder outside the web root, random names.

Files are only ever served through views that check who is asking. Names are
128 random bits (`random_storage_name`), spread over 256 sub-folders so no folder grows huge.
Writes go to a temporary file first and are renamed into place, so a crash never leaves half a
photo under a real name.

The order is what makes a crash harmless: the file and its thumbnail are written (and made
durable) before the owner's row is inserted, so a row always has its file. A crash between the
two leaves a file that no row names; `remove_stray_files` (run by `flask housekeeping`) deletes
such files, and temporary ones, once they are an hour old. To know which files are in use it
asks every room that keeps files: each registers a function with `register_owner`.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from webapp.core import metrics

from .errors import UploadRejected
from .processing import ProcessedUpload, random_storage_name
from .sandbox import process_in_sandbox

log = logging.getLogger(__name__)

THUMBNAIL_SUFFIX = ".thumb.jpg"
PART_SUFFIX = ".part"
STRAY_AFTER_SECONDS = 3600  # an upload takes seconds; an hour-old file without a row is stray
# A stored file's name, and the names of the copies made from it (thumbnail, turned photo).
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|pdf)")
_DERIVED_NAME = re.compile(r"([0-9a-f]{32})\.(?:thumb|turned\d{1,3})\.jpg")
_OWNERS = "upload_owners"

# Given storage names, a room answers which of them its rows still use.
NamesInUse = Callable[[set[str]], set[str]]


@dataclass(frozen=True)
class StoredUpload:
    """An upload that passed the checks and is on disk under `name`."""

    name: str
    upload: ProcessedUpload


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_for(storage_name: str) -> Path:
    if "/" in storage_name or storage_name.startswith("."):
        raise ValueError("not a storage name")
    return upload_dir() / storage_name[:2] / storage_name


def thumbnail_name(storage_name: str) -> str:
    return storage_name.rsplit(".", 1)[0] + THUMBNAIL_SUFFIX


def save(storage_name: str, content: bytes) -> None:
    """Write the file durably under its name (temporary file, fsync, rename, fsync the folder).
    A write that fails (a full disk) removes its temporary file."""
    target = path_for(storage_name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(target.name + PART_SUFFIX)
    try:
        with open(temporary, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable, so the row inserted next never names a lost file."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read(storage_name: str) -> bytes | None:
    try:
        return path_for(storage_name).read_bytes()
    except FileNotFoundError:
        return None


def delete(storage_name: str) -> None:
    """Remove a file, its thumbnail and turned copies; a file already gone is not an error."""
    stem = storage_name.rsplit(".", 1)[0]
    for copy in path_for(storage_name).parent.glob(f"{stem}.*"):
        copy.unlink(missing_ok=True)


def writable() -> bool:
    """Whether a file can be written in the upload folder now (full disk, lost mount, wrong
    owner all say no): the health check asks it."""
    probe = upload_dir() / f".health-{os.getpid()}"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError:
        return False
    return True


def store_upload(data: bytes) -> StoredUpload:
    """Check, clean (in the sandbox) and store an uploaded photo or PDF, with a thumbnail for
    photos. The caller inserts its row afterwards (see the module's note on crashes).

    Raises UploadRejected (see `messages.REJECTIONS` for what to tell the person).
    """
    try:
        upload = process_in_sandbox(data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
                                    with_thumbnail=True)
    except UploadRejected as rejected:
        metrics.upload_refused(rejected.code.value)
        raise
    name = random_storage_name(upload.extension)
    if upload.thumbnail:  # images only: PDFs show as a document icon
        save(thumbnail_name(name), upload.thumbnail)
    save(name, upload.content)
    return StoredUpload(name, upload)


# --- Stray files ------------------------------------------------------------------------------


def register_owner(app: Flask, names_in_use: NamesInUse) -> None:
    """Called by each room that keeps files in this storage, when the app is built."""
    app.extensions.setdefault(_OWNERS, []).append(names_in_use)


def remove_stray_files(older_than_seconds: float = STRAY_AFTER_SECONDS) -> int:
    """Delete files over an hour old that no room uses (with their copies), and temporary files
    left by a crash or a full disk. Files whose names are not ours are left alone."""
    owners = current_app.extensions.get(_OWNERS)
    if not owners:
        # Without owners every file would look stray: refuse rather than delete everything.
        raise RuntimeError("no room has registered the files it keeps (storage.register_owner)")
    cutoff = time.time() - older_than_seconds
    removed, by_stored_name = 0, {}
    for path in _old_files(cutoff):
        if path.name.endswith(PART_SUFFIX):
            removed += _remove(path)
        elif (stored_name := _stored_name_of(path.name)) is not None:
            by_stored_name.setdefault(stored_name, []).append(path)
    in_use: set[str] = set()
    for names_in_use in owners:
        in_use |= names_in_use(set(by_stored_name))
    for stored_name, paths in by_stored_name.items():
        if stored_name not in in_use:
            removed += sum(_remove(path) for path in paths)
    return removed


def _old_files(cutoff: float) -> Iterator[Path]:
    for path in upload_dir().glob("*/*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                yield path
        except FileNotFoundError:
            continue  # deleted meanwhile


def _stored_name_of(file_name: str) -> str | None:
    if _STORED_NAME.fullmatch(file_name):
        return file_name
    derived = _DERIVED_NAME.fullmatch(file_name)
    return f"{derived.group(1)}.jpg" if derived else None


def _remove(path: Path) -> int:
    path.unlink(missing_ok=True)
    log.info("Removed stray upload file %s", path.name)
    return 1
