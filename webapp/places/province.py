"""The province this installation serves: its name, hotlines and where citizens go.

It is configuration, not code: `PROVINCE_FILE` points at a TOML file shaped like
`tay-ninh.toml` beside this module, which is the default (the format is in docs/places.md).

Every fact a citizen may act on (a number to call, an address to walk to, opening hours, a map
link) is written with the `source` it came from and whether it is `confirmed`. Pages only ever
receive confirmed facts: a wrong phone number or address sends an older person on a wasted
trip, so where a fact is not confirmed the page says what is known instead (the commune's
name, the numbers that are confirmed). `flask places check` lists what is still unconfirmed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from webapp.core.i18n import current_language
from webapp.places.units import find_unit, load_units

DEFAULT_FILE = Path(__file__).with_name("tay-ninh.toml")
LANGUAGES = ("vi", "en")
SHOP_FACTS = ("address", "hours", "phone", "map")  # what a one-stop shop may have
TEXT_FACTS = {"address", "hours", "name"}  # written in each language; the others are one value


class ProvinceFileError(ValueError):
    """The province file is malformed; the message says where."""


@dataclass(frozen=True)
class Fact:
    """One value of the province file, with where it came from and whether it is confirmed."""

    where: str  # its place in the file, for the operator: 'one_stop_shop 25459 address'
    value: str | Mapping[str, str]  # one value, or {"vi": ..., "en": ...}
    confirmed: bool
    source: str

    def text(self, language: str) -> str:
        if isinstance(self.value, Mapping):
            return self.value.get(language) or self.value["vi"]
        return self.value


@dataclass(frozen=True)
class Hotline:
    number: Fact
    label: Mapping[str, str]  # what the number is for, in each language
    emergency: bool


@dataclass(frozen=True)
class WhereToGo:
    """Where a citizen of one commune goes and whom she calls: only confirmed facts, or None."""

    commune_code: str
    commune_name: str  # always known: it comes from the official list of units
    address: str | None
    hours: str | None
    phone: str | None
    map_url: str | None
    support_phone: str | None  # the province's support line, when confirmed

    @property
    def known(self) -> bool:
        """Whether anything beyond the commune's name can be said."""
        return bool(self.address or self.hours or self.phone)


@dataclass(frozen=True)
class Province:
    code: str
    content: dict  # {"vi": {...}, "en": {...}}: name, short name, app name, tagline
    lines: tuple[Hotline, ...]  # every hotline, confirmed or not
    support: Hotline | None  # the province's own citizen-support line
    shop_defaults: Mapping[str, Fact]  # facts shared by every commune's one-stop shop
    shops: Mapping[str, Mapping[str, Fact]]  # commune code -> its own facts
    offices: tuple[Mapping[str, Fact], ...]  # province-level offices (name, address, ...)

    @property
    def hotlines(self) -> list[Hotline]:
        """Confirmed numbers other than emergencies, in the file's order."""
        return [line for line in self.lines if line.number.confirmed and not line.emergency]

    @property
    def emergency_lines(self) -> list[Hotline]:
        """Confirmed emergency numbers (113, 114, 115, 111), in the file's order."""
        return [line for line in self.lines if line.number.confirmed and line.emergency]

    @property
    def help_hotline(self) -> str | None:
        """The province's support line if it is confirmed, else None (never a placeholder)."""
        if self.support and self.support.number.confirmed:
            return self.support.number.value
        return None

    def confirmed_offices(self, language: str) -> list[dict]:
        """Province-level offices whose name is confirmed, with their confirmed facts."""
        return [{key: fact.text(language) for key, fact in office.items() if fact.confirmed}
                for office in self.offices if office["name"].confirmed]

    def shop_fact(self, commune_code: str, key: str) -> Fact | None:
        """The commune's own fact, else the one shared by every one-stop shop."""
        return self.shops.get(commune_code, {}).get(key) or self.shop_defaults.get(key)

    def where_to_go(self, commune_code: str, commune_name: str, language: str) -> WhereToGo:
        """What can be told about the one-stop shop of a commune: confirmed facts only."""
        def confirmed(key: str) -> str | None:
            fact = self.shop_fact(commune_code, key)
            return fact.text(language) if fact and fact.confirmed else None

        return WhereToGo(commune_code=commune_code, commune_name=commune_name,
                         address=confirmed("address"), hours=confirmed("hours"),
                         phone=confirmed("phone"), map_url=confirmed("map"),
                         support_phone=self.help_hotline)

    def contact_phone(self, commune_code: str) -> str | None:
        """The number to give for a commune: its one-stop shop's, else the province's support
        line, when confirmed; None when neither is (never a placeholder)."""
        fact = self.shop_fact(commune_code, "phone")
        if fact and fact.confirmed:
            return "".join(fact.value.split())
        return self.help_hotline

    def facts(self) -> list[Fact]:
        """Every fact in the file, in the file's order, for `flask places check`."""
        found = [line.number for line in self.lines]
        found += [self.support.number] if self.support else []
        for office in self.offices:
            found += office.values()
        found += self.shop_defaults.values()
        for shop in self.shops.values():
            found += shop.values()
        return found


