"""Vietnamese mobile numbers and citizen ID numbers: parse, validate, format and mask.

Errors carry a short ``code`` for the UI to translate; no user-facing text lives here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# --- Mobile numbers -------------------------------------------------------------------------

# National significant number prefixes (after the trunk "0"). Where libphonenumber (the
# reference used in tests) only knows part of a range, only that part is listed, so that
# every number accepted here can actually receive SMS/ZNS.
MOBILE_PREFIXES: dict[str, tuple[str, ...]] = {
    "viettel": ("32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98"),
    "vinaphone": ("81", "82", "83", "84", "85", "88", "91", "94"),
    "mobifone": ("70", "76", "77", "78", "79", "896", "897", "898", "899", "90", "93"),
    "vietnamobile": ("522", "523", "528", "56", "58", "92"),
    "gmobile": ("59", "990", "991", "993", "994", "995", "996", "997", "998", "999"),
    "itel": ("87",),
    "reddi": ("559",),
}
_PREFIX_TO_OPERATOR = {p: op for op, prefixes in MOBILE_PREFIXES.items() for p in prefixes}

_SEPARATORS = re.compile(r"[\s.\-()/]+")
_NATIONAL_LENGTH = 9


class InvalidPhone(ValueError):
    """A phone number that is not a usable Vietnamese mobile number; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _phone_digits(raw: str) -> str:
    """Digits of the input with separators removed; a leading "+" becomes "00"."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        raise InvalidPhone("empty")
    if text.startswith("+"):
        text = "00" + text[1:]
    if not (text.isascii() and text.isdigit()):
        raise InvalidPhone("not_digits")
    return text


def _national_number(digits: str) -> str:
    """Strip international (0084, 84) and trunk (0) prefixes; may still have a wrong length."""
    if digits.startswith("00"):
        if not digits.startswith("0084"):
            raise InvalidPhone("unknown_prefix")  # a foreign number
        digits = digits[4:]
        # People often keep the trunk zero after the country code: "+84 (0) 912 ...".
        return digits.removeprefix("0")
    if digits.startswith("0"):
        return digits[1:]
    # "84" + 9 or 10 digits is the Zalo/international form; a bare 9-digit "84x..." is a
    # Vinaphone number typed without its zero, so only strip "84" from longer inputs.
    if digits.startswith("84") and len(digits) in (11, 12):
        rest = digits[2:]
        return rest[1:] if rest.startswith("0") and len(rest) == 10 else rest
    return digits


def _operator(national: str) -> str | None:
    """Operator owning the national number's prefix, or None."""
    return _PREFIX_TO_OPERATOR.get(national[:2]) or _PREFIX_TO_OPERATOR.get(national[:3])


def normalize_mobile(raw: str) -> str:
    """Canonical local form "0912345678" of a Vietnamese mobile number, or raise InvalidPhone."""
    national = _national_number(_phone_digits(raw))
    # Landlines (area codes 02x) cannot receive SMS or ZNS; say so rather than "wrong length".
    if national.startswith("2") and len(national) in (9, 10):
        raise InvalidPhone("landline")
    if len(national) != _NATIONAL_LENGTH:
        raise InvalidPhone("wrong_length")
    if _operator(national) is None:
        raise InvalidPhone("unknown_prefix")
    return "0" + national


def mobile_operator(number: str) -> str:
    """Operator key ("viettel", "vinaphone", ...) of a valid mobile number."""
    return _operator(normalize_mobile(number)[1:]) or ""


def to_e164(number: str) -> str:
    """International form "+84912345678"."""
    return "+84" + normalize_mobile(number)[1:]


def to_zalo_form(number: str) -> str:
    """Form Zalo APIs expect: "84912345678" (no plus, no trunk zero)."""
    return "84" + normalize_mobile(number)[1:]


def format_for_display(number: str) -> str:
    """Grouped for reading aloud: "0912 345 678"."""
    local = normalize_mobile(number)
    return f"{local[:4]} {local[4:7]} {local[7:]}"


def mask_phone(number: str) -> str:
    """Masked for screens and logs, keeping the first 4 and last 3 digits: "0912 *** 678"."""
    local = normalize_mobile(number)
    return f"{local[:4]} *** {local[7:]}"


# 11-digit mobile prefixes renumbered to 10 digits on 15 Sep - 15 Nov 2018 (MIC decision
# 798/QĐ-BTTTT). Older people still write the old numbers; the UI can suggest the new one.
_OLD_MOBILE_PREFIXES = {
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36", "167": "37", "168": "38",
    "169": "39", "120": "70", "121": "79", "122": "77", "126": "76", "128": "78", "123": "83",
    "124": "84", "125": "85", "127": "81", "129": "82", "186": "56", "188": "58", "199": "59",
}


