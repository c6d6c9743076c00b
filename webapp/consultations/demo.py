"""Demonstration consultations (development only): one open province-wide, and one closed with
answers, its results and what the province will do, so `make run` shows every page."""

from __future__ import annotations

import datetime as dt
import random

from flask import current_app

from webapp.consultations.models import (
    MULTIPLE,
    SCALE,
    SINGLE,
    TEXT,
    Consultation,
    ConsultationAnswer,
    Question,
)
from webapp.core.clock import local_today, utcnow
from webapp.core.db import database
from webapp.places.models import Commune

OPEN_TITLE = "Đường nào trong tỉnh cần sửa trước năm 2027?"
CLOSED_TITLE = "Đường nào trong tỉnh cần sửa trong năm 2026?"
QUESTIONS = (
    (SINGLE, "Ông/Bà đi đường nào nhiều nhất?", ["Quốc lộ 22B", "Đường tỉnh 784", "Đường 30/4"]),
    (MULTIPLE, "Đường cần gì nhất?", ["Vá ổ gà", "Đèn chiếu sáng", "Vỉa hè", "Biển báo"]),
    (SCALE, "Đường hiện nay làm Ông/Bà lo đến mức nào?", []),
    (TEXT, "Ông/Bà muốn nói thêm điều gì?", []),
)


def _consultation(title: str, opens_on: dt.date, closes_on: dt.date) -> Consultation:
    consultation = Consultation.create(
        title=title, asker="Sở Xây dựng tỉnh Tây Ninh",
        purpose="Ý kiến của người dân giúp tỉnh chọn việc làm trước trong năm tới.",
        description="Tỉnh có ngân sách sửa một số tuyến đường. Xin Ông/Bà cho biết ý kiến.",
        opens_on=opens_on, closes_on=closes_on, published_at=utcnow())
    for position, (kind, text, options) in enumerate(QUESTIONS, start=1):
        Question.create(consultation=consultation, position=position, kind=kind, text=text,
                        options=options)
    return consultation


def _answers(consultation: Consultation, count: int) -> None:
    draw = random.Random(2026)
    communes = [c.id for c in Commune.in_order().limit(12)]
    questions = list(Question.select().where(Question.consultation == consultation)
                     .order_by(Question.position))
    now = utcnow()
    rows = []
    for index in range(count):
        answers = {str(questions[0].id): draw.randrange(3),
                   str(questions[1].id): sorted(draw.sample(range(4), draw.randint(1, 3))),
                   str(questions[2].id): draw.randint(1, 5),
                   str(questions[3].id): "Cần thêm đèn ở đoạn gần chợ." if index % 7 == 0 else ""}
        rows.append({"consultation": consultation, "phone": f"demo-{index}",
                     "commune": draw.choice(communes), "answers": answers, "draft": {},
                     "created_at": now, "updated_at": now, "sent_at": now})
    ConsultationAnswer.insert_many(rows).execute()


def load_demo_consultations() -> list[str]:
    if current_app.config.get("APP_ENV") == "production":
        return ["Demo consultations: skipped (APP_ENV=production)."]
    today = local_today()
    with database.atomic():
        Consultation.delete().where(Consultation.title.in_([OPEN_TITLE, CLOSED_TITLE])).execute()
        _consultation(OPEN_TITLE, today - dt.timedelta(days=3), today + dt.timedelta(days=27))
        closed = _consultation(CLOSED_TITLE, today - dt.timedelta(days=40),
                               today - dt.timedelta(days=10))
        _answers(closed, 240)
        Consultation.update(outcome="Tỉnh sửa Đường tỉnh 784 trước, vá ổ gà và thêm đèn chiếu "
                                    "sáng, xong trước tháng 12 năm 2026.",
                            outcome_published_at=utcnow()).where(
            Consultation.id == closed.id).execute()
    return ["Demo consultations: one open, one closed with 240 answers and its outcome."]
