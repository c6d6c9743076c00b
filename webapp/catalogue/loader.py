"""Load the catalogue from its TOML files into the database, checking every file first.

The files under `procedures/` are the source of truth shipped with the app (see
docs/catalogue-schema.md). Loading is idempotent: run it at every deployment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from webapp.catalogue.models import LifeEvent, Procedure, ProcedureLifeEvent
from webapp.core import search
from webapp.core.clock import utcnow
from webapp.core.db import database

DATA_DIR = Path(__file__).parent
FIELDS = ("ho-tich", "chung-thuc", "bao-tro-xa-hoi", "bao-hiem", "cu-tru", "ho-kinh-doanh",
          "dat-dai", "nguoi-co-cong", "giam-ngheo", "can-cuoc")
TEXT_KEYS = ("official_name", "title", "summary", "time", "fee", "where", "online_note")
LIST_KEYS = ("who", "papers", "steps", "legal_basis")
LANGUAGES = ("vi", "en")
# Where and how a procedure can be done besides this site (which offers it exactly when
# webapp/dossiers/forms/ has its form), in the order the page lists them.
WAYS = ("national_portal", "vneid", "vssid", "business_portal", "in_person", "post")
ONLINE_WAYS = frozenset({"national_portal", "vneid", "vssid", "business_portal"})


class CatalogueError(ValueError):
    """A catalogue file is malformed; the message names the file and the problem."""


def _require(condition: bool, source: str, problem: str) -> None:
    if not condition:
        raise CatalogueError(f"{source}: {problem}")


def check_procedure(data: dict, source: str, event_keys: set[str]) -> None:
    """Refuse a procedure file that lacks a fact or a translation."""
    _require(data.get("field") in FIELDS, source, f"unknown field {data.get('field')!r}")
    _require(bool(data.get("life_events")), source, "no life_events")
    for key in data["life_events"]:
        _require(key in event_keys, source, f"unknown life event {key!r}")
    for key, kind in (("processing_working_days", int), ("fee_vnd", int)):
        _require(isinstance(data.get(key), kind), source, f"{key} must be {kind.__name__}")
    ways = data.get("ways")
    _require(isinstance(ways, list) and bool(ways), source, "no ways (where and how to apply)")
    for way in ways:
        _require(way in WAYS, source, f"unknown way {way!r} (known: {', '.join(WAYS)})")
    _require("online" not in data, source, "online is worked out from ways; remove it")
    _require(bool(data.get("keywords")), source, "no keywords")
    for language in LANGUAGES:
        text = data.get(language, {})
        for key in TEXT_KEYS:
            _require(bool(str(text.get(key, "")).strip()), source, f"[{language}] lacks {key}")
        for key in LIST_KEYS:
            _require(bool(text.get(key)), source, f"[{language}] lacks {key}")


def read_life_events(path: Path = DATA_DIR / "life_events.toml") -> list[dict]:
    """Read the life events in display order."""
    events = tomllib.loads(path.read_text(encoding="utf-8"))["event"]
    for event in events:
        for language in LANGUAGES:
            _require(bool(event.get(language, {}).get("name")), path.name,
                     f"life event {event.get('key')} lacks a {language} name")
    return events


def read_procedures(folder: Path = DATA_DIR / "procedures",
                    event_keys: set[str] | None = None) -> list[dict]:
    """Read and check every procedure file; codes and slugs must be unique."""
    event_keys = event_keys or {e["key"] for e in read_life_events()}
    procedures, codes, slugs = [], set(), set()
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        check_procedure(data, path.name, event_keys)
        data["online"] = bool(ONLINE_WAYS & set(data["ways"]))  # somewhere online, maybe not here
        _require(path.stem == data["code"], path.name, "file name must be the code")
        _require(data["code"] not in codes, path.name, "duplicate code")
        _require(data["slug"] not in slugs, path.name, "duplicate slug")
        codes.add(data["code"])
        slugs.add(data["slug"])
        procedures.append(data)
    return procedures


def _save_life_events(events: list[dict]) -> dict[str, LifeEvent]:
    saved = {}
    for position, event in enumerate(events):
        row = {"position": position, "icon": event.get("icon", "doc"),
               "content": {language: event[language] for language in LANGUAGES}}
        LifeEvent.insert(key=event["key"], **row).on_conflict(
            conflict_target=[LifeEvent.key], update=row).execute()
    for event in LifeEvent.select():
        saved[event.key] = event
    return saved


def _save_procedure(data: dict, events: dict[str, LifeEvent]) -> None:
    row = {
        "slug": data["slug"], "domain": data["field"], "online": data["online"],
        "ways": data["ways"],
        "processing_working_days": data["processing_working_days"], "fee_vnd": data["fee_vnd"],
        "keywords": data["keywords"], "unverified": data.get("unverified", []),
        "content": {language: data[language] for language in LANGUAGES}, "updated_at": utcnow(),
    }
    Procedure.insert(code=data["code"], **row).on_conflict(
        conflict_target=[Procedure.code], update=row).execute()
    procedure = Procedure.get(Procedure.code == data["code"])
    ProcedureLifeEvent.delete().where(ProcedureLifeEvent.procedure == procedure).execute()
    ProcedureLifeEvent.insert_many(
        [{"procedure": procedure, "life_event": events[key], "position": i}
         for i, key in enumerate(data["life_events"])]).execute()
    _index_procedure(data)


def _index_procedure(data: dict) -> None:
    for language in LANGUAGES:
        text = data[language]
        search.index_item(
            "procedure", data["code"], language,
            title=text["title"],
            keywords=data["keywords"],
            names=[text["official_name"], data["code"]],
            body=[text["summary"], *text["who"]],
        )


def load_catalogue() -> int:
    """Upsert life events and procedures from the files; return how many procedures loaded."""
    events = read_life_events()
    procedures = read_procedures(event_keys={e["key"] for e in events})
    with database.atomic():
        saved_events = _save_life_events(events)
        for data in procedures:
            _save_procedure(data, saved_events)
    return len(procedures)
