"""Uploads: safe processing and storage of the photos and PDFs that citizens send from their
phones; the rooms that keep files build their models on `models.StoredFile`."""

from pathlib import Path

from flask import Flask

from webapp.core import housekeeping

from .errors import RejectionCode, UploadRejected
from .processing import (
    ProcessedUpload,
    process_upload,
    random_storage_name,
    sniff_format,
    thumbnail,
)

__all__ = [
    "ProcessedUpload",
    "RejectionCode",
    "UploadRejected",
    "process_upload",
    "random_storage_name",
    "sniff_format",
    "thumbnail",
]


def init_app(app: Flask) -> None:
    """Make sure the folder for files exists before the first one arrives; register the command
    and the daily removal of stray files (rooms that keep files say which are in use through
    `storage.register_owner`)."""
    from .cli import purge_stray, uploads_cli

    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    app.cli.add_command(uploads_cli)
    housekeeping.register(app, "stray upload files", purge_stray)
