"""Forms as data: each online procedure declares its questions and papers in a TOML file.

`forms/<procedure code>.toml` (the format is described in docs/dossier-forms.md) is read and
checked when the app starts: an unknown field type, a duplicate name, a condition on a field
that does not come earlier, an unknown paper key or a missing Vietnamese or English label stops
the start with an error that names the file. One wizard renders every form, so adding a
procedure online means adding a file, never Python.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMS_DIR = Path(__file__).parent / "forms"
LANGUAGES = ("vi", "en")

FIELD_TYPES = ("text", "full_name", "date", "citizen_id", "phone", "commune", "address",
               "choice", "yes_no", "number", "money")
# Profile facts a question may be prefilled with, and the field types that can hold each.
PREFILL_TYPES = {
    "full_name": ("full_name",),
    "date_of_birth": ("date",),
    "citizen_id": ("citizen_id",),
    "phone": ("phone",),
    "commune": ("commune",),
    "address": ("address",),
}
# Settings each field type understands (anything else in a question is a typo).
SETTINGS = {
    "text": {"max_length"},
    "date": {"when"},
    "citizen_id": {"birth_date_field", "allow_old_id"},
    "number": {"min", "max"},
    "money": {"max"},
}
QUESTION_KEYS = {"name", "type", "optional", "prefill", "show_if", "option", "vi", "en"}
PAPER_KEYS = {"key", "required", "max_photos", "show_if", "side", "vi", "en"}
SIDE_KEYS = {"key", "vi", "en"}
FORM_KEYS = {"procedure", "commune_field", "phone_field", "question", "group", "paper", "vi",
             "en"}
GROUP_KEYS = {"name", "questions", "vi", "en"}
YES, NO = "yes", "no"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
DEFAULT_MAX_PHOTOS = 6


class FormDefinitionError(ValueError):
    """A form file is malformed; the message names the file and the problem."""


def _require(condition: bool, source: str, problem: str) -> None:
    if not condition:
        raise FormDefinitionError(f"{source}: {problem}")


@dataclass(frozen=True)
class Condition:
    """Show a question or paper only when an earlier answer is one of `values`."""

    field: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        return answers.get(self.field) is not None and str(answers[self.field]) in self.values


class Worded:
    """Something the citizen reads: its `text` is {"vi": {"label", "hint"?}, "en": {...}}."""

    text: Mapping[str, Mapping[str, str]]

    def label(self, language: str) -> str:
        return self.text[language]["label"]

    def hint(self, language: str) -> str:
        return self.text[language].get("hint", "")


@dataclass(frozen=True)
class Option(Worded):
    """One answer of a choice question."""

    value: str
    text: Mapping[str, Mapping[str, str]]  # {"vi": {"label", "hint"?}, "en": {...}}


@dataclass(frozen=True)
class Question(Worded):
    """One question, shown alone on its own page (or with the rest of its `Group`)."""

    name: str
    type: str
    text: Mapping[str, Mapping[str, str]]
    optional: bool = False
    prefill: str | None = None
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The question's name in URLs (kebab-case like every URL of the site)."""
        return self.name.replace("_", "-")

    def option(self, value: Any) -> Option | None:
        return next((o for o in self.options if o.value == str(value)), None)

    def choices(self, language: str) -> list[tuple[str, str, str]]:
        """(value, label, hint) of each option, as the radio buttons show them."""
        return [(o.value, o.label(language), o.hint(language)) for o in self.options]


@dataclass(frozen=True)
class Group(Worded):
    """Questions that are one thing for the person answering ("Nơi ở hiện nay": the commune and
    the street address), asked together on one page under the group's heading, each with its
    own label and its own error. Its questions are consecutive in the form."""

    name: str
    questions: tuple[str, ...]
    text: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Side(Worded):
    """One side or page of a paper that needs its own photo ("Mặt trước", "Mặt sau")."""

    key: str
    text: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Paper(Worded):
    """A paper to photograph: one page where the citizen adds one or more photos; a paper with
    `sides` has one slot per side, and each needs its photo."""

    key: str
    text: Mapping[str, Mapping[str, str]]
    required: bool = True
    max_photos: int = DEFAULT_MAX_PHOTOS
    show_if: Condition | None = None
    sides: tuple[Side, ...] = ()

    def side(self, key: str) -> Side | None:
        return next((s for s in self.sides if s.key == key), None)

    @property
    def slug(self) -> str:
        return self.key.replace("_", "-")


