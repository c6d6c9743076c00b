"""A small form layer: fields clean what people type, errors are plain sentences in order.

Why not WTForms: the wizard declares its questions as data, every field needs the same
"keep what was typed, say how to fix it" behaviour, and the component macros read a form
through three calls only (`value`, `error`, `errors`). This keeps that contract tiny.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l


class FieldError(ValueError):
    """Raised by a cleaner with the sentence shown beside the field."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


Cleaner = Callable[[str], Any]


@dataclass
class Field:
    """One input: its name, whether it is required, and how to turn the text into a value."""

    name: str
    required_message: Any = None
    clean: Cleaner = staticmethod(lambda raw: raw)  # type: ignore[assignment]
    parts: tuple[str, ...] = ()  # for fields typed in several boxes (a date: day, month, year)

    def raw_from(self, formdata: Mapping[str, str]) -> str | dict[str, str]:
        if self.parts:
            return {part: formdata.get(f"{self.name}-{part}", "").strip() for part in self.parts}
        return formdata.get(self.name, "").strip()


@dataclass
class Form:
    """A set of fields bound to submitted data (or to initial values for a first view)."""

    fields: list[Field]
    formdata: Mapping[str, str] | None = None
    initial: Mapping[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    _errors: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> bool:
        """Clean every field; keep the first error of each, in the order the fields appear."""
        self.data, self._errors = {}, {}
        for f in self.fields:
            raw = f.raw_from(self.formdata or {})
            empty = not any(raw.values()) if isinstance(raw, dict) else raw == ""
            if empty and f.required_message is not None:
                self._errors[f.name] = f.required_message
                continue
            try:
                self.data[f.name] = None if empty else f.clean(raw)
            except FieldError as error:
                self._errors[f.name] = error.message
        return not self._errors

    def add_error(self, name: str, message: Any) -> None:
        """Record an error found after cleaning (for example, a code that has expired)."""
        self._errors[name] = message

    def value(self, name: str, part: str | None = None) -> str:
        """What to show in the input: what was typed, else the initial value."""
        if self.formdata is not None:
            key = f"{name}-{part}" if part else name
            return self.formdata.get(key, "")
        initial = self.initial.get(name, "")
        if part and isinstance(initial, Mapping):
            return str(initial.get(part, ""))
        return "" if initial is None else str(initial)

    def values(self, name: str) -> list[str]:
        """All values of a multi-valued field (checkboxes)."""
        if self.formdata is not None and hasattr(self.formdata, "getlist"):
            return list(self.formdata.getlist(name))
        initial = self.initial.get(name) or []
        return [str(v) for v in initial] if isinstance(initial, Iterable) else []

    def error(self, name: str) -> Any:
        """The error message for a field, or None."""
        return self._errors.get(name)

    @property
    def errors(self) -> list[tuple[str, Any]]:
        """(field name, message) pairs in on-screen order, for the error summary."""
        order = [f.name for f in self.fields]
        extra = [name for name in self._errors if name not in order]
        return [(name, self._errors[name]) for name in order + extra if name in self._errors]


def at_most(count: int) -> Callable[[str], str]:
    """A field's `clean` that refuses more than `count` characters, saying the limit."""
    def clean(raw: str) -> str:
        if len(raw) > count:
            raise FieldError(_l("Please write at most %(count)d characters.", count=count))
        return raw

    return clean


def one_of(values, message) -> Callable[[str], str]:
    """A field's `clean` that accepts only one of `values` (a choice sent as typed)."""

    def clean(raw: str) -> str:
        if raw not in values:
            raise FieldError(message)
        return raw

    return clean
