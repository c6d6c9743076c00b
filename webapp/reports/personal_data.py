"""What the reports room holds about a citizen, for "Dữ liệu của tôi" and deletion requests,
and the daily chores: expired drafts, and "is it still fixed?" four weeks after "fixed".

A sent report is the commune's record of a request it had to answer: kept while it is handled
and REPORT_KEEP_YEARS after the answer, whatever she asks (she is told why and until when).
Unsent drafts with their photos, and the reports she follows ("Tôi cũng gặp"), are hers to
delete.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core.clock import local_date, utcnow, years_after
from webapp.core.db import database
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date
from webapp.reports import categories, messages, services, still_fixed
from webapp.reports import lifecycle as lc
from webapp.reports.models import (
    Report,
    ReportDraft,
    ReportFollower,
    ReportOutcome,
    ReportPhoto,
    ReportRating,
)

BEING_HANDLED = _l("Kept while the commune handles it")
IN_THE_ARCHIVE = _l("The commune's record of its answer: kept as the rules require")
STILL_FIXED_AFTER = dt.timedelta(weeks=4)


def _report(report: Report, decided_at, rating) -> Item:
    photos = list(ReportPhoto.of_report(report))
    if report.status in lc.FINISHED_STATUSES and decided_at is not None:
        because = IN_THE_ARCHIVE
        until = years_after(local_date(decided_at), current_app.config["REPORT_KEEP_YEARS"])
    else:
        because, until = BEING_HANDLED, None
    return Item(
        title=_l("Report %(code)s: %(category)s", code=report.code,
                 category=categories.label(report.category)),
        facts=((_l("Sent on"), format_date(report.submitted_at)),
               (_l("Where it is now"), str(lc.public_label(report.status))),
               (_l("Handled by"), report.commune.name),
               (_l("What is wrong"), report.description),
               (_l("Where exactly"), report.landmark or "—"),
               (_l("The phone's location"), f"{report.latitude:.4f}, {report.longitude:.4f}"
                if report.latitude is not None else "—"),
               (_l("Photos"), str(len(photos))),
               (_l("Your rating"), f"{rating.score}/5" if rating else "—")),
        data={"code": report.code, "category": report.category, "status": report.status,
              "submitted_at": report.submitted_at.isoformat(),
              "description": report.description, "landmark": report.landmark,
              "latitude": report.latitude, "longitude": report.longitude,
              "still_fixed_answer": report.still_fixed_answer or None,
              "public": report.public, "anonymous": report.anonymous,
              "contact_phone": report.contact_phone, "photos": len(photos),
              "rating": rating.score if rating else None},
        opened_as=(("report", str(report.id)),
                   *(("report_photo", str(photo.id)) for photo in photos)),
        kept_because=because, kept_until=until)


def collect(citizen) -> list[Item]:
    reports = list(Report.of_citizen(citizen))
    ids = [r.id for r in reports]
    decided = dict(ReportOutcome.select(ReportOutcome.report, ReportOutcome.decided_at)
                   .where(ReportOutcome.report.in_(ids)).tuples()) if ids else {}
    ratings = {r.report_id: r for r in ReportRating.select()
               .where(ReportRating.report.in_(ids))} if ids else {}
    drafts = [Item(title=_l("Unsent report"),
                   facts=((_l("Started on"), format_date(d.created_at)),
                          (_l("Deleted on"), format_date(d.expires_at))),
                   data={"answers": d.answers, "started_at": d.created_at.isoformat()})
              for d in ReportDraft.select().where((ReportDraft.citizen == citizen)
                                                  & ReportDraft.report.is_null())]
    follows = [Item(title=_l("You follow report %(code)s", code=f.report.code),
                    facts=((_l("Since"), format_date(f.created_at)),),
                    data={"report": f.report.code, "since": f.created_at.isoformat()})
               for f in ReportFollower.select().where(ReportFollower.citizen == citizen)]
    return drafts + follows + [_report(r, decided.get(r.id), ratings.get(r.id))
                               for r in reports]


def erase(citizen) -> int:
    drafts = list(ReportDraft.select().where((ReportDraft.citizen == citizen)
                                             & ReportDraft.report.is_null()))
    for draft in drafts:
        services.discard_draft(draft)
    follows = ReportFollower.delete().where(ReportFollower.citizen == citizen).execute()
    return len(drafts) + follows


REPORTS = Section("reports", _l("Your reports"), collect, erase, order=30)


def purge_drafts() -> str:
    with database.connection_context():
        count = services.purge_expired_drafts()
    return f"Deleted {count} expired report draft(s)."


def ask_still_fixed(now: dt.datetime | None = None) -> str:
    """Four weeks after "fixed", ask the reporter once whether it is still fixed."""
    cutoff = (now or utcnow()) - STILL_FIXED_AFTER
    with database.connection_context():
        due = list(Report.select().join(ReportOutcome, on=(ReportOutcome.report == Report.id))
                   .where((Report.status == lc.FIXED) & Report.fixed_check_sent_at.is_null()
                          & (ReportOutcome.decided_at <= cutoff)))
        for report in due:
            with database.atomic():
                changed = (Report.update(fixed_check_sent_at=now or utcnow())
                           .where((Report.id == report.id)
                                  & Report.fixed_check_sent_at.is_null()).execute())
                if changed:
                    messages.still_fixed(report, still_fixed.link(report))
    return f"Asked {len(due)} reporter(s) whether the problem is still fixed."
