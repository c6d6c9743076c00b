"""What happens to report drafts and reports: start, save an answer, photos, send exactly once,
similar open reports and "Tôi cũng gặp", and the daily purge of expired drafts.

Views call these and stay short. Limits (REPORTS_PER_PHONE_PER_HOUR, REPORTS_PER_ADDRESS_PER_HOUR)
count in `core.ratelimit`, shared by every worker; a retried send of the same draft is the same
report and counts nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from flask import current_app, request
from flask_babel import gettext as _
from peewee import IntegrityError

from webapp.core import ratelimit
from webapp.core.clock import calendar, local_date, utcnow
from webapp.core.db import database, is_postgres
from webapp.places.models import Commune
from webapp.reports import lifecycle, messages
from webapp.reports.models import (
    Report,
    ReportDraft,
    ReportEvent,
    ReportFollower,
    ReportPhoto,
)
from webapp.reports.steps import working_days
from webapp.tracking.codes import new_code
from webapp.uploads import UploadRejected, storage
from webapp.uploads.messages import rejection_message

CODE_ATTEMPTS = 5
SIMILAR_SHOWN = 5
PHOTO_TYPES = ("image/jpeg",)


def retention() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["REPORT_DRAFT_DAYS"])


def write_transaction():
    """Take SQLite's write lock at once, so concurrent sends queue instead of failing."""
    return database.atomic() if is_postgres() else database.atomic("IMMEDIATE")


# --- Drafts -----------------------------------------------------------------------------------


def start_draft(citizen) -> ReportDraft:
    """A new draft; the commune of her profile is proposed (she can change it)."""
    now = utcnow()
    answers = {}
    if citizen.commune_id:
        answers["commune"] = Commune.get_by_id(citizen.commune_id).code
    return ReportDraft.create(token=secrets.token_urlsafe(16), citizen=citizen,
                              answers=answers, submission_key=secrets.token_urlsafe(24),
                              created_at=now, updated_at=now, expires_at=now + retention())


def save_answers(draft: ReportDraft, values: dict) -> None:
    draft.answers = {**draft.answers, **values}
    touch(draft)


def touch(draft: ReportDraft) -> None:
    now = utcnow()
    draft.updated_at, draft.expires_at = now, now + retention()
    draft.save()


def discard_draft(draft: ReportDraft) -> None:
    names = [photo.storage_name for photo in ReportPhoto.of_draft(draft)]
    with database.atomic():
        ReportPhoto.delete().where(ReportPhoto.draft == draft).execute()
        draft.delete_instance()
    for name in names:
        storage.delete(name)


def purge_expired_drafts(now: dt.datetime | None = None) -> int:
    expired = list(ReportDraft.expired(now).where(ReportDraft.report.is_null()))
    for draft in expired:
        discard_draft(draft)
    sent = ReportDraft.delete().where(ReportDraft.expires_at <= (now or utcnow())).execute()
    return len(expired) + sent


# --- Photos -----------------------------------------------------------------------------------


@dataclass
class PhotoOutcome:
    added: int = 0
    errors: list = field(default_factory=list)


def _add_one(draft: ReportDraft, data: bytes) -> None:
    stored = storage.store_upload(data)
    if stored.upload.media_type not in PHOTO_TYPES:
        storage.delete(stored.name)
        raise NotAPhoto
    try:
        ReportPhoto.from_upload(stored, draft=draft, citizen=draft.citizen_id)
    except Exception:
        storage.delete(stored.name)
        raise


class NotAPhoto(Exception):
    """A PDF or another document: a report takes photos only."""


def add_photos(draft: ReportDraft, files: list[bytes]) -> PhotoOutcome:
    """Add each photo that passes the uploads room's checks; refuse the others, one sentence
    each. At most REPORT_MAX_PHOTOS photos a report."""
    outcome = PhotoOutcome()
    limit = current_app.config["REPORT_MAX_PHOTOS"]
    room = limit - ReportPhoto.of_draft(draft).count()
    if not files:
        outcome.errors.append(_("Choose a photo to add, or take one with the camera."))
    for number, data in enumerate(files, start=1):
        if outcome.added >= room:
            outcome.errors.append(_("You can add at most %(max)d photos. Remove one before "
                                    "adding another.", max=limit))
            break
        try:
            _add_one(draft, data)
            outcome.added += 1
        except (UploadRejected, NotAPhoto) as rejection:
            message = (_("This file is not a photo. Choose a photo (JPEG, PNG or HEIC).")
                       if isinstance(rejection, NotAPhoto) else rejection_message(rejection))
            outcome.errors.append(message if len(files) == 1 else _(
                "Photo %(number)d: %(problem)s", number=number, problem=message))
    if outcome.added:
        touch(draft)
    return outcome