def convert_old_mobile(raw: str) -> str | None:
    """The 2018 replacement of an old 11-digit mobile ("01668..." -> "0368..."), or None."""
    try:
        national = _national_number(_phone_digits(raw))
    except InvalidPhone:
        return None
    new_prefix = _OLD_MOBILE_PREFIXES.get(national[:3])
    if len(national) != 10 or new_prefix is None:
        return None
    return "0" + new_prefix + national[3:]


# --- Citizen ID (CCCD) and old ID card (CMND) -----------------------------------------------

# First three digits: the province where the birth was registered, using the 63 pre-2025
# province codes of Circular 07/2016/TT-BCA (kept by Circular 59/2021/TT-BCA). Numbers issued
# before the July 2025 merger keep their code, so the current province is never required.
BIRTH_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

# Fourth digit: century of birth and sex (even = male, odd = female). Circular 07/2016,
# art. 7: 20th c. 0/1, 21st 2/3, 22nd 4/5, 23rd 6/7, 24th (2300-2399) 8/9.
_CENTURY_START = {0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 2300}

_SEX_ALIASES = {
    "male": "male", "m": "male", "nam": "male",
    "female": "female", "f": "female", "nu": "female",
}

CCCD_LENGTH, CMND_LENGTH = 12, 9


class InvalidCitizenId(ValueError):
    """An identity number that fails validation; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class IdentityNumber:
    """A validated identity number; kind "cmnd" flags the old 9-digit card (expired 2025)."""

    kind: str
    number: str


@dataclass(frozen=True, slots=True)
class CitizenIdFacts:
    """What a CCCD number says about its holder."""

    birth_province_code: str
    birth_province: str
    birth_year: int
    sex: str


def _id_digits(raw: str) -> str:
    """Digits of an ID number with spaces, dots and dashes removed."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        raise InvalidCitizenId("empty")
    if not (text.isascii() and text.isdigit()):
        raise InvalidCitizenId("not_digits")
    return text


def _normalize_sex(sex: str) -> str:
    """Map "male"/"nam"/"m" and "female"/"nữ"/"f" to "male" or "female"."""
    key = unicodedata.normalize("NFD", sex.strip().lower()).encode("ascii", "ignore").decode()
    if key not in _SEX_ALIASES:
        raise ValueError(f"sex must be male or female, got {sex!r}")
    return _SEX_ALIASES[key]


def citizen_id_facts(number: str) -> CitizenIdFacts:
    """Decode birth province, birth year and sex from a structurally valid 12-digit CCCD."""
    century_sex = int(number[3])
    return CitizenIdFacts(
        birth_province_code=number[:3],
        birth_province=BIRTH_PROVINCE_CODES.get(number[:3], ""),
        birth_year=_CENTURY_START[century_sex // 2] + int(number[4:6]),
        sex="female" if century_sex % 2 else "male",
    )


def _check_birth(facts: CitizenIdFacts, date_of_birth: date | None, today: date) -> None:
    """Compare the encoded birth year with the known date of birth (or with today)."""
    if date_of_birth is None:
        # Nobody can hold an ID for a birth in the future: catches a mistyped 4th digit.
        if facts.birth_year > today.year:
            raise InvalidCitizenId("century_mismatch")
        return
    if facts.birth_year // 100 != date_of_birth.year // 100:
        raise InvalidCitizenId("century_mismatch")
    if facts.birth_year != date_of_birth.year:
        raise InvalidCitizenId("birth_year_mismatch")


def validate_citizen_id(
    raw: str,
    date_of_birth: date | None = None,
    sex: str | None = None,
    *,
    today: date | None = None,
) -> str:
    """The 12-digit CCCD number, checked against date of birth and sex when given."""
    number = _id_digits(raw)
    if len(number) != CCCD_LENGTH:
        raise InvalidCitizenId("wrong_length")
    if number[:3] not in BIRTH_PROVINCE_CODES:
        raise InvalidCitizenId("unknown_province")
    facts = citizen_id_facts(number)
    _check_birth(facts, date_of_birth, today or date.today())
    if sex is not None and _normalize_sex(sex) != facts.sex:
        raise InvalidCitizenId("sex_mismatch")
    return number


def validate_identity_number(
    raw: str,
    date_of_birth: date | None = None,
    sex: str | None = None,
    *,
    today: date | None = None,
) -> IdentityNumber:
    """A 12-digit CCCD (fully checked) or an old 9-digit CMND (digits only: no structure)."""
    digits = _id_digits(raw)
    if len(digits) == CMND_LENGTH:
        return IdentityNumber(kind="cmnd", number=digits)
    number = validate_citizen_id(digits, date_of_birth, sex, today=today)
    return IdentityNumber(kind="cccd", number=number)


def mask_citizen_id(number: str) -> str:
    """Masked for screens and logs, keeping the first 3 and last 3 digits: "072••••••123"."""
    digits = _SEPARATORS.sub("", number or "")
    if len(digits) < 7:
        return "•" * len(digits)
    return digits[:3] + "•" * (len(digits) - 6) + digits[-3:]
