"""The phone's location of a report, with her consent (issue 13: "the phone's location only
with consent").

The place page (`dia-diem`) has a "Dùng vị trí hiện tại" button, shown only where JavaScript
runs (without it the landmark in words is enough). The browser is asked for the position only
when she taps it, after the page has said why and who sees it; the script then fills three
hidden fields: the latitude, the longitude and `location_consent=yes`. The server keeps a
position only with that consent and only rounded to DECIMALS places (about 11 m: enough to find
a pothole, not a house's door), and never shows it publicly: the public page shows the commune
and her landmark in words, as before. The page itself allows geolocation in its
Permissions-Policy; every other page keeps `geolocation=()`.

Never on a kiosk of a one-stop shop: its position is the office's, not the problem's.
"""

from __future__ import annotations

import math

from webapp.core.kiosk import on_kiosk

DECIMALS = 4
CONSENT = "yes"
PERMISSIONS_POLICY = "geolocation=(self), microphone=(), camera=(self)"


def offered() -> bool:
    """Whether the place page offers the phone's location: on her phone, not on a kiosk."""
    return not on_kiosk()


def _coordinate(raw: str, limit: float) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or abs(value) > limit:
        return None
    return round(value, DECIMALS)


def from_form(form) -> dict | None:
    """What the place page's fields say of the location: {"latitude", "longitude"} rounded
    when she agreed and the phone gave a valid position; {} when she asked to forget it;
    None when nothing was said (keep what the draft has)."""
    if form.get("forget_location") == CONSENT:
        return {}
    if form.get("location_consent") != CONSENT:
        return None
    latitude = _coordinate(form.get("latitude", ""), 90)
    longitude = _coordinate(form.get("longitude", ""), 180)
    if latitude is None or longitude is None:
        return None
    return {"latitude": latitude, "longitude": longitude}


def map_link(report) -> str | None:
    """An OpenStreetMap link to the rounded position, for the commune's officers."""
    if report.latitude is None or report.longitude is None:
        return None
    return (f"https://www.openstreetmap.org/?mlat={report.latitude:.4f}"
            f"&mlon={report.longitude:.4f}#map=18/{report.latitude:.4f}/{report.longitude:.4f}")
