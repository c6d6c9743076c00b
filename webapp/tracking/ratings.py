"""The citizen's rating of the service once an item is finished: five faces and a comment.

One rating per item, kept by a unique key on the kind's rating table: a second tap or another
tab cannot rate twice, and the first rating stands.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.core.forms import Field, FieldError, Form

COMMENT_MAX_CHARS = 500
FACES = (
    (1, _l("Very unhappy")),
    (2, _l("Unhappy")),
    (3, _l("Neither happy nor unhappy")),
    (4, _l("Happy")),
    (5, _l("Very happy")),
)


def rating_form(formdata=None) -> Form:
    """The five faces (required) and an optional comment."""

    def clean_score(raw: str) -> int:
        if raw not in {str(score) for score, _label in FACES}:
            raise FieldError(_("Choose one of the five faces."))
        return int(raw)

    def clean_comment(raw: str) -> str:
        if len(raw) > COMMENT_MAX_CHARS:
            raise FieldError(_("Please write at most %(count)d characters.",
                               count=COMMENT_MAX_CHARS))
        return raw

    return Form([Field("score", required_message=_("Choose one of the five faces."),
                       clean=clean_score),
                 Field("comment", clean=clean_comment)], formdata)


def save_rating(rating_model, item_field: str, item_id: int, form: Form) -> bool:
    """Keep a validated rating; False when the item was rated already (the first one stands)."""
    try:
        with database.atomic():
            rating_model.create(**{item_field: item_id}, score=form.data["score"],
                                comment=form.data["comment"] or "", created_at=utcnow())
    except IntegrityError:
        return False
    return True


def face_label(score: int):
    """The words of a face, for "you rated it: ..."."""
    return dict(FACES)[score]
