"""The audit log's page: the latest events, for province administrators only."""

from __future__ import annotations

from flask import Blueprint, render_template

from webapp.audit.models import AuditEvent
from webapp.core import actors

audit = Blueprint("audit", __name__, url_prefix="/can-bo")
ADMIN = "admin"  # the accounts room's administrator role
LATEST = 200


@audit.get("/nhat-ky")
@actors.staff_required(ADMIN)
def log_page():
    """The latest events of the audit log, with who did them."""
    events = list(AuditEvent.latest(LATEST))
    names = actors.staff_names(e.actor_id for e in events if e.actor_type == actors.STAFF)
    return render_template("audit/log.html", events=events, staff_names=names)
