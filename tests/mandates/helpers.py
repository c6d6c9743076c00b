"""Mandates made the way the assisted-mode pages make them, for any room's tests."""

from __future__ import annotations

from tests.accounts.helpers import create_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import first_commune, procedure_by_code
from webapp.accounts.models import VOLUNTEER
from webapp.core.db import database
from webapp.mandates import CODE, PROCEDURE, services


def last_consent_code(phone: str) -> str:
    sent = messages_to(phone, "mandates_consent_code")
    assert sent, f"no consent code was sent to {phone}"
    return sent[-1]["data"]["code"]


def given_mandate(app, *, helper=None, phone=None, name="Lê Thị Tư", scope=PROCEDURE,
                  procedure_code="1.000894", commune=None):
    """A volunteer asks and the citizen reads the code out: a live mandate."""
    with app.test_request_context(), database.connection_context():
        helper = helper or create_staff(app, role=VOLUNTEER, full_name="Trần Thị Hạnh")
        mandate = services.ask(helper, person_name=name, phone=phone or unique_phone(),
                               commune=commune or first_commune(),
                               procedure=procedure_by_code(procedure_code), scope=scope,
                               evidence=CODE)
        services.send_code(mandate)
        assert services.confirm_code(mandate, last_consent_code(mandate.phone)).status == "ok"
        return mandate
