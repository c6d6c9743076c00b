"""Uploads: safe processing and storage of the photos and PDFs that citizens send from their
phones; the rooms that keep files build their models on `models.StoredFile`."""

from pathlib import Path

from flask import Flask

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
    """Make sure the folder for files exists before the first one arrives."""
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
