"""The officers' side: the day's bookings at their commune (arrived, did not come), blocking a
slot, and the commune's timetable (opening hours, slot length, places, closed days). An
officer sees and sets only the communes she serves; every look at the list and every change
is in the audit log."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import current_staff, staff_can_access_commune, staff_required
from webapp.accounts.models import ADMIN, OFFICER
from webapp.audit import log as audit
from webapp.bookings import lifecycle as lc
from webapp.bookings import schedule, services
from webapp.bookings.models import AFTERNOON, MORNING, PERIODS, Booking
from webapp.bookings.personal_data import DAY_LIST, day_list_id
from webapp.bookings.views import procedure_title, weekday_names
from webapp.core import clock
from webapp.core.forms import Field, FieldError, Form
from webapp.core.phones import InvalidPhone, mask_phone
from webapp.places.models import Commune
from webapp.tracking import lifecycle as tracked

staff_bookings = Blueprint("staff_bookings", __name__)
OFFICE = (OFFICER, ADMIN)
SLOT_LENGTHS = (10, 15, 20, 30, 45, 60)
MAX_CAPACITY = 20
PERIOD_WORDS = {MORNING: _l("Morning"), AFTERNOON: _l("Afternoon")}
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:hH.]([0-5]\d)$")


def _render(template: str, **context):
    """A back-office page, with the officer's name and the navigation's current section."""
    return render_template(template, staff_user=current_staff(), active_section="bookings",
                           **context)


def _communes_of(staff) -> list:
    return list(Commune.in_order()) if staff.role == ADMIN else list(staff.communes())


def _commune():
    """The commune asked for (`xa`), if she serves it (403 otherwise), else her first."""
    staff = current_staff()
    wanted = request.values.get("xa", type=int)
    if wanted is not None:
        if not staff_can_access_commune(staff, wanted):
            abort(403)
        return Commune.get_or_none(Commune.id == wanted) or abort(404)
    communes = _communes_of(staff)
    return communes[0] if communes else None


def _day(default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.values.get("ngay", ""))
    except ValueError:
        return default


def _masked(phone: str) -> str:
    try:
        return mask_phone(phone)
    except InvalidPhone:
        return ""


def _back_to_day(commune, day):
    return redirect(url_for("staff_bookings.day_page", xa=commune.id, ngay=day.isoformat()), 303)


# --- The day's bookings -----------------------------------------------------------------------


@staff_bookings.get("/can-bo/lich-hen")
@staff_required(*OFFICE)
def day_page():
    """Who is expected on a day, hour by hour, and the day's slots (block or free them)."""
    commune = _commune()
    if commune is None:
        return _render("bookings/staff-day.html", commune=None, communes=[])
    day = _day(clock.local_today())
    listed = list(services.day_list(commune, day))
    # One event for the list, under the object every booking of it names (personal_data), so
    # "Dữ liệu của tôi" tells each citizen on it who opened the list and when.
    audit.record("bookings.day_viewed", object_type=DAY_LIST,
                 object_id=day_list_id(commune.id, day), detail={"bookings": len(listed)})
    settings, hours = schedule.settings_of(commune), schedule.hours_of(commune)
    starts = schedule.slot_starts(settings, hours, day) if settings else []
    taken: dict[str, int] = {}
    for booking in listed:
        if booking.status == lc.BOOKED:
            taken[booking.start] = taken.get(booking.start, 0) + 1
    return _render(
        "bookings/staff-day.html", commune=commune, communes=_communes_of(current_staff()),
        day=day, bookings=listed, starts=starts, taken=taken,
        blocked=services.blocked_slots(commune, day), capacity=settings.capacity if settings
        else 0, procedure_title=procedure_title, masked=_masked,
        staff_label=lc.LIFECYCLE.staff_label, booked=lc.BOOKED,
        previous_day=day - dt.timedelta(days=1), next_day=day + dt.timedelta(days=1))


