"""Demonstration reports for `make run` (development only): a few in commune 25459 (the demo
officer canbo.tanninh's), new, received, overdue, answered and public, from made-up people."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app

from webapp.accounts.models import Citizen
from webapp.core.clock import calendar, local_date, utcnow
from webapp.core.db import database
from webapp.places.models import Commune
from webapp.reports import lifecycle as lc
from webapp.reports.models import Report, ReportEvent
from webapp.tracking.codes import new_code

DEMO_COMMUNE = "25459"
# (phone, category, description, landmark, status, days ago, answer)
DEMO_REPORTS = (
    ("0912000101", "lighting", "Đèn đường tắt cả tuần nay, tối đi lại rất khó.",
     "Đường vào chợ, ấp 2", lc.SUBMITTED, 1, ""),
    ("0912000102", "roads", "Ổ gà lớn giữa đường, xe máy dễ té.", "Trước trường tiểu học",
     lc.RECEIVED, 4, ""),
    ("0912000103", "environment", "Rác để ở bờ kênh không ai thu gom.", "Cầu kênh Tây",
     lc.RECEIVED, 30, ""),
    ("0912000104", "utilities", "Nước máy yếu vào buổi sáng.", "Khu phố 1", lc.FIXED, 20,
     "Đã thay van tổng, nước đã mạnh lại."),
    ("0912000105", "security", "Tụ tập hát karaoke quá 22 giờ.", "Ấp 3", lc.NOT_OURS, 15,
     "Đã chuyển Công an xã xử lý theo thẩm quyền."),
)


def load_demo_reports() -> list[str]:
    if current_app.config.get("APP_ENV") == "production":
        return ["Demo reports: skipped (APP_ENV=production)."]
    commune = Commune.get_or_none(Commune.code == DEMO_COMMUNE)
    if commune is None or Report.select().where(Report.commune == commune).exists():
        return ["Demo reports: already there (or no demo commune)."]
    with database.atomic():
        for phone, category, text, landmark, status, days, answer in DEMO_REPORTS:
            citizen, _ = Citizen.get_or_create_by_phone(phone)
            sent = utcnow() - dt.timedelta(days=days)
            report = Report.create(
                code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), citizen=citizen,
                commune=commune, category=category, description=text, landmark=landmark,
                status=status, contact_phone=phone, submission_key=secrets.token_urlsafe(12),
                submitted_at=sent, updated_at=sent, answer=answer,
                due_date=calendar().due_date(local_date(sent),
                                             current_app.config["REPORT_WORKING_DAYS"]))
            ReportEvent.create(report=report, created_at=sent, kind="submitted",
                               to_status=lc.SUBMITTED, actor_citizen=citizen)
            if status != lc.SUBMITTED:
                ReportEvent.create(report=report, created_at=sent, kind="status_changed",
                                   from_status=lc.SUBMITTED, to_status=status,
                                   public_message=answer)
    return [f"Demo reports: {len(DEMO_REPORTS)} in commune {DEMO_COMMUNE}."]
