"""Answers in words: for the check-your-answers page, the receipt and officers' screens."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from webapp.dossiers import fields, services
from webapp.dossiers.formdefs import Paper, Question
from webapp.dossiers.wizard import PAPER, QUESTION, Page, Wizard


@dataclass(frozen=True)
class AnswerRow:
    """One question with its answer shown in words ("" when not answered yet)."""

    question: Question
    label: str
    value: str
    answered: bool

    @property
    def page(self) -> Page:
        return Page(QUESTION, self.question)


@dataclass(frozen=True)
class PaperRow:
    paper: Paper
    label: str
    count: int
    enough: bool

    @property
    def page(self) -> Page:
        return Page(PAPER, self.paper)


def answer_rows(wizard: Wizard, language: str, communes: Mapping[str, str]) -> list[AnswerRow]:
    """Every visible question in order, answered or not."""
    return [
        AnswerRow(q, q.label(language),
                  fields.display_value(q, wizard.answers.get(q.name), language, communes),
                  wizard.is_answered(q))
        for q in wizard.visible_questions
    ]


def paper_rows(wizard: Wizard, photos: Mapping[str, list], language: str) -> list[PaperRow]:
    return [PaperRow(p, p.label(language), len(photos.get(p.key, [])),
                     wizard.has_enough_photos(p)) for p in wizard.visible_papers]


def dossier_answers(dossier, language: str) -> list[tuple[str, str]]:
    """(label, answer in words) of a sent dossier, in the form's order.

    The back office shows dossiers with this. Answers the current form no longer asks are
    still shown, under their stored name, so nothing the citizen sent is ever hidden.
    """
    form = services.forms().get(dossier.procedure.code)
    answers: dict[str, Any] = dict(dossier.answers)
    communes = services.communes_by_code()
    rows = []
    for question in form.questions if form else ():
        if question.name in answers:
            value = answers.pop(question.name)
            rows.append((question.label(language),
                         fields.display_value(question, value, language, communes)))
    rows.extend((name, str(value)) for name, value in answers.items())
    return rows