@staff_bookings.post("/can-bo/lich-hen/<code>/danh-dau")
@staff_required(*OFFICE)
def mark(code: str):
    """Arrived, or did not come."""
    booking = Booking.by_code(code) or abort(404)
    staff = current_staff()
    if not staff_can_access_commune(staff, booking.commune_id):
        abort(403)
    action = request.form.get("action", "")
    if action not in ("arrive", "no_show"):
        abort(400)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.mark(booking, staff, action, version)
    except (tracked.StaleItem, tracked.IllegalTransition):
        flash(_("This booking has just changed. Please look at it again."), "warning")
    else:
        audit.record(f"bookings.{action}", object_type="booking", object_id=booking.id,
                     detail={"code": booking.code})
        flash(_("Saved."), "success")
    return _back_to_day(booking.commune, booking.day)


@staff_bookings.post("/can-bo/lich-hen/khung-gio")
@staff_required(*OFFICE)
def slot():
    """Block a slot (nobody more can book it) or free it again."""
    commune = _commune() or abort(404)
    day = _day(clock.local_today())
    start = request.form.get("gio", "")
    settings = schedule.settings_of(commune)
    if settings is None or start not in schedule.slot_starts(
            settings, schedule.hours_of(commune), day):
        abort(404)
    if request.form.get("action") == "unblock":
        services.unblock_slot(commune, day, start)
        audit.record("bookings.slot_unblocked", object_type="commune", object_id=commune.id,
                     detail={"day": day.isoformat(), "start": start})
        flash(_("The time %(hour)s can be booked again.", hour=start), "success")
    else:
        reason = request.form.get("ly_do", "").strip()[:200]
        services.block_slot(commune, current_staff(), day, start, reason)
        audit.record("bookings.slot_blocked", object_type="commune", object_id=commune.id,
                     detail={"day": day.isoformat(), "start": start})
        flash(_("The time %(hour)s is blocked: nobody more can book it.", hour=start),
              "success")
    return _back_to_day(commune, day)


# --- The timetable -----------------------------------------------------------------------------


def _hhmm(raw: str) -> str:
    found = _HHMM.match(raw.replace(" ", ""))
    if not found:
        raise FieldError(_("Write the time as hours and minutes, for example 07:30."))
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def _settings_fields() -> list[Field]:
    def slot_length(raw: str) -> int:
        if not raw.isdigit() or int(raw) not in SLOT_LENGTHS:
            raise FieldError(_("Choose the length of a time slot."))
        return int(raw)

    def capacity(raw: str) -> int:
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_CAPACITY:
            raise FieldError(_("Write a number of people from 1 to %(max)d.",
                               max=MAX_CAPACITY))
        return int(raw)

    fields = [Field("slot_minutes", _("Choose the length of a time slot."), slot_length),
              Field("capacity", _("Write how many people can be received at the same time."),
                    capacity)]
    for weekday in range(7):
        for period in PERIODS:
            for edge in ("opens", "closes"):
                fields.append(Field(f"h-{weekday}-{period}-{edge}", clean=_hhmm))
    return fields


def _settings_form(commune, formdata=None) -> Form:
    settings = schedule.settings_of(commune)
    initial = {"slot_minutes": settings.slot_minutes if settings else 30,
               "capacity": settings.capacity if settings else 2}
    for (weekday, period), (opens, closes) in schedule.hours_for_form(commune).items():
        initial[f"h-{weekday}-{period}-opens"] = opens
        initial[f"h-{weekday}-{period}-closes"] = closes
    return Form(_settings_fields(), formdata, initial=initial)


