"""Languages: Vietnamese first, English complete.

Message ids are written in English; `translations/vi` must translate every one of them (a test
fails otherwise). The visitor's choice lives in the `lang` cookie, so it works without JS and
without an account.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel, get_locale

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
LANG_COOKIE = "lang"


def select_locale() -> str:
    """Pick the language from the cookie; Vietnamese unless the visitor chose English."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The two-letter code of the language of this request."""
    return str(get_locale() or DEFAULT_LANGUAGE)[:2]


# Group and decimal marks per language, as Babel's CLDR data has them ("1.234,5" in Vietnamese,
# "1,234.5" in English). Formatting with them directly is about 30 times faster than Babel's
# format_decimal, which matters on the figures page's tables of a thousand numbers.
_NUMBER_MARKS = {"vi": str.maketrans({",": ".", ".": ","}), "en": str.maketrans({})}


def number_marks() -> dict:
    """The reader's group and decimal marks, for formatting many numbers with one lookup."""
    return _NUMBER_MARKS[current_language()]


def format_number(value: float, decimals: int = 0, marks: dict | None = None) -> str:
    """A number with thousands grouped and `decimals` places, the way the reader's language
    writes it (or as `marks` from `number_marks()` say)."""
    return f"{value:,.{decimals}f}".translate(number_marks() if marks is None else marks)


def format_money(amount: int) -> str:
    """Money the Vietnamese way, in both languages: 20.000 đồng / 20,000 dong."""
    if current_language() == "vi":
        return f"{format_number(amount)} đồng"
    return f"{format_number(amount)} dong"


def localized(content: dict, key: str):
    """Read `key` from a {"vi": {...}, "en": {...}} mapping in the current language."""
    language = current_language()
    return content.get(language, {}).get(key) or content.get(DEFAULT_LANGUAGE, {}).get(key)


def in_language(mapping: dict):
    """Pick the current language's value from a {"vi": ..., "en": ...} mapping."""
    return mapping.get(current_language()) or mapping.get(DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    """Install Flask-Babel and expose the language helpers to templates."""
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        current_language=current_language,
        LANGUAGES=LANGUAGES,
        localized=localized,
        in_language=in_language,
    )
    app.jinja_env.filters["money"] = format_money
