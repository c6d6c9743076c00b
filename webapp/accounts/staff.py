"""Staff accounts: passwords (argon2id), TOTP second factor, invitations, locking.

Why argon2id: it is memory-hard, so a stolen table of hashes is slow to attack even on GPUs.
Why TOTP: officers and administrators see personal data of whole communes; a password alone
is too little. TOTP works with any authenticator app and needs no SMS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from webapp.accounts.models import (
    ROLES_WITH_SECOND_FACTOR,
    SignInSession,
    StaffCommune,
    StaffInvitation,
    StaffUser,
)
from webapp.core.clock import utcnow
from webapp.core.db import database

INVITATION_LIFETIME = dt.timedelta(days=7)
TOTP_ISSUER = "Tay Ninh Smart"
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Checked when the username is unknown, so that a wrong username takes as long as a wrong
# password and the timing does not tell which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(staff: StaffUser | None, password: str) -> bool:
    """True when `password` is this active staff member's; rehashes with newer parameters."""
    if staff is None or not staff.is_active:
        _verify(_DUMMY_HASH, password)
        return False
    if not _verify(staff.password_hash, password):
        return False
    if _hasher.check_needs_rehash(staff.password_hash):
        StaffUser.update(password_hash=hash_password(password)).where(
            StaffUser.id == staff.id).execute()
    return True


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The TOTP time step `code` belongs to (this one, or one either side for clock drift)."""
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step = int(now // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def check_totp(staff: StaffUser, code: str) -> bool:
    """True for a current code not used before (a code seen over a shoulder is spent)."""
    if not staff.totp_secret:
        return False
    step = matching_step(staff.totp_secret, code)
    if step is None:
        return False
    # Conditional update: of two requests with the same code, only one wins.
    return bool(StaffUser.update(totp_last_step=step)
                .where(StaffUser.id == staff.id, StaffUser.totp_last_step < step).execute())


def create_staff(*, username: str, full_name: str, role: str, password_hash: str,
                 phone: str = "", totp_secret: str | None = None, totp_last_step: int = 0,
                 commune_ids=()) -> StaffUser:
    """Create an account and the communes it serves, in one transaction."""
    with database.atomic():
        staff = StaffUser.create(username=username, full_name=full_name, role=role, phone=phone,
                                 password_hash=password_hash, totp_secret=totp_secret,
                                 totp_last_step=totp_last_step)
        for commune_id in commune_ids:
            StaffCommune.create(staff=staff, commune=commune_id)
    return staff


def _invitation_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def invite(*, invited_by: StaffUser, username: str, full_name: str, phone: str, role: str,
           commune_ids: list[int]) -> tuple[str, StaffInvitation]:
    """Make an invitation; return its secret token (shown once) and the row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = StaffInvitation.create(
        token_hash=_invitation_hash(token), username=username, full_name=full_name, phone=phone,
        role=role, commune_ids=commune_ids, invited_by=invited_by, created_at=now,
        expires_at=now + INVITATION_LIFETIME)
    return token, invitation


# Not an argon2 hash: no password matches it (the check fails closed, see _verify).
UNUSABLE_PASSWORD = "!reset"


def reset_sign_in(*, account: StaffUser, reset_by: StaffUser) -> tuple[str, StaffInvitation]:
    """For a lost phone or a forgotten password: the account's password and authenticator stop
    working at once, its sessions end, and a one-time link lets the person choose a new
    password and set up the app again. Only the newest link works."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with database.atomic():
        StaffUser.update(password_hash=UNUSABLE_PASSWORD, totp_secret=None, totp_last_step=0
                         ).where(StaffUser.id == account.id).execute()
        SignInSession.revoke_all_for_staff(account)
        StaffInvitation.update(used_at=now).where(StaffInvitation.staff == account,
                                                  StaffInvitation.used_at.is_null()).execute()
        invitation = StaffInvitation.create(
            token_hash=_invitation_hash(token), username=account.username,
            full_name=account.full_name, phone=account.phone, role=account.role,
            invited_by=reset_by, created_at=now, expires_at=now + INVITATION_LIFETIME,
            staff=account)
    return token, invitation


def open_invitation(token: str) -> StaffInvitation | None:
    """The invitation behind a token, if it is unused and not expired."""
    invitation = StaffInvitation.get_or_none(StaffInvitation.token_hash == _invitation_hash(token))
    if invitation is None or invitation.used_at or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept_invitation(invitation: StaffInvitation, totp_step: int = 0) -> StaffUser | None:
    """Turn an invitation (password chosen, TOTP set up if needed) into an account, once; or,
    for a reset, give the existing account its new password and authenticator."""
    with database.atomic():
        taken = (StaffInvitation.update(used_at=utcnow())
                 .where(StaffInvitation.id == invitation.id,
                        StaffInvitation.used_at.is_null()).execute())
        if taken and invitation.is_reset:
            renewed = StaffUser.update(
                password_hash=invitation.password_hash, totp_secret=invitation.totp_secret,
                totp_last_step=totp_step,
            ).where(StaffUser.id == invitation.staff_id, StaffUser.is_active).execute()
            return StaffUser.get_by_id(invitation.staff_id) if renewed else None
        if not taken or StaffUser.by_username(invitation.username) is not None:
            return None
        staff = create_staff(
            username=invitation.username, full_name=invitation.full_name, role=invitation.role,
            phone=invitation.phone, password_hash=invitation.password_hash,
            totp_secret=invitation.totp_secret, totp_last_step=totp_step,
            commune_ids=invitation.commune_ids)
        StaffInvitation.update(staff=staff).where(StaffInvitation.id == invitation.id).execute()
    return staff


def needs_second_factor(role: str) -> bool:
    return role in ROLES_WITH_SECOND_FACTOR


def set_communes(staff: StaffUser, commune_ids: list[int]) -> None:
    """Make these the communes an officer or volunteer serves. Access is checked against them
    on every request, so the change holds from the next page they open."""
    with database.atomic():
        StaffCommune.delete().where(StaffCommune.staff == staff).execute()
        StaffCommune.insert_many([{"staff": staff.id, "commune": commune_id}
                                  for commune_id in sorted(set(commune_ids))]).execute()


def lock(staff: StaffUser) -> None:
    """Lock an account and end its sessions at once."""
    with database.atomic():
        StaffUser.update(is_active=False).where(StaffUser.id == staff.id).execute()
        SignInSession.revoke_all_for_staff(staff)
