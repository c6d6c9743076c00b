"""What the privacy room itself holds about a citizen: her consents and her requests."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core.clock import local_date, years_after
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date
from webapp.privacy.models import Consent, DataRequest

KEPT_AS_PROOF = _l("Kept as proof of what you asked and what was done")
CONSENT_KEPT = _l("Kept while what you agreed to is kept (proof of your consent)")


def _request_item(request: DataRequest) -> Item:
    until = years_after(local_date(request.submitted_at),
                        current_app.config["DATA_REQUEST_KEEP_YEARS"])
    return Item(
        title=_l("Request %(code)s", code=request.code),
        facts=((_l("Sent on"), format_date(request.submitted_at)),
               (_l("What you asked"), request.details or "—"),
               (_l("What was done"), request.decision or "—")),
        data={"code": request.code, "kind": request.kind, "status": request.status,
              "details": request.details, "decision": request.decision,
              "submitted_at": request.submitted_at.isoformat()},
        kept_until=until, kept_because=KEPT_AS_PROOF)


def _consent_item(consent: Consent) -> Item:
    return Item(
        title=_l("Consent: %(purpose)s", purpose=consent.purpose),
        facts=((_l("Given on"), format_date(consent.given_at)),
               (_l("For"), consent.reference or "—"), (_l("Words agreed to"), consent.wording)),
        data={"purpose": consent.purpose, "wording": consent.wording,
              "reference": consent.reference, "given_at": consent.given_at.isoformat()},
        kept_because=CONSENT_KEPT if consent.reference else None)


def collect(citizen) -> list[Item]:
    return ([_consent_item(c) for c in Consent.of_citizen(citizen)]
            + [_request_item(r) for r in DataRequest.of_citizen(citizen)])


def erase(citizen) -> int:
    """Consents not tied to something kept go; requests stay as proof until their time."""
    return Consent.delete().where((Consent.citizen == citizen) & (Consent.reference == "")
                                  ).execute()


PRIVACY = Section("privacy", _l("Your consents and requests"), collect, erase, order=90)
