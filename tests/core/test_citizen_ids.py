"""Tests for citizen ID numbers (CCCD) and old ID cards (CMND).
(Moved from tests/accounts/test_identity.py with the module, webapp/core/citizen_ids.py.)"""

from datetime import date

import pytest

from webapp.core.citizen_ids import (
    BIRTH_PROVINCE_CODES,
    IdentityNumber,
    InvalidCitizenId,
    citizen_id_facts,
    mask_citizen_id,
    validate_citizen_id,
    validate_identity_number,
)

TODAY = date(2026, 3, 1)

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
