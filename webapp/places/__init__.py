"""Places: the province the app serves (its file: name, hotlines, offices) and its commune-level
units (xã, phường)."""

from flask import Flask

from webapp.places import cli, province, views
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


def init_app(app: Flask) -> None:
    """Load the province file once; the commune picker's route; `flask places load|check`."""
    province.init_app(app)
    views.init_app(app)
    app.cli.add_command(cli.places_cli)
