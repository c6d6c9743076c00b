"""The citizen's message at every step of a dossier, queued in the outbox with the step itself.

Each text is one whole sentence group with named placeholders, rendered in Vietnamese for SMS
(and sent as a ZNS template where the province has one approved; its id comes from the setting
named ZNS_TEMPLATE_ and the upper-case key). Every message carries the dossier code and the
phone number of the officer who acted, so an older person can call a person rather than look
for a hotline. Long free text (what is missing, the reason for a refusal) is shortened; the
status page behind the link always has it in full. Links come from `webapp.core.links`, dates
from the shared formatter.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core import clock, links
from webapp.core.templating import format_date
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import paper_links
from webapp.dossiers.models import POST, DossierResult
from webapp.notifications import templates
from webapp.notifications.outbox import enqueue
from webapp.places.province import one_stop_shop_words
from webapp.tracking import messages as tracked

SUBMITTED = "dossier_submitted"
RECEIVED = "dossier_received"
PAPERS_REQUESTED = "dossier_papers_requested"
PAPERS_ADDED = "dossier_papers_added"
RESULT_PICKUP = "dossier_result_pickup"
RESULT_POST = "dossier_result_post"
REFUSED = "dossier_refused"
RETURNED = "dossier_returned"
RECEIPT = "dossier_receipt"

# What each step tells the citizen, and the ZNS template's parameters in order.
_MESSAGES = (
    (SUBMITTED,
     _l("Your dossier %(code)s (%(procedure)s) has been sent to %(commune)s. The answer is "
        "due by %(due_date)s. To follow it, go to %(lookup_url)s and type the code and "
        "this phone number."),
     ["code", "procedure", "due_date"]),
    (RECEIVED,
     _l("Dossier %(code)s has been received by %(office)s. The result is due on "
        "%(due_date)s. Questions: call %(officer_phone)s."),
     ["code", "office", "due_date", "officer_phone"]),
    (PAPERS_REQUESTED,
     _l("Dossier %(code)s needs more papers: “%(missing)s”. Please add them here: %(link)s. "
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
     _l("Dossier %(code)s was not approved. Reason: “%(reason)s”. Details: %(link)s. "
        "Questions: call %(officer_phone)s."),
     ["code", "reason", "link", "officer_phone"]),
    (RECEIPT,
     _l("Receipt of your dossier %(code)s (%(procedure)s), sent to %(commune)s. The answer is "
        "due by %(due_date)s. Keep this message. The receipt: %(link)s"),
     ["code", "procedure", "due_date", "link"]),
    (RETURNED,
     _l("The result of dossier %(code)s has been handed over. Thank you. Please rate our "
        "service: %(link)s. Questions: call %(officer_phone)s."),
     ["code", "link", "officer_phone"]),
)
for _name, _text, _params in _MESSAGES:
    templates.register(_name, text=_text, zns_setting=f"ZNS_TEMPLATE_{_name.upper()}",
                       zns_params=_params)


def submitted(dossier, procedure_title: str, commune_name: str) -> None:
    """Tell the citizen the dossier was sent, when the answer is due and how to follow it."""
    enqueue(
        template=SUBMITTED, phone=dossier.contact_phone,
        data={"code": dossier.code, "procedure": procedure_title, "commune": commune_name,
              "due_date": format_date(dossier.due_date),
              "lookup_url": links.external("dossiers.lookup")},
        # The id, never the code: references appear in logs beside the masked phone.
        reference=f"dossier-{dossier.id}-submitted",
    )


def receipt(dossier, procedure_title: str, commune_name: str) -> None:
    """Send the receipt to her phone (where printing cannot work, as in Zalo's webview).

    One a day per dossier: a second tap, or a retried request, sends nothing more.
    """
    enqueue(
        template=RECEIPT, phone=dossier.contact_phone,
        data={"code": dossier.code, "procedure": procedure_title, "commune": commune_name,
              "due_date": format_date(dossier.due_date),
              "link": links.external("dossiers.receipt", code=dossier.code)},
        reference=f"dossier-{dossier.id}-receipt-{clock.local_today().isoformat()}",
    )


def _step_template(dossier, event) -> str | None:
    if event.to_status == lc.APPROVED:
        result = DossierResult.for_dossier(dossier.id)
        return RESULT_POST if result and result.delivery == POST else RESULT_PICKUP
    return {
        lc.RECEIVED: RECEIVED,
        lc.MORE_PAPERS_REQUESTED: PAPERS_REQUESTED,
        lc.PAPERS_ADDED: PAPERS_ADDED,
        lc.REFUSED: REFUSED,
        lc.CLOSED: RETURNED,
    }.get(event.to_status)


def step(kind, dossier, event, staff=None) -> None:
    """Tell the citizen about a status change, inside the step's transaction.

    Without an officer in the step (the citizen added papers), the contact is the officer who
    acted last.
    """
    template = _step_template(dossier, event)
    if template is None:
        return
    if staff is None:
        staff = tracked.last_officer(kind, dossier.id)
    tracked.enqueue_step(kind, dossier, template=template, data={
        "code": dossier.code,
        "office": dossier.commune.name,
        "due_date": format_date(dossier.due_date),
        "officer_phone": tracked.officer_phone(staff, dossier.commune)
        or one_stop_shop_words(dossier.commune),
        "link": (links.external("dossiers.add_papers_link",
                                token=paper_links.make_token(dossier.id, event.id))
                 if template == PAPERS_REQUESTED
                 else links.external("dossiers.status", code=dossier.code)),
        "missing": tracked.quoted(event.public_message),
        "reason": tracked.quoted(event.public_message),
    })
