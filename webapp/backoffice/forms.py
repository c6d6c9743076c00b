"""The officers' forms: what each step needs from them, with plain messages when it is missing."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from webapp.core.forms import Field, FieldError, Form
from webapp.dossiers.api import DELIVERY_METHODS

MESSAGE_MAX_CHARS = 1000
NOTE_MAX_CHARS = 2000
HANDED_OVER = ("collected", "posted")


def _text(max_chars: int, min_chars: int = 0, too_short=None):
    """A cleaner for free text: collapse stray spaces at the ends, check the length."""

    def clean(raw: str) -> str:
        text = raw.strip()
        if len(text) < min_chars:
            raise FieldError(too_short)
        if len(text) > max_chars:
            raise FieldError(_l("Please write at most %(count)d characters.", count=max_chars))
        return text

    return clean


def _one_of(choices, message):
    def clean(raw: str) -> str:
        if raw not in choices:
            raise FieldError(message)
        return raw

    return clean


def _note() -> Field:
    return Field("note", clean=_text(NOTE_MAX_CHARS))


def request_papers_form(formdata: Mapping | None = None) -> Form:
    """Which papers (ticks), what is wrong with them in words the citizen will read, and an
    optional note for colleagues."""
    too_short = _l("Say exactly which papers are missing, in a full sentence.")
    return Form([
        Field("papers"),  # ticks, read whole by ticked_papers(); here for the errors' order
        Field("missing", required_message=_l("Write which papers are missing, so the citizen "
                                             "knows what to send."),
              clean=_text(MESSAGE_MAX_CHARS, 10, too_short)),
        _note(),
    ], formdata)


def ticked_papers(form: Form, formdata: Mapping, papers: Mapping[str, str]) -> list[str]:
    """The papers ticked on the request form, in the form's order; without a tick, an error
    beside the ticks (the citizen is offered exactly what is ticked)."""
    ticked = set(formdata.getlist("papers"))
    keys = [key for key in papers if key in ticked]
    if not keys:
        form.add_error("papers", _l("Tick each paper the citizen must send, or \u201csomething "
                                    "else\u201d and say what in the words below."))
    return keys


def refuse_form(formdata: Mapping | None = None) -> Form:
    too_short = _l("Explain the reason in a full sentence the citizen can understand.")
    return Form([
        Field("reason", required_message=_l("Write the reason for the refusal; the citizen "
                                            "will read it."),
              clean=_text(MESSAGE_MAX_CHARS, 10, too_short)),
        _note(),
    ], formdata)


def approve_form(formdata: Mapping | None = None) -> Form:
    """The result as text and/or a file (the file is checked by the view), and its delivery."""
    return Form([
        Field("result_text", clean=_text(MESSAGE_MAX_CHARS)),
        Field("result_file"),
        Field("delivery", required_message=_l("Choose how the citizen gets the result."),
              clean=_one_of(DELIVERY_METHODS, _l("Choose how the citizen gets the result."))),
        _note(),
    ], formdata)


def hand_over_form(formdata: Mapping | None = None) -> Form:
    message = _l("Choose how the result was handed over.")
    return Form([
        Field("handed_over", required_message=message, clean=_one_of(HANDED_OVER, message)),
        _note(),
    ], formdata)


def note_form(formdata: Mapping | None = None) -> Form:
    return Form([
        Field("note", required_message=_l("Write the note before saving it."),
              clean=_text(NOTE_MAX_CHARS)),
    ], formdata)


def _count(raw: str) -> int:
    digits = re.sub(r"[\s.,]", "", raw)
    if not digits.isdigit() or int(digits) > 100_000:
        raise FieldError(_l("Enter a whole number of dossiers, for example 120."))
    return int(digits)


def counter_intake_form(formdata: Mapping | None, communes: Mapping[int, str],
                        months: list[str]) -> Form:
    """Paper dossiers received at the counter in one month, for the online share."""
    commune_message = _l("Choose the commune.")
    month_message = _l("Choose the month.")
    return Form([
        Field("commune", required_message=commune_message,
              clean=_one_of({str(i) for i in communes}, commune_message)),
        Field("month", required_message=month_message, clean=_one_of(months, month_message)),
        Field("count", required_message=_l("Enter the number of paper dossiers."),
              clean=_count),
    ], formdata)