@dataclass(frozen=True)
class FormDefinition:
    """The online form of one procedure."""

    procedure_code: str
    questions: tuple[Question, ...]
    papers: tuple[Paper, ...]
    commune_field: str  # the answer that decides which one-stop shop handles the dossier
    phone_field: str  # the answer used for status look-up and messages
    text: Mapping[str, Mapping[str, Any]]  # {"vi": {"prepare": [...]}, "en": {...}}
    source: str
    groups: tuple[Group, ...] = ()

    def group_of(self, name: str) -> Group | None:
        """The group a question is asked in, if any."""
        return next((g for g in self.groups if name in g.questions), None)

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)

    def question_by_slug(self, slug: str) -> Question | None:
        return next((q for q in self.questions if q.slug == slug), None)

    def paper_by_slug(self, slug: str) -> Paper | None:
        return next((p for p in self.papers if p.slug == slug), None)

    def prepare(self, language: str) -> list[str]:
        """What to have ready before starting ("what you will need ready")."""
        return list(self.text[language]["prepare"])


# --- Reading and checking ------------------------------------------------------------------------


def _check_texts(data: Mapping, source: str, what: str, keys=("label",)) -> dict:
    texts = {}
    for language in LANGUAGES:
        text = data.get(language)
        _require(isinstance(text, Mapping), source, f"{what} lacks its {language} text")
        for key in keys:
            _require(bool(str(text.get(key, "")).strip()), source, f"{what} lacks {language}.{key}")
        texts[language] = dict(text)
    return texts


def _check_unknown_keys(data: Mapping, allowed: set[str], source: str, what: str) -> None:
    unknown = sorted(set(data) - allowed)
    _require(not unknown, source, f"{what} has unknown keys {unknown}")


def _read_condition(data: Any, source: str, what: str, earlier: Mapping[str, Question]):
    if data is None:
        return None
    _require(isinstance(data, Mapping) and set(data) == {"field", "is"}, source,
             f"{what}: show_if needs exactly 'field' and 'is'")
    target = earlier.get(data["field"])
    _require(target is not None, source,
             f"{what}: show_if refers to {data['field']!r}, which is not an earlier question")
    values = data["is"] if isinstance(data["is"], list) else [data["is"]]
    _require(bool(values), source, f"{what}: show_if lists no values")
    allowed = _possible_answers(target)
    for value in values:
        _require(allowed is None or str(value) in allowed, source,
                 f"{what}: show_if value {value!r} is not an answer of {target.name!r}")
    return Condition(field=target.name, values=tuple(str(v) for v in values))


def _possible_answers(question: Question) -> set[str] | None:
    if question.type == "choice":
        return {o.value for o in question.options}
    if question.type == "yes_no":
        return {YES, NO}
    return None


def _read_options(data: Mapping, source: str, what: str) -> tuple[Option, ...]:
    options = data.get("option", [])
    _require(len(options) >= 2, source, f"{what}: a choice needs at least two options")
    seen: set[str] = set()
    result = []
    for option in options:
        value = str(option.get("value", ""))
        _require(bool(NAME_PATTERN.fullmatch(value)), source, f"{what}: bad option value {value!r}")
        _require(value not in seen, source, f"{what}: duplicate option {value!r}")
        seen.add(value)
        result.append(Option(value, _check_texts(option, source, f"{what} option {value!r}")))
    return tuple(result)


def _read_settings(data: Mapping, kind: str, source: str, what: str) -> dict:
    allowed = SETTINGS.get(kind, set())
    known = QUESTION_KEYS | allowed
    _check_unknown_keys(data, known, source, what)
    settings = {key: data[key] for key in allowed if key in data}
    if "when" in settings:
        _require(settings["when"] in ("past", "future", "any"), source,
                 f"{what}: 'when' must be past, future or any")
    return settings


def _read_question(data: Mapping, source: str, earlier: Mapping[str, Question]) -> Question:
    name = str(data.get("name", ""))
    what = f"question {name!r}"
    _require(bool(NAME_PATTERN.fullmatch(name)), source, f"bad question name {name!r}")
    _require(name not in earlier, source, f"duplicate question name {name!r}")
    kind = data.get("type")
    _require(kind in FIELD_TYPES, source, f"{what}: unknown field type {kind!r}")
    prefill = data.get("prefill")
    if prefill is not None:
        _require(kind in PREFILL_TYPES.get(prefill, ()), source,
                 f"{what}: cannot prefill a {kind} field with {prefill!r}")
    _require(kind == "choice" or "option" not in data, source, f"{what}: only a choice has options")
    settings = _read_settings(data, kind, source, what)
    birth_field = settings.get("birth_date_field")
    if birth_field:
        _require(getattr(earlier.get(birth_field), "type", None) == "date", source,
                 f"{what}: birth_date_field {birth_field!r} is not an earlier date question")
    return Question(
        name=name, type=kind, text=_check_texts(data, source, what),
        optional=bool(data.get("optional", False)), prefill=prefill,
        show_if=_read_condition(data.get("show_if"), source, what, earlier),
        options=_read_options(data, source, what) if kind == "choice" else (),
        settings=settings,
    )