# --- Reading the file ------------------------------------------------------------------------


def _require(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise ProvinceFileError(f"{where}: {problem}")


def _fact(raw, where: str, *, text: bool) -> Fact:
    """A fact table: its value (per language for texts), `confirmed` and `source`."""
    _require(isinstance(raw, Mapping), where, "must be a table with confirmed and source")
    _require(isinstance(raw.get("confirmed"), bool), where, "needs confirmed = true or false")
    _require(bool(str(raw.get("source", "")).strip()), where,
             "needs a source: where the value was found, or why it is not known")
    if text:
        for language in LANGUAGES:
            _require(bool(str(raw.get(language, "")).strip()), where, f"lacks {language}")
        value = {language: raw[language] for language in LANGUAGES}
    else:
        value = str(raw.get("value", "")).strip()
        _require(bool(value), where, "lacks value")
    if where.endswith(" map"):
        _require(value.startswith("https://"), where, "a map link must start with https://")
    return Fact(where, value, raw["confirmed"], raw["source"].strip())


def _hotline(raw: Mapping, where: str) -> Hotline:
    """A number to call: the number is the fact; its label says what it is for."""
    where = f"{where} {raw.get('number', '?')}"
    number = _fact({**raw, "value": raw.get("number", "")}, where, text=False)
    for language in LANGUAGES:
        _require(bool(raw.get(language)), where, f"lacks its {language} label")
    return Hotline(number, {language: raw[language] for language in LANGUAGES},
                   bool(raw.get("emergency", False)))


def _facts_table(raw: Mapping, where: str, allowed: tuple[str, ...]) -> dict[str, Fact]:
    facts = {}
    for key, value in raw.items():
        if key in ("commune", "key"):
            continue
        _require(key in allowed, where, f"unknown fact {key!r} (known: {', '.join(allowed)})")
        facts[key] = _fact(value, f"{where} {key}", text=key in TEXT_FACTS)
    return facts


def _shops(raw: list, province_code: str) -> dict[str, dict[str, Fact]]:
    """Each commune's one-stop shop, keyed by the commune's official code."""
    shops = {}
    for entry in raw:
        code = str(entry.get("commune", "")).strip()
        where = f"one_stop_shop {code or '?'}"
        _require(find_unit(code, province_code) is not None, where,
                 "commune must be the official code of a commune of the province")
        _require(code not in shops, where, "appears twice")
        shops[code] = _facts_table(entry, where, SHOP_FACTS)
    return shops


def _offices(raw: list) -> tuple[dict[str, Fact], ...]:
    offices = []
    for entry in raw:
        where = f"office {entry.get('key', '?')}"
        facts = _facts_table(entry, where, ("name", *SHOP_FACTS))
        _require("name" in facts, where, "lacks name")
        offices.append(facts)
    return tuple(offices)


def load_province(path: str | Path | None = None) -> Province:
    """Read and check the province file; a malformed one stops the start, saying where."""
    data = tomllib.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    for key in ("code", "vi", "en", "hotline"):
        _require(key in data, "province file", f"lacks '{key}'")
    code = str(data["code"])
    load_units(code)  # an unknown province code stops here, with its own error
    support = data.get("support_line")
    return Province(
        code=code,
        content={"vi": data["vi"], "en": data["en"]},
        lines=tuple(_hotline(line, "hotline") for line in data["hotline"]),
        support=_hotline(support, "support_line") if support else None,
        shop_defaults=_facts_table(data.get("one_stop_shops", {}), "one_stop_shops",
                                   SHOP_FACTS),
        shops=_shops(data.get("one_stop_shop", []), code),
        offices=_offices(data.get("office", [])),
    )


def current_province() -> Province:
    return current_app.extensions["province"]


def where_to_go(commune) -> WhereToGo:
    """Where to go for a commune (a Commune row, an AdminUnit or an official code), in the
    reader's language: the one function every page that sends someone somewhere uses."""
    province = current_province()
    code = getattr(commune, "code", commune)
    name = getattr(commune, "name", None)
    if name is None:
        unit = find_unit(str(code), province.code)
        name = unit.name if unit else str(code)
    return province.where_to_go(str(code), name, current_language())


def contact_phone(commune) -> str | None:
    """The confirmed number to call about a commune (a row, a unit or a code), or None."""
    return current_province().contact_phone(str(getattr(commune, "code", commune)))


def one_stop_shop_words(commune) -> str:
    """"bộ phận một cửa Xã ...", in Vietnamese as text messages are, for a message that must
    say whom to ask when no number is confirmed."""
    with force_locale("vi"):
        return str(_l("the one-stop shop of %(commune)s", commune=commune.name))


def init_app(app: Flask) -> None:
    """Load the province once and make it available to every template."""
    province = load_province(app.config.get("PROVINCE_FILE") or None)
    app.extensions["province"] = province
    app.jinja_env.globals.update(province=province, commune_office=where_to_go)
