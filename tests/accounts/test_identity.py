"""Tests for mobile numbers and citizen ID numbers."""

from datetime import date

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from webapp.accounts.identity import (
    BIRTH_PROVINCE_CODES,
    MOBILE_PREFIXES,
    IdentityNumber,
    InvalidCitizenId,
    InvalidPhone,
    citizen_id_facts,
    convert_old_mobile,
    format_for_display,
    mask_citizen_id,
    mask_phone,
    mobile_operator,
    normalize_mobile,
    to_e164,
    to_zalo_form,
    validate_citizen_id,
    validate_identity_number,
)

TODAY = date(2026, 3, 1)


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
    assert to_zalo_form("0912345678") == "84912345678"
    assert format_for_display("+84912345678") == "0912 345 678"
    assert mask_phone("0912345678") == "0912 *** 678"


def test_zalo_form_round_trips():
    assert normalize_mobile(to_zalo_form("0381234567")) == "0381234567"
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


# --- citizen ID -----------------------------------------------------------------------------

def test_birth_province_codes_are_the_63_pre_2025_provinces():
    from vietnamadminunits.database import get_data

    legacy = {"0" + r["provinceCode"] for r in get_data("provinceCode", "admin_units_legacy")}
    assert set(BIRTH_PROVINCE_CODES) == legacy
    assert len(BIRTH_PROVINCE_CODES) == 63
    for absent in ("000", "003", "005", "028", "050", "073", "081", "088", "090", "097"):
        assert absent not in BIRTH_PROVINCE_CODES


def test_long_an_birth_1950_woman():
    number = validate_citizen_id("080 150 012 345", date(1950, 6, 2), "female", today=TODAY)
    assert number == "080150012345"
    facts = citizen_id_facts(number)
    assert (facts.birth_province, facts.birth_year, facts.sex) == ("Long An", 1950, "female")


def test_tay_ninh_birth_2001_man():
    number = validate_citizen_id("072201987654", date(2001, 1, 15), "nam", today=TODAY)
    facts = citizen_id_facts(number)
    assert (facts.birth_province, facts.birth_year, facts.sex) == ("Tây Ninh", 2001, "male")


def test_man_born_1945_in_another_province_living_in_tay_ninh():
    # The ID keeps the birth province (Hà Nội) whatever the current province is.
    assert validate_citizen_id("001045000111", date(1945, 8, 19), "male", today=TODAY)


def test_sex_words():
    assert validate_citizen_id("080150012345", sex="Nữ", today=TODAY)
    assert validate_citizen_id("080150012345", sex="F", today=TODAY)
    with pytest.raises(ValueError):
        validate_citizen_id("080150012345", sex="other", today=TODAY)


@pytest.mark.parametrize(
    ("raw", "dob", "sex", "code"),
    [
        ("", None, None, "empty"),
        ("  ", None, None, "empty"),
        ("08015001234A", None, None, "not_digits"),
        ("0801500123", None, None, "wrong_length"),
        ("0801500123456", None, None, "wrong_length"),
        ("003150012345", None, None, "unknown_province"),
        ("097150012345", None, None, "unknown_province"),
        ("000150012345", None, None, "unknown_province"),
        ("080050012345", date(2050, 1, 1), None, "century_mismatch"),
        ("080250012345", date(1950, 1, 1), None, "century_mismatch"),
        ("080850012345", date(1950, 1, 1), None, "century_mismatch"),
        ("080150012345", date(1951, 1, 1), None, "birth_year_mismatch"),
        ("080150012345", date(1950, 1, 1), "male", "sex_mismatch"),
        ("072201987654", date(2001, 1, 1), "female", "sex_mismatch"),
        # No date of birth, but the number encodes a birth in the future.
        ("072250012345", None, None, "century_mismatch"),
        ("072450012345", None, None, "century_mismatch"),
        ("072950012345", None, None, "century_mismatch"),
    ],
)
def test_citizen_id_rejections(raw, dob, sex, code):
    with pytest.raises(InvalidCitizenId) as error:
        validate_citizen_id(raw, dob, sex, today=TODAY)
    assert error.value.code == code


def test_every_century_digit_decodes():
    expected = {0: 1950, 1: 1950, 2: 2050, 3: 2050, 4: 2150, 5: 2150, 6: 2250, 7: 2250,
                8: 2350, 9: 2350}
    for digit, year in expected.items():
        facts = citizen_id_facts(f"080{digit}50012345")
        assert facts.birth_year == year
        assert facts.sex == ("female" if digit % 2 else "male")


def test_identity_number_accepts_cccd_and_flags_cmnd():
    assert validate_identity_number("072 201 987 654", today=TODAY) == IdentityNumber(
        "cccd", "072201987654"
    )
    cmnd = validate_identity_number("290 123 456", date(1950, 1, 1))
    assert cmnd == IdentityNumber("cmnd", "290123456")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("", "empty"), ("29012345x", "not_digits"), ("2901234567", "wrong_length"),
     ("12345678", "wrong_length"), ("999150012345", "unknown_province")],
)
def test_identity_number_rejections(raw, code):
    with pytest.raises(InvalidCitizenId) as error:
        validate_identity_number(raw, today=TODAY)
    assert error.value.code == code


def test_identity_number_checks_cccd_against_birth_date():
    with pytest.raises(InvalidCitizenId) as error:
        validate_identity_number("080150012345", date(1960, 1, 1), today=TODAY)
    assert error.value.code == "birth_year_mismatch"


def test_masks():
    assert mask_citizen_id("072201987654") == "072••••••654"
    assert mask_citizen_id("290123456") == "290•••456"
    assert mask_citizen_id("12") == "••"
