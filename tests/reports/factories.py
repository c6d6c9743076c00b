"""Reports made directly in the database, in any status, for tests of other rooms too."""

from __future__ import annotations

import io
import itertools
import secrets

from PIL import Image

from webapp.core.clock import calendar, local_date, utcnow
from webapp.reports import lifecycle as lc
from webapp.reports.models import Report, ReportEvent, ReportPhoto
from webapp.tracking.codes import new_code
from webapp.uploads import storage

_serial = itertools.count(1)


def make_report(commune, citizen, status: str = lc.SUBMITTED, **fields) -> Report:
    """A sent report of `citizen` in `commune` (the first event is hers)."""
    now = fields.pop("submitted_at", None) or utcnow()
    values = {"category": "lighting", "description": f"Đèn đường tắt {next(_serial)}",
              "landmark": "Trước chợ", "public": True, "anonymous": False, **fields}
    report = Report.create(
        code=new_code("TN"), citizen=citizen, commune=commune, status=status,
        contact_phone=citizen.phone, submission_key=secrets.token_urlsafe(12),
        submitted_at=now, updated_at=now, due_date=calendar().due_date(local_date(now), 10),
        **values)
    ReportEvent.create(report=report, created_at=now, kind="submitted",
                       to_status=lc.SUBMITTED, actor_citizen=citizen)
    return report


def make_report_photo(report, size=(400, 300), **fields) -> ReportPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(buffer, "JPEG")
    return ReportPhoto.from_upload(storage.store_upload(buffer.getvalue()), report=report,
                                   citizen=report.citizen_id, **fields)
