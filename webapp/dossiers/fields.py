"""Field types of the wizard: how each turns what people type into a value, and what it says
when it cannot.

Every rule has its own sentence, saying how to fix the problem rather than what is wrong, and
each is a translatable string (the questions' own labels and hints live in the form files).
Values are stored as plain JSON: dates as "1953-11-24", money and numbers as integers, a
commune as its official code, a choice as its option value, yes/no as "yes" or "no".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.core.citizen_ids import InvalidCitizenId, validate_citizen_id, validate_identity_number
from webapp.core.forms import Field, FieldError
from webapp.core.i18n import format_money
from webapp.core.phones import InvalidPhone, convert_old_mobile, normalize_mobile
from webapp.core.templating import group_digits
from webapp.dossiers.formdefs import NO, YES, Question

REQUIRED = {
    "text": _l("Enter an answer to this question."),
    "full_name": _l("Enter the full name, as written on the citizen ID card."),
    "date": _l("Enter the date as day, month and year, for example 24 11 1953."),
    "citizen_id": _l("Enter the 12-digit number printed on the citizen ID card."),
    "phone": _l("Enter a mobile phone number, for example 0912 345 678."),
    "commune": _l("Choose the commune or ward from the list."),
    "address": _l("Enter the address: house number, street or hamlet."),
    "choice": _l("Choose one of the answers."),
    "yes_no": _l("Choose Yes or No."),
    "number": _l("Enter a number using digits, for example 2."),
    "money": _l("Enter the amount in đồng using digits, for example 50.000.000."),
}

NAME_MAX, ADDRESS_MIN, ADDRESS_MAX, TEXT_MAX = 100, 5, 300, 200
OLDEST_YEAR = 1890
MONEY_MAX = 1_000_000_000_000
_SPACES = re.compile(r"\s+")
_NUMBER_SEPARATORS = re.compile(r"[\s.,]")
_MONEY_UNITS = re.compile(r"(đồng|dong|vnđ|vnd|đ|d)$", re.IGNORECASE)
_NAME_MARKS = {" ", "'", "-", "."}

CITIZEN_ID_MESSAGES = {
    "not_digits": _l("The citizen ID number has only digits. Remove letters, dots and signs."),
    "unknown_province": _l("The first 3 digits are not a province code. Check the number on "
                           "the card and type it again."),
    "century_mismatch": _l("This number does not match the date of birth given earlier. Check "
                           "both on the card."),
    "birth_year_mismatch": _l("This number does not match the date of birth given earlier. "
                              "Check both on the card."),
}
PHONE_MESSAGES = {
    "not_digits": _l("A phone number has only digits, for example 0912 345 678."),
    "wrong_length": _l("A mobile number has 10 digits and starts with 0, for example "
                       "0912 345 678."),
    "landline": _l("This is a landline number, which cannot receive messages. Enter a mobile "
                   "number."),
    "unknown_prefix": _l("This is not a Vietnamese mobile number. Check the first digits."),
}


@dataclass
class Context:
    """What a field may need beyond its own text: earlier answers, the communes, today."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    communes: Mapping[str, str] = field(default_factory=dict)  # code -> name
    today: dt.date = field(default_factory=dt.date.today)
    # The question whose number gets the dossier's messages, and the numbers the citizen has
    # confirmed with a code: the province texts no number nobody confirmed.
    contact_field: str = ""
    verified_phones: frozenset[str] = frozenset()


