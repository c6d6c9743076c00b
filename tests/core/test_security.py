"""CSRF tokens, the CSP nonce, the security headers word for word, and safe redirects.

test_security_headers.py and test_csrf_and_safe_methods.py check every route loosely; these
check the plumbing of webapp.core.security exactly, on one small page, so that a weakened
policy or a check that lets a request through is noticed.
"""

from __future__ import annotations

import re

import pytest
from flask import render_template_string, request

from tests.conftest import make_app
from tests.pages import page_text
from webapp.core import security

POLICY = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; "
          "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), microphone=(), camera=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture
def app(sqlite_url):
    """An app with a form page and a POST that changes something, as any room's would."""
    app = make_app(sqlite_url)
    posted = app.config["POSTED"] = []

    @app.get("/_form")
    def _form():
        return (f"<form method=post>{security.csrf_field()}</form>"
                f"<script nonce={security.csp_nonce()}></script>"
                f"<i>{security.csp_nonce()}</i><b>{security.csrf_token()}</b>")

    @app.post("/_change")
    def _change():
        posted.append(request.form.get("what"))
        return "changed"

    return app


def token_of(client) -> str:
    html = client.get("/_form").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_every_answer_carries_the_policy_and_headers_word_for_word(app):
    response = app.test_client().get("/_form")
    html = response.get_data(as_text=True)
    nonce = re.search(r"<script nonce=([^>]+)>", html).group(1)
    assert response.headers["Content-Security-Policy"] == POLICY.format(nonce=nonce)
    assert {name: response.headers.get(name) for name in HEADERS} == HEADERS
    assert "Strict-Transport-Security" not in response.headers


def test_a_304_keeps_the_policy_of_its_stored_page_without_a_nonce(app):
    with app.test_request_context("/_form"):
        assert security.content_security_policy(with_nonce=False) == POLICY.replace(
            " 'nonce-{nonce}'", "")
        assert security.content_security_policy() == POLICY.format(nonce=security.csp_nonce())


def test_templates_get_the_hidden_field_token_and_nonce_of_this_visitor(app):
    with app.test_request_context("/_form"):
        html = render_template_string("{{ csrf_field() }}|{{ csrf_token() }}|{{ csp_nonce() }}")
        token, nonce = security.csrf_token(), security.csp_nonce()
    assert html == f'<input type="hidden" name="csrf_token" value="{token}">|{token}|{nonce}'


def test_one_nonce_per_request_and_a_new_one_for_the_next(app):
    client = app.test_client()
    pages = [client.get("/_form").get_data(as_text=True) for _ in range(2)]
    nonces = [re.findall(r"<script nonce=([^>]+)></script><i>([^<]+)</i>", page)[0]
              for page in pages]
    assert nonces[0][0] == nonces[0][1] and nonces[1][0] == nonces[1][1]
    assert nonces[0][0] != nonces[1][0] and len(nonces[0][0]) >= 20


def test_a_page_that_sets_its_own_policy_keeps_it(app):
    @app.get("/_own")
    def _own():
        return "", 200, {"Content-Security-Policy": "default-src 'none'",
                         "X-Frame-Options": "SAMEORIGIN"}

    headers = app.test_client().get("/_own").headers
    assert headers["Content-Security-Policy"] == "default-src 'none'"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_csrf_token_is_one_per_visitor_and_stays_for_the_session(app):
    client, other = app.test_client(), app.test_client()
    first = token_of(client)
    html = client.get("/_form").get_data(as_text=True)
    assert re.search(r"<b>([^<]+)</b>", html).group(1) == first == token_of(client)
    assert len(first) >= 40 and token_of(other) != first


