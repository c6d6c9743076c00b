"""Sign people in from a test without codes or TOTP: usable by every room's tests.

    from tests.accounts.helpers import sign_in_citizen, sign_in_staff

    citizen = sign_in_citizen(client, full_name="Trần Thị Bình")
    officer = sign_in_staff(client, role="officer", communes=("25630",))

Both create the row and a real server-side session (the same kind the sign-in pages make), and
put its token in the test client's cookie session. Nothing is mocked: sign-out, the idle
timeout and revocation behave exactly as for a person.
"""

from __future__ import annotations

import itertools
import random

import pyotp

from webapp.accounts.auth import SESSION_KEY, create_session_row
from webapp.accounts.models import (
    OFFICER,
    ROLES_WITH_SECOND_FACTOR,
    Citizen,
    StaffCommune,
    StaffUser,
)
from webapp.core.db import database
from webapp.places.models import Commune

_numbers = itertools.count(random.randrange(100_000, 800_000))
_usernames = itertools.count(1)
UNUSABLE_PASSWORD = "!test-user-without-password"


def unique_phone() -> str:
    """A valid Vinaphone-style mobile number no other test has used in this run."""
    return f"0912{next(_numbers) % 1_000_000:06d}"


def resolve_commune(value) -> Commune:
    """A commune from a row, an id or an official code."""
    if isinstance(value, Commune):
        return value
    if isinstance(value, int):
        return Commune.get_by_id(value)
    return Commune.get(Commune.code == str(value))


def first_communes(count: int) -> list[Commune]:
    """The first `count` communes in the province's order (for tests needing A and B)."""
    return list(Commune.in_order().limit(count))


def _put_in_cookie(client, token: str) -> None:
    with client.session_transaction() as session:
        session[SESSION_KEY] = token
        session.permanent = True


def create_citizen(app, **fields) -> Citizen:
    """A citizen row with a unique phone; `commune` may be a row, an id or a code."""
    with app.app_context(), database.connection_context():
        if fields.get("commune") is not None:
            fields["commune"] = resolve_commune(fields["commune"])
        values = {"phone": unique_phone(), "full_name": "Nguyễn Văn Thử", **fields}
        return Citizen.create(**values)


def create_staff(app, role: str = OFFICER, communes=None, **fields) -> StaffUser:
    """A staff member; officers and volunteers serve the first commune unless told otherwise."""
    with app.app_context(), database.connection_context(), database.atomic():
        values = {
            "username": f"test-{role}-{next(_usernames)}-{random.randrange(10**6)}",
            "full_name": "Cán Bộ Thử",
            "role": role,
            "password_hash": UNUSABLE_PASSWORD,
            "totp_secret": pyotp.random_base32() if role in ROLES_WITH_SECOND_FACTOR else None,
            **fields,
        }
        staff = StaffUser.create(**values)
        if communes is None:
            communes = () if role == "admin" else first_communes(1)
        for commune in communes:
            StaffCommune.create(staff=staff, commune=resolve_commune(commune))
        return staff


def sign_in_citizen(client, **fields) -> Citizen:
    """Create a citizen (fields override the defaults) and sign them in on `client`."""
    citizen = create_citizen(client.application, **fields)
    with client.application.app_context(), database.connection_context():
        token, _ = create_session_row(citizen=citizen)
    _put_in_cookie(client, token)
    return citizen


def sign_in_staff(client, role: str = OFFICER, communes=None, **fields) -> StaffUser:
    """Create a staff member with `role` serving `communes` (rows, ids or codes; officers and
    volunteers default to the first commune) and sign them in on `client`, second factor done."""
    staff = create_staff(client.application, role=role, communes=communes, **fields)
    with client.application.app_context(), database.connection_context():
        token, _ = create_session_row(staff=staff)
    _put_in_cookie(client, token)
    return staff
