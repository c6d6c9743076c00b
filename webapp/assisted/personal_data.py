"""What the assisted-mode room holds about a citizen: her requests for help (made signed in, or
with her number)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.assisted import lifecycle as lc
from webapp.assisted.models import HelpRequest
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date

BEING_HANDLED = _l("Kept while a helper is handling it")


def _hers(citizen):
    condition = HelpRequest.citizen == citizen
    if citizen.phone:
        condition = condition | (HelpRequest.contact_phone == citizen.phone)
    return HelpRequest.select().where(condition).order_by(HelpRequest.submitted_at.desc())


def _item(item: HelpRequest) -> Item:
    return Item(
        title=_l("Request for help %(code)s", code=item.code),
        facts=((_l("Sent on"), format_date(item.submitted_at)),
               (_l("Commune or ward"), item.commune.name),
               (_l("Where it is now"), str(lc.LIFECYCLE.public_label(item.status)))),
        data={"code": item.code, "status": item.status, "topic": item.topic,
              "details": item.details, "phone": item.contact_phone,
              "submitted_at": item.submitted_at.isoformat(), "outcome": item.outcome},
        opened_as=(("help_request", str(item.id)),),
        kept_because=None if item.status == lc.CLOSED else BEING_HANDLED)


def collect(citizen) -> list[Item]:
    return [_item(item) for item in _hers(citizen)]


def erase(citizen) -> int:
    """Closed requests lose her number and words (the figures stay); open ones are handled."""
    ids = [item.id for item in _hers(citizen) if item.status == lc.CLOSED]
    if not ids:
        return 0
    return (HelpRequest.update(contact_phone="", details="", citizen=None)
            .where(HelpRequest.id.in_(ids)).execute())


HELP_REQUESTS = Section("help_requests", _l("Your requests for help"), collect, erase, order=40)
