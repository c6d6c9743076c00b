"""What the public may read of a report: never a name, a phone or an ID number, no exact house
number, photos only where she allowed it, and nothing an officer hid (the original stays in the
record, for officers only)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from webapp.places.models import Commune
from webapp.reports import access
from webapp.reports.models import ReportPhoto

HIDDEN_WORDS = _l("Hidden by the commune")
# Runs of 6 or more digits (phones, ID numbers), even with spaces or dots between groups.
_LONG_NUMBER = re.compile(r"(?:\+?\d[\s.\-]?){6,}")
# A house number: "số 12", "sn 12/3", "nhà 45", or a number with a slash ("12/3A").
_HOUSE_NUMBER = re.compile(r"\b(?:số nhà|số|sn|nhà|so nha|so)\s*\d+[\w/]*|\b\d+/[\w/]+",
                           re.IGNORECASE)
MASK = "…"


def masked_text(text: str) -> str:
    """Text for the public: long numbers and house numbers replaced by an ellipsis."""
    return _HOUSE_NUMBER.sub(MASK, _LONG_NUMBER.sub(MASK, text or ""))


def photos_of(reports) -> dict[int, list]:
    """The photos of several reports in one query, by report id, each report's in order."""
    photos: dict[int, list] = {}
    query = (ReportPhoto.select().where(ReportPhoto.report.in_([r.id for r in reports]))
             .order_by(ReportPhoto.created_at, ReportPhoto.id))
    for photo in query:
        photos.setdefault(photo.report_id, []).append(photo)
    return photos


def commune_names(reports) -> dict[int, str]:
    """The names of these reports' communes, by id, in one query."""
    ids = {r.commune_id for r in reports}
    return {c.id: c.name for c in Commune.select(Commune.id, Commune.name)
            .where(Commune.id.in_(list(ids)))}


def public_view(report, photos: list, commune: str) -> dict:
    """The public parts of an answered report, for the public page; its photos and its
    commune's name come from `photos_of` and `commune_names`, read for the whole page."""
    photos = [p for p in photos if access.photo_public(p, report)]
    return {
        "code": report.code, "category": report.category, "commune": commune,
        "status": report.status, "submitted_at": report.submitted_at,
        "place": masked_text(report.landmark),
        "description": (None if report.description_hidden_reason
                        else masked_text(report.description)),
        "description_hidden": report.description_hidden_reason,
        "answer": None if report.answer_hidden_reason else masked_text(report.answer),
        "answer_hidden": report.answer_hidden_reason,
        "photos": photos,
    }
