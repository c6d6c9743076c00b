"""Signing in with Zalo: the app's side of OAuth v4 with PKCE, and linking a verified phone.

Zalo gives an id and a name but no phone number, and the phone is what the one-stop shop
needs to reach people. So the first time someone signs in with Zalo, they are asked for their
number once and confirm it with a code; from then on one tap is enough.
"""

from __future__ import annotations

import secrets
import time

from flask import current_app, session

from webapp.accounts.models import Citizen
from webapp.core import links
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.integrations.zalo_oauth import (
    ZaloOAuthClient,
    ZaloOAuthError,
    ZaloProfile,
    code_challenge,
    new_pkce_verifier,
)

FLOW_KEY = "zalo_flow"  # state and PKCE verifier between leaving for Zalo and coming back
PENDING_KEY = "zalo_pending"  # a Zalo profile waiting for its phone number
FLOW_MAX_AGE = 15 * 60  # seconds


def configured() -> bool:
    """True when an app id and secret are set (the Zalo button shows only then)."""
    return bool(current_app.config.get("ZALO_APP_ID") and current_app.config.get("ZALO_SECRET_KEY"))


def client() -> ZaloOAuthClient:
    config = current_app.config
    return ZaloOAuthClient(
        app_id=config["ZALO_APP_ID"],
        secret_key=config["ZALO_SECRET_KEY"],
        redirect_uri=links.external("accounts.zalo_callback"),
        oauth_base=config["ZALO_OAUTH_BASE"],
        graph_base=config["ZALO_GRAPH_BASE"],
    )


def begin(next_url: str) -> str:
    """Remember a fresh state and verifier in the signed cookie; return Zalo's permission URL."""
    verifier, state = new_pkce_verifier(), secrets.token_urlsafe(24)
    session[FLOW_KEY] = {"state": state, "verifier": verifier, "next": next_url,
                         "at": int(time.time())}
    return client().authorization_url(state, code_challenge(verifier))


def take_flow() -> dict | None:
    """The flow started in this browser (used once), or None when there is none or it is stale."""
    flow = session.pop(FLOW_KEY, None)
    if not isinstance(flow, dict) or time.time() - flow.get("at", 0) > FLOW_MAX_AGE:
        return None
    return flow


# Callback errors that mean something went wrong on the way, not that the person said no.
NOT_A_REFUSAL = {"state_mismatch", "missing_code"}


class PersonSaidNo(Exception):
    """The person chose not to let this app see their Zalo name ("Từ chối")."""


def profile_from_callback(params, flow: dict) -> ZaloProfile:
    """Check the callback, trade its code (with the verifier) for a token, read the profile.

    Raises PersonSaidNo, ZaloOAuthError (bad state, bad or reused code: Zalo refused) or
    ZaloUnavailable. A refusal in the URL is reported before anything is asked of Zalo.
    """
    zalo = client()
    try:
        code = zalo.read_callback(params, flow["state"])
    except ZaloOAuthError as error:
        if error.code in NOT_A_REFUSAL:
            raise
        raise PersonSaidNo(error.code) from None
    tokens = zalo.exchange_code(code, flow["verifier"])
    return zalo.fetch_profile(tokens.access_token)


def remember_pending(zalo_id: str, name: str, next_url: str) -> None:
    session[PENDING_KEY] = {"id": zalo_id, "name": name, "next": next_url,
                            "at": int(time.time())}


def pending() -> dict | None:
    """The Zalo profile waiting for a phone number in this browser, if still fresh."""
    value = session.get(PENDING_KEY)
    if not isinstance(value, dict) or time.time() - value.get("at", 0) > FLOW_MAX_AGE:
        return None
    return value


def citizen_for_zalo_id(zalo_id: str) -> Citizen | None:
    """The citizen already linked to this Zalo account, if they have a verified phone."""
    citizen = Citizen.get_or_none(Citizen.zalo_id == zalo_id)
    return citizen if citizen is not None and citizen.phone else None


def link(phone: str, zalo_id: str, zalo_name: str) -> tuple[Citizen, bool]:
    """Attach a Zalo account to the citizen owning `phone` (just verified), creating them if new.

    Returns the citizen and whether a different Zalo account was linked before (then replaced:
    whoever proves the phone decides which Zalo account opens it).
    """
    with database.atomic():
        citizen = Citizen.get_or_none(Citizen.phone == phone)
        # The id is unique: a profile still holding it without a phone cannot exist, but a
        # stale one is cleared rather than trusted.
        (Citizen.update(zalo_id=None)
         .where(Citizen.zalo_id == zalo_id,
                Citizen.id != (citizen.id if citizen else 0)).execute())
        if citizen is None:
            citizen = Citizen.create(phone=phone, zalo_id=zalo_id, full_name=zalo_name[:100])
            return citizen, False
        replaced = bool(citizen.zalo_id and citizen.zalo_id != zalo_id)
        citizen.zalo_id = zalo_id
        citizen.full_name = citizen.full_name or zalo_name[:100]
        citizen.updated_at = utcnow()
        citizen.save()
        return citizen, replaced
