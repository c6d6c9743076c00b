"""Demonstration accounts (development only): an officer for each of three communes, an
administrator, a volunteer and one citizen. Their credentials are listed in the README; the
TOTP secrets are fixed so a developer can add them to any authenticator app once."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from webapp.accounts import staff as accounts_staff
from webapp.accounts.models import ADMIN, OFFICER, VOLUNTEER, Citizen, StaffCommune, StaffUser
from webapp.core.db import database
from webapp.places.models import Commune

DEMO_PASSWORD = "demo-mat-khau-2026"
# (username, full name, role, commune codes, TOTP secret)
DEMO_STAFF = [
    ("quantri", "Trần Minh Quân", ADMIN, (), "QUANTRIDEMOTAYNINHSMARTAAAAAAAAA"),
    ("canbo.tanninh", "Nguyễn Thị Hoa", OFFICER, ("25459",), "CANBOTANNINHDEMOTAYNINHSMARTAAAA"),
    ("canbo.longan", "Lê Văn Long", OFFICER, ("27694",), "CANBOLONGANDEMOTAYNINHSMARTAAAAA"),
    ("canbo.hoathanh", "Phạm Thị Thanh", OFFICER, ("25645",), "CANBOHOATHANHDEMOTAYNINHSMARTAAA"),
    ("tinhnguyen.tanninh", "Võ Văn Tình", VOLUNTEER, ("25459",), None),
]
DEMO_CITIZEN = {
    "phone": "0912345678", "full_name": "Nguyễn Thị Mai", "date_of_birth": dt.date(1956, 3, 15),
    "citizen_id": "072156001234", "address": "Số 12, đường 30 Tháng 4, khu phố 1",
}
DEMO_CITIZEN_COMMUNE = "25459"


def _upsert_staff(username, full_name, role, commune_codes, secret, password_hash) -> None:
    account = StaffUser.by_username(username)
    if account is None:
        account = StaffUser(username=username)
    account.full_name, account.role, account.totp_secret = full_name, role, secret
    account.password_hash, account.is_active, account.totp_last_step = password_hash, True, 0
    account.save()
    StaffCommune.delete().where(StaffCommune.staff == account).execute()
    for commune in Commune.select().where(Commune.code.in_(list(commune_codes))):
        StaffCommune.create(staff=account, commune=commune)


def load_demo_accounts() -> list[str]:
    """Create or reset the demo accounts; refuse outside development."""
    if current_app.config.get("APP_ENV") == "production":
        return ["Demo accounts: skipped (APP_ENV=production)."]
    password_hash = accounts_staff.hash_password(DEMO_PASSWORD)
    with database.atomic():
        for row in DEMO_STAFF:
            _upsert_staff(*row, password_hash)
        commune = Commune.get_or_none(Commune.code == DEMO_CITIZEN_COMMUNE)
        citizen, _ = Citizen.get_or_create_by_phone(DEMO_CITIZEN["phone"])
        citizen.update_profile({**DEMO_CITIZEN, "commune": commune})
    names = ", ".join(row[0] for row in DEMO_STAFF)
    return [f"Demo accounts: {names} (password and TOTP secrets in README), "
            f"citizen {DEMO_CITIZEN['phone']}."]
