"""Tests for mobile numbers: what people type, what is refused and why, the output forms.
(Moved from tests/accounts/test_identity.py with the module, webapp/core/phones.py.)"""

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from webapp.core.phones import (
    MOBILE_PREFIXES,
    InvalidPhone,
    convert_old_mobile,
    format_for_display,
    mask_phone,
    mobile_operator,
    normalize_mobile,
    to_e164,
    to_msisdn,
)


def _is_vn_mobile(local: str) -> bool:
    parsed = phonenumbers.parse(local, "VN")
    return (
        phonenumbers.is_valid_number_for_region(parsed, "VN")
        and phonenumbers.number_type(parsed) == PhoneNumberType.MOBILE
    )


# --- mobile numbers -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(0912) 345 678",
        "+84912345678",
        "+84 912 345 678",
        "+84 (0) 912 345 678",
        "0084 912 345 678",
        "84912345678",
        "840912345678",
        "912345678",
        " 0912345678\u00a0",
        "０９１２３４５６７８",  # full-width digits from some phone keyboards
    ],
)
def test_accepted_spellings(raw):
    assert normalize_mobile(raw) == "0912345678"


def test_nine_digit_vinaphone_starting_with_84_is_not_mistaken_for_country_code():
    assert normalize_mobile("842345678") == "0842345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (" - . ", "empty"),
        ("0912abc678", "not_digits"),
        ("09123456７8x", "not_digits"),
        ("0912+345678", "not_digits"),
        ("091234567", "wrong_length"),
        ("09123456789", "wrong_length"),
        ("01668123456", "wrong_length"),  # pre-2018 11-digit mobile
        ("0276 3822 111", "landline"),  # Tây Ninh landline
        ("02723 822 111", "landline"),  # Long An landline
        ("+84 28 3822 1111", "landline"),  # Hồ Chí Minh City
        ("024 3822 1111", "landline"),
        ("0212345678", "landline"),
        ("0112345678", "unknown_prefix"),
        ("0412345678", "unknown_prefix"),
        ("0612345678", "unknown_prefix"),
        ("0952345678", "unknown_prefix"),  # S-Fone, closed
        ("+1 650 253 0000", "unknown_prefix"),
        ("+33 1 23 45 67 89", "unknown_prefix"),
    ],
)
def test_rejections(raw, code):
    with pytest.raises(InvalidPhone) as error:
        normalize_mobile(raw)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("number", "operator"),
    [
        ("0321234567", "viettel"),
        ("0867654321", "viettel"),
        ("0981234567", "viettel"),
        ("0812345678", "vinaphone"),
        ("0886543210", "vinaphone"),
        ("0941234567", "vinaphone"),
        ("0701234567", "mobifone"),
        ("0771234567", "mobifone"),
        ("0898123456", "mobifone"),
        ("0931234567", "mobifone"),
        ("0522123456", "vietnamobile"),
        ("0561234567", "vietnamobile"),
        ("0921234567", "vietnamobile"),
        ("0591234567", "gmobile"),
        ("0991234567", "gmobile"),
        ("0871234567", "itel"),
        ("0559123456", "reddi"),
    ],
)
def test_every_operator(number, operator):
    assert normalize_mobile(number) == number
    assert mobile_operator(number) == operator


def _all_prefix_samples():
    """One sample number per 3-digit national prefix, two different tails."""
    for prefix in range(1000):
        for tail in ("123456", "987650"):
            yield f"0{prefix:03d}{tail}"


def test_every_accepted_number_is_a_vn_mobile_for_phonenumbers():
    accepted = []
    for local in _all_prefix_samples():
        try:
            accepted.append(normalize_mobile(local))
        except InvalidPhone:
            continue
    assert len(accepted) == 2 * 337  # 3-digit prefixes in MOBILE_PREFIXES
    bad = [n for n in accepted if not _is_vn_mobile(n)]
    assert bad == []


def test_listed_prefixes_are_accepted_whenever_phonenumbers_agrees():
    listed = {p for prefixes in MOBILE_PREFIXES.values() for p in prefixes}
    for local in _all_prefix_samples():
        national = local[1:]
        if not any(national.startswith(p) for p in listed):
            continue
        assert _is_vn_mobile(local), local
        assert normalize_mobile(local) == local


def test_landlines_known_to_phonenumbers_are_rejected_as_landlines():
    checked = 0
    for area in range(200, 300):
        local = f"0{area}3822111"
        parsed = phonenumbers.parse(local, "VN")
        if phonenumbers.number_type(parsed) != PhoneNumberType.FIXED_LINE:
            continue
        checked += 1
        with pytest.raises(InvalidPhone) as error:
            normalize_mobile(local)
        assert error.value.code == "landline"
    assert checked > 50


def test_output_forms():
    assert to_e164("0912 345 678") == "+84912345678"
    assert to_msisdn("0912345678") == "84912345678"
    assert format_for_display("+84912345678") == "0912 345 678"
    assert mask_phone("0912345678") == "0912 *** 678"


def test_zalo_form_round_trips():
    assert normalize_mobile(to_msisdn("0381234567")) == "0381234567"
    assert normalize_mobile(to_e164("0381234567")) == "0381234567"


def test_output_forms_reject_invalid_numbers():
    with pytest.raises(InvalidPhone):
        to_e164("02763822111")
    with pytest.raises(InvalidPhone):
        mask_phone("")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("01668 123 456", "0368123456"),
        ("0123 456 7890", "0834567890"),
        ("0121 222 3333", "0792223333"),
        ("+84 188 123 4567", "0581234567"),
    ],
)
def test_old_eleven_digit_numbers_get_a_suggestion(old, new):
    assert convert_old_mobile(old) == new
    assert normalize_mobile(new) == new


def test_no_suggestion_for_other_numbers():
    assert convert_old_mobile("0912345678") is None
    assert convert_old_mobile("02763822111") is None
    assert convert_old_mobile("abc") is None
