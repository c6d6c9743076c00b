"""The messages the accounts room sends through the notification outbox, one function each,
called inside the transaction of the event that causes them."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core import links
from webapp.notifications.outbox import enqueue
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


def _app_name() -> str:
    return current_app.extensions["province"].content["vi"]["app_name"]


def sign_in_code(challenge, code: str) -> None:
    """The one-time code, to the number asking for it."""
    # The reference must never repeat: SQLite reuses the ids of purged challenges, and the
    # outbox silently drops a message whose reference it has seen before.
    enqueue(template=SIGN_IN_CODE, phone=challenge.phone, data={"code": code, "app": _app_name()},
            reference=f"phone-challenge-{challenge.id}-{secrets.token_hex(6)}")


def invitation_url(token: str) -> str:
    """The one-time link of an invitation or a reset, as the person opens it."""
    return links.external("staff.accept_invitation", token=token)


def staff_invited(invitation, token: str) -> None:
    """An invitation's link, to the invitee's phone if there is one."""
    _staff_link(STAFF_INVITATION, invitation, token)


def staff_sign_in_reset(invitation, token: str) -> None:
    """A reset's link, to the staff member's phone if there is one."""
    _staff_link(STAFF_SIGN_IN_RESET, invitation, token)


def _staff_link(template: str, invitation, token: str) -> None:
    if not invitation.phone:
        return
    enqueue(template=template, phone=invitation.phone,
            data={"app": _app_name(), "link": invitation_url(token)},
            reference=f"staff-invitation-{invitation.id}-{invitation.token_hash[:12]}")
