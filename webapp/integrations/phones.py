"""Vietnamese mobile numbers in the international form that Zalo and SMS gateways expect."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
# A mobile national number is 9 digits starting 3, 5, 7, 8 or 9; landlines start with 2 and
# cannot receive SMS or ZNS, so they are refused here rather than by the provider (and billed).
_MOBILE_NATIONAL = re.compile(r"[35789]\d{8}")


def to_msisdn(phone: str) -> str:
    """Return `84` + 9 digits for a Vietnamese mobile number, or raise ValueError.

    Accepts the local form (`0912 345 678`), E.164 (`+84912345678`), `84...` and `0084...`,
    with spaces, dots, dashes or brackets; also the common `+84 0912...` slip.
    """
    digits = _SEPARATORS.sub("", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    if not digits.startswith("84"):
        raise ValueError("invalid_phone")
    national = digits[2:]
    if len(national) == 10 and national.startswith("0"):
        national = national[1:]
    if not _MOBILE_NATIONAL.fullmatch(national):
        raise ValueError("invalid_phone")
    return "84" + national


def mask_msisdn(msisdn: str) -> str:
    """Hide the middle of a number for logs (`84912***678`)."""
    if len(msisdn) < 8:
        return "***"
    return f"{msisdn[:5]}***{msisdn[-3:]}"
