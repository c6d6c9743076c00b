"""What happens to drafts and dossiers: start a draft, save an answer, submit exactly once, purge.

Views call these; they hold the rules about the database so that views stay a few lines long.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from blinker import Namespace
from flask import current_app
from peewee import IntegrityError

from webapp.catalogue import Procedure
from webapp.core.clock import calendar, local_date, utcnow
from webapp.core.db import database, write_transaction
from webapp.core.forms import FieldError
from webapp.dossiers import fields, handover, lifecycle, messages
from webapp.dossiers.formdefs import FormDefinition
from webapp.dossiers.models import Attachment, Dossier, DossierDraft, DossierEvent
from webapp.dossiers.wizard import Wizard
from webapp.mandates import services as mandates
from webapp.places.models import Commune
from webapp.privacy import record_consent
from webapp.tracking.codes import new_code
from webapp.uploads import storage

CODE_ATTEMPTS = 5
CONSENT_PURPOSE = "dossier_processing"
CONSENT_WORDING = "dossier-declaration-2026-01"

# Sent once a submission is committed, before the response is written. Operators can hang
# metrics on it; the crash test uses it to kill the server at the worst possible moment.
signals = Namespace()
submission_committed = signals.signal("dossier-submission-committed")


def forms() -> dict[str, FormDefinition]:
    """Every online form, by procedure code (read and checked when the app started)."""
    return current_app.extensions["dossier_forms"]


def form_for(procedure: Procedure) -> FormDefinition | None:
    return forms().get(procedure.code)


def communes_by_code() -> dict[str, str]:
    """{code: name} of the province's communes, read once per process (they change yearly)."""
    cache = current_app.extensions.setdefault("dossier_communes", {})
    if not cache:
        cache.update({c.code: c.name for c in Commune.in_order()})
    return cache


def retention() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["DRAFT_RETENTION_DAYS"])


def field_context(answers: Mapping[str, Any], citizen=None,
                  form: FormDefinition | None = None) -> fields.Context:
    return fields.Context(answers=answers, communes=communes_by_code(),
                          today=local_date(utcnow()),
                          contact_field=form.phone_field if form else "",
                          verified_phones=verified_phones(citizen))


def verified_phones(citizen) -> frozenset[str]:
    """The numbers this citizen confirmed with a code: the account's (sign-in or change)."""
    return frozenset({citizen.phone}) if citizen is not None and citizen.phone else frozenset()


class UnverifiedContactPhone(Exception):
    """The draft's contact number is not (or no longer) one the citizen confirmed."""



# --- Prefilling from what the citizen already told us ------------------------------------------


def _profile_facts(citizen) -> dict[str, Any]:
    commune = citizen.commune_id and Commune.get_or_none(Commune.id == citizen.commune_id)
    return {
        "full_name": citizen.full_name or None,
        "date_of_birth": citizen.date_of_birth.isoformat() if citizen.date_of_birth else None,
        "citizen_id": citizen.citizen_id or None,
        "phone": citizen.phone or None,
        "commune": commune.code if commune else None,
        "address": citizen.address or None,
    }


def _remembered_facts(citizen, limit: int = 5) -> dict[str, Any]:
    """Facts the citizen gave in recent dossiers, for what the profile lacks (never ask twice)."""
    facts: dict[str, Any] = {}
    for dossier in Dossier.of_citizen(citizen).limit(limit):
        form = forms().get(dossier.procedure.code)
        for question in form.questions if form else ():
            if question.prefill and question.name in dossier.answers:
                facts.setdefault(question.prefill, dossier.answers[question.name])
    return facts


def _still_valid(form: FormDefinition, name: str, value: Any, answers: dict, citizen) -> bool:
    """Run a prefilled value through its question's rules, as if the citizen had typed it."""
    question = form.question(name)
    raw = fields.input_value(question, value)
    try:
        fields.CLEANERS[question.type](raw, question, field_context(answers, citizen, form))
    except (FieldError, ValueError):
        return False
    return True


def profile_answers(citizen, form: FormDefinition) -> dict[str, Any]:
    """Answers known before the first question: the profile first, then recent dossiers."""
    profile = _profile_facts(citizen)
    remembered = None
    answers: dict[str, Any] = {}
    for question in form.questions:
        if not question.prefill:
            continue
        value = profile.get(question.prefill)
        if value is None:
            remembered = _remembered_facts(citizen) if remembered is None else remembered
            value = remembered.get(question.prefill)
        if value is not None and _still_valid(form, question.name, value, answers, citizen):
            answers[question.name] = value
    return answers


