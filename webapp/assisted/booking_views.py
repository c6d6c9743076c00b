""""Đặt lịch hẹn giúp người dân": under a live mandate for a procedure, a volunteer books the
citizen a time at her commune's one-stop shop, with the bookings room's own day and time pages
(`bookings.views.days_page`, `slot_form`, `slots_page`). The booking is hers: her list, her
confirmation message, "booked by volunteer ..." on it; the volunteer sees it only while the
mandate is live. Every booking and every look is in the audit log.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.accounts.auth import current_staff, staff_required
from webapp.accounts.models import VOLUNTEER
from webapp.audit import log as audit
from webapp.bookings import lifecycle as booking_states
from webapp.bookings import schedule
from webapp.bookings import services as bookings
from webapp.bookings.models import Booking
from webapp.bookings.views import days_page, procedure_title, slot_form, slots_page
from webapp.mandates import Mandate
from webapp.mandates import services as mandates
from webapp.tracking.codes import normalize_code

from .views import assisted


def _her_name(mandate: Mandate) -> str:
    return mandate.citizen.full_name or mandate.person_name


def _live_mandate(mandate_id: int) -> Mandate:
    """The signed-in volunteer's live mandate; hers but ended: a redirect with the reason."""
    helper = current_staff()
    mandate = mandates.live_of_helper(helper, mandate_id)
    if mandate is not None:
        return mandate
    if Mandate.get_or_none((Mandate.id == mandate_id) & (Mandate.helper == helper)
                           & Mandate.confirmed_at.is_null(False)) is None:
        abort(404)  # not hers, or never consented to: nothing to say about it
    abort(_refused())


def _refused():
    flash(_("This person's consent has ended, so you can no longer book a time for her. Ask "
            "her consent again if she still wants your help."), "warning")
    return redirect(url_for("assisted.home"), 303)


def _day_or_404(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(404)


def _already_booked(booking: Booking):
    flash(_("She already has a booking for this procedure: %(time)s on %(day)s, code "
            "%(code)s.", time=booking.start, day=booking.day.strftime("%d/%m/%Y"),
            code=booking.code), "info")
    return redirect(url_for("assisted.home"), 303)


@assisted.get("/uy-quyen/<int:mandate_id>/dat-lich")
@staff_required(VOLUNTEER)
def book_days(mandate_id: int):
    """The days with places left at her commune's shop, for the mandate's procedure."""
    mandate = _live_mandate(mandate_id)
    citizen = mandate.citizen
    existing = bookings.active_booking(citizen, mandate.procedure)
    if existing is not None:
        return _already_booked(existing)
    return days_page(mandate.procedure, citizen.commune,
                     lambda day: url_for("assisted.book_slots", mandate_id=mandate.id,
                                         day=day.isoformat()),
                     url_for("assisted.home"), for_name=_her_name(mandate))


@assisted.route("/uy-quyen/<int:mandate_id>/dat-lich/<day>", methods=["GET", "POST"])
@staff_required(VOLUNTEER)
def book_slots(mandate_id: int, day: str):
    """The day's times; choosing one books it for her under the mandate."""
    on, mandate = _day_or_404(day), _live_mandate(mandate_id)
    key = (request.form.get("request_key") or "")[:64] or None
    earlier = Booking.get_or_none(Booking.request_key == key) if key else None
    if earlier is not None and earlier.mandate_id == mandate.id:
        return redirect(url_for("assisted.booking", code=earlier.code), 303)  # a second tap
    commune, name = mandate.citizen.commune, _her_name(mandate)
    action = url_for("assisted.book_slots", mandate_id=mandate.id, day=day)
    back = url_for("assisted.book_days", mandate_id=mandate.id)
    available = schedule.slots_of_day(commune, on) if commune else []
    if request.method == "GET":
        if not available:
            abort(404)
        return slots_page(mandate.procedure, commune, on, slot_form(available), action, back,
                          for_name=name)
    form = slot_form(available, request.form)
    if not form.validate():
        return slots_page(mandate.procedure, commune, on, form, action, back, for_name=name)
    return _book(mandate, on, form, key, action, back)


def _book(mandate: Mandate, on: dt.date, form, key, action, back):
    try:
        made = bookings.book(mandate.citizen, mandate.procedure, on, form.data["gio"],
                             request_key=key, helper=current_staff())
    except bookings.NotAllowedToBookFor:
        return _refused()  # she ended it between the page and the tap
    except bookings.AlreadyBooked as problem:
        return _already_booked(problem.existing)
    except (bookings.SlotFull, bookings.SlotUnavailable):
        form.add_error("gio", _("This time has just been taken. Please choose another time."))
        return slots_page(mandate.procedure, mandate.citizen.commune, on, form, action, back,
                          for_name=_her_name(mandate))
    flash(_("The time is booked for her. She gets a message with the code %(code)s.",
            code=made.code), "success")
    return redirect(url_for("assisted.booking", code=made.code), 303)


@assisted.get("/lich-hen/<code>")
@staff_required(VOLUNTEER)
def booking(code: str):
    """A booking she made for someone: while its mandate is live; else 404."""
    found = Booking.by_code(normalize_code(code, current_app.config["DOSSIER_CODE_PREFIX"]))
    helper = current_staff()
    if found is None or not mandates.covers(found.mandate_id, helper, found.citizen_id):
        abort(404)
    audit.record("booking.viewed_by_helper", object_type="booking", object_id=found.id,
                 detail={"for_citizen": found.citizen_id, "mandate": found.mandate_id})
    return render_template("assisted/booking.html", booking=found,
                           procedure_title=procedure_title,
                           name=_her_name(Mandate.get_by_id(found.mandate_id)),
                           status=booking_states.LIFECYCLE.public_label(found.status))
