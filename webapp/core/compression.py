"""Compress dynamic responses (HTML, JSON, SVG, CSV) with brotli or gzip.

Older people often browse on slow mobile data; a compressed page arrives several times faster.
Static files are compressed once at start-up instead (see assets.py).
"""

from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

COMPRESSIBLE_PREFIXES = ("text/", "application/json", "image/svg+xml")


def _should_compress(response: Response, min_bytes: int) -> bool:
    return (
        (response.status_code < 300 or response.status_code >= 400)
        and response.status_code != 204
        and not response.direct_passthrough
        and "Content-Encoding" not in response.headers
        and response.mimetype.startswith(COMPRESSIBLE_PREFIXES)
        and response.content_length is not None
        and response.content_length >= min_bytes
    )


def encode(body: bytes, accepted: str, min_bytes: int = 500) -> tuple[bytes, str | None]:
    """`body` compressed as `accepted` (the Accept-Encoding header) allows, and the encoding;
    the body itself and None when the client takes neither or it is too small to gain."""
    if len(body) < min_bytes:
        return body, None
    if "br" in accepted:
        # Quality 5 is the sweet spot for on-the-fly pages: close to gzip -9 in size, much faster.
        return brotli.compress(body, quality=5), "br"
    if "gzip" in accepted:
        return gzip.compress(body, 6), "gzip"
    return body, None


def compress_response(response: Response, min_bytes: int = 500) -> Response:
    """Compress the body in place when the client accepts it and it is worth it."""
    if not _should_compress(response, min_bytes):
        return response
    body, encoding = encode(response.get_data(), request.headers.get("Accept-Encoding", ""),
                            min_bytes)
    if encoding is None:
        return response
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    """Compress every eligible response after it is built."""
    min_bytes = app.config.get("COMPRESS_MIN_BYTES", 500)
    app.after_request(lambda response: compress_response(response, min_bytes))
