"""From the address people know to the commune that serves them now.

Citizen ID cards, household books and memories carry the addresses from before 1 July 2025:
commune, district, province ("xã Thái Bình, huyện Châu Thành, tỉnh Tây Ninh"). Since then there
are no districts and far fewer communes. `find_commune` reads what she types, with or without
diacritics, commas or unit words, and proposes the new commune(s):

* an old commune that became one new commune gives that one;
* an old commune divided between several new ones gives them all, to choose from (the one
  vietnamadminunits marks as the default first);
* an old district alone gives every new commune its communes went to;
* a new commune's own name gives that commune.

The data is vietnamadminunits' own, read offline: the old units from its `admin_units_legacy`
table and which old commune became which new one from its converter data
(`converter_2025.json`). We never call its `convert_address`: for a divided commune it asks
ArcGIS's geocoder over the network, and the choice belongs to the person who lives there.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from webapp.core.text import fold_vietnamese
from webapp.places.units import (
    DEFAULT_PROVINCE_CODE,
    AdminUnit,
    find_unit,
    load_units,
    province_name,
)

MAX_SPAN = 7  # the longest unit name, with its type words, is "Thị trấn Hậu Nghĩa" and such
MAX_PROPOSALS = 10
MIN_QUERY_LETTERS = 3
# The converter data sends Phường 4 of both old provincial towns to both new wards, 90 km
# apart (its builder matched the name "Phường 4"). A divided commune's parts touch each other,
# and the furthest real part is 15 km from the old centre, so a new commune further than this
# from the old one's centre cannot be one of its parts.
IMPLAUSIBLE_KM = 40

# Written abbreviations of unit types: "TP. Tây Ninh", "TT. Hòa Thành", "P.4", "H. Châu Thành".
_ABBREVIATIONS = {"tp": ["thanh", "pho"], "tx": ["thi", "xa"], "tt": ["thi", "tran"],
                  "p": ["phuong"], "x": ["xa"], "h": ["huyen"], "q": ["quan"], "t": ["tinh"]}
_NUMBERED_WARD = re.compile(r"^(p|phuong)0*(\d+)$")


def unit_key(text: str) -> str:
    """The package's way of keying a name: folded, without spaces or punctuation."""
    return re.sub(r"[^a-z0-9]", "", fold_vietnamese(text))


def query_tokens(query: str) -> list[str]:
    """The folded words of what she typed, abbreviations spelt out, "04" read as "4"."""
    tokens: list[str] = []
    for word in re.findall(r"[a-z0-9]+", fold_vietnamese(query)):
        numbered = _NUMBERED_WARD.match(word)
        if numbered:
            tokens += ["phuong", numbered.group(2)]
        elif word.isdigit():
            tokens.append(word.lstrip("0") or "0")
        else:
            tokens += _ABBREVIATIONS.get(word, [word])
    return tokens


