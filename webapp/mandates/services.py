"""Asking for, giving and ending a mandate.

A helper asks (`ask`): a request with the name, number and commune she typed, nothing looked
up. The citizen consents by the code sent to her phone (`send_code`, `confirm_code`) or by a
signed paper the helper photographs (`confirm_paper`); only then is she found by her number, or
created with that name and commune, and the mandate starts for MANDATE_DAYS. She (or an
administrator) ends it at any time (`end`): a conditional update, so ending twice is one end.
Every step is in the audit log with who acted for whom.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app

from webapp.accounts import codes
from webapp.accounts.models import Citizen
from webapp.audit import log as audit
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.mandates import messages
from webapp.mandates.models import CODE, DOSSIER, PAPER, Mandate, MandatePaper
from webapp.uploads import storage

PURPOSE = "mandate"  # the accounts room's code purpose for a consent code
PENDING_RETENTION = dt.timedelta(days=1)  # a request nobody consented to


def ask(helper, *, person_name: str, phone: str, commune, procedure, scope: str,
        evidence: str) -> Mandate:
    """A helper's request to act for someone: nothing of hers is looked at yet."""
    mandate = Mandate.create(helper=helper, person_name=person_name, phone=phone,
                             commune=commune, procedure=procedure, scope=scope,
                             evidence=evidence, created_at=utcnow())
    audit.record("mandate.asked", object_type="mandate", object_id=mandate.id,
                 detail={"evidence": evidence, "scope": scope, "phone": phone})
    return mandate


def send_code(mandate: Mandate, resend: bool = False) -> Mandate:
    """Send (or send again) the consent code; raises accounts.codes.CodeNotSent."""
    challenge = codes.request_code(mandate.phone, PURPOSE, context={"mandate": mandate.id},
                                   current_id=mandate.challenge_id, resend=resend,
                                   send=messages.consent_code(mandate))
    if challenge.id != mandate.challenge_id:
        mandate.challenge_id = challenge.id
        Mandate.update(challenge_id=challenge.id).where(Mandate.id == mandate.id).execute()
    return mandate


def confirm_code(mandate: Mandate, code: str) -> codes.CheckResult:
    """Check the code she read out; start the mandate when it is right."""
    result = codes.check_code(mandate.challenge_id, code)
    if result.status in ("ok", "double_tap"):
        _start(mandate, CODE)
    return result


def confirm_paper(mandate: Mandate, data: bytes) -> MandatePaper:
    """Keep the photo of the signed paper and start the mandate; raises UploadRejected."""
    stored = storage.store_upload(data)
    try:
        with database.atomic():
            MandatePaper.delete().where(MandatePaper.mandate == mandate).execute()
            paper = MandatePaper.from_upload(stored, mandate=mandate)
            _start(mandate, PAPER)
    except Exception:
        storage.delete(stored.name)
        raise
    return paper


def _citizen_for(mandate: Mandate) -> Citizen:
    citizen, created = Citizen.get_or_create_by_phone(mandate.phone)
    if created:
        citizen.full_name, citizen.commune = mandate.person_name, mandate.commune_id
        citizen.save()
    return citizen


def _start(mandate: Mandate, evidence: str) -> None:
    if mandate.confirmed_at is not None:
        return  # a double tap: already started
    now = utcnow()
    with database.atomic():
        citizen = _citizen_for(mandate)
        started = (Mandate.update(citizen=citizen, evidence=evidence, confirmed_at=now,
                                  starts_at=now, ends_at=now + _lifetime())
                   .where((Mandate.id == mandate.id) & Mandate.confirmed_at.is_null())
                   .execute())
        if not started:
            return
        mandate.citizen, mandate.evidence, mandate.confirmed_at = citizen, evidence, now
        mandate.starts_at, mandate.ends_at = now, now + _lifetime()
        audit.record("mandate.started", object_type="mandate", object_id=mandate.id,
                     detail={"evidence": evidence, "citizen": citizen.id,
                             "helper": mandate.helper_id})
        messages.started(mandate)


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["MANDATE_DAYS"])


