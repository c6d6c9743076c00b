"""What the mandates room sends: the code that asks the citizen's consent (saying who asks and
for what, so she can refuse), and the news that a mandate started, with where to end it."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l

from webapp.core import links
from webapp.core.templating import format_date
from webapp.notifications.outbox import enqueue
from webapp.notifications.templates import register
from webapp.tracking.messages import quoted

CONSENT_CODE = "mandates_consent_code"
STARTED = "mandates_started"
ENDED_FOR_CITIZEN = "mandates_ended_by_office"
ENDED_FOR_HELPER = "mandates_ended_for_helper"

register(
    CONSENT_CODE,
    text=_l("%(code)s: %(helper)s, digital technology team of %(commune)s, asks to do the "
            "dossier \"%(procedure)s\" for %(citizen)s. If you agree, read this code to them. "
            "If you do not agree, give it to nobody."),
    zns_setting="ZNS_TEMPLATE_MANDATES_CONSENT_CODE",
    zns_params=["code", "helper", "procedure"],
    max_age_seconds=300,  # the code works for 5 minutes, like a sign-in code
)

register(
    STARTED,
    text=_l("%(helper)s, digital technology team of %(commune)s, may now do the dossier "
            "\"%(procedure)s\" for you until %(until)s. To see or end this, sign in at "
            "%(link)s."),
    zns_setting="ZNS_TEMPLATE_MANDATES_STARTED",
    zns_params=["helper", "procedure", "until", "link"],
)


register(
    ENDED_FOR_CITIZEN,
    text=_l("The commune office has ended the permission for %(helper)s to do the dossier "
            "\"%(procedure)s\" for you. Reason: “%(reason)s”. To see this, sign in at %(link)s."),
    zns_setting="ZNS_TEMPLATE_MANDATES_ENDED_BY_OFFICE",
    zns_params=["helper", "procedure", "reason", "link"],
)

register(
    ENDED_FOR_HELPER,
    text=_l("The commune office has ended your permission to do the dossier \"%(procedure)s\" "
            "for %(citizen)s. Reason: “%(reason)s”. You can no longer open it."),
    zns_setting="ZNS_TEMPLATE_MANDATES_ENDED_FOR_HELPER",
    zns_params=["procedure", "citizen", "reason"],
)


def _words(mandate) -> dict:
    return {"helper": mandate.helper.full_name, "commune": mandate.commune.name,
            "procedure": mandate.procedure.content["vi"]["title"]}


def consent_code(mandate):
    """The message for `accounts.codes.request_code(send=...)`: the code and who asks for what."""

    def send(challenge, code: str) -> None:
        # Never repeating: the outbox drops a reference it has seen, and SQLite reuses ids.
        enqueue(template=CONSENT_CODE, phone=challenge.phone,
                data={"code": code, "citizen": mandate.person_name, **_words(mandate)},
                reference=f"mandate-{mandate.id}-code-{challenge.id}-{secrets.token_hex(4)}")

    return send


def started(mandate) -> None:
    """Tell her phone that a helper may act for her now, and where to end it."""
    enqueue(template=STARTED, phone=mandate.phone,
            data={**_words(mandate), "until": format_date(mandate.ends_at),
                  "link": links.external("mandates.mine")},
            reference=f"mandate-{mandate.id}-started")


def ended_by_office(mandate, reason: str) -> None:
    """Tell her phone and the helper's that the office ended the mandate, and why."""
    words = {**_words(mandate), "reason": quoted(reason)}  # shortened for a text message
    enqueue(template=ENDED_FOR_CITIZEN, phone=mandate.phone,
            data={**words, "link": links.external("mandates.mine")},
            reference=f"mandate-{mandate.id}-ended-citizen")
    if mandate.helper.phone:
        enqueue(template=ENDED_FOR_HELPER, phone=mandate.helper.phone,
                data={**words, "citizen": mandate.person_name},
                reference=f"mandate-{mandate.id}-ended-helper")
