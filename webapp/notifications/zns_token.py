"""The Zalo Official Account's access token for ZNS, kept in the database and refreshed here.

An OA access token lives about 25 hours. Its refresh token is single use: every refresh
spends it and brings the next one, which must be stored at once or the OA is lost until a
person authorises it again. So:

- An operator loads the first refresh token (`flask notifications zns-token`); `load()`
  spends it at once, which proves it works, and stores the new pair.
- `StoredOaToken()` is the `ZnsClient`'s token provider: it returns the stored access token,
  refreshing it first when it expires within `REFRESH_MARGIN`.
- Only one process refreshes at a time, or two workers would spend the same refresh token and
  one would be refused. The refresher takes a lease on the row with one conditional UPDATE
  (`refreshing_until`, the refresh token it read, no lease running); the others wait for the
  row to change, then use the new token. No transaction stays open while Zalo is asked: on
  SQLite a lock held through that request would stop every write of the web app with it. The
  new pair is written only over the refresh token that was spent, so an operator's `load()`
  meanwhile wins. A refresher that dies leaves a lease that runs out after `LEASE`.
- Zalo refusing the refresh token raises `ZaloOAuthError` (the message falls back to the next
  transport) after marking the row refused and logging one ERROR: from then on no refresh is
  tried until an operator loads a new refresh token. Network trouble raises `ZaloUnavailable`
  (the message is retried later).
- `expire()` after ZNS refused the access token (-124) makes the next send refresh it.

Tokens never reach a log line; note that the SQL logger shows query parameters at DEBUG.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from peewee import OperationalError

from webapp.core.clock import utcnow
from webapp.integrations.zalo_oauth import (
    NO_REFRESH_TOKEN,
    ZaloOAuthClient,
    ZaloOAuthError,
    ZaloTokens,
    ZaloUnavailable,
)
from webapp.notifications.models import ZaloOaToken

log = logging.getLogger(__name__)

REFRESH_MARGIN = dt.timedelta(minutes=5)  # refresh this long before Zalo's expiry
# ZNS refusing a token issued less than this long ago is not expiry but something else (an app
# not linked to the OA...): refreshing again would only spend refresh tokens.
JUST_ISSUED = dt.timedelta(minutes=5)
# In case Zalo leaves `expires_in` out: assume an hour rather than refresh at every send.
FALLBACK_LIFETIME = dt.timedelta(hours=1)
KEEP_FRESH_EVERY = 60.0  # seconds between the worker's checks while nothing is sent
# How long one refresher may take before another may try: well over any request's timeout.
LEASE = dt.timedelta(seconds=60)
WAIT_STEP = 0.1  # seconds between looks at the row while another process refreshes

LOAD_COMMAND = "flask notifications zns-token"
NO_TOKEN, REFUSED = "no_oa_token", "oa_token_refused"


class StoredOaToken:
    """The stored OA access token, refreshed when due; call it for the token."""

    def __init__(
        self,
        oauth: ZaloOAuthClient,
        margin: dt.timedelta = REFRESH_MARGIN,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.oauth = oauth
        self.margin = margin
        self.clock = clock
        self._handed_out = threading.local()  # per thread: the token its last send used
        self._reported: set[str] = set()  # unusable states already logged by this process
        self._next_keep_fresh = 0.0

    def __repr__(self) -> str:
        return f"StoredOaToken({self.oauth!r}, margin={self.margin})"

    def __call__(self) -> str:
        """The access token, refreshed first when it expires within the margin."""
        row = ZaloOaToken.current()
        token = row.access_token if self._usable(row) else self._refreshed()
        self._handed_out.token = token
        self._reported.clear()  # a later problem deserves its own log line
        return token

    def load(self, refresh_token: str) -> ZaloOaToken:
        """Spend an operator's refresh token at once and store the new pair in place of any
        earlier one (refused or not). Raises ZaloOAuthError when Zalo refuses it, with nothing
        stored, and ZaloUnavailable when Zalo cannot be reached."""
        row = _store(self.oauth.refresh_oa(refresh_token), self.clock())
        log.info("Zalo OA token loaded; the access token expires at %s UTC", row.expires_at)
        return row

    def expire(self) -> bool:
        """ZNS refused the access token this thread last used (-124): mark it expired so that
        the next send refreshes it. True when the next send can expect another token (also
        when another process has replaced it meanwhile); False when the refused token was just
        issued, so that a new one would be refused too."""
        token = getattr(self._handed_out, "token", None)
        now = self.clock()
        expired = (ZaloOaToken.update(expires_at=now)
                   .where((ZaloOaToken.id == ZaloOaToken.ONLY_ID)
                          & (ZaloOaToken.access_token == token)
                          & (ZaloOaToken.updated_at < now - JUST_ISSUED))
                   .execute())
        if expired:
            log.warning("ZNS refused the stored OA access token; the next send refreshes it")
            return True
        row = ZaloOaToken.current()
        return row is not None and row.access_token != token

    def keep_fresh(self) -> None:
        """Refresh when due even if nothing is being sent (the worker calls this each round,
        acting at most once a minute), so that the first message after a quiet spell does not
        wait for Zalo and a refresh token left unused for months does not lapse. Failures are
        logged where they happen and show again at the next send."""
        if time.monotonic() < self._next_keep_fresh:
            return
        self._next_keep_fresh = time.monotonic() + KEEP_FRESH_EVERY
        try:
            self()
        except (ZaloOAuthError, ZaloUnavailable):
            pass

    def _usable(self, row: ZaloOaToken | None) -> bool:
        return row is not None and row.refused_at is None and not self._stale(row)

    def _stale(self, row: ZaloOaToken) -> bool:
        return row.expires_at - self.margin <= self.clock()

    def _refreshed(self) -> str:
        """Refresh, or wait for the process that is refreshing; DB trouble is retried later."""
        try:
            row = self._check(ZaloOaToken.current())
            if not self._stale(row):
                return row.access_token
            if self._take_lease(row):
                return self._refresh(row)
            return self._wait_for_refresh(row)
        except OperationalError as error:  # a lock wait timed out, the database restarted
            raise ZaloUnavailable(f"OA token store: {type(error).__name__}") from None

    def _take_lease(self, row: ZaloOaToken) -> bool:
        """Claim the refresh of the refresh token in `row`; False if someone else has it."""
        now = self.clock()
        return bool(ZaloOaToken.update(refreshing_until=now + LEASE)
                    .where(_same_pair(row) & ZaloOaToken.refused_at.is_null()
                           & (ZaloOaToken.refreshing_until.is_null()
                              | (ZaloOaToken.refreshing_until < now)))
                    .execute())

    def _refresh(self, row: ZaloOaToken) -> str:
        """Spend the refresh token (the lease is ours) and store the new pair over it."""
        try:
            tokens = self.oauth.refresh_oa(row.refresh_token)
        except ZaloOAuthError as refusal:
            ZaloOaToken.update(refused_at=self.clock(), refusal=refusal.code[:40],
                               refreshing_until=None).where(_same_pair(row)).execute()
            what = ("Zalo answered the OA token refresh without a new refresh token, so none "
                    "was stored" if refusal.code == NO_REFRESH_TOKEN
                    else f"Zalo refused the OA refresh token ({refusal.code})")
            self._report(REFUSED, "%s: ZNS cannot send until someone authorises the Official "
                         "Account again and loads its new refresh token with `%s`", what,
                         LOAD_COMMAND, once=False)
            raise
        except ZaloUnavailable:  # the refresh token is unspent: let the next try have it
            ZaloOaToken.update(refreshing_until=None).where(_same_pair(row)).execute()
            raise
        stored = _store(tokens, self.clock(), replacing=row)
        if stored is None:  # an operator loaded a new pair meanwhile: theirs stands
            return self._check(ZaloOaToken.current()).access_token
        log.info("Zalo OA access token refreshed; it expires at %s UTC", stored.expires_at)
        return stored.access_token

    def _wait_for_refresh(self, row: ZaloOaToken) -> str:
        """Another process holds the lease: wait until the row changes (or the lease could
        have run out), then use what it holds."""
        deadline = time.monotonic() + LEASE.total_seconds()
        current = row
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            current = self._check(ZaloOaToken.current())
            if current.refresh_token != row.refresh_token or current.refreshing_until is None:
                break
        if current.expires_at > self.clock():  # new, or the old one still valid a while
            return current.access_token
        raise ZaloUnavailable("the OA token is being refreshed by another process")

    def _check(self, row: ZaloOaToken | None) -> ZaloOaToken:
        """The row, when there is one that Zalo has not refused; else ZaloOAuthError."""
        if row is None:
            self._report(NO_TOKEN, "No Zalo OA token is stored: ZNS cannot send until someone "
                         "loads a refresh token with `%s`", LOAD_COMMAND)
            raise ZaloOAuthError(NO_TOKEN)
        if row.refused_at is not None:
            self._report(REFUSED, "Zalo refused the OA refresh token at %s UTC (%s): ZNS "
                         "cannot send until someone authorises the Official Account again and "
                         "loads its new refresh token with `%s`",
                         row.refused_at, row.refusal, LOAD_COMMAND)
            raise ZaloOAuthError(REFUSED, row.refusal or "")
        return row

    def _report(self, state: str, message: str, *args: object, once: bool = True) -> None:
        """Log an ERROR for an unusable token, once per process for a standing state (the
        worker meets it at every message)."""
        if once and state in self._reported:
            return
        self._reported.add(state)
        log.error(message, *args)


def _same_pair(row: ZaloOaToken):
    """The stored row, as long as it still holds the refresh token `row` was read with."""
    return (ZaloOaToken.id == ZaloOaToken.ONLY_ID) & (ZaloOaToken.refresh_token
                                                      == row.refresh_token)


def _store(tokens: ZaloTokens, now: dt.datetime,
           replacing: ZaloOaToken | None = None) -> ZaloOaToken | None:
    """Write a new pair, clearing any refusal and lease; return the row as written. With
    `replacing`, only over the pair it was refreshed from (None if that pair is gone)."""
    lifetime = FALLBACK_LIFETIME
    if tokens.expires_in > 0:
        lifetime = dt.timedelta(seconds=tokens.expires_in)
    fields = {
        ZaloOaToken.access_token: tokens.access_token,
        ZaloOaToken.refresh_token: tokens.refresh_token,
        ZaloOaToken.expires_at: now + lifetime,
        ZaloOaToken.updated_at: now,
        ZaloOaToken.refused_at: None,
        ZaloOaToken.refusal: None,
        ZaloOaToken.refreshing_until: None,
    }
    if replacing is not None:
        if not ZaloOaToken.update(fields).where(_same_pair(replacing)).execute():
            return None
    else:
        (ZaloOaToken.insert({ZaloOaToken.id: ZaloOaToken.ONLY_ID, **fields})
         .on_conflict(conflict_target=[ZaloOaToken.id], update=fields).execute())
    return ZaloOaToken.current()
