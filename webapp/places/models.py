"""The communes and wards of the province, as rows other tables can point at."""

from __future__ import annotations

from peewee import CharField, IntegerField

from webapp.core.db import BaseModel, database
from webapp.places.units import load_units


class Commune(BaseModel):
    """A commune (xã) or ward (phường): the level that runs one-stop shops since July 2025."""

    code = CharField(unique=True)  # official code of the administrative unit
    name = CharField()  # "Xã Thái Bình"
    kind = CharField()  # "xa" or "phuong"
    short_name = CharField()  # "Thái Bình"
    search_key = CharField()  # folded name for matching what people type
    position = IntegerField()  # Vietnamese alphabetical order

    @classmethod
    def in_order(cls):
        return cls.select().order_by(cls.position)


def sync_communes(province_code: str) -> int:
    """Fill the commune table from the maintained package; safe to run again."""
    units = load_units(province_code)
    with database.atomic():
        for position, unit in enumerate(units):
            row = {"name": unit.name, "kind": unit.kind, "short_name": unit.short_name,
                   "search_key": unit.search_key, "position": position}
            Commune.insert(code=unit.code, **row).on_conflict(
                conflict_target=[Commune.code], update=row).execute()
    return len(units)