def end(mandate: Mandate, *, citizen=None, staff=None, reason: str = "") -> bool:
    """End a mandate now (by her, or by staff with a reason); False if it had already ended.

    Ended by the office, the citizen and the helper are told why, in the same transaction: a
    helper who finds her pages closed must know it was not a fault of hers.
    """
    with database.atomic():
        ended = (Mandate.update(revoked_at=utcnow(), revoked_by_citizen=citizen,
                                revoked_by_staff=staff, end_reason=reason)
                 .where((Mandate.id == mandate.id) & Mandate.revoked_at.is_null()).execute())
        if not ended:
            return False
        detail = {"citizen": mandate.citizen_id, "helper": mandate.helper_id}
        if staff is not None:
            detail.update(by_staff=staff.id, reason=reason)
            messages.ended_by_office(mandate, reason)
        audit.record("mandate.ended", object_type="mandate", object_id=mandate.id,
                     detail=detail)
    return True


def live_of_helper(helper, mandate_id) -> Mandate | None:
    """The helper's own live mandate with this id, or None (anything else is not hers)."""
    return Mandate.held_by(helper).where(Mandate.id == mandate_id).first()


def may_start_dossier(mandate: Mandate) -> bool:
    """A one-dossier mandate covers the first dossier sent under it, and no other."""
    return mandate.is_live() and not (mandate.scope == DOSSIER and mandate.dossier_id)


def covers(mandate_id, helper, citizen_id, now: dt.datetime | None = None) -> bool:
    """Whether a live mandate with this id names this helper for this citizen."""
    if not mandate_id or helper is None:
        return False
    return (Mandate.live(now).where((Mandate.id == mandate_id) & (Mandate.helper == helper)
                                    & (Mandate.citizen == citizen_id)).exists())


def live_for(helper, citizen, procedure, now: dt.datetime | None = None) -> Mandate | None:
    """The newest live mandate naming this helper for this citizen and procedure, or None: a
    mandate for one procedure allows nothing for another (either scope: a one-dossier mandate
    still covers her visit to the shop for that procedure)."""
    if helper is None or citizen is None or procedure is None:
        return None
    return (Mandate.live(now)
            .where((Mandate.helper == helper) & (Mandate.citizen == citizen)
                   & (Mandate.procedure == procedure))
            .order_by(Mandate.confirmed_at.desc(), Mandate.id.desc()).first())


def record_dossier(mandate_id, dossier_id: int) -> None:
    """Note the dossier sent under a mandate (in the sender's transaction)."""
    Mandate.update(dossier_id=dossier_id).where(
        (Mandate.id == mandate_id) & Mandate.dossier_id.is_null()).execute()


# --- Housekeeping ---------------------------------------------------------------------------


def purge(now: dt.datetime | None = None) -> str:
    """Requests nobody consented to (a day old), and papers' photos long after the end."""
    now = now or utcnow()
    with database.connection_context():
        pending = (Mandate.delete().where(Mandate.confirmed_at.is_null()
                                          & (Mandate.created_at < now - PENDING_RETENTION))
                   .execute())
        cutoff = now - dt.timedelta(days=current_app.config["MANDATE_PAPER_RETENTION_DAYS"])
        old = (MandatePaper.select().join(Mandate)
               .where((Mandate.revoked_at < cutoff)
                      | (Mandate.revoked_at.is_null() & (Mandate.ends_at < cutoff))))
        names = [paper.storage_name for paper in old]
        if names:
            MandatePaper.delete().where(MandatePaper.storage_name.in_(names)).execute()
    for name in names:
        storage.delete(name)
    return (f"Deleted {pending} consent request(s) nobody agreed to and {len(names)} photo(s) "
            "of authorisation papers of mandates ended long ago.")
