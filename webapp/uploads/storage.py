"""Where the bytes of photos and PDFs live: a folder outside the web root, random names.

Files are only ever served through views that check who is asking. Names are
128 random bits (`random_storage_name`), spread over 256 sub-folders so no folder grows huge.
Writes go to a temporary file first and are renamed into place, so a crash never leaves half a
photo under a real name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from .processing import ProcessedUpload, process_upload, random_storage_name, thumbnail

THUMBNAIL_SUFFIX = ".thumb.jpg"


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
    """Write the file durably under its name (temporary file, fsync, rename)."""
    target = path_for(storage_name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(target.name + ".part")
    with open(temporary, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def read(storage_name: str) -> bytes | None:
    try:
        return path_for(storage_name).read_bytes()
    except FileNotFoundError:
        return None


def delete(storage_name: str) -> None:
    """Remove a file and its thumbnail; a file already gone is not an error."""
    for name in (storage_name, thumbnail_name(storage_name)):
        path_for(name).unlink(missing_ok=True)


def store_upload(data: bytes) -> StoredUpload:
    """Check, clean and store an uploaded photo or PDF, with a thumbnail for photos.

    Raises UploadRejected (see `messages.REJECTIONS` for what to tell the person).
    """
    upload = process_upload(data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
    name = random_storage_name(upload.extension)
    save(name, upload.content)
    if upload.width:  # images only: PDFs show as a document icon
        save(thumbnail_name(name), thumbnail(upload.content))
    return StoredUpload(name, upload)
