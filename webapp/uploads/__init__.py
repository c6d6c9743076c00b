"""Uploads: safe processing of photos and PDFs of papers that citizens send from their phones."""

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
