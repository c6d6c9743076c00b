"""Numbers and money read the way each language writes them."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from flask_babel import force_locale

from webapp.core.i18n import format_money, format_number


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 7, 999, 1000, 1234567, 12.3, 0.04, 98.76, 2345.6789])
@pytest.mark.parametrize("decimals", [0, 1])
def test_numbers_are_written_as_babel_writes_them(app, language, value, decimals):
    pattern = "#,##0" + (".0" if decimals else "")
    with app.test_request_context(), force_locale(language):
        assert format_number(value, decimals) == format_decimal(value, pattern, locale=language)


def test_money_is_in_dong_with_the_languages_marks(app):
    with app.test_request_context():
        with force_locale("vi"):
            assert format_money(1_250_000) == "1.250.000 đồng"
        with force_locale("en"):
            assert format_money(1_250_000) == "1,250,000 dong"
