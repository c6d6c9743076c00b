"""Commune-level administrative units (xã, phường) of the configured province, after July 2025."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from webapp.core.text import fold_vietnamese, vietnamese_sort_key

# New Tây Ninh (merged with Long An on 1 July 2025) keeps Long An's statistical code 80.
DEFAULT_PROVINCE_CODE = "80"

# The package spells unit types in Vietnamese; the app uses stable ASCII kinds.
_KIND_BY_TYPE = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}

_FIELDS = ["provinceCode", "province", "ward", "wardShort", "wardType", "wardCode"]


class UnknownProvince(LookupError):
    """The province code is not one of the 34 provinces in force since July 2025."""

    code = "unknown_province"


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """One commune-level unit: official code, full name, kind and a diacritic-free search key."""

    code: str
    name: str
    kind: str
    short_name: str
    search_key: str


def _normalize_province_code(province_code: str | int) -> str:
    """Accept "80", " 80 ", 80 or "8" (-> "08"); codes are two digits in the dataset."""
    return str(province_code).strip().zfill(2)


@lru_cache(maxsize=1)
def _all_rows() -> tuple[dict, ...]:
    """Every post-2025 ward row of the bundled dataset (3,321 rows, read once per process)."""
    # Imported here because the package parses its address-parser JSON at import (~0.4 s);
    # importing webapp.places should stay free.
    # We use the package's public `database.get_data`, which lists the `admin_units` table of
    # its bundled dataset.db; it has no per-province filter, so we filter in Python.
    from vietnamadminunits.database import get_data

    return tuple(get_data(fields=_FIELDS, table="admin_units"))


def _unit_from_row(row: dict) -> AdminUnit:
    """Turn one dataset row into an AdminUnit."""
    return AdminUnit(
        code=row["wardCode"],
        name=row["ward"],
        kind=_KIND_BY_TYPE[row["wardType"]],
        short_name=row["wardShort"],
        # The full name is folded so that "xa tan" and "tan hoa" both match by substring.
        search_key=fold_vietnamese(row["ward"]),
    )


def _unit_order(unit: AdminUnit) -> tuple:
    """Vietnamese order of the short name; kind and code only break exact ties."""
    return (vietnamese_sort_key(unit.short_name), unit.kind, unit.code)


@lru_cache(maxsize=8)
def _units_of(province_code: str) -> tuple[AdminUnit, ...]:
    """Sorted, immutable units of one province (cached)."""
    units = [_unit_from_row(r) for r in _all_rows() if r["provinceCode"] == province_code]
    if not units:
        raise UnknownProvince(province_code)
    return tuple(sorted(units, key=_unit_order))


def load_units(province_code: str = DEFAULT_PROVINCE_CODE) -> list[AdminUnit]:
    """Commune-level units of a province, in Vietnamese alphabetical order of the short name."""
    # A fresh list each call so a caller that mutates it cannot corrupt the cache.
    return list(_units_of(_normalize_province_code(province_code)))


@lru_cache(maxsize=8)
def province_name(province_code: str = DEFAULT_PROVINCE_CODE) -> str:
    """Official name of a province, e.g. "Tỉnh Tây Ninh" for "80"."""
    code = _normalize_province_code(province_code)
    for row in _all_rows():
        if row["provinceCode"] == code:
            return row["province"]
    raise UnknownProvince(code)


def find_unit(code: str, province_code: str = DEFAULT_PROVINCE_CODE) -> AdminUnit | None:
    """The unit with this official code in the province, or None."""
    wanted = code.strip()
    units = _units_of(_normalize_province_code(province_code))
    return next((u for u in units if u.code == wanted), None)