# --- Drafts ---------------------------------------------------------------------------------------


def new_draft(citizen, procedure: Procedure, form: FormDefinition,
              submission_key: str | None = None, mandate=None) -> DossierDraft:
    """A draft prefilled from the profile, not saved yet (the first question is shown on it).
    `mandate`: a helper fills it in for her under that mandate."""
    answers = profile_answers(citizen, form)
    now = utcnow()
    return DossierDraft(
        token=secrets.token_urlsafe(16), procedure=procedure, citizen=citizen, answers=answers,
        prefilled=sorted(answers), submission_key=submission_key or secrets.token_urlsafe(24),
        created_at=now, updated_at=now, expires_at=now + retention(), mandate=mandate,
    )


def start_draft(citizen, procedure: Procedure, form: FormDefinition,
                mandate=None) -> DossierDraft:
    """A new draft, prefilled, saved; its submission key is fixed now, so every submit of it
    is one. `mandate`: a helper fills it in for her under that mandate."""
    draft = new_draft(citizen, procedure, form, mandate=mandate)
    draft.save(force_insert=True)
    return draft


START_KEY = re.compile(r"[A-Za-z0-9_-]{24,64}")


class NotYours(Exception):
    """A start key that names another citizen's draft: refused, never reused."""


def draft_in_progress(citizen, procedure: Procedure) -> DossierDraft | None:
    return DossierDraft.in_progress(citizen).where(DossierDraft.procedure == procedure).first()


def open_draft(citizen, procedure: Procedure, form: FormDefinition,
               start_key: str = "") -> DossierDraft:
    """The citizen's one unsent draft of this procedure, started now if there is none.

    Idempotent: tapping "Start" twice, or two tabs, give the same draft. The start page's
    random key becomes the new draft's submission key, so two requests racing past the
    look-up still make one row (the key is unique); the loser finds the winner's draft.
    """
    existing = draft_in_progress(citizen, procedure)
    if existing is not None:
        return existing
    key = start_key if START_KEY.fullmatch(start_key or "") else None
    draft = new_draft(citizen, procedure, form, submission_key=key)
    try:
        with database.atomic():
            draft.save(force_insert=True)
    except IntegrityError:
        draft = DossierDraft.get_or_none(DossierDraft.submission_key == key)
        if draft is None or draft.citizen_id != citizen.id:
            raise NotYours from None
    return draft


def restart_draft(citizen, procedure: Procedure, form: FormDefinition) -> DossierDraft:
    """Delete the unsent drafts of this procedure and start again from the first question."""
    for draft in DossierDraft.in_progress(citizen).where(DossierDraft.procedure == procedure):
        discard_draft(draft)
    return start_draft(citizen, procedure, form)


def save_answer(draft: DossierDraft, name: str, value: Any) -> None:
    """Keep one answer on the server at once, so nothing typed is lost if the phone drops."""
    draft.answers = {**draft.answers, name: value}
    touch(draft)


def touch(draft: DossierDraft) -> None:
    """Record activity: the draft is kept for the retention period after its last change."""
    now = utcnow()
    draft.updated_at, draft.expires_at = now, now + retention()
    draft.save()


def draft_wizard_of_answers(draft: DossierDraft, form: FormDefinition) -> Wizard:
    """The wizard of a draft that has no photos (one not saved yet)."""
    return Wizard(form, draft.answers, set(draft.prefilled or ()))


def draft_wizard(draft: DossierDraft, form: FormDefinition) -> Wizard:
    counts: dict[str, int] = {}
    sides: dict[str, set[str]] = {}
    for attachment in Attachment.of_draft(draft):
        counts[attachment.paper_key] = counts.get(attachment.paper_key, 0) + 1
        if attachment.side:
            sides.setdefault(attachment.paper_key, set()).add(attachment.side)
    return Wizard(form, draft.answers, set(draft.prefilled or ()), counts, sides)


def discard_draft(draft: DossierDraft) -> None:
    """Delete a draft and its photos (the citizen chose to, or it expired)."""
    names = [a.storage_name for a in Attachment.of_draft(draft)]
    with database.atomic():
        Attachment.delete().where(Attachment.draft == draft).execute()
        draft.delete_instance()
    for name in names:
        storage.delete(name)


