"""Zalo login (OAuth v4 + PKCE) against FakeZalo over real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from tests.fakes import FakeZalo, FakeZaloUser, closed_port_url
from tests.integrations.constants import REDIRECT_URI, SLOW_ANSWER, impatient
from webapp.integrations.zalo_oauth import (
    ZaloOAuthClient,
    ZaloOAuthError,
    ZaloUnavailable,
    appsecret_proof,
    code_challenge,
    new_pkce_verifier,
)


class _FormReader(HTMLParser):
    """Collect the first form's action, hidden inputs and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, tuple[str, str]] = {}
        self._button: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = attributes.get("action", "")
        elif tag == "input":
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "button":
            self._button = (attributes["name"], attributes["value"])

    def handle_data(self, data: str) -> None:
        if self._button and data.strip():
            self.buttons[data.strip()] = self._button
            self._button = None


def _consent(authorization_url: str, button: str) -> dict[str, str]:
    """Open the permission page, press a button like a browser would, return callback params."""
    page = requests.get(authorization_url, timeout=2)
    assert page.status_code == 200
    form = _FormReader()
    form.feed(page.text)
    name, value = form.buttons[button]
    answer = requests.post(
        urljoin(authorization_url, form.action),
        data={**form.fields, name: value},
        allow_redirects=False,
        timeout=2,
    )
    assert answer.status_code in (302, 303)
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def _sign_in(client: ZaloOAuthClient, verifier: str, state: str = "csrf-1") -> str:
    """Run the browser part of the flow and return the authorization code."""
    params = _consent(client.authorization_url(state, code_challenge(verifier)), "Cho phép")
    return client.read_callback(params, expected_state=state)


def test_code_challenge_matches_rfc_7636_example() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_new_verifier_is_long_url_safe_and_fresh() -> None:
    verifiers = {new_pkce_verifier() for _ in range(20)}
    assert len(verifiers) == 20
    for verifier in verifiers:
        assert len(verifier) >= 43
        assert set(verifier) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )


def test_authorization_url_carries_the_four_parameters(
    oauth_client: ZaloOAuthClient, zalo_url: str
) -> None:
    url = oauth_client.authorization_url("s-1", "challenge-1")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{zalo_url}/v4/permission"
    assert parse_qs(parts.query) == {
        "app_id": ["fake-app-id"],
        "redirect_uri": [REDIRECT_URI],
        "code_challenge": ["challenge-1"],
        "state": ["s-1"],
    }


