"""Photos, PDFs and audio: random names, written before their rows, removed with them.

The bytes live in a store (`stores.py`): a folder outside the web root (`UPLOAD_STORE=local`,
the default) or a private S3 bucket (`UPLOAD_STORE=s3`) shared by several app machines. Every
write, read, deletion and listing of stored files goes through this module, whichever the store.
Files are only ever served through views that check who is asking. Names are 128 random bits
(`random_storage_name`). A file is visible under its real name only once complete (the store's
guarantee), so a crash never leaves half a photo under a real name.

The order is what makes a crash harmless: the file and its thumbnail are written (and made
durable) before the owner's row is inserted, so a row always has its file. A crash between the
two leaves a file that no row names; `remove_stray_files` (run by `flask housekeeping`) deletes
such files, and temporary ones, once they are an hour old. To know which files are in use it
asks every room that keeps files: each registers a function with `register_owner`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from webapp.core import metrics

from .errors import UploadRejected
from .processing import ProcessedUpload, random_storage_name
from .sandbox import process_in_sandbox
from .stores import PART_SUFFIX, Opened, Store, store_for

log = logging.getLogger(__name__)

THUMBNAIL_SUFFIX = ".thumb.jpg"
STRAY_AFTER_SECONDS = 3600  # an upload takes seconds; an hour-old file without a row is stray
clock = time.time  # what "now" is for stray files (tests of the object store move it on)
# A stored file's name (photos, PDFs, news audio), and the names of the copies made from it
# (thumbnail, turned photo).
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|pdf|webm|mp3)")
_DERIVED_NAME = re.compile(r"([0-9a-f]{32})\.(?:thumb|turned\d{1,3})\.jpg")
_OWNERS = "upload_owners"

# Given storage names, a room answers which of them its rows still use.
NamesInUse = Callable[[set[str]], set[str]]


@dataclass(frozen=True)
class StoredUpload:
    """An upload that passed the checks and is stored under `name`."""

    name: str
    upload: ProcessedUpload


def store() -> Store:
    return store_for(current_app)


def thumbnail_name(storage_name: str) -> str:
    return storage_name.rsplit(".", 1)[0] + THUMBNAIL_SUFFIX


def save(storage_name: str, content: bytes) -> None:
    """Write the file durably under its name; when this returns, a row may name it."""
    store().put(storage_name, content)


def read(storage_name: str) -> bytes | None:
    opened = store().open(storage_name)
    if opened is None:
        return None
    try:
        return b"".join(opened.chunks)
    finally:
        opened.close()


def open_file(storage_name: str) -> Opened | None:
    """The file to stream to a browser (close it when sent), or None when it is not there."""
    return store().open(storage_name)


def exists(storage_name: str) -> bool:
    opened = store().open(storage_name)
    if opened is not None:
        opened.close()
    return opened is not None


def delete(storage_name: str) -> None:
    """Remove a file, its thumbnail and turned copies; a file already gone is not an error."""
    where = store()
    for name in where.family(storage_name.rsplit(".", 1)[0]):
        where.remove(name)


def health() -> str:
    """"ok", or what is wrong with the store now: "not_writable" (the folder: a full disk, a
    lost mount, a wrong owner) or "unreachable" (the object store, or its key pair refused)."""
    return store().health()


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
    where = store()
    removed, by_stored_name = 0, {}
    for name in _old_names(where, clock() - older_than_seconds):
        if name.endswith(PART_SUFFIX):
            removed += _remove(where, name)
        elif (stored_name := _stored_name_of(name)) is not None:
            by_stored_name.setdefault(stored_name, []).append(name)
    in_use: set[str] = set()
    for names_in_use in owners:
        in_use |= names_in_use(set(by_stored_name))
    for stored_name, names in by_stored_name.items():
        if stored_name not in in_use:
            removed += sum(_remove(where, name) for name in names)
    return removed


def _old_names(where: Store, cutoff: float) -> list[str]:
    """Names of files written before `cutoff` (the object store lists by prefix, with each
    object's LastModified)."""
    return [name for name, modified in where.listing() if modified < cutoff]


def is_storage_name(file_name: str) -> bool:
    """A stored file's name or one of its copies (thumbnail, turned photo): ours to manage."""
    return _stored_name_of(file_name) is not None


def _stored_name_of(file_name: str) -> str | None:
    if _STORED_NAME.fullmatch(file_name):
        return file_name
    derived = _DERIVED_NAME.fullmatch(file_name)
    return f"{derived.group(1)}.jpg" if derived else None


def _remove(where: Store, name: str) -> int:
    where.remove(name)
    log.info("Removed stray upload file %s", name)
    return 1
