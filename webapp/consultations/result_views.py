"""The results of a closed consultation, never before: server-drawn charts with their numbers
and tables on its public page, a CSV download; for administrators the free-text answers (phone
and ID numbers masked, each look audited) and "what the province will do", which they write."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import staff_required
from webapp.accounts.models import ADMIN
from webapp.audit import log as audit
from webapp.consultations import results, services
from webapp.consultations.forms import LONG_MAX, SCALE_WORDS
from webapp.consultations.models import TEXT, Question
from webapp.consultations.staff_views import consultations_staff, managed_or_404
from webapp.consultations.views import consultations, published_or_404
from webapp.core.clock import local_today
from webapp.core.forms import Field, Form, at_most

TEXTS_PER_PAGE = 50


@consultations.get("/<int:consultation_id>/ket-qua.csv")
def results_csv(consultation_id: int):
    """The counts as a spreadsheet: one line per answer of each question, then per commune."""
    consultation = published_or_404(consultation_id)
    counted = results.counted(consultation)
    if counted is None:
        abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Question"), _("Answer"), _("Answers"), _("Share (%)")])
    for number, item in enumerate(results.by_question(services.questions_of(consultation),
                                                      counted, SCALE_WORDS), start=1):
        for row in item.rows:
            writer.writerow([f"{number}. {item.question.text}", row.label, row.count,
                             "" if row.percent is None else row.percent])
        if item.question.kind == TEXT:
            writer.writerow([f"{number}. {item.question.text}", _("Wrote an answer"),
                             item.texts, ""])
    writer.writerow([])
    writer.writerow([_("Commune"), _("Answers")])
    for name, count in counted["communes"]:
        writer.writerow([name, count])
    writer.writerow([_("Total"), counted["total"]])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="ket-qua-lay-y-kien-{consultation.id}.csv"'})


# --- Administrators ----------------------------------------------------------------------------


def _closed_or_404(consultation_id: int):
    consultation = managed_or_404(consultation_id)
    if not consultation.is_closed(local_today()):
        abort(404)  # never live
    return consultation


@consultations_staff.get("/<int:consultation_id>/y-kien-viet/<int:question_id>")
@staff_required(ADMIN)
def free_texts(consultation_id: int, question_id: int):
    """The free-text answers to one question, phone and ID numbers masked; the look audited."""
    consultation = _closed_or_404(consultation_id)
    question = Question.get_or_none((Question.id == question_id)
                                    & (Question.consultation == consultation)
                                    & (Question.kind == TEXT))
    if question is None:
        abort(404)
    page = max(request.args.get("trang", 1, type=int) or 1, 1)
    texts, count = results.free_texts(consultation, question, page, TEXTS_PER_PAGE)
    audit.record("consultation.free_texts_viewed", object_type="consultation",
                 object_id=consultation.id, detail={"question": question.id, "page": page})
    return render_template("consultations/staff-free-texts.html", consultation=consultation,
                           question=question, texts=texts, count=count, page=page,
                           pages=max((count + TEXTS_PER_PAGE - 1) // TEXTS_PER_PAGE, 1),
                           first=(page - 1) * TEXTS_PER_PAGE)


def outcome_form(formdata=None, initial=None) -> Form:
    return Form([Field("outcome", _l("Write what the province decided and will do."),
                       at_most(LONG_MAX))], formdata, initial=initial or {})


@consultations_staff.post("/<int:consultation_id>/ket-luan")
@staff_required(ADMIN)
def write_outcome(consultation_id: int):
    consultation = _closed_or_404(consultation_id)
    form = outcome_form(request.form)
    if not form.validate():
        return render_template("consultations/staff-results.html", consultation=consultation,
                               form=form, figures=results.page_figures(consultation)), 200
    services.write_outcome(consultation, form.data["outcome"])
    flash(_("Published on the consultation's page."), "success")
    return redirect(url_for(".staff_results", consultation_id=consultation.id), 303)


@consultations_staff.get("/<int:consultation_id>/ket-qua")
@staff_required(ADMIN)
def staff_results(consultation_id: int):
    """The results as the public sees them, the free-text answers and the decision to write."""
    consultation = _closed_or_404(consultation_id)
    return render_template("consultations/staff-results.html", consultation=consultation,
                           form=outcome_form(initial={"outcome": consultation.outcome}),
                           figures=results.page_figures(consultation))
