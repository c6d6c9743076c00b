"""The link in the "more papers needed" message: it opens that dossier's add-papers page by
itself, in any browser (a fresh Zalo webview, another phone), without asking for the phone
number again (issue 11, item 13).

Signed with the app's SECRET_KEY by itsdangerous (which Flask already ships and uses for its
session cookie), it names one dossier and one request, the event that asked for the papers,
and expires after ADD_PAPERS_LINK_DAYS. It opens nothing else: it stops working as soon as
that request is answered or a newer request replaces it, and a forged or altered link is
refused like an expired one.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "dossier-add-papers"  # a link signed for another purpose never passes here
DEFAULT_DAYS = 30


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(dossier_id: int, request_event_id: int) -> str:
    return _serializer().dumps([dossier_id, request_event_id])


def read_token(token: str) -> tuple[int, int] | None:
    """(dossier id, request event id) of a genuine link still in date; None otherwise."""
    days = current_app.config.get("ADD_PAPERS_LINK_DAYS", DEFAULT_DAYS)
    token = token.rstrip(".")  # the message's full stop, taken into the link by some phones
    try:
        data = _serializer().loads(token, max_age=days * 24 * 3600)
    except BadSignature:  # SignatureExpired is one too
        return None
    if (not isinstance(data, list) or len(data) != 2
            or not all(isinstance(part, int) and not isinstance(part, bool) for part in data)):
        return None
    return data[0], data[1]
