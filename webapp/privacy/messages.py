"""The citizen's messages about her data requests, one function per event."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core import links
from webapp.core.templating import format_date
from webapp.notifications import templates
from webapp.notifications.outbox import enqueue
from webapp.privacy import lifecycle as lc
from webapp.tracking import messages as tracked

RECEIVED = "privacy_request_received"
DONE = "privacy_request_done"
REFUSED = "privacy_request_refused"

for _key, _text in (
    (RECEIVED, _l("We have received your request %(code)s about your personal data. It will be "
                  "handled by %(due_date)s. Follow it here: %(link)s")),
    (DONE, _l("Your request %(code)s about your personal data has been handled. What was done, "
              "and what the law keeps: %(link)s")),
    (REFUSED, _l("Your request %(code)s about your personal data was not done. Reason: "
                 "“%(reason)s”. Details: %(link)s")),
):
    templates.register(_key, text=_text, zns_setting=None, zns_params=[])


def _data(request, event=None) -> dict:
    return {"code": request.code, "due_date": format_date(request.due_date),
            "link": links.external("privacy.my_data", _anchor="yeu-cau"),
            "reason": tracked.quoted(event.public_message) if event else ""}


def received(request) -> None:
    enqueue(template=RECEIVED, phone=request.contact_phone, data=_data(request),
            reference=f"data-request-{request.id}-received")


def step(kind, request, event, _staff=None) -> None:
    template = {lc.DONE: DONE, lc.REFUSED: REFUSED}.get(event.to_status)
    if template:
        tracked.enqueue_step(kind, request, template=template, data=_data(request, event))
