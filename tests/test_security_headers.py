"""Security headers on every response of every route, and HSTS when served over https."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import sign_in_citizen
from tests.conftest import make_app
from tests.test_csrf_and_safe_methods import GET_ROUTES
from tests.test_route_access import _requests


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_every_answer_carries_the_security_headers(app, endpoint):
    client = app.test_client()
    sign_in_citizen(client)
    for _, url in _requests(app, endpoint):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain http: HSTS means nothing


def test_hsts_is_sent_over_https(app):
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_can_be_forced_for_a_proxy_that_hides_https(database_url):
    forced = make_app(database_url, HSTS=True)
    assert "Strict-Transport-Security" in forced.test_client().get("/").headers


def test_behind_a_proxy_the_visitors_address_and_https_are_seen(database_url):
    from flask import request

    behind = make_app(database_url, PROXY_COUNT=1)
    seen = {}

    @behind.get("/_address")
    def _address():
        seen.update(address=request.remote_addr, secure=request.is_secure)
        return ""

    behind.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.9",
                                                  "X-Forwarded-Proto": "https"})
    assert seen == {"address": "203.0.113.9", "secure": True}
    direct = make_app(database_url)  # without a declared proxy, the header is not trusted
    direct.add_url_rule("/_address", view_func=_address)
    direct.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["address"] == "127.0.0.1"
