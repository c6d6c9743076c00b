"""The volunteer's forms: whom she helps and how the citizen agrees, and the code she reads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.accounts.codes import clean_code
from webapp.accounts.forms import clean_phone
from webapp.core.forms import Field, FieldError, Form, one_of
from webapp.mandates import EVIDENCE_KINDS, SCOPES

NAME_MAX_CHARS = 100



def _clean_name(raw: str) -> str:
    if len(raw) > NAME_MAX_CHARS:
        raise FieldError(_l("Write at most %(count)d characters.", count=NAME_MAX_CHARS))
    return " ".join(raw.split())


def ask_form(communes: dict[str, object], procedures: dict[str, object], formdata=None,
             initial=None) -> Form:
    """Name, phone and commune of the person helped; the procedure; the scope; the consent."""
    return Form([
        Field("person_name", required_message=_l("Write the name of the person you help."),
              clean=_clean_name),
        Field("phone", required_message=_l("Write the mobile number of the person you help."),
              clean=clean_phone),
        Field("commune", required_message=_l("Choose the commune where you help."),
              clean=one_of(communes, _l("Choose one of your communes."))),
        Field("procedure", required_message=_l("Choose the procedure."),
              clean=one_of(procedures, _l("Choose one of the procedures in the list."))),
        Field("scope", required_message=_l("Choose what the consent is for."),
              clean=one_of(SCOPES, _l("Choose what the consent is for."))),
        Field("evidence", required_message=_l("Choose how the person agrees."),
              clean=one_of(EVIDENCE_KINDS, _l("Choose how the person agrees."))),
    ], formdata=formdata, initial=initial or {})


def _clean_code(raw: str) -> str:
    code = clean_code(raw)
    if not code:
        raise FieldError(_l("The code has 6 digits. Ask the person to read the latest message."))
    return code


def code_form(formdata=None) -> Form:
    return Form([Field("code", required_message=_l("Type the 6 digits the person reads out."),
                       clean=_clean_code)], formdata=formdata)
