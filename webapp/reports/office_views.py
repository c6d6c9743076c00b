"""Officers' triage of reports, in the back office's layout: the commune's queue with due dates
and overdue marks, a report's page with its history (who did what), and the steps: receive
(normal or urgent), forward to another commune or a named unit with a reason, merge into an
earlier report (its reporter and followers are told and follow the original), answer publicly
(fixed, not fixed with the reason, not the commune's), hide a photo or her words from the
public with a reason (the original stays for officers), and notes.

Commune scoping and roles come from the accounts room (`staff_required`,
`staff_can_access_commune`); every step goes through `steps.perform` with the officer as actor,
and every look and step is written to the audit log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import JOIN

from webapp.accounts.auth import current_staff, staff_commune_ids, staff_required
from webapp.accounts.models import Citizen, StaffUser
from webapp.audit import log as audit
from webapp.core import clock
from webapp.core.forms import Field, FieldError, Form
from webapp.core.phones import format_for_display
from webapp.places.models import Commune
from webapp.reports import access, categories, location, services, still_fixed
from webapp.reports import lifecycle as lc
from webapp.reports.blueprint import reports
from webapp.reports.models import Report, ReportEvent, ReportFollower, ReportPhoto
from webapp.reports.steps import perform
from webapp.tracking.lifecycle import IllegalTransition, Move, StaleItem
from webapp.uploads.serving import stored_file_response

OFFICE_ROLES = access.OFFICE_ROLES
PAGE_SIZE = 50
TEXT_MAX = 1000
STALE = _l("This report has just been updated by another officer. Nothing was changed: please "
           "read it again before you act.")
NOT_NOW = _l("This step is not possible for the report as it is now.")
DONE = {
    "receive": _l("Report received. The citizen has been told the due date."),
    "forward": _l("Report forwarded. The citizen has been told where and why."),
    "merge": _l("Report merged. Its reporter now follows the earlier report."),
    "fixed": _l("Answer sent: fixed."),
    "not_fixed": _l("Answer sent: not fixed, with the reason."),
    "not_ours": _l("Answer sent: not the commune's responsibility."),
}
BUCKETS = {"mo": _l("Open"), "qua-han": _l("Overdue"), "xong": _l("Answered or closed")}


@reports.context_processor
def _staff_layout() -> dict:
    """What the back office's layout (layouts/staff.html) reads: who is signed in."""
    return {"staff_user": current_staff()}


# --- Loading with the right checks ---------------------------------------------------------


def communes_served() -> list[Commune]:
    staff = current_staff()
    query = Commune.in_order()
    if staff.role != "admin":
        query = query.where(Commune.id.in_(list(staff_commune_ids(staff)) or [0]))
    return list(query)


def report_for_staff(code: str, audit_action: str | None = None, **detail) -> Report:
    """The report if this officer serves its commune (403 otherwise, 404 if none)."""
    report = (Report.select(Report, Commune, Citizen)
              .join(Commune, on=(Report.commune == Commune.id)).switch(Report)
              .join(Citizen, on=(Report.citizen == Citizen.id))
              .where(Report.code == code).first()) or abort(404)
    if not access.office_may_see(current_staff(), report):
        abort(403)
    if audit_action:
        audit.record(audit_action, object_type="report", object_id=report.id,
                     detail={"report": report.code, **detail})
    return report


def _version() -> int:
    value = request.form.get("version", "")
    if not value.isdigit():
        abort(400)
    return int(value)


def _back(report: Report):
    return redirect(url_for("reports.office_report", code=report.code), 303)


def _apply(report: Report, move: Move) -> bool:
    try:
        perform(report, move)
    except StaleItem:
        flash(STALE, "warning")
        return False
    except IllegalTransition:
        flash(NOT_NOW, "warning")
        return False
    audit.record(f"report.{move.action}", object_type="report", object_id=report.id,
                 detail={"report": report.code, "to": report.status})
    flash(DONE[move.action], "success")
    return True


# --- The queue -------------------------------------------------------------------------------


