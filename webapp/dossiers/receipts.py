"""The receipt's QR code, drawn on the server as SVG (no script, no image request)."""

from __future__ import annotations

import segno
from flask import current_app
from markupsafe import Markup

EXAMPLE_BODY = "7K4-Q2M9"


def qr_svg(data: str) -> Markup:
    """An inline SVG QR code of `data`, black on white even in dark mode, hidden from readers.

    Screen readers get the code in words beside it; the picture is for the phone's camera at
    the one-stop shop (it opens the status look-up with the code filled in).
    """
    qr = segno.make(data, error="m")
    svg = qr.svg_inline(scale=4, border=3, omitsize=True, svgclass="qr-code", lineclass=None,
                        dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def example_code() -> str:
    """A code shaped like real ones, for hints."""
    return f"{current_app.config['DOSSIER_CODE_PREFIX']}-{EXAMPLE_BODY}"
