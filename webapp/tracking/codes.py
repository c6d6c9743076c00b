"""Codes people can read aloud over the phone, for every tracked item: "TN-7K4-Q2M9".

The alphabet leaves out what is easily confused when read or heard: 0 and O, 1, I and L, and
the letters Vietnamese does not use (F, J, W, Z), whose names people hesitate over. 27 symbols
in 7 places give about 10 billion codes, so a random one rarely collides (and a collision is
retried under the unique constraint).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEGHKMNPQRSTUVXY"
GROUPS = (3, 4)
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")


def new_code(prefix: str) -> str:
    """A fresh random code with the province's prefix."""
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(size)) for size in GROUPS]
    return "-".join([prefix, *groups])


def normalize_code(raw: str, prefix: str) -> str:
    """What someone typed ("tn 7k4 q2m9", "TN7K4Q2M9") in the canonical form, or ""."""
    text = _NOT_ALPHANUMERIC.sub("", (raw or "").upper())
    if not text.startswith(prefix):
        text = prefix + text
    body = text[len(prefix):]
    if len(body) != sum(GROUPS) or any(ch not in ALPHABET for ch in body):
        return ""
    return f"{prefix}-{body[:GROUPS[0]]}-{body[GROUPS[0]:]}"