def due_mark(report: Report, today) -> str:
    """"overdue", "soon" (due within two working days) or "" for an open report."""
    if report.status not in lc.OPEN_STATUSES or report.due_date is None:
        return ""
    if report.due_date < today:
        return "overdue"
    return "soon" if clock.remaining_working_days(report.due_date, today) <= 2 else ""


@reports.get("/can-bo/phan-anh/")
@staff_required(*OFFICE_ROLES)
def office_queue():
    """The reports of one commune: open ones by due date, overdue ones, answered ones."""
    communes = communes_served()
    if not communes:
        abort(403)
    chosen = request.args.get("xa", "")
    commune = next((c for c in communes if c.code == chosen), communes[0])
    bucket = request.args.get("nhom", "mo")
    bucket = bucket if bucket in BUCKETS else "mo"
    today = clock.local_today()
    base = Report.select().where(Report.commune == commune.id)
    if bucket == "xong":
        query = base.where(Report.status.in_(lc.FINISHED_STATUSES)).order_by(
            Report.updated_at.desc(), Report.id.desc())
    else:
        query = base.where(Report.status.in_(lc.OPEN_STATUSES)).order_by(
            Report.urgent.desc(), Report.due_date, Report.id)
        if bucket == "qua-han":
            query = query.where(Report.due_date < today)
    counts = {"mo": base.where(Report.status.in_(lc.OPEN_STATUSES)).count(),
              "qua-han": base.where(Report.status.in_(lc.OPEN_STATUSES)
                                    & (Report.due_date < today)).count(),
              "xong": base.where(Report.status.in_(lc.FINISHED_STATUSES)).count()}
    broken_again = list(base.where(Report.broken_again_at.is_null(False))
                        .order_by(Report.broken_again_at).limit(PAGE_SIZE))
    return render_template(
        "reports/office/queue.html", communes=communes, commune=commune, bucket=bucket,
        buckets=BUCKETS, counts=counts, items=list(query.limit(PAGE_SIZE)), today=today,
        broken_again=broken_again,
        due_mark=due_mark, staff_label=lc.staff_label, category_label=categories.label)


# --- One report ------------------------------------------------------------------------------


def history(report: Report) -> list[ReportEvent]:
    """Every step, newest first, with who took it (one query)."""
    return list(
        ReportEvent.select(ReportEvent, StaffUser.id, StaffUser.full_name, Citizen.id,
                           Citizen.full_name)
        .join(StaffUser, JOIN.LEFT_OUTER, on=(ReportEvent.actor_staff == StaffUser.id))
        .switch(ReportEvent)
        .join(Citizen, JOIN.LEFT_OUTER, on=(ReportEvent.actor_citizen == Citizen.id))
        .where(ReportEvent.report == report.id)
        .order_by(ReportEvent.created_at.desc(), ReportEvent.id.desc()))


def _clean_text(raw: str) -> str:
    if len(raw) > TEXT_MAX:
        raise FieldError(_("Please write at most %(count)d characters.", count=TEXT_MAX))
    return raw


def _text_form(formdata=None, required: dict | None = None) -> Form:
    """Every field of the report page's forms (each form posts some of them); `required` maps
    the names this step needs to their messages."""
    required = required or {}
    names = ("answer", "answer_note", "reason", "unit", "target", "original", "note")
    return Form([Field(name, required_message=required.get(name), clean=_clean_text)
                 for name in names], formdata)


def detail_context(report: Report, form: Form | None = None, **extra) -> dict:
    followers = list(ReportFollower.select(ReportFollower, Citizen).join(Citizen)
                     .where(ReportFollower.report == report.id))
    return {
        "report": report, "form": form or _text_form(), "events": history(report),
        "category": categories.label(report.category), "staff_label": lc.staff_label,
        "event_words": still_fixed.STAFF_WORDS, "map_link": location.map_link(report),
        "photos": list(ReportPhoto.of_report(report)), "followers": followers,
        "actions": {a.key for a in lc.LIFECYCLE.allowed_actions(report.status)},
        "due": due_mark(report, clock.local_today()),
        "phone": format_for_display(report.contact_phone),
        "other_communes": [c for c in Commune.in_order() if c.id != report.commune_id],
        "similar": [r for r in services.similar_open(report.commune.code, report.category)
                    if r.id != report.id],
        **extra,
    }


