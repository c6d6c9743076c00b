"""Why an upload was refused, as codes that the UI layer turns into translated sentences."""

from enum import StrEnum


class RejectionCode(StrEnum):
    """Stable snake_case reasons for refusing an upload (for the UI, logs and metrics)."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_SUPPORTED = "not_supported"
    CORRUPT = "corrupt"
    TOO_MANY_PIXELS = "too_many_pixels"
    ANIMATED = "animated"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_ACTIVE_CONTENT = "pdf_active_content"
    TOO_COSTLY = "too_costly"  # decoding ran out of the sandbox's CPU, memory or time
    BUSY = "busy"  # every decoding slot stayed taken for too long: try again in a moment
    STORE_UNAVAILABLE = "store_unavailable"  # the object store did not answer: try again later


class UploadRejected(Exception):
    """Raised when an upload must be refused; `code` says why."""

    def __init__(self, code: RejectionCode) -> None:
        super().__init__(code.value)
        self.code = code
