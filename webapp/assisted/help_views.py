""""Tôi cần người giúp": anyone asks for help (a phone number, a commune, what for), and the
volunteers of that commune take the request, call, and close it with an outcome.

The public form needs no account; it is rate limited and a double tap makes one request (the
form's random key). The open requests show a volunteer only what she needs to decide (what
for, when, the number masked); once she takes it, she alone sees the number to call.
"""

from __future__ import annotations

import csv
import io
import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import (
    current_citizen,
    current_staff,
    staff_commune_ids,
    staff_required,
)
from webapp.accounts.forms import clean_phone
from webapp.accounts.models import ADMIN, VOLUNTEER
from webapp.assisted import figures
from webapp.assisted import help_requests as service
from webapp.assisted import lifecycle as lc
from webapp.assisted.models import (
    DOSSIER_SENT,
    HELPED_BY_PHONE,
    NOT_REACHED,
    OUTCOMES,
    TOPIC_ACCOUNT,
    TOPIC_DOSSIER,
    TOPIC_OTHER,
    TOPICS,
    VISIT_BOOKED,
    HelpRequest,
)
from webapp.assisted.views import assisted
from webapp.audit import log as audit
from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.forms import Field, FieldError, Form
from webapp.core.phones import mask_phone
from webapp.dossiers.api import Dossier
from webapp.places.models import Commune
from webapp.places.views import commune_options, finder_requested
from webapp.tracking import lifecycle as tracked
from webapp.tracking.codes import normalize_code

help_requests = Blueprint("help_requests", __name__)

DETAILS_MAX_CHARS = 500
SENT_KEY = "help_request_sent"  # session: the code of the request just sent, for its page
TOPIC_WORDS = {TOPIC_DOSSIER: _l("Doing a dossier"),
               TOPIC_ACCOUNT: _l("Signing in or using this website"),
               TOPIC_OTHER: _l("Something else")}
OUTCOME_WORDS = {HELPED_BY_PHONE: _l("Helped by phone"),
                 DOSSIER_SENT: _l("A dossier was sent"),
                 VISIT_BOOKED: _l("A visit was booked"),
                 NOT_REACHED: _l("Could not reach her")}


@help_requests.after_request
def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _ask_form(formdata=None, initial=None) -> Form:
    def clean_commune(raw: str):
        commune = Commune.get_or_none(Commune.code == raw)
        if commune is None:
            raise FieldError(_l("Choose your commune or ward from the list."))
        return commune

    def clean_topic(raw: str) -> str:
        if raw not in TOPICS:
            raise FieldError(_l("Choose what you need help with."))
        return raw

    def clean_details(raw: str) -> str:
        if len(raw) > DETAILS_MAX_CHARS:
            raise FieldError(_l("Please write at most %(count)d characters.",
                                count=DETAILS_MAX_CHARS))
        return raw

    return Form([
        Field("phone", required_message=_l("Enter your mobile phone number."),
              clean=clean_phone),
        Field("commune", required_message=_l("Choose your commune or ward."),
              clean=clean_commune),
        Field("topic", required_message=_l("Choose what you need help with."),
              clean=clean_topic),
        Field("details", clean=clean_details),
    ], formdata=formdata, initial=initial or {})


def _initial() -> dict:
    citizen = current_citizen()
    commune = request.args.get("xa", "")
    if citizen is not None and citizen.commune_id and not commune:
        commune = citizen.commune.code
    return {"phone": citizen.phone if citizen and citizen.phone else "", "commune": commune,
            "topic": TOPIC_DOSSIER if request.args.get("thu-tuc") else ""}


def _ask_page(form, request_key: str, status: int = 200):
    return render_template("assisted/help-ask.html", form=form, request_key=request_key,
                           topics=list(TOPIC_WORDS.items()), communes=commune_options(),
                           procedure=request.values.get("thu-tuc", "")[:100]), status


@help_requests.route("/can-giup-do", methods=["GET", "POST"])
def ask():
    """The form: a number to call back, the commune, what for. No account needed."""
    if request.method == "GET":
        return _ask_page(_ask_form(initial=_initial()), secrets.token_urlsafe(16))
    form = _ask_form(request.form)
    key = request.form.get("request_key", "")
    if not 16 <= len(key) <= 64:  # not this form's: ask again, with everything typed kept
        return _ask_page(form, secrets.token_urlsafe(16))
    if finder_requested(request.form, "commune") or not form.validate():
        return _ask_page(form, key)
    data = form.data
    try:
        made = service.ask(phone=data["phone"], commune=data["commune"], topic=data["topic"],
                           details=data["details"] or "", request_key=key,
                           citizen=current_citizen(),
                           procedure_slug=request.form.get("thu-tuc", "")[:100])
    except service.TooMany:
        form.add_error("phone", _("Too many requests were sent. Please try again later, or "
                                  "call the support line."))
        return _ask_page(form, key, 429)
    session[SENT_KEY] = made.code
    return redirect(url_for("help_requests.sent"), 303)


@help_requests.get("/can-giup-do/da-gui")
def sent():
    """The request's code and what happens next (for the visitor who just sent it)."""
    code = session.get(SENT_KEY)
    item = HelpRequest.by_code(code) if code else None
    if item is None:
        return redirect(url_for("help_requests.ask"), 303)
    return render_template("assisted/help-sent.html", item=item,
                           masked_phone=mask_phone(item.contact_phone))


# --- Volunteers ----------------------------------------------------------------------------


def _mine_or_404(request_id: int) -> HelpRequest:
    """A request the signed-in volunteer took (nobody else sees the number)."""
    item = HelpRequest.get_or_none((HelpRequest.id == request_id)
                                   & (HelpRequest.taken_by == current_staff()))
    return item or abort(404)


