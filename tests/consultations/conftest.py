"""The back office's fixtures for preparing data, and consultations made in the database."""

from __future__ import annotations

import datetime as dt

from tests.backoffice.conftest import in_app  # noqa: F401
from webapp.consultations.models import (
    EVERYONE,
    MULTIPLE,
    SCALE,
    SINGLE,
    TEXT,
    Consultation,
    ConsultationCommune,
    Question,
)
from webapp.core.clock import local_today, utcnow


def make_consultation(*, commune=None, audience=EVERYONE, communes=(), published=True,
                      opens_on=None, closes_on=None, title="Chợ mới của xã đặt ở đâu?",
                      with_questions=True) -> Consultation:
    """A consultation open today (unless told otherwise) with one question of each kind."""
    today = local_today()
    consultation = Consultation.create(
        title=title, asker="UBND xã Thử", purpose="Để chọn nơi xây chợ mới.",
        description="Ba nơi được đề xuất.", audience=audience,
        opens_on=opens_on or today - dt.timedelta(days=1),
        closes_on=closes_on or today + dt.timedelta(days=10), commune=commune,
        published_at=utcnow() if published else None)
    for commune_row in communes:
        ConsultationCommune.create(consultation=consultation, commune=commune_row)
    if with_questions:
        for position, (kind, text, options) in enumerate((
                (SINGLE, "Ông/Bà chọn nơi nào?", ["Gần trường", "Gần chùa", "Bờ sông"]),
                (MULTIPLE, "Chợ cần có gì?", ["Bãi xe", "Nhà vệ sinh", "Mái che"]),
                (SCALE, "Ông/Bà cần chợ mới đến mức nào?", []),
                (TEXT, "Ý kiến khác", [])), start=1):
            Question.create(consultation=consultation, position=position, kind=kind, text=text,
                            options=options)
    return consultation
