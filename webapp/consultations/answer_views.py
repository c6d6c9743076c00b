"""Answering a consultation: one question per page, plain forms (JavaScript optional).

She answers as the person whose phone confirmed a code: her sign-in (by a code, or Zalo with its
phone confirmed by a code) is that confirmation, so every answering page asks for a signed-in
citizen and the answer is keyed by her number. First she says where she lives (and, where
businesses may answer, whether she answers for one), then each question, then she checks and
sends. Until the closing day she can come back and change her answers; they replace the old.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import citizen_required, current_citizen
from webapp.consultations import forms, services
from webapp.consultations.models import MULTIPLE, SCALE, SCALE_POINTS, SINGLE, TEXT, Question
from webapp.consultations.views import consultations, published_or_404
from webapp.core.clock import local_today
from webapp.core.forms import Field, FieldError, Form, at_most

REQUIRED = {
    SINGLE: _l("Choose one answer."),
    MULTIPLE: _l("Choose one answer or more."),
    SCALE: _l("Choose a number from 1 to 5."),
}


@consultations.after_request
def _private(response):
    """Her answers: never kept by a cache or a shared kiosk."""
    if request.endpoint and request.endpoint.startswith("consultations.answer"):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _open_or_back(consultation_id: int):
    """(consultation, phone), or a response sending her back to its page with the reason."""
    consultation = published_or_404(consultation_id)
    if not consultation.is_open(local_today()):
        flash(_("This consultation is not open for answers now."), "warning")
        return None, redirect(url_for(".page", consultation_id=consultation.id), 303)
    if not current_citizen().phone:
        flash(_("Add your mobile phone number first: each phone answers once."), "warning")
        return None, redirect(url_for("accounts.change_phone"), 303)
    return consultation, None


def _while_open(view):
    """Give the view the open consultation, or send her back to its page with the reason."""
    @wraps(view)
    def wrapper(consultation_id: int, **kwargs):
        consultation, refused = _open_or_back(consultation_id)
        return refused or view(consultation, **kwargs)
    return wrapper


def _with_answer(view):
    """Give the view her answer row too; without one (or before her commune), the first page."""
    @wraps(view)
    def wrapper(consultation, **kwargs):
        row, refused = _row_or_start(consultation)
        return refused or view(consultation, row, **kwargs)
    return wrapper


# --- About her ---------------------------------------------------------------------------------


def _about_initial(consultation, row) -> dict:
    citizen = current_citizen()
    commune = row.commune_id if row and row.commune_id else citizen.commune_id
    return {"commune": commune or "", "as_business": "yes" if row and row.as_business else "",
            "business_name": row.business_name if row else "",
            "tax_code": row.tax_code if row else ""}


def _about_page(consultation, form, status: int = 200):
    return render_template(
        "consultations/answer-about.html", consultation=consultation, form=form,
        business=services.business_mode(consultation),
        communes=[(c.id, c.name) for c in services.communes_for(consultation)]), status


@consultations.get("/<int:consultation_id>/tra-loi")
@citizen_required
@_while_open
def answer_start(consultation):
    row = services.answer_of(consultation, current_citizen().phone)
    mode = services.business_mode(consultation)
    return _about_page(consultation, forms.about_form(
        initial=_about_initial(consultation, row), business=mode))


@consultations.post("/<int:consultation_id>/tra-loi")
@citizen_required
@_while_open
def answer_about(consultation):
    mode = services.business_mode(consultation)
    form = forms.about_form(request.form, business=mode)
    form.validate()
    allowed = {str(c.id) for c in services.communes_for(consultation)}
    if form.data.get("commune") and form.data["commune"] not in allowed:
        form.add_error("commune", _l("Only people of the communes in the list may answer."))
    as_business = forms.check_business(form, mode)
    if form.errors:
        return _about_page(consultation, form)
    citizen = current_citizen()
    row = services.answer_row(consultation, citizen.phone, citizen)
    services.save_about(row, int(form.data["commune"]), as_business,
                        form.data.get("business_name") or "", form.data.get("tax_code") or "")
    services.start_change(row)
    return redirect(url_for(".answer_question", consultation_id=consultation.id, number=1), 303)


# --- One question per page ---------------------------------------------------------------------


def _choices(question: Question) -> list[tuple[str, str]]:
    if question.kind == SCALE:
        return [(str(point), forms.SCALE_WORDS[point]) for point in SCALE_POINTS]
    return [(str(index), option) for index, option in enumerate(question.options)]


def _answer_form(question: Question, formdata=None, value=None) -> Form:
    """The form of one question; its data is the value kept (indexes of choices, a number,
    a text)."""
    def clean_choice(raw: str) -> int:
        if raw not in {value for value, _label in _choices(question)}:
            raise FieldError(REQUIRED[question.kind])
        return int(raw)

    if question.kind == TEXT:
        field = Field("answer", clean=at_most(forms.TEXT_ANSWER_MAX))
    else:
        field = Field("answer", REQUIRED[question.kind], clean_choice)
    initial = {"answer": value if not isinstance(value, list) else [str(v) for v in value]}
    return Form([field], formdata, initial=initial)


def _validated_multiple(question: Question, form: Form) -> list[int] | None:
    allowed = {value for value, _label in _choices(question)}
    picked = [raw for raw in request.form.getlist("answer") if raw in allowed]
    if not picked:
        form.add_error("answer", REQUIRED[MULTIPLE])
        return None
    return sorted({int(raw) for raw in picked})


def _question_or_404(consultation, number: int) -> tuple[Question, list[Question]]:
    questions = services.questions_of(consultation)
    if not 1 <= number <= len(questions):
        abort(404)
    return questions[number - 1], questions


def _row_or_start(consultation):
    row = services.answer_of(consultation, current_citizen().phone)
    if row is None or row.commune_id is None:
        return None, redirect(url_for(".answer_start", consultation_id=consultation.id), 303)
    return row, None


def _question_page(consultation, questions, number: int, form, status: int = 200):
    question = questions[number - 1]
    back = (url_for(".answer_question", consultation_id=consultation.id, number=number - 1)
            if number > 1 else url_for(".answer_start", consultation_id=consultation.id))
    return render_template("consultations/answer-question.html", consultation=consultation,
                           question=question, number=number, total=len(questions), form=form,
                           answer_choices=_choices(question), back_url=back), status


@consultations.get("/<int:consultation_id>/cau-hoi/<int:number>")
@citizen_required
@_while_open
@_with_answer
def answer_question(consultation, row, number: int):
    question, questions = _question_or_404(consultation, number)
    value = (row.draft or {}).get(str(question.id))
    return _question_page(consultation, questions, number, _answer_form(question, value=value))


@consultations.post("/<int:consultation_id>/cau-hoi/<int:number>")
@citizen_required
@_while_open
@_with_answer
def answer_save(consultation, row, number: int):
    question, questions = _question_or_404(consultation, number)
    form = _answer_form(question, request.form)
    if question.kind == MULTIPLE:
        value = _validated_multiple(question, form)
    else:
        value = form.data.get("answer") if form.validate() else None
        value = "" if question.kind == TEXT and value is None else value
    if form.errors:
        return _question_page(consultation, questions, number, form)
    services.save_draft_answer(row, question, value)
    if number < len(questions):
        return redirect(url_for(".answer_question", consultation_id=consultation.id,
                                number=number + 1), 303)
    return redirect(url_for(".answer_review", consultation_id=consultation.id), 303)


# --- Check and send ----------------------------------------------------------------------------


@consultations.get("/<int:consultation_id>/xem-lai")
@citizen_required
@_while_open
@_with_answer
def answer_review(consultation, row):
    answers = {**(row.answers or {}), **(row.draft or {})}
    questions = services.questions_of(consultation)
    missing = services.unanswered(questions, row)
    return render_template(
        "consultations/answer-review.html", consultation=consultation, row=row,
        missing=missing, commune_name=row.commune.name if row.commune else "",
        rows=[(number, q, services.shown_answer(q, answers.get(str(q.id))))
              for number, q in enumerate(questions, start=1)])


@consultations.post("/<int:consultation_id>/xem-lai")
@citizen_required
@_while_open
@_with_answer
def answer_send(consultation, row):
    missing = services.unanswered(services.questions_of(consultation), row)
    if missing:  # a page skipped by typing an address: answer it first
        return redirect(url_for(".answer_question", consultation_id=consultation.id,
                                number=missing[0]), 303)
    if not services.send(consultation, current_citizen().phone):
        return redirect(url_for(".answer_start", consultation_id=consultation.id), 303)
    return redirect(url_for(".answer_sent", consultation_id=consultation.id), 303)


@consultations.get("/<int:consultation_id>/da-gui")
@citizen_required
def answer_sent(consultation_id: int):
    consultation = published_or_404(consultation_id)
    row = services.answer_of(consultation, current_citizen().phone or "")
    if row is None or row.sent_at is None:
        return redirect(url_for(".page", consultation_id=consultation.id), 303)
    return render_template("consultations/answer-sent.html", consultation=consultation, row=row)
