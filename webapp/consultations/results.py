"""A closed consultation's results: how many answered, each question's counts, the answers by
commune, and the free-text answers (for administrators, phone and ID numbers masked).

Never live: nothing here counts a consultation before its closing day has passed, so nobody's
answer is steered by the others'. After closing the answers no longer change, so the counts are
made once and kept on the consultation (`Consultation.results`); every later view reads them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from peewee import fn

from webapp.audit.log import mask_text
from webapp.consultations.forms import SCALE_WORDS
from webapp.consultations.models import (
    MULTIPLE,
    SCALE,
    SCALE_POINTS,
    SINGLE,
    TEXT,
    Consultation,
    ConsultationAnswer,
    Question,
)
from webapp.consultations.services import questions_of
from webapp.core.charts import bar_chart
from webapp.core.clock import local_today
from webapp.core.i18n import format_number, number_marks
from webapp.places.models import Commune

BATCH = 2000  # answers read at a time when counting


def sent_answers(consultation: Consultation):
    return ConsultationAnswer.select().where(
        (ConsultationAnswer.consultation == consultation)
        & ConsultationAnswer.sent_at.is_null(False))


def _count(consultation: Consultation, questions: list[Question]) -> dict:
    """Count every sent answer: {"total", "businesses", "questions": {id: {...}}, "communes"}."""
    counters = {str(q.id): Counter() for q in questions}
    texts = Counter()
    total = businesses = 0
    query = (sent_answers(consultation)
             .select(ConsultationAnswer.answers, ConsultationAnswer.as_business)
             .order_by(ConsultationAnswer.id).tuples())
    for answers, as_business in query.iterator():
        total += 1
        businesses += bool(as_business)
        for key, value in (answers or {}).items():
            if key not in counters:
                continue
            if isinstance(value, list):
                counters[key].update(str(v) for v in value)
            elif isinstance(value, str):
                texts[key] += bool(value.strip())
            elif value is not None:
                counters[key][str(value)] += 1
    by_commune = (sent_answers(consultation)
                  .select(Commune.name, fn.COUNT(ConsultationAnswer.id))
                  .join(Commune).group_by(Commune.name).tuples())
    return {"total": total, "businesses": businesses,
            "questions": {key: dict(counter) for key, counter in counters.items()},
            "texts": dict(texts),
            "communes": sorted(([name, count] for name, count in by_commune),
                               key=lambda pair: (-pair[1], pair[0]))}


def counted(consultation: Consultation, today=None) -> dict | None:
    """The results, or None while the consultation has not closed (never live)."""
    if not consultation.is_closed(today or local_today()):
        return None
    if consultation.results is None:
        questions = list(Question.select().where(Question.consultation == consultation))
        results = _count(consultation, questions)
        Consultation.update(results=results).where(
            (Consultation.id == consultation.id) & Consultation.results.is_null()).execute()
        consultation.results = results
    return consultation.results


def count_closed(today=None) -> str:
    """Count the results of every consultation closed and not counted yet (a daily chore, so
    the first visitor after closing does not wait for 20,000 answers to be counted)."""
    today = today or local_today()
    waiting = list(Consultation.published().where(
        (Consultation.closes_on < today) & Consultation.results.is_null()))
    for consultation in waiting:
        counted(consultation, today)
    return f"Counted the results of {len(waiting)} closed consultation(s)."


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: float | None  # of those who answered the consultation


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    rows: tuple[Row, ...]
    average: float | None = None  # the scale's average
    texts: int = 0  # how many wrote something (text questions)


def _percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def by_question(questions: list[Question], results: dict, scale_words: dict) -> list:
    """Each question's rows (label, count, percent) in the question's order."""
    total = results["total"]
    shown = []
    for question in questions:
        counts = results["questions"].get(str(question.id), {})
        if question.kind in (SINGLE, MULTIPLE):
            labels = list(enumerate(question.options))
        elif question.kind == SCALE:
            labels = [(point, str(scale_words[point])) for point in SCALE_POINTS]
        else:
            shown.append(QuestionResult(question, (), texts=results["texts"].get(
                str(question.id), 0)))
            continue
        rows = tuple(Row(label, counts.get(str(value), 0),
                         _percent(counts.get(str(value), 0), total)) for value, label in labels)
        average = None
        if question.kind == SCALE:
            answered = sum(row.count for row in rows)
            average = (round(sum(p * counts.get(str(p), 0) for p in SCALE_POINTS) / answered, 1)
                       if answered else None)
        shown.append(QuestionResult(question, rows, average=average))
    return shown


def masked(text: str) -> str:
    """A free-text answer as administrators read it: phone and ID numbers masked."""
    return mask_text(text)


def free_texts(consultation: Consultation, question: Question, page: int, per_page: int):
    """One page of the non-empty answers to a text question, masked, with the commune."""
    key = str(question.id)
    query = (sent_answers(consultation)
             .select(ConsultationAnswer.answers, Commune.name)
             .join(Commune, on=(ConsultationAnswer.commune == Commune.id))
             .order_by(ConsultationAnswer.id).tuples())
    found = []
    for answers, commune in query.iterator():
        text = (answers or {}).get(key)
        if isinstance(text, str) and text.strip():
            found.append((commune, masked(text.strip())))
    start = (page - 1) * per_page
    return found[start:start + per_page], len(found)




# --- What a page shows ---------------------------------------------------------------------


def _percent_words(percent) -> str:
    return "–" if percent is None else f"{format_number(percent, 1)} %"


def page_figures(consultation) -> dict | None:
    """What the results part of a page shows, or None before closing."""
    found = counted(consultation)
    if found is None:
        return None
    marks = number_marks()
    total = found["total"]

    def shown(value) -> str:
        share = f" ({_percent_words(round(100 * value / total, 1))})" if total else ""
        return format_number(value, 0, marks) + share

    questions = questions_of(consultation)
    answered = by_question(questions, found, SCALE_WORDS)
    charts = [(item, bar_chart(f"cau-{number}", f"{number}. {item.question.text}",
                               [(row.label, row.count) for row in item.rows], display=shown,
                               maximum=total or None))
              for number, item in enumerate(answered, start=1) if item.rows]
    communes = bar_chart("theo-xa", _("Answers by commune"),
                         [(name, count) for name, count in found["communes"]],
                         display=lambda value: format_number(value, 0, marks))
    return {"counted": found, "charts": charts, "by_commune": communes,
            "texts": [(number, item) for number, item in enumerate(answered, start=1)
                      if item.question.kind == TEXT],
            "average_words": lambda value: "–" if value is None else format_number(value, 1)}
