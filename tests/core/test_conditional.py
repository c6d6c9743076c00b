"""Conditional requests for anonymous pages (core/conditional.py): the same page has the same
ETag whatever its CSP nonce, a browser holding it gets a 304 without a body, and signed-in
people's pages are never part of it."""

from __future__ import annotations

from tests.accounts.helpers import sign_in_citizen


def test_an_anonymous_page_has_a_stable_etag_and_a_304_when_unchanged(client):
    first = client.get("/")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first.headers["Vary"]
    second = client.get("/")
    assert second.headers["ETag"] == etag  # another nonce, the same page
    assert second.headers["Content-Security-Policy"] != first.headers["Content-Security-Policy"]
    unchanged = client.get("/", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag
    policy = unchanged.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "nonce-" not in policy
    assert client.get("/", headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_another_visitor_or_another_page_never_matches(app, client):
    etag = client.get("/").headers["ETag"]
    stranger = app.test_client()  # another session: another CSRF token in the page
    assert stranger.get("/", headers={"If-None-Match": etag}).status_code == 200
    assert client.get("/tro-giup", headers={"If-None-Match": etag}).status_code == 200


def test_signed_in_pages_and_fragments_are_left_alone(app, client):
    assert "ETag" not in client.get("/", headers={"HX-Request": "true"}).headers
    citizen = app.test_client()
    sign_in_citizen(citizen)
    response = citizen.get("/")
    assert response.status_code == 200 and "ETag" not in response.headers
