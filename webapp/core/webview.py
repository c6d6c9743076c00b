"""What the visitor's user agent says about Zalo's in-app browser.

Zalo's webview ends its user agent with `Zalo android/<ver> ZaloTheme/dark ZaloLanguage/vi`
(iOS: `Zalo iOS/<ver> ZaloTheme/light`; some carry only `ZaloTheme/`). It is a hint for how a
page looks and which controls work there (no print dialog, no new windows), never a security
decision: anyone can send any user agent.
"""

from __future__ import annotations

import re

from flask import has_request_context, request

_ZALO = re.compile(r"\bZalo\b|ZaloTheme/")
_THEME = re.compile(r"ZaloTheme/(dark|light)\b")


def in_zalo(user_agent: str | None = None) -> bool:
    """True inside Zalo's in-app browser (this request's user agent when none is given)."""
    return bool(_ZALO.search(_agent(user_agent)))


def zalo_theme(user_agent: str | None = None) -> str | None:
    """"dark" or "light" when Zalo says which theme the visitor chose in the app, else None."""
    found = _THEME.search(_agent(user_agent))
    return found.group(1) if found else None


def _agent(user_agent: str | None) -> str:
    if user_agent is not None:
        return user_agent
    return request.headers.get("User-Agent", "") if has_request_context() else ""