def _collapse(raw: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()


# --- Cleaners, one per type ----------------------------------------------------------------------


def clean_text(raw: str, question: Question, context: Context) -> str:
    text = _collapse(raw)
    limit = int(question.settings.get("max_length", TEXT_MAX))
    if len(text) > limit:
        raise FieldError(_("The answer is too long. Use at most %(max)d characters.", max=limit))
    return text


def clean_full_name(raw: str, question: Question, context: Context) -> str:
    name = _collapse(raw)
    if len(name) > NAME_MAX:
        raise FieldError(_("The name is too long. Enter at most %(max)d letters.", max=NAME_MAX))
    if not all(ch.isalpha() or ch in _NAME_MARKS for ch in name):
        raise FieldError(_("A name has only letters and spaces. Remove digits and signs such "
                           "as @ or #."))
    if len(name.split(" ")) < 2:
        raise FieldError(_("Enter the full name: family name and given name, for example "
                           "Nguyễn Thị Tư."))
    # People type names in lower or upper case; papers write each word with a capital.
    return " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))


def _date_parts(raw: Mapping[str, str]) -> tuple[int, int, int]:
    if not all(raw.values()):
        raise FieldError(_("The date needs a day, a month and a year. Fill in all three boxes."))
    if not all(value.isdigit() for value in raw.values()):
        raise FieldError(_("Type the day, month and year using digits only, for example "
                           "24 11 1953."))
    if len(raw["year"]) != 4:
        raise FieldError(_("Type the year with 4 digits, for example 1953."))
    return int(raw["day"]), int(raw["month"]), int(raw["year"])


def clean_date(raw: Mapping[str, str], question: Question, context: Context) -> str:
    day, month, year = _date_parts(raw)
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise FieldError(_("This date does not exist. Check the day and the month.")) from None
    when = question.settings.get("when", "past")
    if when == "past" and value > context.today:
        raise FieldError(_("The date must be today or earlier. Check the year."))
    if when == "future" and value < context.today:
        raise FieldError(_("The date must be today or later. Check the year."))
    if year < OLDEST_YEAR:
        raise FieldError(_("Check the year: it must be %(year)d or later.", year=OLDEST_YEAR))
    return value.isoformat()


def _birth_date(question: Question, context: Context) -> dt.date | None:
    source = question.settings.get("birth_date_field")
    value = context.answers.get(source) if source else None
    return dt.date.fromisoformat(value) if value else None


def clean_citizen_id(raw: str, question: Question, context: Context) -> str:
    birth = _birth_date(question, context)
    digits = re.sub(r"[\s.\-]", "", raw)
    try:
        if question.settings.get("allow_old_id"):
            return validate_identity_number(raw, birth, today=context.today).number
        return validate_citizen_id(raw, birth, today=context.today)
    except InvalidCitizenId as error:
        if error.code == "wrong_length" and len(digits) == 9 and digits.isdigit():
            raise FieldError(_("This is the number of an old 9-digit identity card. Enter the "
                               "12-digit number of the citizen ID card.")) from None
        if error.code == "wrong_length":
            raise FieldError(_("The citizen ID number has 12 digits; you typed %(count)d. "
                               "Check the number on the card.", count=len(digits))) from None
        raise FieldError(CITIZEN_ID_MESSAGES.get(error.code, REQUIRED["citizen_id"])) from None


def clean_phone(raw: str, question: Question, context: Context) -> str:
    try:
        number = normalize_mobile(raw)
    except InvalidPhone as error:
        replacement = convert_old_mobile(raw)
        if replacement:
            raise FieldError(_("This is an old 11-digit number. Its new number is %(number)s: "
                               "enter that one.", number=group_digits(replacement))) from None
        raise FieldError(PHONE_MESSAGES.get(error.code, REQUIRED["phone"])) from None
    if question.name == context.contact_field and number not in context.verified_phones:
        raise FieldError(UNVERIFIED_CONTACT)
    return number


UNVERIFIED_CONTACT = _l("Messages about the dossier go only to the phone number you confirmed "
                        "with a code. To use this number, first change it in My account "
                        "(a code is sent to it), then come back.")


def clean_commune(raw: str, question: Question, context: Context) -> str:
    if raw not in context.communes:
        raise FieldError(REQUIRED["commune"])
    return raw


def clean_address(raw: str, question: Question, context: Context) -> str:
    address = _collapse(raw)
    if len(address) < ADDRESS_MIN:
        raise FieldError(_("The address is too short. Add the house number, the street or the "
                           "hamlet."))
    if len(address) > ADDRESS_MAX:
        raise FieldError(_("The address is too long. Use at most %(max)d characters.",
                           max=ADDRESS_MAX))
    return address


def clean_choice(raw: str, question: Question, context: Context) -> str:
    if question.option(raw) is None:
        raise FieldError(REQUIRED["choice"])
    return raw


def clean_yes_no(raw: str, question: Question, context: Context) -> str:
    if raw not in (YES, NO):
        raise FieldError(REQUIRED["yes_no"])
    return raw


def clean_number(raw: str, question: Question, context: Context) -> int:
    text = _NUMBER_SEPARATORS.sub("", raw)
    if not text.isdigit():
        raise FieldError(_("Type a whole number using digits only, for example 2."))
    value = int(text)
    low, high = question.settings.get("min"), question.settings.get("max")
    if low is not None and value < low:
        raise FieldError(_("The number must be %(min)d or more.", min=low))
    if high is not None and value > high:
        raise FieldError(_("The number must be %(max)d or less.", max=high))
    return value


def clean_money(raw: str, question: Question, context: Context) -> int:
    text = _MONEY_UNITS.sub("", _NUMBER_SEPARATORS.sub("", raw))
    if not text.isdigit():
        raise FieldError(_("Type the amount using digits only, for example 50.000.000."))
    value = int(text)
    limit = int(question.settings.get("max", MONEY_MAX))
    if value > limit:
        raise FieldError(_("Check the amount: it must be at most %(max)s.",
                           max=format_money(limit)))
    return value


CLEANERS = {
    "text": clean_text, "full_name": clean_full_name, "date": clean_date,
    "citizen_id": clean_citizen_id, "phone": clean_phone, "commune": clean_commune,
    "address": clean_address, "choice": clean_choice, "yes_no": clean_yes_no,
    "number": clean_number, "money": clean_money,
}


def form_field(question: Question, context: Context) -> Field:
    """The core form field for a question: required message, cleaner, and parts of a date."""
    cleaner = CLEANERS[question.type]
    return Field(
        name=question.name,
        required_message=None if question.optional else REQUIRED[question.type],
        clean=lambda raw: cleaner(raw, question, context),
        parts=("day", "month", "year") if question.type == "date" else (),
    )


# --- Showing stored values -----------------------------------------------------------------------


def input_value(question: Question, value: Any) -> Any:
    """A stored value as the input shows it again (a date as its three boxes)."""
    if value is None:
        return ""
    if question.type == "date":
        day = dt.date.fromisoformat(value)
        return {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": str(day.year)}
    if question.type == "money":
        return f"{value:,}".replace(",", ".")
    return value


def display_value(question: Question, value: Any, language: str,
                  communes: Mapping[str, str]) -> str:
    """A stored value in words, for check-your-answers pages and officers' screens."""
    if value is None or value == "":
        return ""
    if question.type == "date":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if question.type == "phone":
        return group_digits(value)
    if question.type == "commune":
        return communes.get(value, value)
    if question.type == "choice":
        option = question.option(value)
        return option.label(language) if option else str(value)
    if question.type == "yes_no":
        return _("Yes") if value == YES else _("No")
    if question.type == "money":
        return format_money(value)
    return str(value)
