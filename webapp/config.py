"""Configuration read from environment variables, with defaults that are safe to run locally.

Every secret comes from the environment. Without SECRET_KEY the app makes one and keeps it in
the instance folder, so that a newcomer's `make run` works and sessions survive restarts and
several worker processes. With APP_ENV=production the app refuses to start insecure: without
SECRET_KEY, without PUBLIC_BASE_URL on https, or with COOKIE_SECURE off (`insecure_settings`).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def instance_secret_key(instance_path: str) -> str:
    """Return the development secret kept in the instance folder, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def notification_settings() -> dict:
    """Transports for messages to phones (see docs/notifications.md); by default, none leave
    the machine: the development transport writes them to the log and a development page."""
    templates = {k: v for k, v in os.environ.items() if k.startswith("ZNS_TEMPLATE_")}
    return {
        "NOTIFY_TRANSPORTS": os.environ.get("NOTIFY_TRANSPORTS", "development"),
        "NOTIFY_MAX_ATTEMPTS": _int("NOTIFY_MAX_ATTEMPTS", 8),
        "NOTIFY_RETRY_SECONDS": _int("NOTIFY_RETRY_SECONDS", 30),
        "NOTIFY_RETRY_MAX_SECONDS": _int("NOTIFY_RETRY_MAX_SECONDS", 3600),
        "NOTIFY_LEASE_SECONDS": _int("NOTIFY_LEASE_SECONDS", 300),
        "NOTIFY_HTTP_TIMEOUT": _int("NOTIFY_HTTP_TIMEOUT", 10),
        # SMS: eSMS.vn's own API ("esms") or the generic protocol ("generic", the default).
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "generic"),
        "SMS_SENDER": os.environ.get("SMS_SENDER", ""),  # the registered brand name
        "SMS_ASCII_ONLY": _flag("SMS_ASCII_ONLY", False),
        "SMS_GATEWAY_URL": os.environ.get("SMS_GATEWAY_URL", ""),
        "SMS_GATEWAY_API_KEY": os.environ.get("SMS_GATEWAY_API_KEY", ""),
        "ESMS_API_KEY": os.environ.get("ESMS_API_KEY", ""),
        "ESMS_SECRET_KEY": os.environ.get("ESMS_SECRET_KEY", ""),
        "ESMS_BASE_URL": os.environ.get("ESMS_BASE_URL", "https://rest.esms.vn"),
        "ESMS_SANDBOX": _flag("ESMS_SANDBOX", False),  # staging: checked, never delivered
        # Delivery reports come to PUBLIC_BASE_URL + a path holding this secret (none if empty).
        "ESMS_CALLBACK_SECRET": os.environ.get("ESMS_CALLBACK_SECRET", ""),
        "ZNS_BASE_URL": os.environ.get("ZNS_BASE_URL", "https://business.openapi.zalo.me"),
        "ZNS_ACCESS_TOKEN": os.environ.get("ZNS_ACCESS_TOKEN", ""),
        "ZNS_ACCESS_TOKEN_FILE": os.environ.get("ZNS_ACCESS_TOKEN_FILE", ""),
        "ZNS_DEVELOPMENT_MODE": _flag("ZNS_DEVELOPMENT_MODE", False),
        **templates,
    }


def _production() -> bool:
    return os.environ.get("APP_ENV", "development") == "production"


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment; in development, the instance folder's if unset."""
    if os.environ.get("SECRET_KEY") or _production():
        return os.environ.get("SECRET_KEY", "")
    return instance_secret_key(instance_path)


def _trusted_hosts(public_base_url: str) -> list[str] | None:
    """In production, only the public address's host (and TRUSTED_HOSTS) may be asked for:
    Flask answers 400 to any other Host header. In development, any host."""
    if not _production():
        return None
    extra = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    return [urlsplit(public_base_url).hostname or "", *extra]