def _spans(tokens: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Every run of up to MAX_SPAN consecutive words, keyed like unit names."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + MAX_SPAN) + 1):
            spans.setdefault("".join(tokens[start:end]), []).append((start, end))
    return spans


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371 * 2 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class OldCommune:
    """A commune-level unit as it was before July 2025, and what it became."""

    ward: str  # "Xã Thái Bình"
    district: str  # "Huyện Châu Thành"
    province: str  # "Tỉnh Tây Ninh"
    ward_keys: frozenset[str]
    district_keys: frozenset[str]
    province_keys: frozenset[str]
    accented: str  # "thái bình": typed with diacritics, it tells Tân Thành from Tân Thạnh
    new_codes: tuple[str, ...]  # the new commune(s), vietnamadminunits' default first

    @property
    def label(self) -> str:
        return f"{self.ward}, {self.district}, {self.province}"

    @property
    def divided(self) -> bool:
        return len(self.new_codes) > 1


@dataclass(frozen=True)
class Proposal:
    """A new commune to choose, and the old units that became it (none for a new name)."""

    unit: AdminUnit
    was: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    query: str
    proposals: tuple[Proposal, ...] = ()
    divided: OldCommune | None = None  # the one old commune found, when it was divided
    old_district: str | None = None  # the old district found, when no commune was named

    @property
    def found(self) -> bool:
        return bool(self.proposals)


# --- The package's data, read once per process -----------------------------------------------


def _converter() -> dict:
    path = files("vietnamadminunits").joinpath("data/converter_2025.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _aliases(raw: str | None) -> set[str]:
    return set(json.loads(raw)) if raw else set()


def _legacy_rows(old_province_keys: list[str]) -> list[dict]:
    # Imported here, as in units.py: the package parses its data at import (~0.4 s).
    from vietnamadminunits.database import get_data

    fields = ["province", "district", "ward", "provinceShort", "districtShort", "wardShort",
              "provinceKey", "districtKey", "wardKey", "wardAlias", "districtAlias",
              "wardLat", "wardLon"]
    rows = get_data(fields=fields, table="admin_units_legacy")
    return [row for row in rows if row["provinceKey"] in old_province_keys]


def _new_ward_places(province_code: str) -> tuple[str, dict]:
    """The package's key of the province, and of each new commune -> (code, centre)."""
    from vietnamadminunits.database import get_data  # start-up cost: see _legacy_rows

    fields = ["provinceCode", "provinceKey", "ward", "wardKey", "wardCode", "wardLat", "wardLon"]
    rows = [row for row in get_data(fields=fields, table="admin_units")
            if row["provinceCode"] == province_code]
    places = {}
    for row in rows:
        place = (row["wardCode"], (row["wardLat"], row["wardLon"]))
        # Two communes whose names differ only by their marks are keyed with the marks
        # ("xãtânthành", "xãtânthạnh"); the converter uses the same keys.
        places[row["wardKey"]] = places[re.sub(r"\W", "", row["ward"].lower())] = place
    return rows[0]["provinceKey"], places


def _successors(old_key: str, old_place: tuple[float, float], converter: dict,
                new_places: dict) -> tuple[str, ...]:
    """The new commune codes an old commune went to, default first, implausible ones out."""
    whole = converter["whole"].get(old_key)
    if whole:
        return (new_places[whole][0],)
    parts = sorted(converter["divided"].get(old_key, []),
                   key=lambda part: not part["isDefaultNewWard"])
    return tuple(new_places[part["newWardKey"]][0] for part in parts
                 if _km(old_place, new_places[part["newWardKey"]][1]) <= IMPLAUSIBLE_KM)


def _old_commune(row: dict, province_keys: frozenset[str], converter: dict,
                 new_places: dict) -> OldCommune:
    old_key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"
    short = unit_key(row["wardShort"])
    ward_keys = {unit_key(row["ward"]), *_aliases(row["wardAlias"])}
    if not short.isdigit():  # "Phường 4" must be asked for as such, not by a house number
        ward_keys.add(short)
    return OldCommune(
        ward=row["ward"], district=row["district"], province=row["province"],
        ward_keys=frozenset(ward_keys),
        district_keys=frozenset({unit_key(row["district"]), unit_key(row["districtShort"]),
                                 *_aliases(row["districtAlias"])}),
        province_keys=province_keys,
        accented=row["wardShort"].lower(),
        new_codes=_successors(old_key, (row["wardLat"], row["wardLon"]), converter,
                              new_places),
    )


@dataclass(frozen=True)
class _Index:
    old: tuple[OldCommune, ...]
    new: tuple[AdminUnit, ...]
    new_province_keys: frozenset[str]


@lru_cache(maxsize=4)
def _index(province_code: str) -> _Index:
    """The old communes that now belong to the province, and its new communes."""
    raw = _converter()
    province_key, new_places = _new_ward_places(province_code)
    converter = {
        "whole": {old: new for new, olds in
                  raw["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items()
                  for old in olds},
        "divided": raw["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}),
    }
    old = []
    for row in _legacy_rows(raw["DICT_PROVINCE"].get(province_key, [])):
        province_keys = frozenset({row["provinceKey"], unit_key(row["provinceShort"])})
        old.append(_old_commune(row, province_keys, converter, new_places))
    return _Index(tuple(old), tuple(load_units(province_code)),
                  _name_keys(province_name(province_code)))


def _name_keys(name: str) -> frozenset[str]:
    """Keys of a province's name with and without its type: "tinhtayninh", "tayninh"."""
    short = re.sub(r"^(Tỉnh|Thành phố) ", "", name)
    return frozenset({unit_key(name), unit_key(short)})


# --- Reading what she typed ------------------------------------------------------------------

Span = tuple[int, int]  # words [start, end) of the query


def _found(spans: dict[str, list[Span]], keys: frozenset[str]) -> list[Span]:
    return [span for key in keys for span in spans.get(key, ())]


def _apart(*spans: Span | None) -> bool:
    """No two of the spans share a word (the same words cannot name a commune and a district)."""
    present = sorted(span for span in spans if span)
    return all(first[1] <= second[0] for first, second in zip(present, present[1:], strict=False))


def _width(span: Span | None) -> int:
    return span[1] - span[0] if span else 0


def _best_reading(units: list[Span], districts: list[Span],
                  provinces: list[tuple[Span, float]]) -> float:
    """The most words explained by one commune, its district and its province, apart."""
    best = 0.0
    for unit in units:
        for district in [None, *districts]:
            for province, weight in [(None, 0.0), *provinces]:
                if _apart(unit, district, province):
                    best = max(best, _width(unit) + _width(district) + weight * _width(province))
    return best


@dataclass(frozen=True)
class _Query:
    raw: str  # as typed
    text: str  # lower case, marks kept: for telling "Tân Thành" from "Tân Thạnh"
    spans: dict[str, list[Span]]

    def marks_bonus(self, accented_short_name: str) -> float:
        """A little more for a name typed with exactly its diacritics."""
        pattern = rf"(?<!\w){re.escape(accented_short_name)}(?!\w)"
        return 0.5 if re.search(pattern, self.text) else 0.0


def _old_score(old: OldCommune, query: _Query, new_province_keys: frozenset[str]) -> float:
    units = _found(query.spans, old.ward_keys)
    if not units:
        return 0.0
    # An old Long An address written with the new province's name counts, a little less.
    provinces = [(span, 1.0) for span in _found(query.spans, old.province_keys)]
    others = new_province_keys - old.province_keys
    provinces += [(span, 0.5) for span in _found(query.spans, others)]
    return (_best_reading(units, _found(query.spans, old.district_keys), provinces)
            + query.marks_bonus(old.accented))


def _new_score(unit: AdminUnit, query: _Query, province_keys: frozenset[str]) -> float:
    keys = {unit_key(unit.name)} | ({unit_key(unit.short_name)}
                                    if not unit.short_name.isdigit() else set())
    units = _found(query.spans, frozenset(keys))
    if not units:
        return 0.0
    provinces = [(span, 1.0) for span in _found(query.spans, province_keys)]
    return _best_reading(units, [], provinces) + query.marks_bonus(unit.short_name.lower())


def _district_score(old: OldCommune, query: _Query) -> float:
    districts = _found(query.spans, old.district_keys)
    provinces = [(span, 1.0) for span in _found(query.spans, old.province_keys)]
    return max((_best_reading([district], [], provinces) for district in districts),
               default=0.0)


def _merge(pairs: list[tuple[str, str | None]], province_code: str) -> tuple[Proposal, ...]:
    """(new code, old label) pairs -> one proposal per new commune, in the pairs' order."""
    was: dict[str, list[str]] = {}
    for code, label in pairs:
        labels = was.setdefault(code, [])
        if label and label not in labels:
            labels.append(label)
    proposals = [Proposal(find_unit(code, province_code), tuple(labels))
                 for code, labels in was.items()]
    return tuple(p for p in proposals if p.unit)[:MAX_PROPOSALS]


def _by_district(index: _Index, query: _Query, province_code: str,
                 best: float) -> Finding:
    olds = [old for old in index.old if _district_score(old, query) == best]
    districts = sorted({f"{old.district}, {old.province}" for old in olds})
    codes = sorted({code for old in olds for code in old.new_codes},
                   key=lambda code: find_unit(code, province_code).name)
    pairs = [(code, None) for code in codes]
    return Finding(query.raw, _merge(pairs, province_code), old_district="; ".join(districts))


def find_commune(query: str, province_code: str = DEFAULT_PROVINCE_CODE) -> Finding:
    """The new commune(s) for an address typed as she knows it, old or new."""
    tokens = query_tokens(query)
    if sum(len(t) for t in tokens) < MIN_QUERY_LETTERS:
        return Finding(query)
    index = _index(province_code)
    typed = _Query(query, " ".join(query.lower().split()), _spans(tokens))
    old_scores = [(_old_score(old, typed, index.new_province_keys), old) for old in index.old]
    new_scores = [(_new_score(unit, typed, index.new_province_keys), unit) for unit in index.new]
    best = max(score for score, _ in old_scores + new_scores)
    district_best = max(_district_score(old, typed) for old in index.old)
    if district_best > best:
        return _by_district(index, typed, province_code, district_best)
    if not best:
        return Finding(query)
    olds = [old for score, old in old_scores if score == best]
    news = [unit for score, unit in new_scores if score == best]
    pairs = [(code, old.label) for old in olds for code in old.new_codes]
    pairs += [(unit.code, None) for unit in news]
    only_one_divided = len(olds) == 1 and olds[0].divided and not news
    return Finding(query, _merge(pairs, province_code),
                   divided=olds[0] if only_one_divided else None)
