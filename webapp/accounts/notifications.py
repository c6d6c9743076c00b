"""The messages the accounts room sends through the notification outbox."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.notifications.templates import register

SIGN_IN_CODE = "accounts_sign_in_code"
STAFF_INVITATION = "accounts_staff_invitation"
STAFF_SIGN_IN_RESET = "accounts_staff_sign_in_reset"

register(
    SIGN_IN_CODE,
    # Warn against handing the code over: "an officer asked for your code" is a common scam.
    text=_l("%(code)s is your code to sign in to %(app)s. It works for 5 minutes. "
            "Never tell this code to anyone, even someone who says they are an officer."),
    zns_setting="ZNS_TEMPLATE_SIGN_IN_CODE",
    zns_params=["code"],
    # A code works for 5 minutes: one that could not be sent by then is not sent at all.
    max_age_seconds=300,
)

register(
    STAFF_INVITATION,
    text=_l("%(app)s: you are invited to a staff account. Open this link within 7 days to "
            "choose your password: %(link)s"),
    zns_setting=None,
    zns_params=[],
)

register(
    STAFF_SIGN_IN_RESET,
    text=_l("%(app)s: an administrator has reset your staff sign-in. Open this link within 7 "
            "days to choose a new password: %(link)s"),
    zns_setting=None,
    zns_params=[],
)
