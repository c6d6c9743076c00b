"""The messages of a help request, one function per event: when a helper takes it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.assisted import lifecycle as lc
from webapp.notifications import templates
from webapp.tracking import messages as tracked

HELP_TAKEN = "assisted_help_taken"

templates.register(
    HELP_TAKEN,
    text=_l("%(helper)s, digital technology team of %(commune)s, has your request for help "
            "%(code)s and will call you soon. Their number: %(phone)s."),
    zns_setting="ZNS_TEMPLATE_ASSISTED_HELP_TAKEN",
    zns_params=["helper", "code", "phone"],
)


def step(kind, request, event, staff=None) -> None:
    """Tell her when someone took it (the other steps happen on the phone with her)."""
    if event.to_status == lc.TAKEN:
        tracked.enqueue_step(kind, request, template=HELP_TAKEN, data={
            "helper": staff.full_name, "commune": request.commune.name, "code": request.code,
            "phone": tracked.officer_phone(staff, request.commune) or "—"})
