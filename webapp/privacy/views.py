"""The citizen's "Dữ liệu của tôi" (what the province holds, who opened it, a download, a request
to correct or delete), the privacy notice, and the administrators' handling of requests."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import citizen_required, current_citizen, current_staff, staff_required
from webapp.accounts.models import ADMIN
from webapp.audit import log as audit
from webapp.core.clock import utcnow
from webapp.core.forms import Field, FieldError, Form
from webapp.core.phones import InvalidPhone, mask_phone
from webapp.privacy import lifecycle as lc
from webapp.privacy import services
from webapp.privacy.models import CORRECTION, DELETION, REQUEST_KINDS, DataRequest
from webapp.tracking import lifecycle as tracked

privacy = Blueprint("privacy", __name__)
DETAILS_MAX_CHARS = 2000
DECISION_MAX_CHARS = 2000
KIND_WORDS = {CORRECTION: _l("Correct my data"), DELETION: _l("Delete my data")}


@privacy.after_request
def _private(response):
    """Her data, or a citizen's request: never kept by a cache or a shared kiosk."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@privacy.get("/quyen-rieng-tu")
def notice():
    """The privacy notice, in plain words: what is kept, why, for how long, and her rights."""
    return render_template("privacy/notice.html")


# --- The citizen's own data --------------------------------------------------------------------


@privacy.get("/du-lieu-cua-toi")
@citizen_required
def my_data():
    """Everything held about her, who opened it and when, her requests."""
    citizen = current_citizen()
    collected = services.holdings(citizen)
    return render_template("privacy/my-data.html", collected=collected,
                           opened=services.who_opened(citizen, collected),
                           requests=list(DataRequest.of_citizen(citizen)),
                           public_label=lc.LIFECYCLE.public_label, kind_words=KIND_WORDS)


def _as_json(value):
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


@privacy.get("/du-lieu-cua-toi/tai-ve")
@citizen_required
def download():
    """The same, machine-readable (JSON), to keep or to take to another service."""
    citizen = current_citizen()
    body = {"downloaded_at": utcnow().isoformat() + "Z",
            "sections": [{"section": section.key, "title": str(section.title),
                          "items": [{"title": str(item.title), "data": item.data,
                                     "kept_until": item.kept_until.isoformat()
                                     if item.kept_until else None} for item in items]}
                         for section, items in services.holdings(citizen)]}
    text = json.dumps(body, ensure_ascii=False, indent=2, default=_as_json)
    return Response(text, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="du-lieu-cua-toi.json"'})


def _request_form(formdata=None) -> Form:
    def clean_kind(raw: str) -> str:
        if raw not in REQUEST_KINDS:
            raise FieldError(_("Choose what you would like us to do."))
        return raw

    def clean_details(raw: str) -> str:
        if len(raw) > DETAILS_MAX_CHARS:
            raise FieldError(_("Please write at most %(count)d characters.",
                               count=DETAILS_MAX_CHARS))
        return raw

    form = Form([Field("kind", required_message=_("Choose what you would like us to do."),
                       clean=clean_kind),
                 Field("details", clean=clean_details)], formdata)
    return form


def _request_page(form, status: int = 200):
    collected = services.holdings(current_citizen())
    return render_template("privacy/request.html", form=form, kind_words=KIND_WORDS,
                           kept=services.kept_items(collected)), status


@privacy.route("/du-lieu-cua-toi/yeu-cau", methods=["GET", "POST"])
@citizen_required
def ask():
    """Ask to correct or delete her data; she sees first what the law would keep."""
    if request.method == "GET":
        return _request_page(_request_form())
    form = _request_form(request.form)
    if form.validate() and form.data["kind"] == CORRECTION and not form.data["details"]:
        form.add_error("details", _("Write what is wrong and what it should be."))
    if form.errors:
        return _request_page(form)
    made = services.open_request(current_citizen(), form.data["kind"], form.data["details"] or "")
    audit.record("privacy.request_sent", object_type="data_request", object_id=made.id,
                 detail={"kind": made.kind})
    flash(_("Your request %(code)s has been sent. You will get a message when it is handled.",
            code=made.code), "success")
    return redirect(url_for("privacy.my_data", _anchor="yeu-cau"), 303)


# --- Administrators ---------------------------------------------------------------------------


@privacy.get("/can-bo/yeu-cau-du-lieu")
@staff_required(ADMIN)
def requests_page():
    """The requests to handle, the oldest due first."""
    return render_template("privacy/staff-requests.html", requests=list(services.open_requests()),
                           kind_words=KIND_WORDS)


def _request_or_404(code: str) -> DataRequest:
    found = DataRequest.by_code(code)
    return found or abort(404)


def _masked(phone: str) -> str:
    try:
        return mask_phone(phone)
    except InvalidPhone:
        return ""


def _decision_form(formdata=None) -> Form:
    def clean(raw: str) -> str:
        if len(raw) > DECISION_MAX_CHARS:
            raise FieldError(_("Please write at most %(count)d characters.",
                               count=DECISION_MAX_CHARS))
        return raw

    return Form([Field("decision", required_message=_("Write what was done, in plain words: "
                                                      "the citizen reads it."), clean=clean)],
                formdata)


def _detail_page(item: DataRequest, form=None, status: int = 200):
    collected = services.holdings(item.citizen)
    return render_template("privacy/staff-request.html", item=item, form=form or _decision_form(),
                           collected=collected, kept=services.kept_items(collected),
                           kind_words=KIND_WORDS, masked_phone=_masked(item.contact_phone),
                           staff_label=lc.LIFECYCLE.staff_label), status


@privacy.get("/can-bo/yeu-cau-du-lieu/<code>")
@staff_required(ADMIN)
def request_detail(code: str):
    """One request, with everything held about the citizen and what the law keeps (audited)."""
    item = _request_or_404(code)
    audit.record("privacy.request_viewed", object_type="citizen", object_id=item.citizen_id,
                 detail={"request": item.code})
    return _detail_page(item)


def _decide(code: str, outcome: str, act):
    """Check the words for her, take the step, say what happened."""
    item = _request_or_404(code)
    form = _decision_form(request.form)
    if not form.validate():
        return _detail_page(item, form)
    try:
        act(item, form.data["decision"])
    except (tracked.StaleItem, tracked.IllegalTransition):
        flash(_("This request has just been handled by someone else."), "warning")
        return redirect(url_for("privacy.request_detail", code=item.code), 303)
    audit.record(f"privacy.request_{outcome}", object_type="citizen",
                 object_id=item.citizen_id, detail={"request": item.code})
    flash(_("Request handled. The citizen has been told."), "success")
    return redirect(url_for("privacy.requests_page"), 303)


@privacy.post("/can-bo/yeu-cau-du-lieu/<code>/xong")
@staff_required(ADMIN)
def complete(code: str):
    """Done: a correction made, or a deletion of everything the law does not keep."""
    return _decide(code, "done",
                   lambda item, words: services.complete(item, current_staff(), words))


@privacy.post("/can-bo/yeu-cau-du-lieu/<code>/tu-choi")
@staff_required(ADMIN)
def refuse(code: str):
    """Not done, with the reason she reads."""
    return _decide(code, "refused", lambda item, words: services.perform(
        item, tracked.Move("refuse", item.version, staff=current_staff(), public_message=words)))
