"""The citizen's message at every step of a dossier, queued in the outbox with the step itself.

Each text is one whole sentence group with named placeholders, rendered in Vietnamese for SMS
(and sent as a ZNS template where the province has one approved). Every message carries the
dossier code and the phone number of the officer who acted, so an older person can call a
person rather than look for a hotline. Long free text (what is missing, the reason for a
refusal) is shortened here; the status page behind the link always has it in full.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l

from webapp.dossiers import lifecycle as lc
from webapp.notifications import templates
from webapp.notifications.outbox import enqueue
from webapp.places.province import contact_phone, one_stop_shop_words

MAX_QUOTED_CHARS = 120

RECEIVED = "dossier_received"
PAPERS_REQUESTED = "dossier_papers_requested"
PAPERS_ADDED = "dossier_papers_added"
RESULT_PICKUP = "dossier_result_pickup"
RESULT_POST = "dossier_result_post"
REFUSED = "dossier_refused"
RETURNED = "dossier_returned"

# What each step tells the citizen, and the ZNS template's parameters in order. The ids of the
# province's approved templates come from settings named ZNS_TEMPLATE_ and the upper-case name
# (ZNS_TEMPLATE_DOSSIER_RECEIVED, ...).
_MESSAGES = (
    (RECEIVED,
     _l("Dossier %(code)s has been received by %(office)s. The result is due on "
         "%(due_date)s. Questions: call %(officer_phone)s."),
     ["code", "office", "due_date", "officer_phone"]),
    (PAPERS_REQUESTED,
     _l("Dossier %(code)s needs more papers: %(missing)s. Please add them here: %(link)s. "
         "Questions: call %(officer_phone)s."),
     ["code", "missing", "link", "officer_phone"]),
    (PAPERS_ADDED,
     _l("We have received the papers you added to dossier %(code)s. The result is now due "
         "on %(due_date)s. Questions: call %(officer_phone)s."),
     ["code", "due_date", "officer_phone"]),
    (RESULT_PICKUP,
     _l("The result of dossier %(code)s is ready. Please collect it at the one-stop shop of "
         "%(office)s. Please rate our service: %(link)s. Questions: call %(officer_phone)s."),
     ["code", "office", "link", "officer_phone"]),
    (RESULT_POST,
     _l("The result of dossier %(code)s is ready and will be sent to your home by post. "
         "Please rate our service: %(link)s. Questions: call %(officer_phone)s."),
     ["code", "link", "officer_phone"]),
    (REFUSED,
     _l("Dossier %(code)s was not approved. Reason: %(reason)s. Details: %(link)s. "
         "Questions: call %(officer_phone)s."),
     ["code", "reason", "link", "officer_phone"]),
    (RETURNED,
     _l("The result of dossier %(code)s has been handed over. Thank you. Please rate our "
         "service: %(link)s. Questions: call %(officer_phone)s."),
     ["code", "link", "officer_phone"]),
)
for _name, _text, _params in _MESSAGES:
    templates.register(_name, text=_text, zns_setting=f"ZNS_TEMPLATE_{_name.upper()}",
                       zns_params=_params)


def quoted(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """An officer's words shortened for a text message, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def status_url(dossier) -> str:
    """The citizen's status page of the dossier, as a full link for a message."""
    if not has_request_context() and not current_app.config.get("SERVER_NAME"):
        return f"/ho-so/{dossier.code}"
    return url_for("dossiers.status", code=dossier.code, _external=True)


def officer_phone(staff, commune=None) -> str:
    """Who to call: the officer who acted, else the commune's or the province's confirmed
    number; "" when none is confirmed (an unconfirmed number is never given)."""
    phone = getattr(staff, "phone", "") or ""
    if phone or commune is None:
        return phone or current_app.extensions["province"].help_hotline or ""
    return contact_phone(commune) or ""


def _template_for(dossier, event) -> str | None:
    if event.to_status == lc.APPROVED:
        from webapp.backoffice.models import POST, DossierResult

        result = DossierResult.for_dossier(dossier.id)
        return RESULT_POST if result and result.delivery == POST else RESULT_PICKUP
    return {
        lc.RECEIVED: RECEIVED,
        lc.MORE_PAPERS_REQUESTED: PAPERS_REQUESTED,
        lc.PAPERS_ADDED: PAPERS_ADDED,
        lc.REFUSED: REFUSED,
        lc.CLOSED: RETURNED,
    }.get(event.to_status)


def enqueue_for(dossier, event, *, staff=None) -> None:
    """Queue the message for a status change, inside the caller's transaction.

    The reference (dossier and version) makes the message idempotent: a retried step never
    texts the citizen twice.
    """
    template = _template_for(dossier, event)
    if template is None:
        return
    if staff is None:
        staff = last_officer(dossier.id)
    data = {
        "code": dossier.code,
        "office": dossier.commune.name,
        "due_date": dossier.due_date.strftime("%d/%m/%Y") if dossier.due_date else "",
        "officer_phone": officer_phone(staff, dossier.commune)
        or one_stop_shop_words(dossier.commune),
        "link": status_url(dossier),
        "missing": quoted(event.public_message),
        "reason": quoted(event.public_message),
    }
    enqueue(template=template, phone=dossier.contact_phone, data=data,
            reference=f"dossier-{dossier.id}-v{dossier.version}")


def last_officer(dossier_id: int):
    """The officer who last acted on the dossier (the citizen's contact when they add papers)."""
    from webapp.dossiers.models import DossierEvent

    event = (DossierEvent.select().where((DossierEvent.dossier == dossier_id)
                                         & DossierEvent.actor_staff.is_null(False))
             .order_by(DossierEvent.created_at.desc(), DossierEvent.id.desc()).first())
    return event.actor_staff if event else None