def forget_kiosk_drafts(citizen, since: dt.datetime) -> None:
    """At a kiosk, when the visitor leaves: delete the drafts she started there and did not
    send, with their photos (drafts she started on her own phone, or took there from the
    kiosk's QR code, stay hers)."""
    started_here = (DossierDraft.select()
                    .where((DossierDraft.citizen == citizen) & DossierDraft.dossier.is_null()
                           & (DossierDraft.created_at >= since)
                           & DossierDraft.id.not_in(handover.handed_over_ids())))
    for draft in list(started_here):
        discard_draft(draft)


def purge_expired_drafts(now: dt.datetime | None = None) -> int:
    """Delete every expired draft with its photos; return how many. Run daily by cron."""
    expired = list(DossierDraft.expired(now))
    for draft in expired:
        discard_draft(draft)
    return len(expired)


# --- Submitting exactly once ----------------------------------------------------------------------


def due_date_for(procedure: Procedure, submitted_at: dt.datetime) -> dt.date:
    """The day the answer is due: the procedure's working days from the day it was sent."""
    return calendar().due_date(local_date(submitted_at), procedure.processing_working_days)


def submit_draft(draft: DossierDraft, wizard: Wizard, citizen, helper=None) -> Dossier:
    """Turn the draft into its one dossier, or return the dossier it already became.

    A double tap, a retry after a dropped connection and a second tab all carry the same
    submission key: whichever commits first creates the dossier; the others find it, either
    before writing or when the unique constraint on the key refuses their insert. `citizen`
    is always the owner; `helper`, the volunteer who sent it for her under the draft's mandate.
    """
    existing = Dossier.by_submission_key(draft.submission_key)
    if existing:
        return existing
    if wizard.submitted_answers()[wizard.form.phone_field] not in verified_phones(citizen):
        raise UnverifiedContactPhone  # the account's number changed since it was answered
    for _attempt in range(CODE_ATTEMPTS):
        try:
            dossier, leftovers = _write_dossier(draft, wizard, citizen, helper)
        except IntegrityError:
            existing = Dossier.by_submission_key(draft.submission_key)
            if existing:
                return existing
            continue  # the random code was taken: draw another
        for name in leftovers:
            storage.delete(name)
        submission_committed.send(current_app._get_current_object(), dossier=dossier)
        return dossier
    raise RuntimeError("no free dossier code after several attempts")


def _write_dossier(draft: DossierDraft, wizard: Wizard, citizen,
                   helper=None) -> tuple[Dossier, list[str]]:
    form = wizard.form
    with write_transaction():
        existing = Dossier.by_submission_key(draft.submission_key)
        if existing:
            return existing, []
        answers = wizard.submitted_answers()
        procedure = Procedure.get_by_id(draft.procedure_id)
        now = utcnow()
        dossier = Dossier.create(
            code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), procedure=procedure,
            citizen=citizen, commune=Commune.get(Commune.code == answers[form.commune_field]),
            status=lifecycle.SUBMITTED, answers=answers,
            contact_phone=answers[form.phone_field], submission_key=draft.submission_key,
            submitted_at=now, due_date=due_date_for(procedure, now), updated_at=now, version=1,
            mandate=draft.mandate_id,
        )
        # Who acted for whom: the owner, and the helper who sent it for her.
        DossierEvent.create(dossier=dossier, created_at=now, kind="submitted",
                            to_status=lifecycle.SUBMITTED, actor_citizen=citizen,
                            actor_staff=helper)
        if draft.mandate_id:
            mandates.record_dossier(draft.mandate_id, dossier.id)
        leftovers = _move_photos(draft, dossier, wizard.visible_paper_keys())
        # The draft stays as a pointer until it expires, so an old tab lands on the receipt;
        # the answers now live on the dossier only.
        DossierDraft.update(dossier=dossier, answers={}, updated_at=now).where(
            DossierDraft.id == draft.id).execute()
        # The declaration's consent, kept with what it was given for (templates/dossiers/
        # _declaration-form.html holds the words of this version).
        record_consent(citizen, CONSENT_PURPOSE, CONSENT_WORDING, reference=dossier.code)
        messages.submitted(dossier, procedure.content["vi"]["title"],
                           communes_by_code().get(dossier.commune.code, ""))
    return dossier, leftovers


def _move_photos(draft: DossierDraft, dossier: Dossier, paper_keys: set[str]) -> list[str]:
    """Attach the photos of visible papers; return the files of the others, to delete."""
    Attachment.update(dossier=dossier, draft=None).where(
        (Attachment.draft == draft) & Attachment.paper_key.in_(sorted(paper_keys))).execute()
    unused = list(Attachment.select().where(Attachment.draft == draft))
    Attachment.delete().where(Attachment.draft == draft).execute()
    return [a.storage_name for a in unused]
