"""Every interface string is translated: message ids are English, Vietnamese must be complete."""

from __future__ import annotations

import subprocess
import sys

from babel.messages.pofile import read_po

from webapp.config import PROJECT_ROOT

VI_PO = PROJECT_ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def _extract(tmp_path):
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F",
         str(PROJECT_ROOT / "babel.cfg"), "-k", "_l", "-o", str(pot),
         str(PROJECT_ROOT / "webapp"), str(PROJECT_ROOT / "templates")],
        check=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def _vietnamese():
    with VI_PO.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): m
        for m in catalog if m.id
    }


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path):
    vietnamese = _vietnamese()
    missing = []
    for msgid in sorted(_extract(tmp_path)):
        message = vietnamese.get(msgid)
        strings = message.string if message and isinstance(message.string, tuple) else (
            (message.string,) if message else ("",))
        if not all(strings) or (message and message.fuzzy):
            missing.append(msgid)
    assert missing == [], "run `flask translate update` and translate these"


def test_placeholders_survive_translation():
    import re

    for msgid, message in _vietnamese().items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"%\(\w+\)[sd]", msgid))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", string)) == expected, msgid