def test_a_post_with_the_token_in_the_form_or_the_htmx_header_is_let_through(app):
    client = app.test_client()
    token = token_of(client)
    assert client.post("/_change", data={"csrf_token": token, "what": "form"}).status_code == 200
    response = client.post("/_change", data={"what": "htmx"}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200
    assert app.config["POSTED"] == ["form", "htmx"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_change_without_the_right_token_is_refused_and_changes_nothing(app, method):
    client = app.test_client()
    app.add_url_rule("/_any", "_any", lambda: "changed", methods=[method])
    token = token_of(client)
    other = token_of(app.test_client())
    for data, headers in [({}, {}), ({"csrf_token": ""}, {}), ({"csrf_token": other}, {}),
                          ({"csrf_token": token[:-1]}, {}), ({}, {"X-CSRF-Token": other})]:
        response = client.open("/_any", method=method, data=data, headers=headers)
        assert response.status_code == 400, (data, headers)
    assert client.open("/_any", method=method, data={"csrf_token": token}).status_code == 200


def test_a_visitor_without_a_token_cannot_post_even_an_empty_one(app):
    client = app.test_client()  # never fetched a form: the session has no token
    assert client.post("/_change", data={"csrf_token": ""}).status_code == 400
    assert client.post("/_change", headers={"X-CSRF-Token": ""}).status_code == 400
    # Nor the text a missing token would read as, were "no token" ever compared as a string
    # (a new visitor: the refusal pages above gave `client` a token).
    fresh = app.test_client()
    assert fresh.post("/_change", data={"csrf_token": "None"}).status_code == 400
    assert app.config["POSTED"] == []


def test_a_refused_post_tells_the_visitor_why_and_what_to_do(app):
    page = page_text(app.test_client().post("/_change").get_data(as_text=True))
    assert "Trang đã mở quá lâu nên để an toàn, hệ thống chưa nhận được thông tin" in page
    assert "Xin Ông/Bà quay" in page


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reading_needs_no_token(app, method):
    assert app.test_client().open("/_form", method=method).status_code == 200


@pytest.mark.parametrize(("candidate", "expected"), [
    ("/ho-so-cua-toi", "/ho-so-cua-toi"),
    ("/thu-tuc/?q=tro+cap", "/thu-tuc/?q=tro+cap"),
    ("", "/fallback"),
    (None, "/fallback"),
    ("https://evil.example/", "/fallback"),
    ("//evil.example/", "/fallback"),
    ("http:/evil.example", "/fallback"),
    ("javascript:alert(1)", "/fallback"),
    ("evil.example/path", "/fallback"),
    ("ho-so-cua-toi", "/fallback"),
    ("/\\evil.example/", "/fallback"),
    ("/\t/evil.example/", "/fallback"),
    ("/\x1f/evil.example/", "/fallback"),  # every control character, up to 0x1F
    ("/\x7f/evil.example/", "/fallback"),  # and DEL
    ("/thu-tuc/?q=tro cap~", "/thu-tuc/?q=tro cap~"),  # space and ~ are printable
    ("/nop-ho-so/tro-cap-xa-hoi-hang-thang/dang-nhap",
     "/nop-ho-so/tro-cap-xa-hoi-hang-thang/dang-nhap"),
])
def test_redirects_after_sign_in_stay_on_this_site(candidate, expected):
    assert security.safe_next_url(candidate, "/fallback") == expected


def test_hsts_over_https_or_when_forced(sqlite_url):
    hsts = "max-age=31536000; includeSubDomains"
    plain = make_app(sqlite_url).test_client()
    assert plain.get("/", base_url="https://localhost").headers[
        "Strict-Transport-Security"] == hsts
    assert make_app(sqlite_url, HSTS=True).test_client().get("/").headers[
        "Strict-Transport-Security"] == hsts
    assert "Strict-Transport-Security" not in make_app(sqlite_url, HSTS=False).test_client().get(
        "/").headers


def test_behind_two_proxies_the_visitor_is_the_address_the_first_proxy_saw(sqlite_url):
    behind = make_app(sqlite_url, PROXY_COUNT=2)
    seen = []
    behind.add_url_rule("/_who", "_who", lambda: seen.append(request.remote_addr) or "")
    behind.add_url_rule("/_https", "_https", lambda: str(request.is_secure))
    client = behind.test_client()
    client.get("/_who", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    assert seen == ["198.51.100.1"]
    # The first proxy saw https; the second spoke http to the first.
    answer = client.get("/_https", headers={"X-Forwarded-Proto": "https, http"})
    assert answer.get_data(as_text=True) == "True"
