"""The one way a stored file goes back to a browser, for every view that has checked who asks.

- `Cache-Control: private, no-store`: papers are personal data; no browser or proxy keeps a copy.
- `X-Content-Type-Options: nosniff` and the stored media type: the bytes are never re-guessed.
- `Content-Security-Policy: sandbox; default-src 'none'`: whatever a file is, if a browser renders
  it as a page it runs no script, submits nothing and has no access to the app's origin.
- PDFs are sent as downloads (`Content-Disposition: attachment`): officers read them in their PDF
  reader, and the file was rewritten without scripts (pdf_inspection). Photos are shown inline:
  they are JPEGs the app itself encoded.
- The bytes come from the store (a folder or a private bucket) through the app, never from a
  link to the store: the access rules stay in the views.
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
        response = streamed(storage.thumbnail_name(storage_name) if small else storage_name,
                            media_type)
    else:
        response = Response(content, mimetype=media_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    filename = f"{download_name}.{storage_name.rsplit('.', 1)[-1]}"
    disposition = "inline" if is_image else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def streamed(storage_name: str, media_type: str) -> Response:
    """A stored file sent in chunks as the store gives them (the whole file is never held in
    memory), with its length; 404 when it is not there. (`make_conditional` on it answers
    Range requests, reading past the skipped bytes.)"""
    opened = storage.open_file(storage_name)
    if opened is None:
        abort(404)
    response = Response(opened.chunks, mimetype=media_type, direct_passthrough=True)
    response.content_length = opened.size
    response.call_on_close(opened.close)
    return response
