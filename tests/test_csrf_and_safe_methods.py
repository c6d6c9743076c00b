"""CSRF on every state-changing route, htmx included; and no state change by GET.

Both walk the app's URL map (through the table of tests/test_route_access.py, which must list
every route), so a new POST route is covered the day it is added.

GET may write only bookkeeping that is not the visitor's data: the session's last-seen time,
the audit log (reading personal data is itself recorded) and rate-limit counters. The one GET
that signs someone in is Zalo's OAuth callback (`accounts.zalo_callback`): OAuth redirects
with GET, and the `state` kept in the visitor's cookie plays the CSRF token's part
(tests/accounts/test_zalo_sign_in.py proves a forged state signs nobody in).
"""

from __future__ import annotations

import logging
import re

import pytest

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.test_route_access import ROUTES, _requests

BOOKKEEPING_TABLES = {"sign_in_session", "audit_event", "rate_limit_hit"}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _routes_with(method: str) -> list[str]:
    from tests.conftest import make_app

    app = make_app("sqlite:///:memory:")
    return sorted(endpoint for endpoint in ROUTES
                  for rule in app.url_map.iter_rules(endpoint) if method in rule.methods)


POST_ROUTES = _routes_with("POST")
GET_ROUTES = _routes_with("GET")


def _clients(app):
    """A visitor, a citizen, an officer and an administrator, each in their own browser."""
    visitor, citizen, officer, admin = (app.test_client() for _ in range(4))
    sign_in_citizen(citizen)
    sign_in_staff(officer, role="officer")
    sign_in_staff(admin, role="admin")
    return {"visitor": visitor, "citizen": citizen, "officer": officer, "admin": admin}


def _token(client) -> str:
    client.get("/")
    with client.session_transaction() as session:
        return session["csrf_token"]


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_every_post_is_refused_without_the_right_csrf_token(app, endpoint):
    for who, client in _clients(app).items():
        right = _token(client)
        for method, url in _requests(app, endpoint):
            if method != "POST":
                continue
            assert client.post(url, data={}).status_code == 400, (who, url)
            assert client.post(url, data={"csrf_token": "forged"}).status_code == 400, (who, url)
            # another visitor's valid token is no good either
            other = _token(app.test_client())
            assert client.post(url, data={"csrf_token": other}).status_code == 400, (who, url)
            # htmx sends the token in a header; the right one passes the check
            response = client.post(url, headers={"X-CSRF-Token": right, "HX-Request": "true"})
            assert response.status_code != 400, (who, url)


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.tables: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        sql = record.msg[0] if isinstance(record.msg, tuple) else str(record.msg)
        match = WRITE.match(sql)
        if match:
            self.tables.append(match.group(1))


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_no_get_changes_anything_but_bookkeeping(app, endpoint):
    clients = _clients(app)
    logger = logging.getLogger("peewee")
    handler, level = _Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        for client in clients.values():
            for method, url in _requests(app, endpoint):
                if method == "GET":
                    client.get(url)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert set(handler.tables) <= BOOKKEEPING_TABLES, handler.tables
