"""The consultations room's forms: a consultation's details and a question (back office), and
what a person says about herself before answering (her commune, her business)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from flask_babel import lazy_gettext as _l

from webapp.consultations.models import (
    AUDIENCES,
    BUSINESSES,
    CITIZENS,
    EVERYONE,
    MULTIPLE,
    QUESTION_KINDS,
    SCALE,
    SINGLE,
    TEXT,
)
from webapp.core.forms import Field, FieldError, Form, at_most, one_of

TITLE_MAX, SHORT_MAX, LONG_MAX = 200, 200, 5000
QUESTION_MAX = 500
OPTION_MAX, OPTIONS_MAX = 200, 10
TEXT_ANSWER_MAX = 1000
BUSINESS_NAME_MAX = 200

AUDIENCE_WORDS = {
    EVERYONE: _l("Everyone"),
    CITIZENS: _l("Citizens of some communes"),
    BUSINESSES: _l("Household businesses"),
}
KIND_WORDS = {
    SINGLE: _l("One choice"),
    MULTIPLE: _l("Several choices"),
    SCALE: _l("A scale from 1 to 5"),
    TEXT: _l("A short text"),
}

SCALE_WORDS = {1: _l("1 - not at all"), 2: "2", 3: "3", 4: "4", 5: _l("5 - very much")}




def clean_day(raw: str) -> dt.date:
    """A date as the browser's date box sends it (2026-12-31) or as typed (31/12/2026)."""
    text = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise FieldError(_l("Write the date as day/month/year, for example 31/12/2026."))


def consultation_form(formdata=None, initial=None) -> Form:
    return Form([
        Field("title", _l("Write the title of the consultation."), at_most(TITLE_MAX)),
        Field("asker", _l("Write who asks (the office or the commune)."), at_most(SHORT_MAX)),
        Field("purpose", _l("Write why you ask, in plain words."), at_most(LONG_MAX)),
        Field("description", clean=at_most(LONG_MAX)),
        Field("audience", _l("Choose who may answer."),
              one_of(AUDIENCES, _l("Choose who may answer."))),
        Field("opens_on", _l("Write the day the consultation opens."), clean_day),
        Field("closes_on", _l("Write the day the consultation closes."), clean_day),
    ], formdata, initial=initial or {})


def check_dates(form: Form, today: dt.date) -> None:
    """The closing day after the opening day, and not already past."""
    opens, closes = form.data.get("opens_on"), form.data.get("closes_on")
    if opens and closes and closes < opens:
        form.add_error("closes_on", _l("The closing day must be on or after the opening day."))
    elif closes and closes < today:
        form.add_error("closes_on", _l("The closing day has already passed."))


def question_form(formdata=None) -> Form:
    return Form([
        Field("kind", _l("Choose the kind of question."),
              one_of(QUESTION_KINDS, _l("Choose the kind of question."))),
        Field("text", _l("Write the question."), at_most(QUESTION_MAX)),
        Field("options", clean=_clean_options),
    ], formdata)


def _clean_options(raw: str) -> list[str]:
    options = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(options) > OPTIONS_MAX:
        raise FieldError(_l("Give at most %(count)d choices.", count=OPTIONS_MAX))
    if any(len(option) > OPTION_MAX for option in options):
        raise FieldError(_l("A choice has at most %(count)d characters.", count=OPTION_MAX))
    if len(set(options)) != len(options):
        raise FieldError(_l("Two choices are the same. Write each choice once."))
    return options


def check_options(form: Form) -> None:
    """Choice questions need two choices or more; the others none."""
    if form.data.get("kind") in (SINGLE, MULTIPLE) and len(form.data.get("options") or []) < 2:
        form.add_error("options", _l("Write at least two choices, one per line."))


# --- The person answering ----------------------------------------------------------------------

# A tax code: 10 digits (a business), 10 digits, a dash and 3 (a branch), or 12 digits (a
# household business uses its owner's citizen ID number as its tax code since July 2025).
_TAX_CODE = re.compile(r"\d{10}(?:-\d{3})?|\d{12}")


def clean_tax_code(raw: str) -> str:
    """The tax code as typed (only its spaces trimmed), once its format is right."""
    typed = unicodedata.normalize("NFKC", raw).strip()
    if not _TAX_CODE.fullmatch(typed.replace(" ", "")):
        raise FieldError(_l("A tax code has 10 digits (or 10 digits, a dash and 3 more, or the "
                            "12 digits of the owner's citizen ID card), for example "
                            "3900123456."))
    return typed


def about_form(formdata=None, initial=None, *, business: str = "ask") -> Form:
    """Her commune; and, when businesses may answer, whether she answers for one and which.
    `business` is "ask", "always" or "never"."""
    fields = [Field("commune", _l("Choose the commune where you live."))]
    if business == "ask":
        fields.append(Field("as_business", _l("Choose how you answer."),
                            one_of(("no", "yes"), _l("Choose how you answer."))))
    if business != "never":
        fields += [Field("business_name", clean=at_most(BUSINESS_NAME_MAX)),
                   Field("tax_code", clean=clean_tax_code)]
    return Form(fields, formdata, initial=initial or {})


def check_business(form: Form, business: str) -> bool:
    """Whether she answers for a business; its name and tax code then required."""
    as_business = business == "always" or form.data.get("as_business") == "yes"
    if as_business:
        if not form.data.get("business_name") and not form.error("business_name"):
            form.add_error("business_name", _l("Write the name of the business, as on its "
                                               "registration paper."))
        if not form.data.get("tax_code") and not form.error("tax_code"):
            form.add_error("tax_code", _l("Write the business's tax code."))
    return as_business
