"""Places: the commune-level units (xã, phường) of the province the app serves."""

from webapp.places.units import (
    DEFAULT_PROVINCE_CODE,
    AdminUnit,
    UnknownProvince,
    find_unit,
    load_units,
    province_name,
)

__all__ = [
    "DEFAULT_PROVINCE_CODE",
    "AdminUnit",
    "UnknownProvince",
    "find_unit",
    "load_units",
    "province_name",
]
