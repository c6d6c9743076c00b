"""What the accounts room holds about a citizen, for "Dữ liệu của tôi" and deletion requests:
her profile and her sign-in sessions. Her phone number is the key of her account: it goes only
when nothing else about her is kept (`close_account`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.accounts.models import Citizen, SignInSession
from webapp.core.clock import utcnow
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date, format_time

PROFILE_FIELDS_ERASED = {"full_name": "", "date_of_birth": None, "citizen_id": None,
                         "address": "", "commune": None, "zalo_id": None}


def _profile(citizen: Citizen) -> Item:
    commune = citizen.commune.name if citizen.commune_id else ""
    return Item(
        title=_l("Your profile"),
        facts=((_l("Full name"), citizen.full_name or "—"),
               (_l("Date of birth"), format_date(citizen.date_of_birth) or "—"),
               (_l("Citizen ID number"), citizen.citizen_id or "—"),
               (_l("Commune or ward"), commune or "—"),
               (_l("Address"), citizen.address or "—"),
               (_l("Mobile phone"), citizen.phone or "—"),
               (_l("Zalo"), _l("Linked") if citizen.zalo_id else _l("Not linked"))),
        data={"full_name": citizen.full_name,
              "date_of_birth": citizen.date_of_birth.isoformat() if citizen.date_of_birth
              else None, "citizen_id": citizen.citizen_id, "commune": commune,
              "address": citizen.address, "phone": citizen.phone,
              "zalo_linked": bool(citizen.zalo_id), "created_at": citizen.created_at.isoformat()},
        opened_as=(("citizen", str(citizen.id)),))


def _sessions(citizen: Citizen) -> list[Item]:
    rows = (SignInSession.select().where(SignInSession.citizen == citizen)
            .order_by(SignInSession.created_at.desc()))
    return [Item(title=_l("Signed in on %(time)s", time=format_time(row.created_at)),
                 facts=((_l("Last used"), format_time(row.last_seen_at)),),
                 data={"signed_in_at": row.created_at.isoformat(),
                       "last_seen_at": row.last_seen_at.isoformat(),
                       "ended_at": row.revoked_at.isoformat() if row.revoked_at else None})
            for row in rows]


def collect(citizen: Citizen) -> list[Item]:
    return [_profile(citizen), *_sessions(citizen)]


def erase(citizen: Citizen) -> int:
    """Clear the profile (the forms she fills are no longer prefilled); sessions stay until
    the account is closed, so the request's own page still opens for her."""
    Citizen.update(**PROFILE_FIELDS_ERASED).where(Citizen.id == citizen.id).execute()
    return 1


def close_account(citizen: Citizen) -> None:
    """When nothing else about her is kept: no phone, no Zalo link, every session ended."""
    Citizen.update(phone=None, zalo_id=None).where(Citizen.id == citizen.id).execute()
    SignInSession.update(revoked_at=utcnow()).where(
        (SignInSession.citizen == citizen) & SignInSession.revoked_at.is_null()).execute()


ACCOUNTS = Section("accounts", _l("Your account"), collect, erase, order=10)
