"""Zalo login: OAuth v4 with PKCE (Social API), and the user's profile from the Graph API.

Flow (shapes checked against Zalo's PHP SDK and public integrations, 2025):

1. `authorization_url(state, code_challenge(verifier))`: send the browser to
   `{oauth_base}/v4/permission?app_id&redirect_uri&code_challenge&state`. There is no
   `code_challenge_method` parameter; S256 is implied.
2. Zalo redirects to `redirect_uri?code=...&state=...`; `read_callback()` checks the state
   and returns the code (or raises if the user refused).
3. `exchange_code(code, verifier)`: `POST {oauth_base}/v4/access_token`, header `secret_key`,
   form `app_id, code, code_verifier, grant_type=authorization_code`. `refresh()` uses
   `grant_type=refresh_token`; refresh tokens are single use and rotate.
4. `fetch_profile(access_token)`: `GET {graph_base}/v2.0/me?fields=id,name,picture`, headers
   `access_token` and `appsecret_proof` (hex HMAC-SHA256 of the access token keyed with the app
   secret, as Zalo's official PHP and Java SDKs send it; reported mandatory since 2024, and
   refused with -1241 when missing or wrong). There is no phone number.

The Official Account's own tokens (for ZNS) come from the OA twin of step 3:
`refresh_oa(refresh_token)` posts the same form to `{oauth_base}/v4/oa/access_token`. An OA
access token lives about 25 hours; its refresh token is single use and rotates too. A refresh
whose answer brings no new refresh token is refused (`ZaloOAuthError("no_refresh_token")`), as
the official SDK refuses an answer without its token: the one just spent is gone, and storing an
empty one would lose the OA quietly at the next refresh.

Zalo reports errors with HTTP 200 and a JSON body (`error` non-zero, plus `error_name` /
`error_description` on the OAuth host, `message` on the Graph host). Those become
`ZaloOAuthError`; network trouble, timeouts, 5xx and unreadable answers become
`ZaloUnavailable`. Tokens, codes and verifiers are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests

from webapp.integrations.results import json_object

log = logging.getLogger(__name__)


NO_REFRESH_TOKEN = "no_refresh_token"  # the code of a refresh answered without the next token


class ZaloOAuthError(Exception):
    """Zalo refused the request (bad code, verifier, secret, token...) or the user said no."""

    def __init__(self, code: str, description: str = "") -> None:
        super().__init__(f"{code}: {description}" if description else code)
        self.code = code
        self.description = description


class ZaloUnavailable(Exception):
    """Zalo could not be reached or answered with something unusable; try again later."""


@dataclass(frozen=True)
class ZaloTokens:
    """Tokens from a code exchange or a refresh (kept out of repr so they never reach logs)."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int


@dataclass(frozen=True)
class ZaloProfile:
    """The Zalo user as the app sees it; `id` is specific to this app id."""

    id: str
    name: str
    picture_url: str | None


