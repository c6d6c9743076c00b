"""`FakeZalo`: one WSGI app playing Zalo's OAuth v4, Graph `/v2.0/me` and ZNS hosts.

Point `ZaloOAuthClient(oauth_base=url, graph_base=url)` and `ZnsClient(base=url)` at the URL
from `serve_wsgi(fake)`. The permission page is plain HTML with a real form and no script, so a
Playwright test can click "Cho phép" or "Từ chối".

The Official Account's tokens: ZNS accepts the fixed `oa_access_token` until the first OA
refresh, then only the newest access token from `/v4/oa/access_token` (minting one ends the
previous ones). `grant_oa_refresh_token()` hands out a refresh token as if the operator had
just authorised the OA; each one works once.

Every Graph and ZNS request must carry `appsecret_proof`, the hex HMAC-SHA256 of its access
token keyed with the app secret, as Zalo's official SDKs send it: `/v2.0/me` refuses a missing
or wrong one with -1241; ZNS refuses a wrong one, and a missing one too when
`require_zns_proof` is set.

ZNS answers each failure the way Zalo does, from the fake's state (see the test controls):
-108 bad number, -109 unknown template, -111 no data, -112 data not an object, -114 inactive
recipient, -115 out of balance, -117 template not allowed, -118 no Zalo account, -124/-216/-220
token unknown/expired/removed, -127 development audience, -133 night (22:00-06:00 Vietnam time,
by `clock`, when `night_blackout` is on), -141 refused the OA, -144 daily quota spent, -146
template disabled, -1351 OA blocked, -1241 bad proof. Anything else can be injected with
`fail_next`, and `fail_next(..., delay=...)` answers late after doing the work (a lost answer).

Error codes follow what public integrations observed from Zalo (-14002 app id, -14004 secret
key, -14005 bad/reused code, -14014 refresh token, -14018 grant type, 452 Graph session key).
Some are this fake's own choices because Zalo's value is unknown: a wrong code_verifier answers
-14005, a denial redirects with `error=access_denied&error_reason=user_denied`, and of the
template data codes, -1121 is a value too long, -1122 a parameter missing, -1124 a parameter
the template does not have or a value that is not text or a number.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from tests.fakes.server import Fault, FaultQueue

_MSISDN = re.compile(r"84[35789]\d{8}")
VIETNAM = dt.timezone(dt.timedelta(hours=7))  # no summer time

DEFAULT_TEMPLATE_ID = "100001"
# Parameter name -> maximum length, like a template approved in the ZNS console.
DEFAULT_TEMPLATES: dict[str, dict[str, int]] = {
    DEFAULT_TEMPLATE_ID: {"ho_ten": 30, "ma_ho_so": 30, "trang_thai": 100},
}


@dataclass(frozen=True)
class FakeZaloUser:
    """The person "signed in to Zalo" in the fake browser session."""

    id: str = "3368637342326461234"
    name: str = "Nguyễn Văn An"
    # None by default so a browser test never tries to load an image from outside 127.0.0.1.
    picture_url: str | None = None


@dataclass
class _Grant:
    code_challenge: str
    redirect_uri: str
    user: FakeZaloUser
    issued_at: float


@dataclass
class _OAuthState:
    codes: dict[str, _Grant] = field(default_factory=dict)
    access_tokens: dict[str, FakeZaloUser] = field(default_factory=dict)
    refresh_tokens: dict[str, FakeZaloUser] = field(default_factory=dict)
    # The Official Account's: the access tokens ZNS accepts, the refresh tokens not yet used,
    # and the error ZNS answers for each token it no longer accepts.
    oa_access_tokens: set[str] = field(default_factory=set)
    oa_refresh_tokens: set[str] = field(default_factory=set)
    ended_oa_access_tokens: dict[str, int] = field(default_factory=dict)


class FakeZalo:
    """Zalo's login, profile and ZNS endpoints in one in-memory WSGI app."""

    def __init__(
        self,
        app_id: str = "fake-app-id",
        secret_key: str = "fake-secret-key",
        oa_access_token: str = "fake-oa-access-token",
        templates: dict[str, dict[str, int]] | None = None,
        allowed_redirect_uris: set[str] | None = None,
        code_ttl: float = 600,
    ) -> None:
        self.app_id = app_id
        self.secret_key = secret_key
        self.oa_access_token = oa_access_token
        # A copy of each template's parameters, which tests may change.
        chosen = DEFAULT_TEMPLATES if templates is None else templates
        self.templates = {key: dict(params) for key, params in chosen.items()}
        self.allowed_redirect_uris = allowed_redirect_uris
        self.code_ttl = code_ttl
        self.current_user = FakeZaloUser()
        # Recipients Zalo would refuse: numbers without a Zalo account (-118), people who
        # refused this OA (-141), inactive or refusing this message (-114); development mode
        # only reaches `dev_admin_phones` (-127).
        self.no_zalo_account: set[str] = set()
        self.refused_oa: set[str] = set()
        self.inactive: set[str] = set()
        self.dev_admin_phones: set[str] | None = None
        # The OA's and its templates' standing: templates it may not use (-117) or that Zalo
        # disabled (-146), an empty balance (-115), a blocked OA (-1351), a daily quota (-144).
        self.templates_not_allowed: set[str] = set()
        self.disabled_templates: set[str] = set()
        self.out_of_balance = False
        self.oa_blocked = False
        self.daily_quota: int | None = None
        # No ZNS between 22:00 and 06:00 Vietnam time (-133), by `clock` (naive UTC).
        self.night_blackout = False
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC).replace(
            tzinfo=None)
        self.require_zns_proof = False
        self.omit_refresh_token = False  # OA refreshes answer without a refresh token
        # What the fake received, for assertions.
        self.token_requests: list[dict[str, str]] = []
        self.oa_token_requests: list[dict[str, str]] = []
        self.oa_refreshes = 0  # OA refreshes granted
        self.profile_requests = 0
        self.zns_requests: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        self._oauth = _OAuthState(oa_access_tokens={oa_access_token})
        self._faults = FaultQueue()
        self._lock = threading.Lock()
        self._urls = Map(
            [
                Rule("/v4/permission", endpoint="permission", methods=["GET", "POST"]),
                Rule("/v4/permission/error", endpoint="permission_error", methods=["GET"]),
                Rule("/v4/access_token", endpoint="access_token", methods=["POST"]),
                Rule("/v4/oa/access_token", endpoint="oa_access_token", methods=["POST"]),
                Rule("/v2.0/me", endpoint="me", methods=["GET"]),
                Rule("/message/template", endpoint="template", methods=["POST"]),
            ]
        )

    # --- test controls ---------------------------------------------------------------------

    def fail_next(
        self,
        endpoint: str,
        count: int = 1,
        *,
        error: int | None = None,
        http_status: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next `count` calls to `endpoint` ("access_token", "oa_access_token", "me",
        "template") fail with Zalo error `error`, HTTP status `http_status`, and/or answer after
        `delay` s."""
        self._faults.add(endpoint, count, Fault(error=error, http_status=http_status, delay=delay))

    def authorize(
        self, code_challenge: str, redirect_uri: str, user: FakeZaloUser | None = None
    ) -> str:
        """Issue an authorization code directly, as if the user had clicked "Cho phép"."""
        code = secrets.token_urlsafe(24)
        grant = _Grant(code_challenge, redirect_uri, user or self.current_user, time.monotonic())
        with self._lock:
            self._oauth.codes[code] = grant
        return code

    def grant_oa_refresh_token(self) -> str:
        """A fresh OA refresh token, as the operator gets one by authorising the OA."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._oauth.oa_refresh_tokens.add(token)
        return token

    def expire_oa_access_tokens(self, error: int = -124) -> None:
        """End every OA access token issued so far; ZNS then answers `error` for them (-124
        invalid, -216 expired, -220 removed)."""
        with self._lock:
            for token in self._oauth.oa_access_tokens:
                self._oauth.ended_oa_access_tokens[token] = error
            self._oauth.oa_access_tokens.clear()

    def accepts_oa_access_token(self, token: str) -> bool:
        with self._lock:
            return token in self._oauth.oa_access_tokens

    def expire_codes(self) -> None:
        """Age every unused authorization code past its lifetime."""
        with self._lock:
            for grant in self._oauth.codes.values():
                grant.issued_at -= self.code_ttl + 1

    # --- WSGI ------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        response = self._dispatch(Request(environ))
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        adapter = self._urls.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match()
        except HTTPException as exc:
            return exc.get_response()
        fault = self._faults.take(endpoint)
        if fault and fault.refuses:
            time.sleep(fault.delay)
            return _fault_response(endpoint, fault)
        response = getattr(self, f"_on_{endpoint}")(request)
        if fault:
            time.sleep(fault.delay)
        return response

    # --- OAuth: permission page ------------------------------------------------------------

    def _on_permission(self, request: Request) -> Response:
        values = request.form if request.method == "POST" else request.args
        problem = self._permission_problem(values)
        if problem:
            return redirect(f"/v4/permission/error?error_code={problem}")
        decision = (
            values.get("decision") if request.method == "POST" else values.get("fake_decision")
        )
        if decision == "allow":
            code = self.authorize(values["code_challenge"], values["redirect_uri"])
            return redirect(
                _with_query(
                    values["redirect_uri"], {"code": code, "state": values.get("state", "")}
                )
            )
        if decision == "deny":
            denial = {
                "error": "access_denied",
                "error_reason": "user_denied",
                "state": values.get("state", ""),
            }
            return redirect(_with_query(values["redirect_uri"], denial))
        return _html(_permission_page(self.app_id, self.current_user, values))

    def _permission_problem(self, values: Any) -> int | None:
        """Zalo's error code for a bad permission request, or None."""
        if values.get("app_id") != self.app_id:
            return -14002
        redirect_uri = values.get("redirect_uri") or ""
        if not redirect_uri.startswith(("http://", "https://")):
            return -14003
        if (
            self.allowed_redirect_uris is not None
            and redirect_uri not in self.allowed_redirect_uris
        ):
            return -14003
        if not values.get("code_challenge"):
            return -14003
        return None

    def _on_permission_error(self, request: Request) -> Response:
        code = html.escape(request.args.get("error_code", ""))
        body = f'<h1>Đã xảy ra lỗi</h1><p>Mã lỗi: <span id="error-code">{code}</span></p>'
        return _html(_page("Zalo giả lập – Lỗi", body), status=400)

    # --- OAuth: tokens ---------------------------------------------------------------------

    def _on_access_token(self, request: Request) -> Response:
        form = request.form.to_dict()
        with self._lock:
            self.token_requests.append(form)
        if request.headers.get("secret_key") != self.secret_key:
            return _oauth_error(-14004, "Invalid secret key")
        if form.get("app_id") != self.app_id:
            return _oauth_error(-14002, "Invalid appId")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange_code(form.get("code", ""), form.get("code_verifier", ""))
        if grant_type == "refresh_token":
            return self._exchange_refresh(form.get("refresh_token", ""))
        return _oauth_error(-14018, "Invalid grant type")

    def _exchange_code(self, code: str, verifier: str) -> Response:
        with self._lock:
            # Codes are single use: any attempt, good or bad, burns it.
            grant = self._oauth.codes.pop(code, None)
        if grant is None or time.monotonic() - grant.issued_at > self.code_ttl:
            return _oauth_error(-14005, "Invalid oauth code")
        if not verifier or _challenge(verifier) != grant.code_challenge:
            return _oauth_error(-14005, "Invalid code verifier")
        return self._issue_tokens(grant.user)

    def _exchange_refresh(self, refresh_token: str) -> Response:
        with self._lock:
            user = self._oauth.refresh_tokens.pop(refresh_token, None)
        if user is None:
            return _oauth_error(-14014, "Invalid refresh token")
        return self._issue_tokens(user)

    def _issue_tokens(self, user: FakeZaloUser) -> Response:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._lock:
            self._oauth.access_tokens[access] = user
            self._oauth.refresh_tokens[refresh] = user
        # Zalo sends the lifetimes as strings.
        return _json(
            {
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": "3600",
                "refresh_token_expires_in": "7776000",
            }
        )

    # --- OAuth: the Official Account's tokens ---------------------------------------------

    def _on_oa_access_token(self, request: Request) -> Response:
        form = request.form.to_dict()
        with self._lock:
            self.oa_token_requests.append(form)
        if request.headers.get("secret_key") != self.secret_key:
            return _oauth_error(-14004, "Invalid secret key")
        if form.get("app_id") != self.app_id:
            return _oauth_error(-14002, "Invalid appId")
        if form.get("grant_type") != "refresh_token":
            return _oauth_error(-14018, "Invalid grant type")
        return self._refresh_oa(form.get("refresh_token", ""))

    def _refresh_oa(self, refresh_token: str) -> Response:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._lock:
            if refresh_token not in self._oauth.oa_refresh_tokens:
                return _oauth_error(-14014, "Invalid refresh token")
            # Single use, and the new access token replaces every earlier one.
            self._oauth.oa_refresh_tokens.discard(refresh_token)
            self._oauth.oa_access_tokens = {access}
            self.oa_refreshes += 1
            answer = {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
            if self.omit_refresh_token:
                del answer["refresh_token"]
            else:
                self._oauth.oa_refresh_tokens.add(refresh)
        # An OA access token lives 25 hours; Zalo sends the numbers as strings.
        return _json(answer)

    # --- Graph: profile --------------------------------------------------------------------

    def _on_me(self, request: Request) -> Response:
        token = request.headers.get("access_token", "")
        with self._lock:
            self.profile_requests += 1
            user = self._oauth.access_tokens.get(token)
        if not self._proof_matches(request, token, required=True):
            return _json({"error": -1241, "message": "Invalid appsecret_proof"})
        if user is None:
            return _json({"error": 452, "message": "Session key invalid"})
        profile: dict[str, Any] = {
            "id": user.id,
            "name": user.name,
            "error": 0,
            "message": "Success",
        }
        if user.picture_url:
            profile["picture"] = {"data": {"url": user.picture_url}}
        return _json(profile)

    # --- ZNS -------------------------------------------------------------------------------

    def _proof_matches(self, request: Request, token: str, *, required: bool) -> bool:
        """The request's appsecret_proof is right for its token (or absent, if allowed)."""
        proof = request.headers.get("appsecret_proof")
        if proof is None:
            return not required
        expected = hmac.new(self.secret_key.encode(), token.encode(), hashlib.sha256)
        return hmac.compare_digest(proof, expected.hexdigest())

    def _on_template(self, request: Request) -> Response:
        token = request.headers.get("access_token", "")
        if not self._proof_matches(request, token, required=self.require_zns_proof):
            return _zns_error(-1241, "Invalid appsecret_proof")
        if not self.accepts_oa_access_token(token):
            with self._lock:
                error = self._oauth.ended_oa_access_tokens.get(token, -124)
            return _zns_error(error, "Access token invalid")
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            # Zalo's code for an unreadable body is unknown; -122 is this fake's choice.
            return _zns_error(-122, "Body format invalid")
        with self._lock:
            self.zns_requests.append(body)
        problem = self._zns_problem(body)
        if problem:
            return _zns_error(*problem)
        msg_id = secrets.token_hex(16)
        with self._lock:
            self.sent_messages.append({**body, "msg_id": msg_id, "local_date": self._today()})
            remaining = self._remaining_quota()
        sent_time = str(int(time.time() * 1000))
        daily = self.daily_quota if self.daily_quota is not None else 500
        quota = {"dailyQuota": str(daily), "remainingQuota": str(remaining)}
        return _json(
            {
                "error": 0,
                "message": "Success",
                "data": {"msg_id": msg_id, "sent_time": sent_time, "quota": quota},
            }
        )

    def _zns_problem(self, body: dict[str, Any]) -> tuple[int, str] | None:
        """Zalo's (error, message) for a template request it would refuse, or None."""
        return (self._account_problem() or self._request_problem(body)
                or self._recipient_problem(body) or self._sending_problem())

    def _account_problem(self) -> tuple[int, str] | None:
        if self.oa_blocked:
            return -1351, "OA is blocked"
        if self.out_of_balance:
            return -115, "Out of quota"
        return None

    def _request_problem(self, body: dict[str, Any]) -> tuple[int, str] | None:
        phone = str(body.get("phone", ""))
        if not _MSISDN.fullmatch(phone):
            return -108, "Phone number is invalid"
        template_id = str(body.get("template_id", ""))
        spec = self.templates.get(template_id)
        if spec is None:
            return -109, "Template id is invalid"
        if template_id in self.templates_not_allowed:
            return -117, "OA or application has no permission to use this template"
        if template_id in self.disabled_templates:
            return -146, "Template has been disabled due to low quality"
        data = body.get("template_data")
        if data == {} or data is None:
            return -111, "Template data is empty"
        if not isinstance(data, dict):
            return -112, "Template data is invalid"
        return _template_data_problem(spec, data)

    def _recipient_problem(self, body: dict[str, Any]) -> tuple[int, str] | None:
        phone = str(body.get("phone", ""))
        if self._outside_dev_audience(body, phone):
            return -127, "Template test can only be sent to OA admins"
        if phone in self.no_zalo_account:
            return -118, "Zalo account does not exist"
        if phone in self.refused_oa:
            return -141, "User refused to receive messages from this OA"
        if phone in self.inactive:
            return -114, ("User is inactive, or reject the message, or using an outdated "
                          "Zalo version, or other internal errors")
        return None

    def _sending_problem(self) -> tuple[int, str] | None:
        if self.night_blackout and not 6 <= self._local_now().hour < 22:
            return -133, "Sending ZNS is not allowed between 22:00 and 06:00"
        with self._lock:
            if self._remaining_quota() <= 0:
                return -144, "OA has exceeded the daily sending quota"
        return None

    def _local_now(self) -> dt.datetime:
        return self.clock().replace(tzinfo=dt.UTC).astimezone(VIETNAM)

    def _today(self) -> dt.date:
        return self._local_now().date()

    def _remaining_quota(self) -> int:
        """ZNS sends left today (Vietnam time); call with the lock held."""
        if self.daily_quota is None:
            return 500
        today = self._today()
        sent_today = sum(1 for sent in self.sent_messages if sent["local_date"] == today)
        return self.daily_quota - sent_today

    def _outside_dev_audience(self, body: dict[str, Any], phone: str) -> bool:
        """True for a development-mode send to someone who is not an OA admin."""
        if body.get("mode") != "development" or self.dev_admin_phones is None:
            return False
        return phone not in self.dev_admin_phones


def _template_data_problem(spec: dict[str, int], data: dict[str, Any]) -> tuple[int, str] | None:
    """The data code for values that do not fit the template's parameters, or None."""
    if set(spec) - set(data):
        return -1122, "Template data is missing a parameter"
    for name, value in data.items():
        if name not in spec or not isinstance(value, str | int | float) or isinstance(
                value, bool) or not str(value):
            return -1124, f"Parameter {name} is invalid"
        if len(str(value)) > spec[name]:
            return -1121, f"Parameter {name} exceeds the max length"
    return None


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _with_query(url: str, params: dict[str, str]) -> str:
    """Append parameters to a URL that may already carry a query."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _fault_response(endpoint: str, fault: Fault) -> Response:
    if fault.http_status is not None:
        return Response(
            "Fake Zalo: injected failure", status=fault.http_status, mimetype="text/plain"
        )
    if endpoint in ("access_token", "oa_access_token"):
        return _oauth_error(fault.error or -1, "Injected failure")
    return _json({"error": fault.error, "message": "Injected failure"})


def _oauth_error(code: int, name: str) -> Response:
    # Zalo answers HTTP 200 even for errors.
    return _json({"error": code, "error_name": name, "error_description": name, "error_reason": ""})


def _zns_error(code: int, message: str) -> Response:
    return _json({"error": code, "message": message})


def _json(payload: dict[str, Any], status: int = 200) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json"
    )


def _html(document: str, status: int = 200) -> Response:
    return Response(document, status=status, mimetype="text/html")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="vi">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _permission_page(app_id: str, user: FakeZaloUser, values: Any) -> str:
    """The consent page: who is signed in, what the app asks, and two real submit buttons."""
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(values.get(name, ""))}">'
        for name in ("app_id", "redirect_uri", "code_challenge", "state")
    )
    body = (
        "<h1>Đăng nhập bằng Zalo</h1>\n"
        "<p>Bạn đang dùng tài khoản "
        f'<strong id="zalo-user">{html.escape(user.name)}</strong>.</p>\n'
        f"<p>Ứng dụng {html.escape(app_id)} muốn xem tên và ảnh đại diện của bạn.</p>\n"
        f'<form method="post" action="/v4/permission">{hidden}\n'
        '<button type="submit" name="decision" value="allow">Cho phép</button>\n'
        '<button type="submit" name="decision" value="deny">Từ chối</button>\n'
        "</form>"
    )
    return _page("Zalo giả lập – Cấp quyền", body)