def _read_paper(data: Mapping, source: str, questions: Mapping[str, Question],
                seen: set[str]) -> Paper:
    key = str(data.get("key", ""))
    what = f"paper {key!r}"
    _require(bool(NAME_PATTERN.fullmatch(key)), source, f"bad paper key {key!r}")
    _require(key not in seen, source, f"duplicate paper key {key!r}")
    _check_unknown_keys(data, PAPER_KEYS, source, what)
    max_photos = data.get("max_photos", DEFAULT_MAX_PHOTOS)
    _require(isinstance(max_photos, int) and 1 <= max_photos <= 20, source,
             f"{what}: max_photos must be between 1 and 20")
    return Paper(key=key, text=_check_texts(data, source, what),
                 required=bool(data.get("required", True)), max_photos=max_photos,
                 show_if=_read_condition(data.get("show_if"), source, what, questions),
                 sides=_read_sides(data.get("side", []), source, what))


def _read_sides(entries: Any, source: str, what: str) -> tuple[Side, ...]:
    _require(isinstance(entries, list), source, f"{what}: 'side' must be a list of tables")
    sides: list[Side] = []
    for entry in entries:
        key = str(entry.get("key", ""))
        _require(bool(NAME_PATTERN.fullmatch(key)), source, f"{what}: bad side key {key!r}")
        _require(key not in {s.key for s in sides}, source, f"{what}: duplicate side {key!r}")
        _check_unknown_keys(entry, SIDE_KEYS, source, f"{what} side {key!r}")
        sides.append(Side(key, _check_texts(entry, source, f"{what} side {key!r}")))
    _require(len(sides) != 1, source, f"{what}: a paper has no sides or at least two")
    return tuple(sides)


def _check_special_field(questions: Mapping[str, Question], name: Any, kind: str,
                         source: str, role: str) -> None:
    question = questions.get(name)
    _require(question is not None and question.type == kind, source,
             f"{role} {name!r} must name a {kind} question")
    _require(question.show_if is None and not question.optional, source,
             f"{role} {name!r} must always be asked and required")


def _read_groups(entries: Any, source: str, questions: Mapping[str, Question]) -> tuple:
    """Each group names at least two questions that follow one another in the form, none in
    two groups, none shown on a condition about another of its group (the page's questions
    must not change while she answers it, without JavaScript)."""
    _require(isinstance(entries, list), source, "'group' must be a list of tables")
    order = list(questions)
    groups: list[Group] = []
    for entry in entries:
        name = str(entry.get("name", ""))
        what = f"group {name!r}"
        _require(bool(NAME_PATTERN.fullmatch(name)), source, f"bad group name {name!r}")
        _require(name not in {g.name for g in groups}, source, f"duplicate group {name!r}")
        _check_unknown_keys(entry, GROUP_KEYS, source, what)
        members = entry.get("questions")
        _require(isinstance(members, list) and len(members) >= 2, source,
                 f"{what}: 'questions' must list at least two questions")
        for member in members:
            _require(member in questions, source, f"{what}: {member!r} is not a question")
            _require(all(member not in g.questions for g in groups), source,
                     f"{what}: {member!r} is already in another group")
            condition = questions[member].show_if
            _require(condition is None or condition.field not in members, source,
                     f"{what}: {member!r} is shown on a condition about its own group")
        first = order.index(members[0])
        _require(order[first:first + len(members)] == list(members), source,
                 f"{what}: its questions must follow one another, in the form's order")
        groups.append(Group(name, tuple(members), _check_texts(entry, source, what)))
    return tuple(groups)


def parse_form(data: Mapping, source: str) -> FormDefinition:
    """Check one form's data and build its definition; FormDefinitionError names `source`."""
    _check_unknown_keys(data, FORM_KEYS, source, "the form")
    _require(bool(data.get("question")), source, "no questions")
    questions: dict[str, Question] = {}
    for entry in data["question"]:
        question = _read_question(entry, source, questions)
        questions[question.name] = question
    papers: list[Paper] = []
    for entry in data.get("paper", []):
        papers.append(_read_paper(entry, source, questions, {p.key for p in papers}))
    _check_special_field(questions, data.get("commune_field"), "commune", source, "commune_field")
    _check_special_field(questions, data.get("phone_field"), "phone", source, "phone_field")
    texts = _check_texts(data, source, "the form", keys=("prepare",))
    return FormDefinition(
        procedure_code=str(data.get("procedure", "")), questions=tuple(questions.values()),
        papers=tuple(papers), commune_field=data["commune_field"],
        phone_field=data["phone_field"], text=texts, source=source,
        groups=_read_groups(data.get("group", []), source, questions),
    )


def read_form(path: Path) -> FormDefinition:
    """Read and check one form file; its name must be the procedure code."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise FormDefinitionError(f"{path.name}: not valid TOML ({error})") from None
    form = parse_form(data, path.name)
    _require(form.procedure_code == path.stem, path.name, "file name must be the procedure code")
    return form


def read_forms(folder: Path = FORMS_DIR) -> dict[str, FormDefinition]:
    """Every form of the folder, by procedure code."""
    return {form.procedure_code: form for form in map(read_form, sorted(folder.glob("*.toml")))}
