"""Messages the dossiers room sends through the outbox."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.notifications.templates import register

register(
    "dossier_submitted",
    text=_l("Your dossier %(code)s (%(procedure)s) has been sent to %(commune)s. The answer is "
            "due by %(due_date)s. To follow it, go to %(lookup_url)s and type the code and "
            "this phone number."),
    zns_setting="ZNS_TEMPLATE_DOSSIER_SUBMITTED",
    zns_params=["code", "procedure", "due_date"],
)
