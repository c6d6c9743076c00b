"""Template globals and filters shared by every page: display preferences, dates, numbers."""

from __future__ import annotations

import datetime as dt

import jinja2
from flask import Flask, request
from flask_babel import format_datetime, to_user_timezone

from webapp.core.links import external_here
from webapp.core.webview import in_zalo, zalo_theme

TEXT_SIZES = ("a", "a1", "a2")  # A, A+, A++ = 20, 24, 28 px body text
TEXT_COOKIE, CONTRAST_COOKIE = "text", "contrast"


def display_preferences() -> dict:
    """The visitor's text size and contrast choice, read from their cookies."""
    size = request.cookies.get(TEXT_COOKIE, "a")
    return {
        "text_size": size if size in TEXT_SIZES else "a",
        "high_contrast": request.cookies.get(CONTRAST_COOKIE) == "high",
    }


def html_classes() -> str:
    """Classes on <html> that switch text size and contrast in the stylesheet."""
    prefs = display_preferences()
    classes = [f"text-{prefs['text_size']}"]
    if prefs["high_contrast"]:
        classes.append("contrast-high")
    theme = zalo_theme()  # Zalo's own light/dark choice wins over the phone's setting
    if theme:
        classes.append(f"theme-{theme}")
    return " ".join(classes)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """Dates the Vietnamese way, 24/11/2026, in both languages (people read papers like that)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_user_timezone(value).date()
    return value.strftime("%d/%m/%Y")


def format_time(value: dt.datetime) -> str:
    """Local time as 14:05 on 24/11/2026."""
    return format_datetime(value, "HH:mm dd/MM/yyyy")


def group_digits(value: str, groups: tuple[int, ...] = (4, 3, 3)) -> str:
    """Show a phone number in groups: 0912 345 678; free and paid lines as 1800 1096."""
    digits, parts, start = str(value), [], 0
    if len(digits) == 8 and digits[:4] in ("1800", "1900"):
        groups = (4, 4)
    for size in groups:
        if start >= len(digits):
            break
        parts.append(digits[start:start + size])
        start += size
    if start < len(digits):
        parts.append(digits[start:])
    return " ".join(parts)


def init_app(app: Flask) -> None:
    """Register globals and filters; undefined variables fail loudly in tests."""
    if app.testing:
        app.jinja_env.undefined = jinja2.StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(display_preferences=display_preferences, html_classes=html_classes,
                                 in_zalo=in_zalo, external_here=external_here)
    app.jinja_env.filters.update(date=format_date, time=format_time, digits=group_digits)
