"""The citizen's pages: pick a procedure, a day and a time at her commune's one-stop shop, see
her booking with its code, move or cancel it. Plain forms and links: no JavaScript needed."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from webapp.accounts.auth import citizen_required, current_citizen
from webapp.bookings import lifecycle as lc
from webapp.bookings import schedule, services
from webapp.bookings.models import Booking
from webapp.catalogue import Procedure
from webapp.core.forms import Field, FieldError, Form
from webapp.core.i18n import in_language
from webapp.tracking import lifecycle as tracked
from webapp.tracking.timeline import public_events

bookings = Blueprint("bookings", __name__)


@bookings.after_request
def _private(response):
    """Her bookings: never kept by a cache or a shared kiosk."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def weekday_names() -> tuple[str, ...]:
    """Monday first, as `date.weekday()` counts."""
    return (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday"))


def weekday_name(day: dt.date) -> str:
    return weekday_names()[day.weekday()]


def procedure_title(procedure) -> str:
    return in_language(procedure.content).get("title", procedure.code)


def _procedures():
    return sorted(Procedure.select(), key=procedure_title)


def _procedure_or_404(slug: str):
    return Procedure.get_or_none(Procedure.slug == slug) or abort(404)


def _day_or_404(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(404)


def _own_booking_or_404(code: str) -> Booking:
    found = Booking.by_code(code)
    if found is None or found.citizen_id != current_citizen().id:
        abort(404)
    return found


# --- Choosing ----------------------------------------------------------------------------------


@bookings.get("/dat-lich")
@citizen_required
def index():
    """Her bookings, and the first step of a new one: which procedure."""
    citizen = current_citizen()
    chosen = request.args.get("thu-tuc", "")
    sent = "chon" in request.args  # the form was sent (an unchecked radio sends nothing)
    form = Form([Field("thu-tuc")], request.args if sent else None)
    procedure = Procedure.get_or_none(Procedure.slug == chosen) if chosen else None
    if procedure is not None:
        return redirect(url_for("bookings.days", slug=procedure.slug), 303)
    if sent:
        form.add_error("thu-tuc", _("Choose the procedure you are coming for."))
    commune = citizen.commune
    return render_template(
        "bookings/index.html", form=form, commune=commune,
        takes_bookings=bool(commune and schedule.takes_bookings(commune)),
        mine=list(Booking.of_citizen(citizen)), public_label=lc.LIFECYCLE.public_label,
        procedure_choices=[(p.slug, procedure_title(p)) for p in _procedures()],
        procedure_title=procedure_title, active=lc.ACTIVE)


def days_page(procedure, commune, day_url, back_url, booking=None, for_name=None):
    """The days to choose from; also the assisted room's, booking for someone (`for_name`)."""
    return render_template(
        "bookings/days.html", procedure=procedure, procedure_title=procedure_title,
        commune=commune, booking=booking, back_url=back_url, day_url=day_url,
        for_name=for_name, days=schedule.bookable_days(commune) if commune else [])


@bookings.get("/dat-lich/<slug>")
@citizen_required
def days(slug: str):
    """The next working days with places left at her commune's shop."""
    procedure = _procedure_or_404(slug)
    citizen = current_citizen()
    existing = services.active_booking(citizen, procedure)
    if existing is not None:
        flash(_("You already have a booking for this procedure. You can change its time "
                "below."), "info")
        return redirect(url_for("bookings.detail", code=existing.code), 303)
    return days_page(procedure, citizen.commune,
                      lambda day: url_for("bookings.slots", slug=slug, day=day.isoformat()),
                      url_for("bookings.index"))


def slot_form(slots, formdata=None) -> Form:
    """The times with a place left; a time taken meanwhile is an error beside the choice."""
    starts = {slot.start for slot in slots if slot.places_left}

    def clean(raw: str) -> str:
        if raw not in starts:
            raise FieldError(_("This time is no longer free. Please choose another time."))
        return raw

    return Form([Field("gio", required_message=_("Choose a time."), clean=clean),
                 Field("request_key")], formdata,
                initial={"request_key": services.new_request_key()})


def slots_page(procedure, commune, day, form, action, back_url, booking=None, status=200,
               for_name=None):
    """The day's times as a form posting to `action` (hers, or a volunteer's for `for_name`)."""
    slots = schedule.slots_of_day(commune, day) if commune else []
    options = [(slot.start, slot.start, ngettext("%(num)d place left", "%(num)d places left",
                                                  slot.places_left))
               for slot in slots if slot.places_left]
    return render_template(
        "bookings/slots.html", procedure=procedure, procedure_title=procedure_title,
        commune=commune, day=day, options=options, form=form, action=action, back_url=back_url,
        booking=booking, for_name=for_name), status


@bookings.route("/dat-lich/<slug>/<day>", methods=["GET", "POST"])
@citizen_required
def slots(slug: str, day: str):
    """The day's times with the places left; choosing one books it."""
    procedure, on = _procedure_or_404(slug), _day_or_404(day)
    citizen = current_citizen()
    commune = citizen.commune
    action = url_for("bookings.slots", slug=slug, day=day)
    back = url_for("bookings.days", slug=slug)
    available = schedule.slots_of_day(commune, on) if commune else []
    if request.method == "GET":
        if not available:
            abort(404)
        return slots_page(procedure, commune, on, slot_form(available), action, back)
    form = slot_form(available, request.form)
    key = (request.form.get("request_key") or "")[:64] or None
    earlier = Booking.get_or_none(Booking.request_key == key) if key else None
    if earlier is not None and earlier.citizen_id == citizen.id:
        return redirect(url_for("bookings.detail", code=earlier.code), 303)  # a second tap
    if not form.validate():
        return slots_page(procedure, commune, on, form, action, back)
    try:
        made = services.book(citizen, procedure, on, form.data["gio"], request_key=key)
    except services.AlreadyBooked as problem:
        flash(_("You already have a booking for this procedure."), "info")
        return redirect(url_for("bookings.detail", code=problem.existing.code), 303)
    except (services.SlotFull, services.SlotUnavailable):
        form.add_error("gio", _("This time has just been taken. Please choose another time."))
        return slots_page(procedure, commune, on, form, action, back)
    flash(_("Your time is booked. Keep the code %(code)s: you will get a message too.",
            code=made.code), "success")
    return redirect(url_for("bookings.detail", code=made.code), 303)


# --- Her booking -------------------------------------------------------------------------------


@bookings.get("/lich-hen/<code>")
@citizen_required
def detail(code: str):
    """The confirmation: code, time, place, what happened; move or cancel before the cutoff."""
    booking = _own_booking_or_404(code)
    return render_template(
        "bookings/detail.html", booking=booking, procedure_title=procedure_title,
        public_label=lc.LIFECYCLE.public_label, events=public_events(services.KIND, booking),
        can_change=services.can_change(booking), cutoff=schedule.cutoff(),
        booked=lc.BOOKED)


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return -1


@bookings.post("/lich-hen/<code>/huy")
@citizen_required
def cancel(code: str):
    booking = _own_booking_or_404(code)
    if booking.status == lc.CANCELLED:
        return redirect(url_for("bookings.detail", code=code), 303)  # a second tap
    try:
        services.cancel(booking, current_citizen(), _version())
    except services.TooLate:
        flash(_("It is too late to cancel online. Please call the one-stop shop."), "warning")
    except (tracked.StaleItem, tracked.IllegalTransition):
        flash(_("This booking has just changed. Please look at it again."), "warning")
    else:
        flash(_("Your booking is cancelled. The place is free for someone else."), "success")
    return redirect(url_for("bookings.detail", code=code), 303)


@bookings.get("/lich-hen/<code>/doi")
@citizen_required
def move_days(code: str):
    """Days to move the booking to."""
    booking = _own_booking_or_404(code)
    if not services.can_change(booking):
        return redirect(url_for("bookings.detail", code=code), 303)
    return days_page(booking.procedure, booking.commune,
                      lambda day: url_for("bookings.move_slots", code=code,
                                          day=day.isoformat()),
                      url_for("bookings.detail", code=code), booking=booking)


@bookings.route("/lich-hen/<code>/doi/<day>", methods=["GET", "POST"])
@citizen_required
def move_slots(code: str, day: str):
    """The times of a day to move to; choosing one moves the booking."""
    booking, on = _own_booking_or_404(code), _day_or_404(day)
    action = url_for("bookings.move_slots", code=code, day=day)
    back = url_for("bookings.move_days", code=code)
    available = schedule.slots_of_day(booking.commune, on)
    if not services.can_change(booking):
        return redirect(url_for("bookings.detail", code=code), 303)
    if request.method == "GET":
        if not available:
            abort(404)
        return slots_page(booking.procedure, booking.commune, on, slot_form(available),
                           action, back, booking=booking)
    return _move_to(booking, on, slot_form(available, request.form), action, back)


def _move_to(booking, on, form, action, back):
    if not form.validate():
        return slots_page(booking.procedure, booking.commune, on, form, action, back,
                           booking=booking)
    try:
        services.move(booking, current_citizen(), _version(), on, form.data["gio"])
    except (services.SlotFull, services.SlotUnavailable):
        form.add_error("gio", _("This time has just been taken. Please choose another time."))
        return slots_page(booking.procedure, booking.commune, on, form, action, back,
                           booking=booking)
    except services.TooLate:
        flash(_("It is too late to change it online. Please call the one-stop shop."),
              "warning")
    except (tracked.StaleItem, tracked.IllegalTransition):
        flash(_("This booking has just changed. Please look at it again."), "warning")
    else:
        flash(_("Your booking has been moved. You will get a message with the new time."),
              "success")
    return redirect(url_for("bookings.detail", code=booking.code), 303)
