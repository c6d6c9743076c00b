"""The link in the "more papers needed" message: it opens that dossier's add-papers page by
itself, in any browser (a fresh Zalo webview, another phone), without asking for the phone
number again (issue 11, item 13).

Signed with the app's SECRET_KEY by itsdangerous (`core.links.signed_ids`), it names one
dossier and one request, the event that asked for the papers, and expires after
ADD_PAPERS_LINK_DAYS. It opens nothing else: it stops working as soon as that request is
answered or a newer request replaces it, and a forged or altered link is refused like an
expired one.
"""

from __future__ import annotations

from flask import current_app

from webapp.core import links

SALT = "dossier-add-papers"  # a link signed for another purpose never passes here
DEFAULT_DAYS = 30


def make_token(dossier_id: int, request_event_id: int) -> str:
    return links.signed_ids(SALT, dossier_id, request_event_id)


def read_token(token: str) -> tuple[int, int] | None:
    """(dossier id, request event id) of a genuine link still in date; None otherwise."""
    days = current_app.config.get("ADD_PAPERS_LINK_DAYS", DEFAULT_DAYS)
    found = links.read_signed_ids(SALT, token, 2, days)
    return (found[0], found[1]) if found else None
