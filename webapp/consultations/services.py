"""The consultations room's work: who may manage which consultation, making and publishing one
(audited), the draft document, and the answers: one row per confirmed phone, written with an
insert that gives way to the row already there, so concurrent sends from one phone leave one."""

from __future__ import annotations

import datetime as dt

from webapp.accounts.auth import staff_commune_ids
from webapp.accounts.models import ADMIN
from webapp.audit import log as audit
from webapp.consultations.models import (
    BUSINESSES,
    CITIZENS,
    EVERYONE,
    MULTIPLE,
    SINGLE,
    TEXT,
    Consultation,
    ConsultationAnswer,
    ConsultationCommune,
    ConsultationDocument,
    Question,
)
from webapp.core.clock import local_today, utcnow
from webapp.core.db import database, write_transaction
from webapp.places.models import Commune
from webapp.uploads import RejectionCode, UploadRejected, sniff_format, storage

DETAIL_FIELDS = ("title", "asker", "purpose", "description", "audience", "opens_on", "closes_on")
SAME_FORM_WINDOW = dt.timedelta(minutes=10)  # a double click or a retry: the same one again


# --- Who manages what --------------------------------------------------------------------------


def can_manage(staff, consultation: Consultation) -> bool:
    """Administrators: every consultation; officers: those of their communes."""
    if staff.role == ADMIN:
        return True
    return consultation.commune_id is not None and (
        consultation.commune_id in staff_commune_ids(staff))


def managed_by(staff):
    """The consultations `staff` manages, the newest first."""
    query = Consultation.select().order_by(Consultation.created_at.desc(), Consultation.id.desc())
    if staff.role != ADMIN:
        query = query.where(Consultation.commune.in_(sorted(staff_commune_ids(staff)) or [0]))
    return query


def audience_communes(consultation: Consultation) -> list[Commune]:
    return list(Commune.select().join(ConsultationCommune)
                .where(ConsultationCommune.consultation == consultation).order_by(Commune.id))


# --- Making a consultation ---------------------------------------------------------------------


def save_details(staff, consultation: Consultation | None, data: dict, commune,
                 communes: list) -> Consultation:
    """Create a consultation (`consultation` None) or change a draft's details, with the
    communes whose citizens may answer; audited."""
    now = utcnow()
    values = {name: data.get(name) or "" for name in DETAIL_FIELDS}
    if consultation is None:
        consultation = _just_made(staff, values["title"], now)
    with database.atomic():
        if consultation is None:
            consultation = Consultation.create(created_by=staff, commune=commune,
                                               created_at=now, updated_at=now, **values)
            action = "consultation.created"
        else:
            for name, value in values.items():
                setattr(consultation, name, value)
            consultation.updated_at = now
            consultation.save()
            action = "consultation.changed"
        ConsultationCommune.delete().where(
            ConsultationCommune.consultation == consultation).execute()
        if consultation.audience == CITIZENS:
            chosen = communes or ([commune] if commune is not None else [])
            ConsultationCommune.insert_many(
                [{"consultation": consultation, "commune": c} for c in chosen]).execute()
        audit.record(action, object_type="consultation", object_id=consultation.id,
                     detail={"title": consultation.title, "audience": consultation.audience})
    return consultation


def _just_made(staff, title: str, now) -> Consultation | None:
    """The draft this person made with this title a moment ago (the form sent twice)."""
    return (Consultation.select()
            .where((Consultation.created_by == staff) & (Consultation.title == title)
                   & Consultation.published_at.is_null()
                   & (Consultation.created_at >= now - SAME_FORM_WINDOW))
            .order_by(Consultation.id.desc()).first())


def store_document(consultation: Consultation, data: bytes) -> ConsultationDocument:
    """Keep the draft document (a PDF, cleaned by the uploads room) in place of any other."""
    if sniff_format(data) != "PDF":
        raise UploadRejected(RejectionCode.NOT_SUPPORTED)
    stored = storage.store_upload(data)
    with database.atomic():
        old = list(ConsultationDocument.select().where(
            ConsultationDocument.consultation == consultation))
        ConsultationDocument.delete().where(
            ConsultationDocument.consultation == consultation).execute()
        document = ConsultationDocument.from_upload(stored, consultation=consultation)
        audit.record("consultation.document_added", object_type="consultation",
                     object_id=consultation.id, detail={"size": document.size})
    for row in old:
        storage.delete(row.storage_name)
    return document


def document_of(consultation: Consultation) -> ConsultationDocument | None:
    return ConsultationDocument.get_or_none(ConsultationDocument.consultation == consultation)


def questions_of(consultation: Consultation) -> list[Question]:
    return list(Question.select().where(Question.consultation == consultation)
                .order_by(Question.position, Question.id))


def add_question(consultation: Consultation, kind: str, text: str, options: list[str]) -> Question:
    """Add a question at the end; the same question sent twice in a row is added once."""
    with write_transaction():
        latest = (Question.select().where(Question.consultation == consultation)
                  .order_by(Question.position.desc()).first())
        if latest and (latest.kind, latest.text, latest.options) == (kind, text, options):
            return latest
        last = latest.position if latest else 0
        question = Question.create(consultation=consultation, position=last + 1, kind=kind,
                                   text=text, options=options)
        audit.record("consultation.question_added", object_type="consultation",
                     object_id=consultation.id, detail={"question": question.id, "kind": kind})
    return question


