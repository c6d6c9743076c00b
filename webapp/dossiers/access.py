"""Who may see a dossier and its files: one rule for every page that shows them.

- Its owner, the citizen it belongs to (also when someone helped her send it).
- An officer of the commune that handles it, or a province administrator; every look is
  written to the audit log by the page that shows it.
- A helper (a community digital-technology volunteer) never by commune: only through an
  explicit grant for that one dossier. Grants are rules other rooms register
  (`register_grant`), e.g. the assisted-mode room's "a live mandate of this citizen names this
  helper for this dossier"; without one, a volunteer sees nothing of any citizen.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from webapp.accounts.auth import current_citizen, current_staff, staff_can_access_commune
from webapp.accounts.models import ADMIN, OFFICER

OFFICE_ROLES = (OFFICER, ADMIN)
GRANTS = "dossier_grants"

Grant = Callable[[object, object], bool]  # (staff member, dossier) -> may this helper see it


def register_grant(app: Flask, rule: Grant) -> None:
    """Add a narrow rule by which a staff member outside the office may see one dossier."""
    app.extensions.setdefault(GRANTS, []).append(rule)


def office_may_see(staff, dossier) -> bool:
    """An officer of the dossier's commune, or an administrator."""
    return (staff is not None and staff.role in OFFICE_ROLES
            and staff_can_access_commune(staff, dossier.commune_id))


def granted(staff, dossier) -> bool:
    """A staff member given this one dossier by a registered grant."""
    return staff is not None and any(rule(staff, dossier)
                                     for rule in current_app.extensions.get(GRANTS, ()))


def owned_by_visitor(dossier) -> bool:
    citizen = current_citizen()
    return bool(citizen and citizen.id == dossier.citizen_id)


def visitor_may_see(dossier) -> bool:
    """The signed-in person (citizen or staff) may see this dossier's personal data."""
    if owned_by_visitor(dossier):
        return True
    staff = current_staff()
    return office_may_see(staff, dossier) or granted(staff, dossier)
