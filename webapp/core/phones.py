"""Vietnamese mobile numbers, the one module every room uses: parse what people type, normalise
to "0912345678", check the operator prefix, format for reading aloud, mask for logs and screens,
and give the international forms Zalo and the SMS gateways expect.

Errors carry a short ``code`` for the UI to translate; no user-facing text lives here.

Why hand-written rules rather than `phonenumbers` alone: people type "+84 (0) 912...", a
Vinaphone number without its zero, or an 11-digit number from before 2018, and each deserves
its own plain answer ("landline", "old number"), which a yes/no validity check cannot give.
`phonenumbers` is the reference the tests check these rules against, prefix by prefix.
"""

from __future__ import annotations

import re
import unicodedata

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


def to_msisdn(number: str) -> str:
    """The form Zalo and SMS gateways expect: "84912345678" (no plus, no trunk zero)."""
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