def remove_question(consultation: Consultation, question_id: int) -> bool:
    with database.atomic():
        removed = Question.delete().where((Question.consultation == consultation)
                                          & (Question.id == question_id)).execute()
        if removed:
            audit.record("consultation.question_removed", object_type="consultation",
                         object_id=consultation.id, detail={"question": question_id})
    return bool(removed)


def publish(consultation: Consultation) -> bool:
    """Publish a draft once; False when it was already published (a double click)."""
    with database.atomic():
        done = (Consultation.update(published_at=utcnow(), updated_at=utcnow())
                .where((Consultation.id == consultation.id)
                       & Consultation.published_at.is_null()).execute())
        if done:
            audit.record("consultation.published", object_type="consultation",
                         object_id=consultation.id, detail={"title": consultation.title})
    return bool(done)


def write_outcome(consultation: Consultation, words: str) -> None:
    """What the province decided, shown on the consultation's page once it has closed."""
    now = utcnow()
    with database.atomic():
        Consultation.update(outcome=words, outcome_published_at=now, updated_at=now).where(
            Consultation.id == consultation.id).execute()
        audit.record("consultation.outcome_written", object_type="consultation",
                     object_id=consultation.id)


# --- Public lists ------------------------------------------------------------------------------


def open_now(today: dt.date | None = None):
    today = today or local_today()
    return (Consultation.published()
            .where((Consultation.opens_on <= today) & (Consultation.closes_on >= today))
            .order_by(Consultation.closes_on, Consultation.id))


def closed(today: dt.date | None = None, limit: int = 20):
    today = today or local_today()
    return (Consultation.published().where(Consultation.closes_on < today)
            .order_by(Consultation.closes_on.desc(), Consultation.id.desc()).limit(limit))


# --- Who may answer ----------------------------------------------------------------------------


def business_mode(consultation: Consultation) -> str:
    """Whether a person answering is asked if she answers for a business: "ask" (everyone),
    "always" (household businesses only) or "never" (citizens of some communes)."""
    return {EVERYONE: "ask", BUSINESSES: "always", CITIZENS: "never"}[consultation.audience]


def communes_for(consultation: Consultation) -> list[Commune]:
    """The communes a person answering may say she lives in."""
    if consultation.audience == CITIZENS:
        return audience_communes(consultation)
    return list(Commune.in_order())


# --- Answers -----------------------------------------------------------------------------------


def answer_of(consultation: Consultation, phone: str) -> ConsultationAnswer | None:
    return ConsultationAnswer.get_or_none((ConsultationAnswer.consultation == consultation)
                                          & (ConsultationAnswer.phone == phone))


def answer_row(consultation: Consultation, phone: str, citizen) -> ConsultationAnswer:
    """Her answer row, made the first time; two requests racing make one (the unique key)."""
    now = utcnow()
    (ConsultationAnswer.insert(consultation=consultation, phone=phone, citizen=citizen,
                               draft={}, answers={}, created_at=now, updated_at=now)
     .on_conflict_ignore().execute())
    return answer_of(consultation, phone)


def save_about(row: ConsultationAnswer, commune_id: int, as_business: bool, business_name: str,
               tax_code: str) -> None:
    ConsultationAnswer.update(
        commune=commune_id, as_business=as_business,
        business_name=business_name if as_business else "",
        tax_code=tax_code if as_business else "", updated_at=utcnow(),
    ).where(ConsultationAnswer.id == row.id).execute()


def save_draft_answer(row: ConsultationAnswer, question: Question, value) -> None:
    """Keep her answer to one question in her draft (the last write of a page wins)."""
    with write_transaction():
        fresh = ConsultationAnswer.get_by_id(row.id)
        draft = dict(fresh.draft or {})
        draft[str(question.id)] = value
        ConsultationAnswer.update(draft=draft, updated_at=utcnow()).where(
            ConsultationAnswer.id == row.id).execute()


def start_change(row: ConsultationAnswer) -> None:
    """Begin changing sent answers: the draft starts from what she sent."""
    if row.sent_at is not None and not row.draft:
        ConsultationAnswer.update(draft=dict(row.answers or {})).where(
            ConsultationAnswer.id == row.id).execute()


def shown_answer(question: Question, value) -> str:
    """An answer in words, as she chose it."""
    if value is None or value == "" or value == []:
        return "—"
    if question.kind == SINGLE:
        return question.options[value] if 0 <= value < len(question.options) else "—"
    if question.kind == MULTIPLE:
        return ", ".join(question.options[v] for v in value if 0 <= v < len(question.options))
    return str(value)


def unanswered(questions: list[Question], row: ConsultationAnswer) -> list[int]:
    """The numbers (from 1) of the choice and scale questions she has not answered yet."""
    answers = {**(row.answers or {}), **(row.draft or {})}
    return [number for number, question in enumerate(questions, start=1)
            if question.kind != TEXT and answers.get(str(question.id)) in (None, [], "")]


def send(consultation: Consultation, phone: str) -> bool:
    """Her draft becomes her answer (replacing one sent before); False when the consultation is
    no longer open. One statement on the one row: any number of sends leaves one answer."""
    if not consultation.is_open():
        return False
    with write_transaction():
        row = answer_of(consultation, phone)
        if row is None:
            return False
        answers = {**(row.answers or {}), **(row.draft or {})}
        first = row.sent_at is None
        ConsultationAnswer.update(answers=answers, draft={}, sent_at=utcnow(),
                                  updated_at=utcnow()).where(
            ConsultationAnswer.id == row.id).execute()
        audit.record("consultation.answered" if first else "consultation.answer_changed",
                     object_type="consultation", object_id=consultation.id)
    return True