@assisted.get("/yeu-cau-giup-do")
@staff_required(VOLUNTEER)
def help_queue():
    """Open requests of her communes, the oldest first, and the ones she took."""
    helper = current_staff()
    communes = staff_commune_ids(helper)
    taken = list(HelpRequest.select().where((HelpRequest.taken_by == helper)
                                            & (HelpRequest.status != lc.CLOSED))
                 .order_by(HelpRequest.taken_at))
    return render_template("assisted/help-queue.html",
                           waiting=list(HelpRequest.open_in(communes)) if communes else [],
                           taken=taken, topic_words=TOPIC_WORDS, mask_phone=mask_phone,
                           staff_label=lc.LIFECYCLE.staff_label)


@assisted.post("/yeu-cau-giup-do/<int:request_id>/nhan")
@staff_required(VOLUNTEER)
def take_help(request_id: int):
    """Take a request: one taker; the second of two at once is told someone was faster."""
    helper = current_staff()
    item = HelpRequest.get_or_none(HelpRequest.id == request_id)
    if item is None or item.commune_id not in staff_commune_ids(helper):
        abort(404)
    try:
        version = int(request.form.get("version", ""))
        service.take(item, helper, version)
    except (ValueError, tracked.StaleItem, tracked.IllegalTransition):
        flash(_("Another helper took this request first."), "warning")
        return redirect(url_for("assisted.help_queue"), 303)
    audit.record("help_request.taken", object_type="help_request", object_id=item.id)
    return redirect(url_for("assisted.help_detail", request_id=item.id), 303)


@assisted.get("/yeu-cau-giup-do/<int:request_id>")
@staff_required(VOLUNTEER)
def help_detail(request_id: int, form: Form | None = None):
    """The request she took: the number to call, then what came of it."""
    item = _mine_or_404(request_id)
    audit.record("help_request.viewed", object_type="help_request", object_id=item.id)
    return render_template("assisted/help-detail.html", item=item, form=form or _close_form(),
                           topic_words=TOPIC_WORDS, outcomes=list(OUTCOME_WORDS.items()),
                           outcome_words=OUTCOME_WORDS, staff_label=lc.LIFECYCLE.staff_label,
                           procedure_title=_procedure_title(item))


def _procedure_title(item: HelpRequest) -> str:
    procedure = Procedure.get_or_none(Procedure.slug == item.procedure_slug)
    return procedure.content["vi"]["title"] if procedure else ""


@assisted.post("/yeu-cau-giup-do/<int:request_id>/da-goi")
@staff_required(VOLUNTEER)
def reach_help(request_id: int):
    item = _mine_or_404(request_id)
    try:
        service.reach(item, current_staff())
    except (tracked.StaleItem, tracked.IllegalTransition):
        pass  # a double tap: already marked
    return redirect(url_for("assisted.help_detail", request_id=item.id), 303)


def _close_form(formdata=None) -> Form:
    def clean_outcome(raw: str) -> str:
        if raw not in OUTCOMES:
            raise FieldError(_l("Choose what came of it."))
        return raw

    def clean_dossier(raw: str):
        code = normalize_code(raw, current_app.config["DOSSIER_CODE_PREFIX"])
        dossier = Dossier.by_code(code) if code else None
        if dossier is None:
            raise FieldError(_l("No dossier has this code. Type it as on the receipt."))
        return dossier

    return Form([Field("outcome", required_message=_l("Choose what came of it."),
                       clean=clean_outcome),
                 Field("dossier_code", clean=clean_dossier),
                 Field("note")], formdata=formdata)


@assisted.post("/yeu-cau-giup-do/<int:request_id>/dong")
@staff_required(VOLUNTEER)
def close_help(request_id: int):
    item = _mine_or_404(request_id)
    if item.status == lc.CLOSED:
        return redirect(url_for("assisted.help_queue"), 303)
    form = _close_form(request.form)
    if form.validate() and form.data["outcome"] == DOSSIER_SENT and not form.data["dossier_code"]:
        form.add_error("dossier_code", _("Type the code of the dossier that was sent."))
    if form.errors:
        return help_detail(request_id, form)
    try:
        service.close(item, current_staff(), form.data["outcome"], form.data["note"] or "",
                      form.data["dossier_code"])
    except (tracked.StaleItem, tracked.IllegalTransition):
        pass
    flash(_("Request %(code)s is closed.", code=item.code), "success")
    return redirect(url_for("assisted.help_queue"), 303)


# --- Figures for the province office -----------------------------------------------------


CSV_HEADINGS = ("commune", "month", "help_requests", "contacted",
                "median_working_minutes_to_first_contact", *OUTCOMES, "dossiers_sent_with_help")


def _figure_rows():
    return figures.rows(figures.by_days_ago(utcnow()))


@help_requests.get("/can-bo/giup-do/so-lieu")
@staff_required(ADMIN)
def figures_page():
    """The last 12 months, by commune and month, with the province's totals."""
    found = _figure_rows()
    return render_template("assisted/figures.html", rows=found, total=figures.totals(found),
                           outcome_words=OUTCOME_WORDS, staff_user=current_staff())


@help_requests.get("/can-bo/giup-do/so-lieu.csv")
@staff_required(ADMIN)
def figures_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADINGS)
    for row in _figure_rows():
        writer.writerow([row.commune, row.month, row.requests, row.contacted,
                         "" if row.median_minutes is None else row.median_minutes,
                         *(row.outcomes[key] for key in OUTCOMES), row.dossiers_with_help])
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="giup-do-so-lieu.csv"'})