def _hours_from(form: Form) -> dict[tuple[int, str], tuple[str, str]]:
    """The openings typed, checked: both ends or neither, opening before closing, the morning
    before the afternoon."""
    hours = {}
    for weekday in range(7):
        for period in PERIODS:
            name = f"h-{weekday}-{period}"
            opens, closes = form.data.get(f"{name}-opens"), form.data.get(f"{name}-closes")
            if form.error(f"{name}-opens") or form.error(f"{name}-closes"):
                continue
            if bool(opens) != bool(closes):
                form.add_error(f"{name}-opens" if not opens else f"{name}-closes",
                               _("Write both the opening and the closing time, or neither."))
            elif opens and schedule.minutes(opens) >= schedule.minutes(closes):
                form.add_error(f"{name}-closes", _("The closing time must be after the "
                                                   "opening time."))
            elif opens:
                hours[(weekday, period)] = (opens, closes)
        morning, afternoon = hours.get((weekday, MORNING)), hours.get((weekday, AFTERNOON))
        if morning and afternoon and schedule.minutes(morning[1]) > schedule.minutes(
                afternoon[0]):
            form.add_error(f"h-{weekday}-{AFTERNOON}-opens",
                           _("The afternoon must start after the morning ends."))
    return hours


def _closed_form(formdata=None) -> Form:
    def clean_day(raw: str) -> dt.date:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise FieldError(_("Write the day as day, month and year.")) from None
        if day < clock.local_today():
            raise FieldError(_("Choose today or a day to come."))
        return day

    return Form([Field("ngay", _("Choose the day the one-stop shop is closed."), clean_day),
                 Field("ly_do")], formdata)


def _settings_page(commune, form=None, closed_form=None, status=200):
    return _render(
        "bookings/staff-settings.html", commune=commune,
        communes=_communes_of(current_staff()), form=form or _settings_form(commune),
        closed_form=closed_form or _closed_form(),
        closed=list(schedule.closed_days(commune, clock.local_today())) if commune else [],
        weekdays=list(enumerate(weekday_names())), periods=PERIODS, period_words=PERIOD_WORDS,
        slot_lengths=[(n, _("%(num)d minutes", num=n)) for n in SLOT_LENGTHS],
        takes_bookings=bool(commune and schedule.takes_bookings(commune))), status


@staff_bookings.route("/can-bo/lich-hen/cai-dat", methods=["GET", "POST"])
@staff_required(*OFFICE)
def settings_page():
    """The commune's opening hours per weekday, slot length and places per slot."""
    commune = _commune()
    if commune is None:
        return _settings_page(None, form=Form(_settings_fields()))
    if request.method == "GET":
        return _settings_page(commune)
    form = _settings_form(commune, request.form)
    form.validate()
    hours = _hours_from(form)
    if form.errors:
        return _settings_page(commune, form=form)
    services.save_settings(commune, current_staff(), form.data["slot_minutes"],
                           form.data["capacity"], hours)
    audit.record("bookings.settings_changed", object_type="commune", object_id=commune.id,
                 detail={"slot_minutes": form.data["slot_minutes"],
                         "capacity": form.data["capacity"], "openings": len(hours)})
    flash(_("The timetable is saved. Citizens can book the times it gives."), "success")
    return redirect(url_for("staff_bookings.settings_page", xa=commune.id), 303)


@staff_bookings.post("/can-bo/lich-hen/ngay-nghi")
@staff_required(*OFFICE)
def closed_day():
    """Close the shop on a day (no bookings), or open it again."""
    commune = _commune() or abort(404)
    if request.form.get("action") == "reopen":
        day = _day(dt.date.min)
        if services.reopen_day(commune, day):
            audit.record("bookings.day_reopened", object_type="commune", object_id=commune.id,
                         detail={"day": day.isoformat()})
            flash(_("%(day)s can be booked again.", day=day.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("staff_bookings.settings_page", xa=commune.id), 303)
    form = _closed_form(request.form)
    if not form.validate():
        return _settings_page(commune, closed_form=form)
    day = form.data["ngay"]
    services.close_day(commune, current_staff(), day, (form.data["ly_do"] or "")[:200])
    audit.record("bookings.day_closed", object_type="commune", object_id=commune.id,
                 detail={"day": day.isoformat()})
    flash(_("%(day)s is closed: nobody can book it. Those already booked keep their time; "
            "please call them.", day=day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("staff_bookings.settings_page", xa=commune.id), 303)
