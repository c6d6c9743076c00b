"""Fixtures of the back-office tests: dossiers in any status, made directly in the database."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest

from webapp.core.db import database

_serial = itertools.count(1)


@pytest.fixture
def in_app(app):
    """An application context for tests that use the models.

    No connection context is held: the test client's requests run in this thread and close the
    connection when they end; peewee reconnects on the next query.
    """
    with app.app_context():
        yield app
    if not database.is_closed():
        database.close()


def first_commune(offset: int = 0):
    from webapp.places.models import Commune

    return Commune.in_order().offset(offset).first()


def procedure_by_code(code: str = "1.000894"):
    from webapp.catalogue.models import Procedure

    return Procedure.get(Procedure.code == code)


def make_citizen(**fields):
    from webapp.accounts.models import Citizen

    n = next(_serial)
    fields.setdefault("phone", f"0398{n % 1000000:06d}")
    fields.setdefault("full_name", "Nguyễn Thị Tư")
    fields.setdefault("citizen_id", f"0721{n % 100000000:08d}")
    fields.setdefault("address", "Ấp Bình Hòa")
    return Citizen.create(**fields)


def make_dossier(status="submitted", *, commune=None, procedure=None, citizen=None,
                 submitted_at=None, due_date=None, **fields):
    """A dossier as the citizen's wizard leaves it, already moved to `status` if asked."""
    from webapp.dossiers import deadlines
    from webapp.dossiers.models import Dossier, DossierEvent

    citizen = citizen or make_citizen()
    procedure = procedure or procedure_by_code()
    submitted_at = submitted_at or dt.datetime(2026, 3, 2, 2, 0)
    due = due_date or deadlines.due_date(deadlines.local_date(submitted_at),
                                         procedure.processing_working_days)
    n = next(_serial)
    dossier = Dossier.create(
        code=fields.pop("code", f"HS{n:06d}"), procedure=procedure, citizen=citizen,
        commune=commune or first_commune(), status=status,
        answers=fields.pop("answers", {"full_name": citizen.full_name}),
        contact_phone=fields.pop("contact_phone", citizen.phone),
        submission_key=uuid.uuid4().hex, submitted_at=submitted_at, due_date=due,
        updated_at=submitted_at, version=1, **fields)
    DossierEvent.create(dossier=dossier, created_at=submitted_at, kind="submitted",
                        from_status="", to_status="submitted", actor_citizen=citizen)
    return dossier
