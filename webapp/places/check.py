"""`flask places check`: what the province file does not yet let us tell citizens.

Unconfirmed facts are never shown on a page, so a province can go live with gaps; this report
is the operator's list of what to confirm, commune by commune.
"""

from __future__ import annotations

from webapp.places.province import Province
from webapp.places.units import load_units


def unconfirmed_facts(province: Province) -> list[str]:
    """One line per fact that pages leave out, with its value and source."""
    return [f"  {fact.where}: {fact.text('vi')!r}\n      source: {fact.source}"
            for fact in province.facts() if not fact.confirmed]


def _missing(province: Province, code: str) -> list[str]:
    """What a commune's one-stop shop lacks before citizens can be sent there."""
    lacking = []
    for key in ("address", "hours", "phone"):
        fact = province.shop_fact(code, key)
        if fact is None:
            lacking.append(f"no {key}")
        elif not fact.confirmed:
            lacking.append(f"{key} unconfirmed")
    return lacking


def communes_lacking(province: Province) -> list[str]:
    """One line per commune whose one-stop shop lacks a confirmed address, hours or phone."""
    lines = []
    for unit in load_units(province.code):
        lacking = _missing(province, unit.code)
        if lacking:
            lines.append(f"  {unit.code} {unit.name}: {', '.join(lacking)}")
    return lines


def report(province: Province) -> tuple[list[str], bool]:
    """The report's lines, and whether everything a citizen needs is confirmed."""
    facts, communes = unconfirmed_facts(province), communes_lacking(province)
    total = len(load_units(province.code))
    lines = [f"{province.content['vi']['name']} (code {province.code})"]
    if facts:
        lines += [f"{len(facts)} unconfirmed value(s), not shown to citizens:", *facts]
    if communes:
        lines += [f"{len(communes)} of {total} one-stop shops lack confirmed facts "
                  "(pages give the commune's name and the confirmed numbers instead):",
                  *communes]
    if not facts and not communes:
        lines.append("Every value is confirmed; every one-stop shop has an address, hours "
                     "and a phone number.")
    return lines, not facts and not communes
