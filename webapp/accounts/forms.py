"""The accounts room's forms: what each field accepts and what it says when it cannot."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from webapp.accounts.codes import clean_code
from webapp.accounts.models import STAFF_ROLES
from webapp.core import citizen_ids, phones
from webapp.core.forms import Field, FieldError, Form
from webapp.places.models import Commune

PHONE_MESSAGES = {
    "empty": _l("Enter your mobile phone number."),
    "not_digits": _l("A phone number has only digits, for example 0912 345 678."),
    "landline": _l("This is a landline number, which cannot receive text messages. "
                   "Enter a mobile number, for example 0912 345 678."),
    "wrong_length": _l("A mobile number has 10 digits, for example 0912 345 678."),
    "unknown_prefix": _l("This is not a Vietnamese mobile number. Check it, for example "
                         "0912 345 678."),
}

CITIZEN_ID_MESSAGES = {
    "empty": _l("Enter the 12 digits of your citizen ID card."),
    "not_digits": _l("A citizen ID number has only digits."),
    "wrong_length": _l("A citizen ID number has 12 digits. You can read it on the front of "
                       "the card."),
    "old_card": _l("Numbers of the old 9-digit ID card are no longer used. Enter the 12 digits "
                   "of your citizen ID card."),
    "unknown_province": _l("The first 3 digits are not a province code. Check the number on "
                           "the card."),
    "century_mismatch": _l("This citizen ID number does not match the year of birth. Check "
                           "the number or the date of birth."),
    "birth_year_mismatch": _l("This citizen ID number does not match the year of birth. Check "
                              "the number or the date of birth."),
}


def clean_phone(raw: str) -> str:
    """A Vietnamese mobile number in its local form, or a plain sentence saying what is wrong."""
    try:
        return phones.normalize_mobile(raw)
    except phones.InvalidPhone as error:
        renumbered = phones.convert_old_mobile(raw)
        if renumbered:
            raise FieldError(_l(
                "This is an old 11-digit number. Since 2018 it is %(number)s: enter that one.",
                number=phones.format_for_display(renumbered))) from None
        raise FieldError(PHONE_MESSAGES.get(error.code, PHONE_MESSAGES["unknown_prefix"])) from None


def _clean_code_field(raw: str) -> str:
    code = clean_code(raw)
    if not code:
        raise FieldError(_l("The code has 6 digits. Look for it in the latest message."))
    return code


def phone_form(formdata=None) -> Form:
    return Form([Field("phone", PHONE_MESSAGES["empty"], clean_phone)], formdata)


def code_form(formdata=None) -> Form:
    return Form([Field("code", _l("Enter the 6-digit code from the message."),
                       _clean_code_field)], formdata)


# --- The citizen's profile -------------------------------------------------------------------

def _clean_name(raw: str) -> str:
    name = " ".join(raw.split())
    if len(name) > 100:
        raise FieldError(_l("A name can be at most 100 characters long."))
    return name


def _clean_date_of_birth(parts: dict[str, str]) -> dt.date:
    try:
        born = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (KeyError, ValueError):
        raise FieldError(_l("Enter a real date as day, month and year in numbers, for example "
                            "15 3 1956.")) from None
    if born.year < 1900 or born > dt.date.today():
        raise FieldError(_l("The date of birth must be in the past, for example 15 3 1956."))
    return born


def _clean_citizen_id(raw: str) -> str:
    try:
        found = citizen_ids.validate_identity_number(raw)
    except citizen_ids.InvalidCitizenId as error:
        raise FieldError(CITIZEN_ID_MESSAGES.get(error.code,
                                                 CITIZEN_ID_MESSAGES["wrong_length"])) from None
    if found.kind == "cmnd":
        raise FieldError(CITIZEN_ID_MESSAGES["old_card"])
    return found.number


def _clean_commune(raw: str) -> Commune:
    commune = Commune.get_or_none(Commune.code == raw)
    if commune is None:
        raise FieldError(_l("Choose your commune or ward from the list."))
    return commune


def _clean_address(raw: str) -> str:
    if len(raw) > 300:
        raise FieldError(_l("An address can be at most 300 characters long."))
    return raw


def profile_form(formdata=None, initial=None) -> Form:
    """Name is needed; the rest is optional, but checked when given."""
    return Form([
        Field("full_name", _l("Enter your full name, as on your citizen ID card."), _clean_name),
        Field("date_of_birth", None, _clean_date_of_birth, parts=("day", "month", "year")),
        Field("citizen_id", None, _clean_citizen_id),
        Field("commune", None, _clean_commune),
        Field("address", None, _clean_address),
    ], formdata, initial or {})


def check_id_matches_birth(form: Form) -> None:
    """Cross-check the ID number's century and birth year with the date of birth."""
    number, born = form.data.get("citizen_id"), form.data.get("date_of_birth")
    if not number or not born:
        return
    try:
        citizen_ids.validate_citizen_id(number, born)
    except citizen_ids.InvalidCitizenId as error:
        form.add_error("citizen_id", CITIZEN_ID_MESSAGES.get(
            error.code, CITIZEN_ID_MESSAGES["birth_year_mismatch"]))


# --- Staff -----------------------------------------------------------------------------------

MIN_PASSWORD = 12


def _clean_username(raw: str) -> str:
    username = raw.strip().lower()
    if not (3 <= len(username) <= 40) or not all(ch.isascii() and (ch.isalnum() or ch in "._-")
                                                   for ch in username):
        raise FieldError(_l("Use 3 to 40 letters without accents, digits, dots or dashes."))
    return username


def _clean_password(raw: str) -> str:
    if len(raw) < MIN_PASSWORD:
        raise FieldError(_l("Use at least %(count)d characters. A short sentence is easy to "
                            "remember and hard to guess.", count=MIN_PASSWORD))
    if len(raw) > 128:
        raise FieldError(_l("Use at most 128 characters."))
    return raw


def _clean_role(raw: str) -> str:
    if raw not in STAFF_ROLES:
        raise FieldError(_l("Choose a role."))
    return raw


def staff_sign_in_form(formdata=None) -> Form:
    return Form([
        Field("username", _l("Enter your username.")),
        Field("password", _l("Enter your password.")),
    ], formdata)


def totp_form(formdata=None) -> Form:
    return Form([Field("code", _l("Enter the 6-digit code from your authenticator app."),
                       _clean_totp)], formdata)


def _clean_totp(raw: str) -> str:
    code = clean_code(raw)
    if not code:
        raise FieldError(_l("The code has 6 digits. Read it in your authenticator app."))
    return code


def new_password_form(formdata=None) -> Form:
    return Form([
        Field("password", _l("Choose a password."), _clean_password),
        Field("password_again", _l("Type the password again.")),
    ], formdata)


def invitation_form(formdata=None) -> Form:
    return Form([
        Field("full_name", _l("Enter the person's full name."), _clean_name),
        Field("username", _l("Choose a username."), _clean_username),
        Field("phone", None, clean_phone),
        Field("role", _l("Choose a role."), _clean_role),
    ], formdata)
