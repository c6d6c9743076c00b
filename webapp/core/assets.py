"""Static files with fingerprinted names, long cache lifetimes and precompressed bodies.

At start-up every file under `static/` is read once, hashed and compressed (gzip and brotli).
Pages link to `/static/<name>.<hash>.<ext>`; because the name changes whenever the content does,
browsers may keep a file for a year. Serving from memory keeps the static path as fast as the
tests of the latency budget assume.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request, url_for

from webapp.config import PROJECT_ROOT
from webapp.core import links

STATIC_DIR = PROJECT_ROOT / "static"
ONE_YEAR = 31_536_000
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "text/plain", "application/manifest+json", "image/x-icon"}


@dataclass(frozen=True)
class Asset:
    logical_name: str
    hashed_name: str
    media_type: str
    raw: bytes
    gzip: bytes | None
    brotli: bytes | None


def _hashed_name(logical: str, digest: str) -> str:
    stem, dot, ext = logical.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{logical}.{digest}"


def _load_asset(path: Path) -> Asset:
    logical = path.relative_to(STATIC_DIR).as_posix()
    raw = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compress = media_type in COMPRESSIBLE or media_type.startswith("text/")
    return Asset(
        logical_name=logical,
        hashed_name=_hashed_name(logical, hashlib.sha256(raw).hexdigest()[:12]),
        media_type=media_type,
        raw=raw,
        gzip=gzip.compress(raw, 9, mtime=0) if compress else None,
        brotli=brotli.compress(raw, quality=11) if compress else None,
    )


@functools.lru_cache(maxsize=4)
def load_manifest(static_dir: Path = STATIC_DIR) -> dict[str, Asset]:
    """Read every static file once per process; map logical and hashed names to the asset."""
    manifest: dict[str, Asset] = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.suffix not in {".md"}:
            asset = _load_asset(path)
            manifest[asset.logical_name] = asset
            manifest[asset.hashed_name] = asset
    return manifest


def _choose_body(asset: Asset) -> tuple[bytes, str | None]:
    accepted = request.headers.get("Accept-Encoding", "")
    if asset.brotli is not None and "br" in accepted:
        return asset.brotli, "br"
    if asset.gzip is not None and "gzip" in accepted:
        return asset.gzip, "gzip"
    return asset.raw, None


def serve_static(filename: str) -> Response:
    """Serve a static file; fingerprinted names are cached for a year, others must revalidate."""
    asset = current_app.extensions["assets"].get(filename)
    if asset is None:
        abort(404)
    body, encoding = _choose_body(asset)
    response = Response(body, mimetype=asset.media_type)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    immutable = filename == asset.hashed_name
    response.headers["Cache-Control"] = (
        f"public, max-age={ONE_YEAR}, immutable" if immutable else "public, max-age=300"
    )
    response.set_etag(asset.hashed_name)
    return response.make_conditional(request)


def asset_url(logical_name: str) -> str:
    """URL of the fingerprinted copy of a static file, for templates."""
    asset = current_app.extensions["assets"][logical_name]
    return url_for("static", filename=asset.hashed_name)


def external_asset_url(logical_name: str) -> str:
    """The public address of a static file, for what other apps fetch (a shared link's picture)."""
    asset = current_app.extensions["assets"][logical_name]
    return links.external("static", filename=asset.hashed_name)


def init_app(app: Flask) -> None:
    """Load the manifest and register the static route and the `asset_url` template global."""
    app.extensions["assets"] = load_manifest()
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)
    app.add_url_rule(
        "/favicon.ico", endpoint="favicon", view_func=lambda: serve_static("favicon.ico")
    )
    app.jinja_env.globals.update(asset_url=asset_url, external_asset_url=external_asset_url)
