"""STAND-IN for the accounts branch (contract shape only); reverted before merging it."""

from __future__ import annotations

import itertools

from webapp.accounts.models import Citizen, StaffCommune, StaffUser
from webapp.core.db import database

_serial = itertools.count(1)


def sign_in_citizen(client, **fields):
    with client.application.app_context(), database.connection_context():
        n = next(_serial)
        fields.setdefault("phone", f"09{n:08d}")
        fields.setdefault("full_name", "Nguyễn Thị Tư")
        citizen = Citizen.create(**fields)
    with client.session_transaction() as session:
        session["citizen_id"] = citizen.id
    return citizen


def sign_in_staff(client, role="officer", communes=(), **fields):
    with client.application.app_context(), database.connection_context():
        n = next(_serial)
        staff = StaffUser.create(username=f"staff{n}-{id(client)}", full_name="Trần Văn Minh",
                                 phone=fields.get("phone", "0912345678"), role=role)
        for commune in communes:
            StaffCommune.create(staff=staff, commune=commune)
    with client.session_transaction() as session:
        session["staff_id"] = staff.id
    return staff