def _public_base_url() -> str:
    default = "" if _production() else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
    return (os.environ.get("PUBLIC_BASE_URL") or default).rstrip("/")


MIN_SECRET_KEY_CHARS = 32


def insecure_settings(config) -> list[str]:
    """What keeps a production app from starting, in words for the operator (empty: fine)."""
    if config.get("APP_ENV") != "production":
        return []
    problems = []
    if len(config.get("SECRET_KEY") or "") < MIN_SECRET_KEY_CHARS:
        problems.append(f"SECRET_KEY must be set, at least {MIN_SECRET_KEY_CHARS} random "
                        "characters (python -c 'import secrets; print(secrets.token_hex(32))')")
    if not (config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        problems.append("PUBLIC_BASE_URL must be the site's https address "
                        "(e.g. https://dichvucong.tayninh.gov.vn)")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("COOKIE_SECURE must stay on (cookies only over https)")
    return problems


def from_environment(instance_path: str) -> dict:
    """Build the app's configuration mapping from the environment."""
    default_db = f"sqlite:///{Path(instance_path) / 'app.db'}"
    public_base_url = _public_base_url()
    secure = _flag("COOKIE_SECURE", _production())
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        "APP_ENV": os.environ.get("APP_ENV", "development"),
        # The site's own address: every absolute link (messages, QR codes, invitations, the
        # Zalo callback) is built on it, never on the visitor's Host header.
        "PUBLIC_BASE_URL": public_base_url,
        "TRUSTED_HOSTS": _trusted_hosts(public_base_url),
        "PROVINCE_FILE": os.environ.get("PROVINCE_FILE", ""),
        # Cookies are marked Secure when the public site is served over https.
        # (on by default in production: APP_ENV=production refuses to start without it).
        "SESSION_COOKIE_SECURE": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        "HSTS": _flag("HSTS", False),
        # First-party cookies only; Lax still sends them when Zalo redirects back after login.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # Answer with the session cookie only when the session changed. Refreshed on every
        # request, a slow answer (a photo, a status poll) begun before a form was sent came
        # back after it and put the older cookie back, losing the "Đã tiếp nhận" message the
        # form had just left there. The server-side row's lifetime is absolute anyway.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Signed-in sessions: idle timeouts and absolute lifetimes (see webapp/accounts/auth.py).
        "CITIZEN_IDLE_MINUTES": _int("CITIZEN_IDLE_MINUTES", 60),
        "CITIZEN_SESSION_HOURS": _int("CITIZEN_SESSION_HOURS", 24),
        "STAFF_IDLE_MINUTES": _int("STAFF_IDLE_MINUTES", 30),
        # On a kiosk a citizen's session never outlives her visit (webapp/kiosk): the cookie
        # goes when the browser closes, the row after this many minutes at most; the screen
        # asks "still there?" after KIOSK_IDLE_SECONDS and starts again after the countdown.
        "KIOSK_SESSION_MINUTES": _int("KIOSK_SESSION_MINUTES", 30),
        "KIOSK_IDLE_SECONDS": _int("KIOSK_IDLE_SECONDS", 120),
        "KIOSK_COUNTDOWN_SECONDS": _int("KIOSK_COUNTDOWN_SECONDS", 30),
        "STAFF_SESSION_HOURS": _int("STAFF_SESSION_HOURS", 12),
        # The cookie may outlive a session; the server-side row is what counts.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=max(
            _int("CITIZEN_SESSION_HOURS", 24), _int("STAFF_SESSION_HOURS", 12))),
        # Zalo login: the button shows only when the app id and secret are set.
        "ZALO_APP_ID": os.environ.get("ZALO_APP_ID", ""),
        "ZALO_SECRET_KEY": os.environ.get("ZALO_SECRET_KEY", ""),
        "ZALO_OAUTH_BASE": os.environ.get("ZALO_OAUTH_BASE", "https://oauth.zaloapp.com"),
        "ZALO_GRAPH_BASE": os.environ.get("ZALO_GRAPH_BASE", "https://graph.zalo.me"),
        # Rate limits are shared by every app process: in Redis when set, else in the database.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # How many reverse proxies in front of the app set X-Forwarded-For (0: none, trust
        # nothing), so that rate limits and the audit log see the visitor's real address.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "COMPRESS_MIN_BYTES": _int("COMPRESS_MIN_BYTES", 500),
        # Anonymous public pages kept per process, served without rendering
        # (core/page_cache.py): at most this many pages and bytes, each for at most this long
        # (its data's stamp renders it again sooner). PAGE_CACHE_ENTRIES=0 turns it off.
        "PAGE_CACHE_ENTRIES": _int("PAGE_CACHE_ENTRIES", 500),
        "PAGE_CACHE_BYTES": _int("PAGE_CACHE_BYTES", 16 * 1024 * 1024),
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 300),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        # Dossiers: photos of papers live outside the web root; unsent drafts are kept this long
        # after their last change; codes start with the province's letters ("TN-7K4-Q2M9").
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR") or str(Path(instance_path) / "uploads"),
        # Several app machines share one S3-compatible bucket instead (docs/operations.md).
        "UPLOAD_STORE": os.environ.get("UPLOAD_STORE", "local"),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_ACCESS_KEY_ID": os.environ.get("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
        "S3_REGION": os.environ.get("S3_REGION", "us-east-1"),
        "UPLOAD_MAX_BYTES": _int("UPLOAD_MAX_BYTES", 15_000_000),
        # Whole requests are capped before anything reads them (a few photos fit; 413 beyond).
        "MAX_CONTENT_LENGTH": _int("MAX_REQUEST_BYTES", 64_000_000),
        "DRAFT_RETENTION_DAYS": _int("DRAFT_RETENTION_DAYS", 30),
        "ADD_PAPERS_LINK_DAYS": _int("ADD_PAPERS_LINK_DAYS", 30),  # the add-papers link in messages
        # Retention (docs/retention.md): photos of papers after the decision; sent dossiers in
        # the archive after it; data requests as proof of what was done; the time to answer one.
        "PHOTO_RETENTION_DAYS": _int("PHOTO_RETENTION_DAYS", 365),
        "DOSSIER_KEEP_YEARS": _int("DOSSIER_KEEP_YEARS", 5),
        "DATA_REQUEST_KEEP_YEARS": _int("DATA_REQUEST_KEEP_YEARS", 3),
        "DATA_REQUEST_WORKING_DAYS": _int("DATA_REQUEST_WORKING_DAYS", 10),
        # Sent and failed text messages (phone numbers, texts) are deleted after this long.
        "MESSAGE_RETENTION_DAYS": _int("MESSAGE_RETENTION_DAYS", 90),
        # Assisted mode (docs/mandates.md): how long a citizen's consent to a helper lasts, and
        # how long the photo of a signed authorisation paper is kept after the mandate ended.
        "MANDATE_DAYS": _int("MANDATE_DAYS", 30),
        "MANDATE_PAPER_RETENTION_DAYS": _int("MANDATE_PAPER_RETENTION_DAYS", 365),
        # Help requests: a volunteer calls within this many working days; a closed one keeps
        # its figures but loses the number and words after this many days.
        "HELP_REQUEST_WORKING_DAYS": _int("HELP_REQUEST_WORKING_DAYS", 1),
        "HELP_REQUEST_RETENTION_DAYS": _int("HELP_REQUEST_RETENTION_DAYS", 365),
        "DOSSIER_CODE_PREFIX": os.environ.get("DOSSIER_CODE_PREFIX", "TN"),
        # /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>" (a 404 without one).
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # The public figures (/so-lieu) are counted again at most this often, per process.
        "PUBLIC_FIGURES_SECONDS": _int("PUBLIC_FIGURES_SECONDS", 300),
        **notification_settings(),
    }