def test_full_round_trip_with_pkce(oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.current_user = FakeZaloUser(
        id="42", name="Trần Thị Bình", picture_url="https://x/y.jpg"
    )
    verifier = new_pkce_verifier()

    code = _sign_in(oauth_client, verifier)
    tokens = oauth_client.exchange_code(code, verifier)
    profile = oauth_client.fetch_profile(tokens.access_token)

    assert (profile.id, profile.name, profile.picture_url) == (
        "42",
        "Trần Thị Bình",
        "https://x/y.jpg",
    )
    assert tokens.expires_in == 3600
    assert tokens.refresh_token
    sent = fake_zalo.token_requests[-1]
    assert sent == {
        "app_id": "fake-app-id",
        "code": code,
        "code_verifier": verifier,
        "grant_type": "authorization_code",
    }


def test_profile_without_picture(oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.current_user = FakeZaloUser(id="7", name="Lê Văn C", picture_url=None)
    verifier = new_pkce_verifier()
    tokens = oauth_client.exchange_code(_sign_in(oauth_client, verifier), verifier)
    assert oauth_client.fetch_profile(tokens.access_token).picture_url is None


def test_wrong_verifier_is_refused(oauth_client: ZaloOAuthClient) -> None:
    code = _sign_in(oauth_client, new_pkce_verifier())
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.exchange_code(code, new_pkce_verifier())
    assert refused.value.code == "-14005"


def test_code_is_single_use(oauth_client: ZaloOAuthClient) -> None:
    verifier = new_pkce_verifier()
    code = _sign_in(oauth_client, verifier)
    oauth_client.exchange_code(code, verifier)
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.exchange_code(code, verifier)
    assert refused.value.code == "-14005"


def test_expired_code_is_refused(oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo) -> None:
    verifier = new_pkce_verifier()
    code = _sign_in(oauth_client, verifier)
    fake_zalo.expire_codes()
    with pytest.raises(ZaloOAuthError):
        oauth_client.exchange_code(code, verifier)


def test_wrong_secret_is_refused(fake_zalo: FakeZalo, zalo_url: str) -> None:
    client = ZaloOAuthClient(fake_zalo.app_id, "not-the-secret", REDIRECT_URI, oauth_base=zalo_url)
    verifier = new_pkce_verifier()
    code = fake_zalo.authorize(code_challenge(verifier), REDIRECT_URI)
    with pytest.raises(ZaloOAuthError) as refused:
        client.exchange_code(code, verifier)
    assert refused.value.code == "-14004"
    assert refused.value.description


def test_user_denies_permission(oauth_client: ZaloOAuthClient) -> None:
    url = oauth_client.authorization_url("csrf-2", code_challenge(new_pkce_verifier()))
    params = _consent(url, "Từ chối")
    assert "code" not in params
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.read_callback(params, expected_state="csrf-2")
    assert refused.value.code == "access_denied"


def test_denial_by_query_flag_redirects_at_once(oauth_client: ZaloOAuthClient) -> None:
    url = oauth_client.authorization_url("csrf-3", code_challenge(new_pkce_verifier()))
    answer = requests.get(url + "&fake_decision=deny", allow_redirects=False, timeout=2)
    params = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}
    assert params == {"error": "access_denied", "error_reason": "user_denied", "state": "csrf-3"}


def test_callback_with_wrong_state_is_refused(oauth_client: ZaloOAuthClient) -> None:
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.read_callback({"code": "abc", "state": "forged"}, expected_state="csrf-4")
    assert refused.value.code == "state_mismatch"


def test_callback_without_code_is_refused(oauth_client: ZaloOAuthClient) -> None:
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.read_callback({"state": "s"}, expected_state="s")
    assert refused.value.code == "missing_code"


def test_unknown_app_id_shows_zalo_error_page(fake_zalo: FakeZalo, zalo_url: str) -> None:
    client = ZaloOAuthClient("other-app", "x", REDIRECT_URI, oauth_base=zalo_url)
    answer = requests.get(client.authorization_url("s", "c"), timeout=2)
    assert answer.status_code == 400
    assert answer.url.endswith("/v4/permission/error?error_code=-14002")


def test_unregistered_redirect_uri_is_refused(fake_zalo: FakeZalo, zalo_url: str) -> None:
    client = ZaloOAuthClient(fake_zalo.app_id, "x", "https://evil.example/cb", oauth_base=zalo_url)
    answer = requests.get(client.authorization_url("s", "c"), allow_redirects=False, timeout=2)
    assert answer.headers["Location"].endswith("error_code=-14003")


def test_refresh_rotates_the_refresh_token(oauth_client: ZaloOAuthClient) -> None:
    verifier = new_pkce_verifier()
    first = oauth_client.exchange_code(_sign_in(oauth_client, verifier), verifier)

    second = oauth_client.refresh(first.refresh_token)

    assert second.access_token != first.access_token
    assert oauth_client.fetch_profile(second.access_token).id
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.refresh(first.refresh_token)
    assert refused.value.code == "-14014"


def test_oa_refresh_rotates_and_the_new_token_sends_zns(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo, zalo_url: str
) -> None:
    granted = fake_zalo.grant_oa_refresh_token()

    tokens = oauth_client.refresh_oa(granted)

    assert tokens.expires_in == 90000  # sent as the string "90000"
    assert fake_zalo.oa_token_requests == [
        {"app_id": fake_zalo.app_id, "refresh_token": granted, "grant_type": "refresh_token"}
    ]
    assert fake_zalo.accepts_oa_access_token(tokens.access_token)
    assert not fake_zalo.accepts_oa_access_token(fake_zalo.oa_access_token)  # replaced
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.refresh_oa(granted)  # single use
    assert refused.value.code == "-14014"
    assert oauth_client.refresh_oa(tokens.refresh_token).refresh_token != tokens.refresh_token
    assert fake_zalo.oa_refreshes == 2


def test_oa_refresh_needs_the_app_secret(fake_zalo: FakeZalo, zalo_url: str) -> None:
    client = ZaloOAuthClient(fake_zalo.app_id, "wrong-secret", oauth_base=zalo_url)
    granted = fake_zalo.grant_oa_refresh_token()
    with pytest.raises(ZaloOAuthError) as refused:
        client.refresh_oa(granted)
    assert refused.value.code == "-14004"
    assert fake_zalo.oa_refreshes == 0


def test_oa_refresh_server_error_raises_unavailable(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next("oa_access_token", http_status=502)
    with pytest.raises(ZaloUnavailable):
        oauth_client.refresh_oa(fake_zalo.grant_oa_refresh_token())


def test_profile_with_bad_token_is_refused(oauth_client: ZaloOAuthClient) -> None:
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.fetch_profile("not-a-token")
    assert refused.value.code == "452"


def test_timeout_raises_unavailable(oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo) -> None:
    verifier = new_pkce_verifier()
    code = _sign_in(oauth_client, verifier)
    fake_zalo.fail_next("access_token", delay=SLOW_ANSWER)
    with pytest.raises(ZaloUnavailable):
        impatient(oauth_client).exchange_code(code, verifier)


def test_profile_timeout_raises_unavailable(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next("me", delay=SLOW_ANSWER)
    with pytest.raises(ZaloUnavailable):
        impatient(oauth_client).fetch_profile("whatever")


def test_server_error_raises_unavailable(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next("access_token", http_status=503)
    with pytest.raises(ZaloUnavailable):
        oauth_client.exchange_code("c", "v")


def test_unreadable_answer_raises_unavailable(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next("access_token", http_status=200)  # 200 with a text body
    with pytest.raises(ZaloUnavailable):
        oauth_client.exchange_code("c", "v")


def test_injected_oauth_error_code(oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("access_token", error=-14018)
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.exchange_code("c", "v")
    assert refused.value.code == "-14018"


def test_connection_refused_raises_unavailable() -> None:
    url = closed_port_url()
    client = ZaloOAuthClient("a", "s", REDIRECT_URI, oauth_base=url, graph_base=url, timeout=1)
    with pytest.raises(ZaloUnavailable):
        client.exchange_code("c", "v")
    with pytest.raises(ZaloUnavailable):
        client.fetch_profile("t")


def test_secrets_stay_out_of_logs_and_reprs(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="webapp.integrations")
    verifier = new_pkce_verifier()
    code = _sign_in(oauth_client, verifier)
    tokens = oauth_client.exchange_code(code, verifier)
    with pytest.raises(ZaloOAuthError):
        oauth_client.exchange_code(code, verifier)
    fake_zalo.fail_next("me", http_status=500)
    with pytest.raises(ZaloUnavailable):
        oauth_client.fetch_profile(tokens.access_token)
    oa_granted = fake_zalo.grant_oa_refresh_token()
    oa_tokens = oauth_client.refresh_oa(oa_granted)
    with pytest.raises(ZaloOAuthError):
        oauth_client.refresh_oa(oa_granted)

    assert caplog.records  # the failures were logged ...
    secrets = (code, verifier, tokens.access_token, tokens.refresh_token, fake_zalo.secret_key,
               oa_granted, oa_tokens.access_token, oa_tokens.refresh_token)
    for secret in secrets:
        assert secret not in caplog.text  # ... without anything secret
        assert secret not in repr(tokens) + repr(oa_tokens)
        assert secret not in repr(oauth_client)


def test_appsecret_proof_is_the_hmac_of_the_token_keyed_with_the_secret() -> None:
    # RFC 4231, test case 2: HMAC-SHA256 with key "Jefe".
    assert appsecret_proof("what do ya want for nothing?", "Jefe") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")


def test_profile_carries_the_appsecret_proof(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo, zalo_url: str
) -> None:
    verifier = new_pkce_verifier()
    tokens = oauth_client.exchange_code(_sign_in(oauth_client, verifier), verifier)

    assert oauth_client.fetch_profile(tokens.access_token).id == fake_zalo.current_user.id
    other_secret = ZaloOAuthClient(fake_zalo.app_id, "not-the-secret", REDIRECT_URI,
                                   oauth_base=zalo_url, graph_base=zalo_url)
    with pytest.raises(ZaloOAuthError) as refused:
        other_secret.fetch_profile(tokens.access_token)
    assert refused.value.code == "-1241"


@pytest.mark.parametrize("proof", [None, "0" * 64])
def test_fake_graph_refuses_a_missing_or_wrong_proof(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo, zalo_url: str, proof: str | None
) -> None:
    verifier = new_pkce_verifier()
    tokens = oauth_client.exchange_code(_sign_in(oauth_client, verifier), verifier)
    headers = {"access_token": tokens.access_token}
    if proof is not None:
        headers["appsecret_proof"] = proof
    answer = requests.get(f"{zalo_url}/v2.0/me", params={"fields": "id,name,picture"},
                          headers=headers, timeout=2).json()
    assert answer["error"] == -1241


def test_oa_refresh_without_a_new_refresh_token_is_refused(
    oauth_client: ZaloOAuthClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.omit_refresh_token = True
    with pytest.raises(ZaloOAuthError) as refused:
        oauth_client.refresh_oa(fake_zalo.grant_oa_refresh_token())
    assert refused.value.code == "no_refresh_token"
