"""Every SMS text in one table, as an operator registers it with the brand-name gateway.

Brand-name routes deliver only texts that match a template registered for the brand name
(eSMS refuses anything else with code 146), so each kind of message must be registered once,
in the exact words the app sends. This table is made from the registered kinds themselves
(`flask notifications sms-templates`; docs/sms-templates.md holds a copy), in Vietnamese as
sent, with and without diacritics (SMS_ASCII_ONLY). Each placeholder is written as eSMS writes
its variable parts, `{P1,20}`: the first variable, at most 20 characters.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import force_locale

from webapp.notifications import templates
from webapp.notifications.transports import to_ascii

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# The longest value each placeholder takes, as the rooms fill them in (a dossier code, an
# officer's words cut at 120 characters by the back office, a full link...).
PLACEHOLDER_LENGTHS = {
    "code": 20,
    "app": 40,
    "app_name": 40,
    "office": 80,
    "commune": 80,
    "procedure": 160,
    "due_date": 20,
    "officer_phone": 20,
    "link": 120,
    "lookup_url": 120,
    "missing": 125,  # 120 and an ellipsis, which becomes "..." without diacritics
    "reason": 125,
}
DEFAULT_LENGTH = 40

HEADINGS = ("Kind", "Placeholders", "With diacritics", "Without diacritics (SMS_ASCII_ONLY=1)")


@dataclass(frozen=True)
class SmsTemplateRow:
    """One kind's text for registration, both ways."""

    key: str
    placeholders: tuple[str, ...]  # "{P1,20} code", in order
    with_marks: str
    without_marks: str


def rows() -> list[SmsTemplateRow]:
    """The registration text of every registered kind (needs an app context)."""
    return [_row(spec) for spec in templates.registered()]


def _row(spec: templates.MessageTemplate) -> SmsTemplateRow:
    with force_locale(templates.MESSAGE_LANGUAGE):
        text = str(spec.text)
    numbers: dict[str, int] = {}

    def marker(match: re.Match) -> str:
        return _variable(match.group(1), numbers.setdefault(match.group(1), len(numbers) + 1))

    registered = _PLACEHOLDER.sub(marker, text).replace("%%", "%")
    placeholders = tuple(f"{_variable(name, n)} {name}" for name, n in numbers.items())
    return SmsTemplateRow(spec.key, placeholders, registered, to_ascii(registered))


def _variable(name: str, number: int) -> str:
    """eSMS's notation of a variable part: {P<number>,<longest length>}."""
    return f"{{P{number},{PLACEHOLDER_LENGTHS.get(name, DEFAULT_LENGTH)}}}"


def as_markdown(table: list[SmsTemplateRow]) -> str:
    """A Markdown table (docs/sms-templates.md)."""
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    for row in table:
        cells = (f"`{row.key}`", "<br>".join(row.placeholders), row.with_marks,
                 row.without_marks)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def as_csv(table: list[SmsTemplateRow]) -> str:
    """The same table as CSV, a file to send to the gateway's staff."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for row in table:
        writer.writerow((row.key, " ".join(row.placeholders), row.with_marks, row.without_marks))
    return out.getvalue()
