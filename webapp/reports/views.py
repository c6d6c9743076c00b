"""Reporting a problem: the start page (emergencies first), one question per page, photos,
checking, sending exactly once; then the receipt, the status page, "my reports" and the look-up.

Every page is an ordinary form with Post/Redirect/Get, so it works the same with JavaScript on
or off. Sending needs her phone confirmed with a code: the sign-in by code (accounts) does it,
and makes no one register; she is asked only when she starts.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from webapp.accounts.auth import citizen_required, current_citizen
from webapp.audit.log import record
from webapp.core import ratelimit
from webapp.core.forms import Field, FieldError, Form
from webapp.core.phones import InvalidPhone, mask_phone, normalize_mobile
from webapp.places.models import Commune
from webapp.places.views import commune_options
from webapp.reports import (
    access,
    categories,
    location,
    public,
    services,
    steps,
    still_fixed,
    wizard,
)
from webapp.reports import lifecycle as lc
from webapp.reports.blueprint import (
    grant,
    is_reporter,
    may_follow,
    owned_draft,
    report_or_404,
    reports,
)
from webapp.reports.models import Report, ReportDraft, ReportPhoto, ReportRating
from webapp.reports.steps import KIND
from webapp.tracking import ratings, timeline
from webapp.tracking.codes import normalize_code
from webapp.tracking.lifecycle import IllegalTransition, StaleItem
from webapp.uploads.serving import stored_file_response

LOOKUPS_PER_VISITOR = (10, 600)
LOOKUPS_PER_CODE = (5, 600)


def _communes() -> dict[str, str]:
    return dict(commune_options())


def _similar_for(answers: dict, citizen=None) -> list[Report]:
    if not answers.get("commune") or not answers.get("category"):
        return []
    return services.similar_open(answers["commune"], answers["category"], citizen)


def _step_url(draft: ReportDraft, step) -> str:
    if step is None:
        return url_for("reports.check", token=draft.token)
    if step.kind == "photos":
        return url_for("reports.photos", token=draft.token)
    return url_for("reports.question", token=draft.token, slug=step.slug)


def _similar(draft: ReportDraft):
    return lambda answers: _similar_for(answers, draft.citizen)


def _after(draft: ReportDraft, step) -> str:
    """On through the pages, or back to checking when the change came from there."""
    if request.args.get("tu") == "kiem-tra":
        missing = [wizard.BY_SLUG[s] for s in _missing_slugs(draft)]
        return _step_url(draft, missing[0] if missing else None)
    return _step_url(draft, wizard.next_step(step, draft.answers, _similar(draft)))


def _missing_slugs(draft: ReportDraft) -> list[str]:
    names = set(services.missing_answers(draft))
    anonymous_needed = (draft.answers.get("public") == wizard.YES
                        and not draft.answers.get("anonymous"))
    return [s.slug for s in wizard.STEPS if s.name in names
            or (s.name == "anonymous" and anonymous_needed)]


def _back_url(draft: ReportDraft, step) -> str:
    if request.args.get("tu") == "kiem-tra":
        return url_for("reports.check", token=draft.token)
    previous = wizard.previous_step(step, draft.answers, _similar(draft))
    return _step_url(draft, previous) if previous else url_for("reports.start")


def _page(template: str, draft: ReportDraft, step, **context):
    return render_template(
        f"reports/{template}.html", draft=draft, step=step, back_url=_back_url(draft, step),
        position=wizard.position(step, draft.answers, _similar(draft)), args=request.args,
        **context)


# --- Before the first question ------------------------------------------------------------------


@reports.get("/phan-anh")
def start():
    """Emergencies first (113, 114, 115), then what a report is and "Start"."""
    return render_template("reports/start.html")


@reports.post("/phan-anh")
@citizen_required
def begin():
    draft = services.start_draft(current_citizen())
    return redirect(_step_url(draft, wizard.STEPS[0]), 303)


# --- Questions --------------------------------------------------------------------------------


@reports.route("/phan-anh/nhap/<token>/<slug>", methods=["GET", "POST"])
@citizen_required
def question(token: str, slug: str):
    """One question on its own page."""
    draft = owned_draft(token)
    step = wizard.BY_SLUG.get(slug) or abort(404)
    if step.kind == "photos":
        return redirect(url_for("reports.photos", token=token), 303)
    if step.kind == "similar":
        return _similar_page(draft, step)
    communes = _communes()
    form = Form([wizard.field_for(step, communes)],
                formdata=request.form if request.method == "POST" else None,
                initial={step.name: draft.answers.get(step.name, "")})
    if request.method == "POST" and form.validate():
        value = form.data[step.name] or ""
        changes = {step.name: value}
        if step.name == "public" and value == wizard.NO:
            changes["anonymous"] = ""
        if step.name == "landmark" and location.offered():
            found = location.from_form(request.form)
            if found is not None:  # she shared it now, or asked to forget it
                changes["location"] = found or None
        services.save_answers(draft, changes)
        return redirect(_after(draft, step), 303)
    page = make_response(_page("question", draft, step, form=form,
                               choices=wizard.choices_for(step), communes=communes,
                               location=draft.answers.get("location"),
                               offer_location=location.offered()))
    if step.name == "landmark" and location.offered():  # the one page that may ask
        page.headers["Permissions-Policy"] = location.PERMISSIONS_POLICY
    return page


def _similar_page(draft: ReportDraft, step):
    found = _similar_for(draft.answers, draft.citizen)
    if not found:
        return redirect(_after(draft, step), 303)
    return _page("similar", draft, step, similar=found, category_label=categories.label,
                 next_url=_after(draft, step))


@reports.post("/phan-anh/nhap/<token>/toi-cung-gap/<int:report_id>")
@citizen_required
def join(token: str, report_id: int):
    """"Tôi cũng gặp": follow the open report instead of filing the same problem again."""
    draft = owned_draft(token)
    found = {r.id: r for r in _similar_for(draft.answers, draft.citizen)}
    report = found.get(report_id) or abort(404)
    services.follow(report, draft.citizen)
    services.discard_draft(draft)
    flash(_("Thank you. You will be told at each step of this report, like the person who "
            "sent it."))
    return redirect(url_for("reports.status", code=report.code), 303)


# --- Photos -----------------------------------------------------------------------------------


@reports.route("/phan-anh/nhap/<token>/anh", methods=["GET", "POST"])
@citizen_required
def photos(token: str):
    """Photos of the problem: the ones added, a way to add more (optional), and "Continue"."""
    draft = owned_draft(token)
    step = wizard.BY_SLUG[wizard.PHOTOS]
    if request.method == "POST":
        return redirect(_after(draft, step), 303)
    return _photos_page(draft, step)


def _photos_page(draft: ReportDraft, step, errors=()):
    form = Form([Field("photos")])
    if errors:
        form.add_error("photos", " ".join(str(e) for e in errors))
    return _page("photos", draft, step, form=form, photos=list(ReportPhoto.of_draft(draft)),
                 max_photos=current_app.config["REPORT_MAX_PHOTOS"])


@reports.post("/phan-anh/nhap/<token>/anh/them")
@citizen_required
def upload_photos(token: str):
    """Add photos; each is checked from its bytes, re-encoded and stripped of its location."""
    draft = owned_draft(token)
    files = [f.read() for f in request.files.getlist("photos") if f.filename]
    outcome = services.add_photos(draft, files)
    if outcome.errors:
        return _photos_page(draft, wizard.BY_SLUG[wizard.PHOTOS], outcome.errors)
    return redirect(url_for("reports.photos", token=token, **request.args), 303)


@reports.post("/phan-anh/nhap/<token>/anh/<int:photo_id>/xoa")
@citizen_required
def remove_photo(token: str, photo_id: int):
    draft = owned_draft(token)
    services.remove_photo(draft, photo_id) or abort(404)
    return redirect(url_for("reports.photos", token=token, **request.args), 303)


# --- Checking and sending ---------------------------------------------------------------------


def _check_rows(draft: ReportDraft) -> list[tuple]:
    answers, communes = draft.answers, _communes()
    yes_no = {wizard.YES: _("Yes"), wizard.NO: _("No")}
    rows = [
        (wizard.CATEGORY, _("About"), categories.label(answers.get("category", ""))
         if answers.get("category") else ""),
        (wizard.COMMUNE, _("Commune or ward"), communes.get(answers.get("commune", ""), "")),
        (wizard.LANDMARK, _("Where exactly"), answers.get("landmark") or _("Not given")),
        (wizard.LANDMARK, _("The phone's location"),
         _("Shared with the commune's officers only, rounded to about 10 metres")
         if answers.get("location") else _("Not shared")),
        (wizard.DESCRIPTION, _("What is wrong"), answers.get("description", "")),
        (wizard.PUBLIC, _("Shown publicly"), yes_no.get(answers.get("public"), "")),
    ]
    if answers.get("public") == wizard.YES:
        rows.append((wizard.ANONYMOUS, _("Name hidden from the public"),
                     yes_no.get(answers.get("anonymous"), "")))
    return rows


@reports.get("/phan-anh/nhap/<token>/kiem-tra")
@citizen_required
def check(token: str):
    draft = owned_draft(token)
    return _check_page(draft)


def _check_page(draft: ReportDraft, error=None):
    missing = _missing_slugs(draft)
    last = wizard.pages(draft.answers, _similar(draft))[-1]
    return render_template(
        "reports/check.html", draft=draft, rows=_check_rows(draft), missing=missing,
        photos=list(ReportPhoto.of_draft(draft)), error=error,
        back_url=_step_url(draft, last), masked_phone=mask_phone(draft.citizen.phone))


@reports.post("/phan-anh/nhap/<token>/gui")
@citizen_required
def send(token: str):
    """Send the report once: a double tap or a retry finds the report already sent."""
    draft = ReportDraft.get_or_none((ReportDraft.token == token)
                                    & (ReportDraft.citizen == current_citizen())) or abort(404)
    if draft.report_id:
        return redirect(url_for("reports.receipt", code=draft.report.code), 303)
    draft = owned_draft(token)
    if _missing_slugs(draft):
        return redirect(url_for("reports.check", token=token), 303)
    try:
        report = services.submit_draft(draft, current_citizen())
    except services.LimitReached:
        return _check_page(draft, error=_(
            "Many reports were sent from this phone or this place in the last hour. Your "
            "answers are kept: please send it again in an hour, or call the commune.")), 429
    return redirect(url_for("reports.receipt", code=report.code), 303)


# --- After sending ----------------------------------------------------------------------------


@reports.get("/phan-anh/da-gui/<code>")
@citizen_required
def receipt(code: str):
    report = report_or_404(code)
    if not is_reporter(report):
        abort(404)
    return render_template("reports/receipt.html", report=report,
                           masked_phone=mask_phone(report.contact_phone),
                           category=categories.label(report.category))


def status_context(report: Report) -> dict:
    return {"report": report, "category": categories.label(report.category),
            "status_label": lc.public_label(report.status),
            "events": still_fixed.with_answers(report, timeline.public_events(KIND, report)),
            "rating": ReportRating.get_or_none(ReportRating.report == report),
            "reporter": is_reporter(report),
            "may_reopen": (report.status in (lc.FIXED, lc.NOT_FIXED) and not report.reopened
                           and is_reporter(report)),
            "answered": report.status in lc.ANSWERED_STATUSES,
            "photos": list(ReportPhoto.of_report(report)), "reopen_form": _reopen_form()}


@reports.get("/phan-anh/theo-doi/<code>")
def status(code: str):
    """Where the report is, in plain words, with what happened so far."""
    report = report_or_404(code)
    if not may_follow(report):
        return redirect(url_for("reports.lookup", ma=report.code), 303)
    return render_template("reports/status.html", **status_context(report))


@reports.post("/phan-anh/theo-doi/<code>/danh-gia")
def rate(code: str):
    report = report_or_404(code)
    if not may_follow(report) or not is_reporter(report):
        abort(404)
    if report.status not in lc.ANSWERED_STATUSES:
        return redirect(url_for("reports.status", code=report.code), 303)
    form = ratings.rating_form(request.form)
    if not form.validate():
        return render_template("reports/status.html", rating_form=form, form=form,
                               **status_context(report))
    if ratings.save_rating(ReportRating, "report", report.id, form):
        flash(_("Thank you for your answer."))
    return redirect(url_for("reports.status", code=report.code, _anchor="danh-gia"), 303)


def _reopen_form(formdata=None) -> Form:
    return Form([Field("reason", required_message=_("Write in a few words what is still "
                                                    "wrong."),
                       clean=wizard.clean_text(wizard.DESCRIPTION_MAX_CHARS))], formdata)


@reports.post("/phan-anh/theo-doi/<code>/chua-xong")
def reopen(code: str):
    """"It is not fixed": the report opens again, once."""
    report = report_or_404(code)
    if not is_reporter(report):
        abort(404)
    form = _reopen_form(request.form)
    if report.reopened or report.status not in (lc.FIXED, lc.NOT_FIXED):
        return redirect(url_for("reports.status", code=report.code), 303)
    if not form.validate():
        return render_template("reports/status.html", form=form,
                               **{**status_context(report), "reopen_form": form})
    version = request.form.get("version", "")
    try:
        steps.reopen(report, int(version) if version.isdigit() else -1, form.data["reason"])
        flash(_("Thank you. The commune will look at it again."))
    except (StaleItem, IllegalTransition):
        pass
    return redirect(url_for("reports.status", code=report.code), 303)


@reports.get("/phan-anh-cua-toi")
@citizen_required
def mine():
    citizen = current_citizen()
    return render_template("reports/mine.html", reports=list(Report.of_citizen(citizen)),
                           public_label=lc.public_label, category_label=categories.label)


# --- Look-up without an account -------------------------------------------------------------


def _lookup_form(formdata=None) -> Form:
    prefix = current_app.config["DOSSIER_CODE_PREFIX"]

    def clean_code(raw: str) -> str:
        code = normalize_code(raw, prefix)
        if not code:
            raise FieldError(_("Type the report code from the message, for example "
                               "%(example)s.", example=f"{prefix}-7K4-Q2M9"))
        return code

    def clean_phone(raw: str) -> str:
        try:
            return normalize_mobile(raw)
        except InvalidPhone:
            raise FieldError(_("Type the mobile number the report was sent from, for "
                               "example 0912 345 678.")) from None

    return Form([Field("code", required_message=_("Type the report code."), clean=clean_code),
                 Field("phone", required_message=_("Type the phone number."),
                       clean=clean_phone)],
                formdata, initial={"code": request.args.get("ma", "")[:20]})


@reports.route("/tra-cuu-phan-anh", methods=["GET", "POST"])
def lookup():
    """Find a report by its code and phone number (the same answer for a wrong code or phone)."""
    if request.method == "GET":
        return render_template("reports/lookup.html", form=_lookup_form())
    form = _lookup_form(request.form)
    status_code = 200
    if form.validate():
        code, phone = form.data["code"], form.data["phone"]
        visitor = request.remote_addr or "unknown"
        if not (ratelimit.allow(f"report-lookup:{visitor}", *LOOKUPS_PER_VISITOR)
                and ratelimit.allow(f"report-lookup-code:{code}", *LOOKUPS_PER_CODE)):
            form.add_error("code", _("Too many tries. Wait 10 minutes, then try again."))
            status_code = 429
        else:
            report = Report.by_code(code)
            if report is not None and report.contact_phone == phone:
                grant(report)
                return redirect(url_for("reports.status", code=report.code), 303)
            form.add_error("code", _("No report has this code and phone number. Check the "
                                     "code in the message and the phone number."))
    return render_template("reports/lookup.html", form=form), status_code



# --- Photos of a report -------------------------------------------------------------------------


def _may_see_photo(photo: ReportPhoto) -> bool:
    if photo.report_id is None:
        citizen = current_citizen()
        return bool(citizen and citizen.id == photo.citizen_id)
    report = photo.report
    if is_reporter(report) or (access.photo_public(photo, report)):
        return True
    if access.visitor_is_office(report):
        record("report_photo_viewed", object_type="report_photo", object_id=photo.id,
               detail={"report": report.code})
        return True
    return False


@reports.get("/phan-anh/anh/<int:photo_id>")
@reports.get("/phan-anh/anh/<int:photo_id>/<size>")
def photo(photo_id: int, size: str = ""):
    """A photo of a report: to its reporter, the commune's officers, and the public only where
    she allowed it and no officer hid it."""
    item = ReportPhoto.get_or_none(ReportPhoto.id == photo_id)
    if item is None or size not in ("", "nho") or not _may_see_photo(item):
        abort(404)
    return stored_file_response(item.storage_name, item.media_type, small=size == "nho",
                                download_name="anh-phan-anh")


# --- The public page of answered reports ------------------------------------------------------

PUBLIC_PAGE_SIZE = 20


@reports.get("/phan-anh/da-tra-loi")
def public_list():
    """Answered reports that their senders allowed to be shown, by commune and category."""
    communes = _communes()
    commune_code = request.args.get("xa", "")
    category = request.args.get("loai", "")
    page = request.args.get("trang", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    # No join unless filtering by commune: with one, SQLite sorts every answered report of the
    # province (150 ms at 100,000) instead of walking the (updated_at, public, status) index.
    # The communes' names and the photos are read in one query each: four queries a page.
    query = (Report.select(Report).where(Report.public & Report.status.in_(lc.ANSWERED_STATUSES))
             .order_by(Report.updated_at.desc(), Report.id.desc()))
    if commune_code in communes:
        query = query.join(Commune).where(Commune.code == commune_code)
    if category in categories.KEYS:
        query = query.where(Report.category == category)
    # One more than a page tells whether a next page exists; pages still start 20 apart.
    rows = list(query.limit(PUBLIC_PAGE_SIZE + 1).offset((page - 1) * PUBLIC_PAGE_SIZE))
    shown = rows[:PUBLIC_PAGE_SIZE]
    photos, names = public.photos_of(shown), public.commune_names(shown)
    response = make_response(render_template(
        "reports/public.html",
        items=[public.public_view(r, photos.get(r.id, []), names[r.commune_id]) for r in shown],
        communes=communes, commune_code=commune_code, category=category, page=page,
        more=len(rows) > PUBLIC_PAGE_SIZE, category_label=categories.label,
        categories=categories.CATEGORIES, public_label=lc.public_label,
        hidden_words=public.HIDDEN_WORDS))
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