def new_pkce_verifier() -> str:
    """Return a fresh PKCE code verifier: 43 url-safe characters from 32 random bytes."""
    return secrets.token_urlsafe(32)


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """Hex HMAC-SHA256 of the access token keyed with the app secret: proves to Zalo that the
    caller holds the secret, so a leaked access token alone is not enough."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


def code_challenge(verifier: str) -> str:
    """Return BASE64URL(SHA256(verifier)) without padding, as Zalo expects."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ZaloOAuthClient:
    """Talks to Zalo's OAuth v4 and Graph hosts for one registered app."""

    def __init__(
        self,
        app_id: str,
        secret_key: str,
        redirect_uri: str = "",  # only the login flow needs one; OA tokens do not
        oauth_base: str = "https://oauth.zaloapp.com",
        graph_base: str = "https://graph.zalo.me",
        timeout: float = 10,
    ) -> None:
        self.app_id = app_id
        self._secret_key = secret_key
        self.redirect_uri = redirect_uri
        self.oauth_base = oauth_base.rstrip("/")
        self.graph_base = graph_base.rstrip("/")
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ZaloOAuthClient(app_id={self.app_id!r}, oauth_base={self.oauth_base!r})"

    def authorization_url(self, state: str, code_challenge: str) -> str:
        """Return the Zalo permission page URL to redirect the browser to."""
        query = urlencode(
            {
                "app_id": self.app_id,
                "redirect_uri": self.redirect_uri,
                "code_challenge": code_challenge,
                "state": state,
            }
        )
        return f"{self.oauth_base}/v4/permission?{query}"

    def read_callback(self, params: Mapping[str, str], expected_state: str) -> str:
        """Check the callback's query parameters and return the authorization code.

        Raises ZaloOAuthError with the error Zalo put in the URL when the user refused
        (`error`, else `error_code`), or with `state_mismatch` / `missing_code`.
        """
        # A refusal is reported even without a matching state: it grants nothing, and the
        # person should hear that they said no rather than see a security error.
        error = params.get("error") or params.get("error_code")
        if error:
            description = params.get("error_description") or params.get("error_reason") or ""
            raise ZaloOAuthError(str(error), description)
        state = params.get("state") or ""
        if not expected_state or not hmac.compare_digest(state.encode(), expected_state.encode()):
            raise ZaloOAuthError("state_mismatch")
        code = params.get("code")
        if not code:
            raise ZaloOAuthError("missing_code")
        return code

    def exchange_code(self, code: str, code_verifier: str) -> ZaloTokens:
        """Trade an authorization code and its PKCE verifier for tokens."""
        form = {
            "app_id": self.app_id,
            "code": code,
            "code_verifier": code_verifier,
            "grant_type": "authorization_code",
        }
        return self._request_tokens(form)

    def refresh(self, refresh_token: str) -> ZaloTokens:
        """Trade a refresh token (single use) for a new pair of tokens."""
        return _with_refresh_token(self._request_tokens(self._refresh_form(refresh_token)))

    def refresh_oa(self, refresh_token: str) -> ZaloTokens:
        """Trade the Official Account's refresh token (single use) for a new OA pair."""
        tokens = self._request_tokens(self._refresh_form(refresh_token), path="/v4/oa/access_token")
        return _with_refresh_token(tokens)

    def fetch_profile(self, access_token: str) -> ZaloProfile:
        """Return the signed-in user's id, name and picture."""
        body = self._call(
            "GET",
            f"{self.graph_base}/v2.0/me",
            params={"fields": "id,name,picture"},
            headers={
                "access_token": access_token,
                "appsecret_proof": appsecret_proof(access_token, self._secret_key),
            },
        )
        if not body.get("id"):
            raise ZaloUnavailable("profile without id")
        return ZaloProfile(
            id=str(body["id"]),
            name=str(body.get("name") or ""),
            picture_url=_picture_url(body.get("picture")),
        )

    def _refresh_form(self, refresh_token: str) -> dict[str, str]:
        return {
            "app_id": self.app_id,
            "refresh_token": refresh_token,
            "grant_type": "refresh_token",
        }

    def _request_tokens(self, form: dict[str, str], path: str = "/v4/access_token") -> ZaloTokens:
        body = self._call(
            "POST",
            f"{self.oauth_base}{path}",
            data=form,
            headers={"secret_key": self._secret_key},
        )
        try:
            return ZaloTokens(
                access_token=str(body["access_token"]),
                refresh_token=str(body.get("refresh_token") or ""),
                # Zalo sends the number as a string ("3600").
                expires_in=int(body.get("expires_in") or 0),
            )
        except (KeyError, TypeError, ValueError):
            raise ZaloUnavailable("token answer without access_token") from None

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        """Send one request and return its JSON body, raising the module's two exceptions."""
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            log.warning("Zalo %s unreachable: %s", _path(url), type(exc).__name__)
            raise ZaloUnavailable(type(exc).__name__) from None
        if response.status_code >= 500:
            log.warning("Zalo %s answered HTTP %s", _path(url), response.status_code)
            raise ZaloUnavailable(f"http_{response.status_code}")
        body = json_object(response)
        if body is None:
            if response.status_code >= 400:
                raise ZaloOAuthError(f"http_{response.status_code}")
            raise ZaloUnavailable("unreadable answer")
        _raise_for_zalo_error(body, url)
        if response.status_code >= 400:
            raise ZaloOAuthError(f"http_{response.status_code}")
        return body


def _with_refresh_token(tokens: ZaloTokens) -> ZaloTokens:
    """The tokens of a refresh, refused when Zalo sent no next refresh token."""
    if not tokens.refresh_token:
        raise ZaloOAuthError(NO_REFRESH_TOKEN, "the answer carried no refresh token")
    return tokens


def _raise_for_zalo_error(body: dict[str, Any], url: str) -> None:
    """Raise ZaloOAuthError when the body carries a non-zero `error`."""
    error = body.get("error")
    if error in (None, 0, "0", ""):
        return
    description = str(
        body.get("error_description") or body.get("error_name") or body.get("message") or ""
    )
    log.info("Zalo %s refused: error=%s", _path(url), error)
    raise ZaloOAuthError(str(error), description)



def _picture_url(picture: Any) -> str | None:
    """Read `picture.data.url`, tolerating a missing or flat picture field."""
    if isinstance(picture, dict):
        data = picture.get("data")
        if isinstance(data, dict) and data.get("url"):
            return str(data["url"])
    if isinstance(picture, str) and picture:
        return picture
    return None


def _path(url: str) -> str:
    """The URL without host or query, for logs that must not carry anything secret."""
    without_scheme = url.split("://", 1)[-1]
    return "/" + without_scheme.split("/", 1)[-1].split("?", 1)[0]
