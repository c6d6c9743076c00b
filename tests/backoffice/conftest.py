"""Fixtures of the back-office tests: dossiers in any status, made directly in the database."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest

from tests.conftest import make_app
from webapp.core import clock
from webapp.core.db import database

_serial = itertools.count(1)
STORE_SETTINGS = ("UPLOAD_DIR", "UPLOAD_STORE", "S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY_ID",
                  "S3_SECRET_ACCESS_KEY")


_preparing_apps: dict[str, object] = {}


@pytest.fixture
def in_app(app, database_url):
    """An application context in which a test prepares data (dossiers, steps, messages).

    It belongs to a second app with the same configuration, not to `app`: Flask reuses an
    application context already pushed for the same app, so the test client's requests would
    otherwise share one `g` (the signed-in person, per-request caches) with each other. Both
    apps use the same database; models need no context at all.
    """
    preparing = _preparing_apps.get(database_url)
    if preparing is None:
        preparing = _preparing_apps[database_url] = make_app(database_url)
    # Files it stores go where the test's app looks for them (the folder or the test's bucket).
    preparing.config.update({key: app.config[key] for key in STORE_SETTINGS})
    preparing.extensions.pop("upload_s3_store", None)
    with preparing.app_context():
        yield app
    if not database.is_closed():
        database.close()


def first_commune(offset: int = 0):
    from webapp.places.models import Commune

    return Commune.in_order().offset(offset).first()


@pytest.fixture
def commune(in_app):
    """The commune the `officer` serves."""
    return first_commune()


@pytest.fixture
def officer(client, commune):
    """An officer of `commune`, signed in on the test's client."""
    from tests.accounts.helpers import sign_in_staff

    return sign_in_staff(client, role="officer", communes=[commune])


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
    from flask import current_app

    from webapp.dossiers.lifecycle import DEADLINES
    from webapp.dossiers.models import Dossier, DossierEvent
    from webapp.tracking.codes import new_code

    citizen = citizen or make_citizen()
    procedure = procedure or procedure_by_code()
    submitted_at = submitted_at or dt.datetime(2026, 3, 2, 2, 0)
    due = due_date or DEADLINES.due_date(clock.local_date(submitted_at),
                                         procedure.processing_working_days)
    dossier = Dossier.create(
        code=fields.pop("code", None) or new_code(current_app.config["DOSSIER_CODE_PREFIX"]),
        procedure=procedure, citizen=citizen,
        commune=commune or first_commune(), status=status,
        answers=fields.pop("answers", {"full_name": citizen.full_name}),
        contact_phone=fields.pop("contact_phone", citizen.phone),
        submission_key=uuid.uuid4().hex, submitted_at=submitted_at, due_date=due,
        updated_at=submitted_at, version=1, **fields)
    DossierEvent.create(dossier=dossier, created_at=submitted_at, kind="submitted",
                        from_status="", to_status="submitted", actor_citizen=citizen)
    return dossier


def make_photo(dossier, paper_key="giay_khai_sinh", size=(400, 300)):
    """A photo of a paper on a sent dossier, stored as the wizard stores it."""
    import io

    from PIL import Image

    from webapp.dossiers.models import Attachment
    from webapp.uploads import storage

    buffer = io.BytesIO()
    Image.new("RGB", size, (235, 235, 225)).save(buffer, "JPEG")
    return Attachment.from_upload(storage.store_upload(buffer.getvalue()), dossier=dossier,
                                  citizen=dossier.citizen, paper_key=paper_key, purpose="paper")
