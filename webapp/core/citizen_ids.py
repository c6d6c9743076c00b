"""Citizen ID numbers (CCCD, 12 digits) and old ID cards (CMND, 9 digits): validate, decode what
the number says about its holder, and mask for logs and screens.

Errors carry a short ``code`` for the UI to translate; no user-facing text lives here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_SEPARATORS = re.compile(r"[\s.\-()/]+")

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
