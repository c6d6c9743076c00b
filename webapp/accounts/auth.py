"""STAND-IN for the accounts branch (contract shape only); reverted before merging it."""

from __future__ import annotations

import functools

from flask import abort, g, redirect, request, session, url_for

from webapp.accounts.models import Citizen, StaffCommune, StaffUser


def current_citizen():
    if "citizen" not in g:
        cid = session.get("citizen_id")
        g.citizen = Citizen.get_or_none(Citizen.id == cid) if cid else None
    return g.citizen


def current_staff():
    if "staff" not in g:
        sid = session.get("staff_id")
        g.staff = (StaffUser.get_or_none((StaffUser.id == sid) & StaffUser.is_active)
                   if sid else None)
    return g.staff


def citizen_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_citizen() is None:
            return redirect(url_for("site.home", next=request.full_path))
        return view(*args, **kwargs)
    return wrapper


def staff_required(*roles):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                return redirect(url_for("site.home", next=request.full_path))
            if roles and staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def staff_commune_ids(staff) -> set[int]:
    from webapp.places.models import Commune

    if staff.role == "admin":
        return {c.id for c in Commune.select(Commune.id)}
    return {link.commune_id for link in StaffCommune.select().where(StaffCommune.staff == staff)}


def staff_can_access_commune(staff, commune_id) -> bool:
    return staff.role == "admin" or commune_id in staff_commune_ids(staff)


SESSION_KEY = "citizen_id"


def create_session_row(*, citizen=None, staff=None):
    return str(citizen.id), None