@reports.get("/can-bo/phan-anh/<code>")
@staff_required(*OFFICE_ROLES)
def office_report(code: str):
    """Everything about one report for the commune's officer; the look is audited."""
    report = report_for_staff(code, "report.viewed")
    return render_template("reports/office/report.html", **detail_context(report))


def _invalid(report: Report, form: Form):
    return render_template("reports/office/report.html", **detail_context(report, form)), 200


@reports.post("/can-bo/phan-anh/<code>/tiep-nhan")
@staff_required(*OFFICE_ROLES)
def office_receive(code: str):
    """Receive it; "urgent" shortens the due date to REPORT_URGENT_WORKING_DAYS."""
    report = report_for_staff(code)
    version = _version()
    if request.form.get("urgent") == "yes" and report.version == version:
        report.urgent = True  # the due date perform computes uses it
        Report.update(urgent=True).where(Report.id == report.id).execute()
    _apply(report, Move("receive", version, staff=current_staff(),
                        internal_note=request.form.get("note", "")[:TEXT_MAX]))
    return _back(report)


@reports.post("/can-bo/phan-anh/<code>/chuyen")
@staff_required(*OFFICE_ROLES)
def office_forward(code: str):
    """Forward to another commune (it arrives there as new) or to a named unit, with a reason."""
    report = report_for_staff(code)
    form = _text_form(request.form, {"reason": _("Write why it is forwarded: the citizen "
                                                 "reads it.")})
    version = _version()
    if not form.validate():
        return _invalid(report, form)
    target = Commune.get_or_none(Commune.code == (form.data["target"] or ""))
    unit = form.data["unit"] or ""
    if target is None and not unit:
        form.add_error("target", _("Choose the commune, or write the name of the unit."))
        return _invalid(report, form)
    if target is not None and target.id == report.commune_id:
        form.add_error("target", _("Choose another commune than this one."))
        return _invalid(report, form)

    def move_it(item, _event):
        changes = {"forwarded_to": target.name if target else unit}
        if target is not None:
            changes["commune"] = target.id
            item.commune = target
        item.forwarded_to = changes["forwarded_to"]
        Report.update(**changes).where(Report.id == item.id).execute()

    _apply(report, Move("forward", version, staff=current_staff(),
                        public_message=form.data["reason"], after=move_it))
    if target is not None and not access.office_may_see(current_staff(), report):
        return redirect(url_for("reports.office_queue"), 303)
    return _back(report)


@reports.post("/can-bo/phan-anh/<code>/gop")
@staff_required(*OFFICE_ROLES)
def office_merge(code: str):
    """Merge into an earlier open report of the same commune: the merged one points to it, its
    reporter and followers follow the original and are told."""
    report = report_for_staff(code)
    form = _text_form(request.form)
    version = _version()
    form.validate()
    original = Report.get_or_none(Report.code == (form.data.get("original") or ""))
    if (original is None or original.id == report.id or original.commune_id != report.commune_id
            or original.status in lc.FINISHED_STATUSES):
        form.add_error("original", _("Choose an open report of this commune to merge into."))
        return _invalid(report, form)

    def merge(item, _event):
        Report.update(merged_into=original.id).where(Report.id == item.id).execute()
        item.merged_into = original
        people = [(item.citizen, "merged")] + [
            (f.citizen, "merged") for f in ReportFollower.select().where(
                ReportFollower.report == item.id)]
        for citizen, reason in people:
            if citizen.id != original.citizen_id:
                services.follow(original, citizen, reason)

    _apply(report, Move("merge", version, staff=current_staff(), after=merge))
    return _back(report)


