"""Who may see what in the back office: officers see the communes they serve, admins all.

Every page that shows a citizen's personal data loads the dossier through `dossier_for_staff`,
so the entitlement check and the audit entry cannot be forgotten on a new page.
"""

from __future__ import annotations

from flask import abort

from webapp.accounts.auth import current_staff, staff_can_access_commune, staff_commune_ids
from webapp.accounts.models import Citizen
from webapp.audit import log as audit
from webapp.catalogue import Procedure
from webapp.dossiers.api import Dossier
from webapp.places.models import Commune

OFFICE_ROLES = ("officer", "admin")


def dossier_for_staff(code: str, *, audit_action: str | None = None, **detail) -> Dossier:
    """The dossier with its procedure, commune and citizen, if this officer may see it.

    404 when there is no such dossier, 403 when it belongs to a commune the officer does not
    serve. With `audit_action`, the access is written to the audit log.
    """
    dossier = (Dossier.select(Dossier, Procedure, Commune, Citizen)
               .join(Procedure, on=(Dossier.procedure == Procedure.id))
               .switch(Dossier).join(Commune, on=(Dossier.commune == Commune.id))
               .switch(Dossier).join(Citizen, on=(Dossier.citizen == Citizen.id))
               .where(Dossier.code == code).first())
    if dossier is None:
        abort(404)
    if not staff_can_access_commune(current_staff(), dossier.commune_id):
        abort(403)
    if audit_action:
        audit.record(audit_action, object_type="dossier", object_id=dossier.id,
                     detail={"dossier": dossier.code, **detail})
    return dossier


def communes_served() -> list[Commune]:
    """The communes whose queues this officer may open, in alphabetical order."""
    staff = current_staff()
    query = Commune.in_order()
    if staff.role != "admin":
        query = query.where(Commune.id.in_(list(staff_commune_ids(staff)) or [0]))
    return list(query)