def remove_photo(draft: ReportDraft, photo_id: int) -> bool:
    photo = ReportPhoto.get_or_none((ReportPhoto.id == photo_id) & (ReportPhoto.draft == draft))
    if photo is None:
        return False
    photo.delete_instance()
    storage.delete(photo.storage_name)
    touch(draft)
    return True


# --- Similar open reports and "Tôi cũng gặp" ---------------------------------------------------


def similar_open(commune_code: str, category: str, citizen=None, limit: int = SIMILAR_SHOWN):
    """Open reports of the same commune and category, newest first (never merged ones)."""
    query = (Report.select(Report).join(Commune)
             .where((Commune.code == commune_code) & (Report.category == category)
                    & Report.status.in_(lifecycle.OPEN_STATUSES))
             .order_by(Report.submitted_at.desc(), Report.id.desc()).limit(limit))
    if citizen is not None:
        query = query.where(Report.citizen != citizen)
    return list(query)


def follow(report: Report, citizen, reason: str = "same_problem") -> tuple[ReportFollower, bool]:
    """Add her to a report's followers (once); (follower, added now)."""
    existing = ReportFollower.get_or_none((ReportFollower.report == report)
                                          & (ReportFollower.citizen == citizen))
    if existing:
        return existing, False
    try:
        with database.atomic():
            follower = ReportFollower.create(report=report, citizen=citizen,
                                             phone=citizen.phone, reason=reason)
            if reason == "same_problem":
                messages.joined(report, follower)
    except IntegrityError:  # the same tap twice at once: one row wins
        return ReportFollower.get((ReportFollower.report == report)
                                  & (ReportFollower.citizen == citizen)), False
    return follower, True


# --- Sending exactly once ---------------------------------------------------------------------


class LimitReached(Exception):
    """Too many reports from this phone or this address in the last hour."""


REQUIRED = ("category", "commune", "description", "public")


def missing_answers(draft: ReportDraft) -> list[str]:
    return [name for name in REQUIRED if draft.answers.get(name) in (None, "")]


def _within_limits(phone: str) -> bool:
    config = current_app.config
    return (ratelimit.allow(f"report:phone:{phone}", config["REPORTS_PER_PHONE_PER_HOUR"], 3600)
            and ratelimit.allow(f"report:address:{request.remote_addr}",
                                config["REPORTS_PER_ADDRESS_PER_HOUR"], 3600))


def submit_draft(draft: ReportDraft, citizen) -> Report:
    """Turn the draft into its one report, or return the report it already became.

    Raises LimitReached when this phone or address sent too many reports in the last hour.
    """
    existing = Report.by_submission_key(draft.submission_key)
    if existing:
        return existing
    if not _within_limits(citizen.phone):
        raise LimitReached
    for _attempt in range(CODE_ATTEMPTS):
        try:
            return _write_report(draft, citizen)
        except IntegrityError:
            existing = Report.by_submission_key(draft.submission_key)
            if existing:
                return existing
    raise RuntimeError("no free report code after several attempts")


def _write_report(draft: ReportDraft, citizen) -> Report:
    answers = draft.answers
    place = answers.get("location") or {}  # only with her consent, rounded (location.py)
    with write_transaction():
        existing = Report.by_submission_key(draft.submission_key)
        if existing:
            return existing
        now = utcnow()
        report = Report(
            code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), citizen=citizen,
            commune=Commune.get(Commune.code == answers["commune"]),
            category=answers["category"], description=answers["description"],
            landmark=answers.get("landmark") or "", public=answers["public"] == "yes",
            anonymous=answers.get("anonymous") == "yes", status=lifecycle.SUBMITTED,
            latitude=place.get("latitude"), longitude=place.get("longitude"),
            contact_phone=citizen.phone, submission_key=draft.submission_key,
            submitted_at=now, updated_at=now, version=1)
        report.due_date = calendar().due_date(local_date(now), working_days(report))
        report.save(force_insert=True)
        ReportEvent.create(report=report, created_at=now, kind="submitted",
                           to_status=lifecycle.SUBMITTED, actor_citizen=citizen)
        ReportPhoto.update(report=report, draft=None).where(
            ReportPhoto.draft == draft).execute()
        ReportDraft.update(report=report, answers={}, updated_at=now).where(
            ReportDraft.id == draft.id).execute()
        messages.submitted(report)
    return report
