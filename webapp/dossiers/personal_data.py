"""What the dossiers room holds about a citizen, for "Dữ liệu của tôi" and deletion requests,
and the retention of the photos of decided dossiers.

Unsent drafts are hers to delete at any time. A sent dossier is an administrative record: it is
kept while the commune processes it and, once decided, for DOSSIER_KEEP_YEARS in the archive,
whatever she asks (Law 91/2025 art. 14 lets data kept by law stay; she is told why and until
when). Photos of her papers are not the record: they are deleted PHOTO_RETENTION_DAYS after the
decision by the daily housekeeping.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core.clock import local_date, utcnow, years_after
from webapp.core.db import database
from webapp.core.i18n import current_language
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import services
from webapp.dossiers.models import (
    Attachment,
    Dossier,
    DossierDraft,
    DossierOutcome,
    DossierRating,
)
from webapp.dossiers.summary import dossier_answers
from webapp.uploads import storage

BEING_PROCESSED = _l("Kept while the commune processes it")
IN_THE_ARCHIVE = _l("An administrative record: kept in the archive as the law requires")


def _title(record) -> str:
    return record.procedure.content[current_language()]["title"]


def _draft(draft: DossierDraft) -> Item:
    return Item(title=_l("Unsent draft: %(title)s", title=_title(draft)),
                facts=((_l("Started on"), format_date(draft.created_at)),
                       (_l("Deleted on"), format_date(draft.expires_at))),
                data={"procedure": draft.procedure.code, "answers": draft.answers,
                      "started_at": draft.created_at.isoformat()})


def _kept(dossier: Dossier, decided_at: dt.datetime | None) -> tuple[object, dt.date | None]:
    if dossier.status not in lc.DECIDED_STATUSES or decided_at is None:
        return BEING_PROCESSED, None
    return IN_THE_ARCHIVE, years_after(local_date(decided_at),
                                       current_app.config["DOSSIER_KEEP_YEARS"])


def _dossier(dossier: Dossier, decided_at, rating) -> Item:
    papers = list(Attachment.of_dossier(dossier.id))
    answers = dossier_answers(dossier, current_language())
    because, until = _kept(dossier, decided_at)
    return Item(
        title=_l("Dossier %(code)s: %(title)s", code=dossier.code, title=_title(dossier)),
        facts=((_l("Sent on"), format_date(dossier.submitted_at)),
               (_l("Where it is now"), str(lc.public_label(dossier.status))),
               (_l("Handled by"), dossier.commune.name), *answers,
               (_l("Photos of papers"), str(len(papers))),
               (_l("Your rating"), f"{rating.score}/5" if rating else "—")),
        data={"code": dossier.code, "procedure": dossier.procedure.code,
              "status": dossier.status, "submitted_at": dossier.submitted_at.isoformat(),
              "answers": dossier.answers, "contact_phone": dossier.contact_phone,
              "photos": len(papers), "rating": rating.score if rating else None,
              "rating_comment": rating.comment if rating else None},
        opened_as=(("dossier", str(dossier.id)),
                   *(("attachment", str(paper.id)) for paper in papers)),
        kept_because=because, kept_until=until)


def collect(citizen) -> list[Item]:
    dossiers = list(Dossier.of_citizen(citizen))
    ids = [d.id for d in dossiers]
    decided = dict(DossierOutcome.select(DossierOutcome.dossier, DossierOutcome.decided_at)
                   .where(DossierOutcome.dossier.in_(ids)).tuples()) if ids else {}
    ratings = {r.dossier_id: r for r in DossierRating.select()
               .where(DossierRating.dossier.in_(ids))} if ids else {}
    drafts = [_draft(d) for d in DossierDraft.in_progress(citizen)]
    return drafts + [_dossier(d, decided.get(d.id), ratings.get(d.id)) for d in dossiers]


def erase(citizen) -> int:
    """Her unsent drafts and their photos go; sent dossiers are records (see above)."""
    drafts = list(DossierDraft.in_progress(citizen))
    for draft in drafts:
        services.discard_draft(draft)
    return len(drafts)


def purge_decided_photos(now: dt.datetime | None = None) -> str:
    """The daily chore: photos of papers of dossiers decided over PHOTO_RETENTION_DAYS ago."""
    cutoff = (now or utcnow()) - dt.timedelta(days=current_app.config["PHOTO_RETENTION_DAYS"])
    old = (Attachment.select().join(DossierOutcome,
                                    on=(Attachment.dossier == DossierOutcome.dossier))
           .where((Attachment.purpose == "paper") & (DossierOutcome.decided_at < cutoff)))
    with database.connection_context():
        names = [attachment.storage_name for attachment in old]
        if names:
            Attachment.delete().where(Attachment.storage_name.in_(names)).execute()
    for name in names:  # after the rows: a crash leaves stray files, which housekeeping removes
        storage.delete(name)
    return f"Deleted {len(names)} photo(s) of papers of dossiers decided long ago."


DOSSIERS = Section("dossiers", _l("Your dossiers"), collect, erase, order=20)
