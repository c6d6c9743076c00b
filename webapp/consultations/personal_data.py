"""What the consultations room holds about a citizen (her answers, for "Dữ liệu của tôi" and
deletion requests), and the daily clean-up of answers never sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from peewee import JOIN

from webapp.consultations import services
from webapp.consultations.models import Consultation, ConsultationAnswer, Question
from webapp.core.clock import local_today
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date


def _rows(citizen):
    return (ConsultationAnswer.select(ConsultationAnswer, Consultation)
            .join(Consultation, JOIN.INNER)
            .where(ConsultationAnswer.citizen == citizen)
            .order_by(ConsultationAnswer.created_at.desc()))


def _answers_in_words(row: ConsultationAnswer) -> tuple[tuple, dict]:
    questions = list(Question.select().where(Question.consultation == row.consultation_id)
                     .order_by(Question.position))
    answers = row.answers or {}
    pairs = [(q.text, services.shown_answer(q, answers.get(str(q.id)))) for q in questions]
    return tuple(pairs), {text: shown for text, shown in pairs}


def _item(row: ConsultationAnswer) -> Item:
    facts, in_words = _answers_in_words(row)
    sent = (_l("Sent on"), format_date(row.sent_at) if row.sent_at else _l("Not sent"))
    business = ((_l("For the household business"), f"{row.business_name} ({row.tax_code})"),
                ) if row.as_business else ()
    return Item(
        title=_l("Your answers: %(title)s", title=row.consultation.title),
        facts=(sent, *business, *facts),
        data={"consultation": row.consultation.title, "phone": row.phone,
              "commune": row.commune.name if row.commune_id else None,
              "as_business": row.as_business, "business_name": row.business_name,
              "tax_code": row.tax_code, "answers": in_words,
              "sent_at": row.sent_at.isoformat() if row.sent_at else None})


def collect(citizen) -> list[Item]:
    return [_item(row) for row in _rows(citizen)]


def erase(citizen) -> int:
    """Her answers to consultations still open go; those already counted in published results
    stay only as anonymous counts (no phone, no account, no business)."""
    today = local_today()
    rows = list(_rows(citizen))
    for row in rows:
        if row.consultation.is_closed(today) and row.sent_at is not None:
            ConsultationAnswer.update(citizen=None, phone=f"xoa-{row.id}", business_name="",
                                      tax_code="").where(ConsultationAnswer.id == row.id).execute()
        else:
            ConsultationAnswer.delete().where(ConsultationAnswer.id == row.id).execute()
    return len(rows)


def purge_unsent() -> str:
    """Answers started but never sent, once their consultation has closed."""
    closed = Consultation.select(Consultation.id).where(Consultation.closes_on < local_today())
    deleted = ConsultationAnswer.delete().where(
        ConsultationAnswer.sent_at.is_null() & ConsultationAnswer.consultation.in_(closed)
    ).execute()
    return f"Deleted {deleted} answer(s) never sent to consultations now closed."


CONSULTATIONS = Section("consultations", _l("Your answers to consultations"), collect, erase,
                        order=60)