@reports.post("/can-bo/phan-anh/<code>/tra-loi/<action>")
@staff_required(*OFFICE_ROLES)
def office_answer(code: str, action: str):
    """Answer publicly and close: fixed, not fixed (with the reason), not the commune's."""
    if action not in ("fixed", "not_fixed", "not_ours"):
        abort(404)
    report = report_for_staff(code)
    form = _text_form(request.form, {"answer": _("Write the answer: the citizen and, if the "
                                                 "report is public, everyone read it.")})
    version = _version()
    if not form.validate():
        return _invalid(report, form)
    answer = form.data["answer"]

    def keep(item, _event):
        Report.update(answer=answer).where(Report.id == item.id).execute()
        item.answer = answer

    _apply(report, Move(action, version, staff=current_staff(), public_message=answer,
                        internal_note=form.data["answer_note"] or "", after=keep))
    return _back(report)


@reports.post("/can-bo/phan-anh/<code>/ghi-chu")
@staff_required(*OFFICE_ROLES)
def office_note(code: str):
    """A note for colleagues, on the history; the citizen never sees it."""
    report = report_for_staff(code)
    form = _text_form(request.form)
    if not form.validate() or not form.data["note"]:
        form.add_error("note", _("Write the note."))
        return _invalid(report, form)
    ReportEvent.create(report=report, kind="note", internal_note=form.data["note"],
                       actor_staff=current_staff())
    audit.record("report.note", object_type="report", object_id=report.id,
                 detail={"report": report.code})
    return _back(report)


@reports.post("/can-bo/phan-anh/<code>/da-xem-hong-lai")
@staff_required(*OFFICE_ROLES)
def office_broken_again_looked(code: str):
    """The officer has looked at a report that broke again after its one reopening: the mark
    leaves the queue, with what was done on the history (a second tap changes nothing)."""
    report = report_for_staff(code)
    form = _text_form(request.form)
    if not form.validate():
        return _invalid(report, form)
    if still_fixed.officer_looked(report, current_staff(), form.data["note"] or ""):
        audit.record("report.broken_again_looked", object_type="report", object_id=report.id,
                     detail={"report": report.code})
        flash(_("Saved. The mark has been removed from the queue."), "success")
    return _back(report)


@reports.post("/can-bo/phan-anh/<code>/an")
@staff_required(*OFFICE_ROLES)
def office_hide(code: str):
    """Hide a photo, her words or the answer from the public, with a reason (kept for the
    record: officers still see the original). Empty reason: shown again."""
    report = report_for_staff(code)
    what = request.form.get("what", "")
    reason = " ".join(request.form.get("reason", "").split())[:300]
    if what.startswith("photo-") and what[6:].isdigit():
        photo = ReportPhoto.get_or_none((ReportPhoto.id == int(what[6:]))
                                        & (ReportPhoto.report == report.id)) or abort(404)
        ReportPhoto.update(hidden_reason=reason, hidden_by=current_staff()).where(
            ReportPhoto.id == photo.id).execute()
    elif what in ("description", "answer"):
        Report.update(**{f"{what}_hidden_reason": reason}).where(
            Report.id == report.id).execute()
    else:
        abort(400)
    ReportEvent.create(report=report, kind="note", actor_staff=current_staff(),
                       internal_note=(_("Hidden from the public (%(what)s): %(reason)s",
                                        what=what, reason=reason) if reason else
                                      _("Shown to the public again (%(what)s)", what=what)))
    audit.record("report.hidden" if reason else "report.shown", object_type="report",
                 object_id=report.id, detail={"report": report.code, "what": what})
    flash(_("Saved. What the public sees has changed."), "success")
    return _back(report)


@reports.get("/can-bo/phan-anh/<code>/anh/<int:photo_id>")
@staff_required(*OFFICE_ROLES)
def office_photo(code: str, photo_id: int):
    """A report's photo for the commune's officers (also when hidden from the public)."""
    report = report_for_staff(code)
    photo = ReportPhoto.get_or_none((ReportPhoto.id == photo_id)
                                    & (ReportPhoto.report == report.id)) or abort(404)
    audit.record("report.photo_viewed", object_type="report_photo", object_id=photo.id,
                 detail={"report": report.code})
    return stored_file_response(photo.storage_name, photo.media_type,
                                small=request.args.get("co") == "nho",
                                download_name="anh-phan-anh")
