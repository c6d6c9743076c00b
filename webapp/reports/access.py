"""Who may see a report's personal parts (who sent it, the phone, photos not made public).

- The reporter; people who follow it see its progress but not who sent it.
- An officer of the commune that handles it now, or a province administrator; staff looks are
  written to the audit log by the page that shows them.
- The public: only answered reports she allowed to be shown, without her name if she asked,
  never her phone; photos only when the report is public and no officer hid them.
"""

from __future__ import annotations

from webapp.accounts.auth import current_staff, staff_can_access_commune
from webapp.accounts.models import ADMIN, OFFICER
from webapp.reports import lifecycle as lc

OFFICE_ROLES = (OFFICER, ADMIN)


def office_may_see(staff, report) -> bool:
    return (staff is not None and staff.role in OFFICE_ROLES
            and staff_can_access_commune(staff, report.commune_id))


def visitor_is_office(report) -> bool:
    return office_may_see(current_staff(), report)


def shown_publicly(report) -> bool:
    """On the public page: answered, allowed by the reporter, not merged away."""
    return report.public and report.status in lc.ANSWERED_STATUSES


def photo_public(photo, report) -> bool:
    return shown_publicly(report) and not photo.hidden_reason
