"""Carrying on with a draft begun at a kiosk on the visitor's own phone.

At a kiosk, "Tiếp tục trên điện thoại của tôi" shows a QR code of a link that works once, for
`HAND_OVER_MINUTES`, and only for the citizen who began the draft (she signs in on her phone
with the same number). The link holds a random token signed with `SECRET_KEY`; the server keeps
only its hash (`DraftHandOver`), so neither a guessed link nor a copy of the table opens a
draft. When she takes the draft on her phone, the kiosk's session ends and the kiosk forgets
the rest of her visit as when she presses "Bắt đầu lại"; the draft she took is no longer one
the kiosk forgets (`handed_over_ids`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.accounts.models import SignInSession
from webapp.audit import log as audit
from webapp.core.clock import utcnow
from webapp.core.db import write_transaction
from webapp.core.kiosk import forget_visitor
from webapp.core.links import external
from webapp.dossiers.models import DossierDraft, DraftHandOver

HAND_OVER_MINUTES = 15
SALT = "draft-hand-over"


class HandOverRefused(Exception):
    """The link cannot hand the draft over; `reason` says why, in the page's words; `row`, the
    hand-over it names when there is one."""

    reason = "forged"

    def __init__(self, row: DraftHandOver | None = None) -> None:
        super().__init__(self.reason)
        self.row = row


class Forged(HandOverRefused):
    reason = "forged"


class Expired(HandOverRefused):
    reason = "expired"


class Used(HandOverRefused):
    reason = "used"


class OnKiosk(HandOverRefused):
    """The link opened on a kiosk: it is for her own phone (a kiosk keeps nothing of hers)."""

    reason = "kiosk"


class OtherCitizen(HandOverRefused):
    """Signed in on the phone with another number than the one that began the draft."""

    reason = "other"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def offer(draft: DossierDraft, kiosk, kiosk_session: SignInSession) -> tuple[DraftHandOver, str]:
    """A new hand-over of the draft and the signed value its link carries. An earlier code of
    the same draft not yet used stops working: only the code on the screen opens it."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with write_transaction():
        DraftHandOver.delete().where((DraftHandOver.draft == draft)
                                     & DraftHandOver.claimed_at.is_null()).execute()
        row = DraftHandOver.create(
            token_hash=_digest(token), draft=draft, citizen=draft.citizen_id, kiosk=kiosk,
            kiosk_session=kiosk_session, created_at=now,
            expires_at=now + dt.timedelta(minutes=HAND_OVER_MINUTES))
    audit.record("dossier_draft.hand_over_offered", object_type="dossier_draft",
                 object_id=draft.id, detail={"kiosk": getattr(kiosk, "id", None)})
    return row, _serializer().dumps(token)


def link(signed: str) -> str:
    """The address the QR code holds (on PUBLIC_BASE_URL: the phone is not on the kiosk)."""
    return external("dossiers.hand_over", signed=signed)


def read(signed: str) -> DraftHandOver:
    """The hand-over a link names, or why it cannot be used (forged, expired, used)."""
    try:
        token = _serializer().loads(signed)
    except BadSignature as error:
        raise Forged from error
    if not isinstance(token, str):
        raise Forged
    row = DraftHandOver.get_or_none(DraftHandOver.token_hash == _digest(token))
    if row is None:
        raise Forged  # a replaced code, or a signed value never stored: no better word for it
    if row.claimed_at is not None:
        raise Used(row)
    if row.expires_at <= utcnow():
        raise Expired(row)
    return row


def claim(signed: str, citizen) -> DossierDraft:
    """Give the draft to the citizen signed in on her phone, once: of two phones opening the
    same link at once, the compare-and-set lets exactly one through. Then the kiosk forgets
    her (its session, what else she left there)."""
    row = read(signed)
    if row.citizen_id != citizen.id:
        raise OtherCitizen(row)
    now = utcnow()
    with write_transaction():
        taken = (DraftHandOver.update(claimed_at=now)
                 .where((DraftHandOver.id == row.id) & DraftHandOver.claimed_at.is_null()
                        & (DraftHandOver.expires_at > now)).execute())
        if taken != 1:
            raise Used(row)
    _forget_at_kiosk(row, citizen, now)
    audit.record("dossier_draft.handed_over", object_type="dossier_draft",
                 object_id=row.draft_id, detail={"kiosk": row.kiosk_id})
    return DossierDraft.get_by_id(row.draft_id)


def _forget_at_kiosk(row: DraftHandOver, citizen, now: dt.datetime) -> None:
    """The kiosk's session ends and the rest of her visit there is forgotten, as "Bắt đầu lại"
    does (the draft just taken is spared: `handed_over_ids`)."""
    kiosk_session = (SignInSession.get_or_none(SignInSession.id == row.kiosk_session_id)
                     if row.kiosk_session_id else None)
    if kiosk_session is None:
        return
    if kiosk_session.revoked_at is None:
        SignInSession.update(revoked_at=now).where(SignInSession.id == kiosk_session.id).execute()
        forget_visitor(citizen, since=kiosk_session.created_at)


def handed_over_ids():
    """The drafts a visitor took on her phone: no longer the kiosk's to forget."""
    return (DraftHandOver.select(DraftHandOver.draft)
            .where(DraftHandOver.claimed_at.is_null(False)))


def of_id(hand_over_id) -> DraftHandOver | None:
    """The hand-over a kiosk's page shows (its id kept in the kiosk's signed session cookie)."""
    return DraftHandOver.get_or_none(DraftHandOver.id == hand_over_id)


def expired(row: DraftHandOver) -> bool:
    return row.expires_at <= utcnow()
