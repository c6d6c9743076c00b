"""Uploads: safe processing and storage of the photos and PDFs that citizens send from their
phones; the rooms that keep files build their models on `models.StoredFile`."""

from flask import Flask

from webapp.core import housekeeping

from .cli import purge_stray, uploads_cli
from .errors import RejectionCode, UploadRejected
from .processing import (
    ProcessedUpload,
    process_upload,
    random_storage_name,
    sniff_format,
    thumbnail,
)
from .stores import check_settings

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
    """Register the command and the daily removal of stray files (rooms that keep files say
    which are in use through `storage.register_owner`). The folder is made on the first write;
    a store set up wrong stops the app here rather than at a citizen's first photo."""
    check_settings(app.config)
    app.cli.add_command(uploads_cli)
    housekeeping.register(app, "stray upload files", purge_stray)
