"""Demonstration data for assisted mode (development only): requests for help in the demo
volunteer's commune, one waiting, one taken and closed, and a mandate from the demo citizen
to the demo volunteer, so `make run` shows the volunteer's pages and the figures."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from webapp.accounts.models import Citizen, StaffUser
from webapp.assisted import lifecycle as lc
from webapp.assisted.models import HELPED_BY_PHONE, HelpRequest, HelpRequestEvent
from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.mandates import CODE, DOSSIER, Mandate
from webapp.places.models import Commune
from webapp.tracking.codes import new_code

VOLUNTEER_USERNAME, CITIZEN_PHONE, COMMUNE = "tinhnguyen.tanninh", "0912345678", "25459"
KEY = "demo-help-"


def load_demo_help() -> list[str]:
    if current_app.config.get("APP_ENV") == "production":
        return ["Assisted mode: skipped (APP_ENV=production)."]
    if HelpRequest.select().where(HelpRequest.request_key.startswith(KEY)).exists():
        return ["Assisted mode: demo requests for help already there."]
    helper = StaffUser.by_username(VOLUNTEER_USERNAME)
    commune = Commune.get_or_none(Commune.code == COMMUNE)
    citizen = Citizen.by_phone(CITIZEN_PHONE)
    procedure = Procedure.get_or_none(Procedure.slug == "tro-cap-xa-hoi-hang-thang")
    if not (helper and commune and citizen and procedure):
        return ["Assisted mode: demo accounts missing, nothing added."]
    now = utcnow()
    with database.atomic():
        for number, (phone, hours_ago, closed) in enumerate(
                (("0987000111", 3, False), ("0987000222", 50, True))):
            submitted = now - dt.timedelta(hours=hours_ago)
            item = HelpRequest.create(
                code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]),
                status=lc.CLOSED if closed else lc.OPEN,
                contact_phone=phone, submitted_at=submitted, updated_at=submitted,
                due_date=submitted.date() + dt.timedelta(days=1), commune=commune,
                topic="dossier", request_key=f"{KEY}{number}", version=3 if closed else 1,
                taken_by=helper if closed else None, taken_at=submitted if closed else None,
                first_contact_at=submitted + dt.timedelta(hours=2) if closed else None,
                closed_at=submitted + dt.timedelta(hours=3) if closed else None,
                outcome=HELPED_BY_PHONE if closed else "")
            HelpRequestEvent.create(request=item, created_at=submitted, kind="submitted",
                                    to_status=lc.OPEN)
        Mandate.create(citizen=citizen, helper=helper, commune=commune,
                       person_name=citizen.full_name, phone=citizen.phone, scope=DOSSIER,
                       procedure=procedure, evidence=CODE, created_at=now, confirmed_at=now,
                       starts_at=now, ends_at=now + dt.timedelta(
                           days=current_app.config["MANDATE_DAYS"]))
    return [f"Assisted mode: 2 requests for help in {commune.name}, a mandate from "
            f"{CITIZEN_PHONE} to {VOLUNTEER_USERNAME}."]
