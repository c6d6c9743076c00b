"""The staff's article form: what each field accepts and the sentence when it does not."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from webapp.core.clock import local_to_utc
from webapp.core.forms import Field, FieldError, Form, at_most, one_of
from webapp.news.formatting import plain_text, sanitise
from webapp.news.models import AUDIENCES, COMMUNES, HAMLET, PROVINCE, TOPICS

TITLE_MAX, SUMMARY_MAX, BODY_MAX, ALT_MAX, HAMLET_MAX = 200, 500, 50_000, 300, 100




def _clean_body(raw: str) -> str:
    if len(raw) > BODY_MAX:
        raise FieldError(_("Please write at most %(count)d characters.", count=BODY_MAX))
    body = sanitise(raw)
    if not plain_text(body):
        raise FieldError(_("Write the article's text."))
    return body


def _clean_publish_at(raw: str) -> dt.datetime:
    """A local date and time from the browser's date-and-time box ("2026-12-24T07:30")."""
    try:
        moment = dt.datetime.strptime(raw, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise FieldError(_("Write the date and time like 24/12/2026 07:30.")) from None
    return local_to_utc(moment)


def article_form(formdata=None, initial=None) -> Form:
    topic_message = _("Choose the article's topic.")
    audience_message = _("Choose who the article is for.")
    return Form([
        Field("title", required_message=_("Write the title."), clean=at_most(TITLE_MAX)),
        Field("summary", required_message=_("Write a short summary."),
              clean=at_most(SUMMARY_MAX)),
        Field("body", required_message=_("Write the article's text."), clean=_clean_body),
        Field("topic", required_message=topic_message, clean=one_of(TOPICS, topic_message)),
        Field("audience", required_message=audience_message,
              clean=one_of(AUDIENCES, audience_message)),
        Field("communes"),
        Field("hamlet", clean=at_most(HAMLET_MAX)),
        Field("photo"),
        Field("photo_alt", clean=at_most(ALT_MAX)),
        Field("publish_at", clean=_clean_publish_at),
    ], formdata, initial=initial or {})


def check_audience(form: Form, chosen: list[int], allowed: set[int], may_choose_province: bool):
    """Errors the fields alone cannot see: the communes chosen, the hamlet's name."""
    audience = form.data.get("audience")
    if audience == PROVINCE and not may_choose_province:
        form.add_error("audience", _("Only the province's administrators publish for the whole "
                                     "province. Choose your commune."))
    elif audience in (COMMUNES, HAMLET):
        if not chosen:
            form.add_error("communes", _("Choose at least one commune."))
        elif not set(chosen) <= allowed:
            form.add_error("communes", _("You can publish only for the communes you serve."))
        elif audience == HAMLET and len(chosen) != 1:
            form.add_error("communes", _("Choose exactly one commune: the one the hamlet is in."))
    if audience == HAMLET and not form.data.get("hamlet"):
        form.add_error("hamlet", _("Write the hamlet's name, for example Ấp Bình Hòa."))
