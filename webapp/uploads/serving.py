"""The one way a stored file goes back to a browser, for every view that has checked who asks.

- `Cache-Control: private, no-store`: papers are personal data; no browser or proxy keeps a copy.
- `X-Content-Type-Options: nosniff` and the stored media type: the bytes are never re-guessed.
- `Content-Security-Policy: sandbox; default-src 'none'`: whatever a file is, if a browser renders
  it as a page it runs no script, submits nothing and has no access to the app's origin.
- PDFs are sent as downloads (`Content-Disposition: attachment`): officers read them in their PDF
  reader, and the file was rewritten without scripts (pdf_inspection). Photos are shown inline:
  they are JPEGs the app itself encoded.
- A PDF has no thumbnail: asking for one is a 404, never the PDF's bytes labelled as a picture.
"""

from __future__ import annotations

from flask import Response, abort

from . import storage
from .processing import JPEG_MEDIA_TYPE

FILE_POLICY = "sandbox; default-src 'none'"


def stored_file_response(
    storage_name: str,
    media_type: str,
    *,
    small: bool = False,
    content: bytes | None = None,
    download_name: str = "giay-to",
) -> Response:
    """The response for a stored file (its thumbnail when `small`; `content` if the caller
    already made a copy, such as a turned photo); 404 when there is nothing to send."""
    is_image = media_type == JPEG_MEDIA_TYPE
    if small and not is_image:
        abort(404)
    if content is None:
        content = storage.read(storage.thumbnail_name(storage_name) if small else storage_name)
    if content is None:
        abort(404)
    response = Response(content, mimetype=media_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    filename = f"{download_name}.{storage_name.rsplit('.', 1)[-1]}"
    disposition = "inline" if is_image else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
