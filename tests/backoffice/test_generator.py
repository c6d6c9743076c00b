"""The generator of demo dossiers writes histories the lifecycle could have written."""

from __future__ import annotations

import datetime as dt

from webapp.backoffice.generator import generate
from webapp.core import clock
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import steps
from webapp.dossiers.lifecycle import DEADLINES
from webapp.tracking.deadlines import status_changes


def test_generated_dossiers_have_consistent_histories_due_dates_and_outcomes(in_app):
    from webapp.dossiers.models import Dossier, DossierEvent, DossierOutcome

    first_new = (Dossier.select(Dossier.id).order_by(Dossier.id.desc()).scalar() or 0) + 1
    generate(300, seed=7, today=dt.date(2026, 11, 20))
    dossiers = list(Dossier.select().where(Dossier.id >= first_new))
    assert len(dossiers) == 300
    assert {d.status for d in dossiers} >= {lc.SUBMITTED, lc.RECEIVED, lc.CLOSED}
    for dossier in dossiers[:60]:
        events = list(DossierEvent.select().where(DossierEvent.dossier == dossier)
                      .order_by(DossierEvent.created_at, DossierEvent.id))
        assert events[0].to_status == lc.SUBMITTED and events[-1].to_status == dossier.status
        assert dossier.version == len(events)
        for before, after in zip(events, events[1:], strict=False):
            assert lc.next_status(before.to_status, _action(before.to_status, after.to_status),
                                  "citizen" if after.to_status == lc.PAPERS_ADDED else "staff")
        changes = status_changes(steps.KIND, dossier.id)
        assert dossier.due_date == DEADLINES.due_date(
            clock.local_date(dossier.submitted_at), dossier.procedure.processing_working_days,
            changes)
        decided = dossier.status in (lc.APPROVED, lc.REFUSED, lc.CLOSED)
        assert (DossierOutcome.get_or_none(DossierOutcome.dossier == dossier) is not None) \
            == decided


def _action(source, target):
    return next(a.key for a in lc.ACTIONS.values() if source in a.sources and a.target == target)


def test_demo_dossiers_fill_every_group_of_the_demo_officers_queues(tmp_path):
    from peewee import fn

    from tests.conftest import make_app, prepare_database
    from webapp.accounts.demo import load_demo_accounts
    from webapp.backoffice.demo import load_demo_dossiers
    from webapp.core.db import database
    from webapp.dossiers.models import Dossier
    from webapp.places.models import Commune

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    prepare_database(url)
    app = make_app(url, UPLOAD_DIR=str(tmp_path / "uploads"))
    with app.app_context(), database.connection_context():
        load_demo_accounts()
        assert "1680 demo dossiers" in load_demo_dossiers()[0]
        assert load_demo_dossiers() == ["Back office: demo dossiers already there."]
        commune = Commune.get(Commune.code == "25459")
        statuses = dict(Dossier.select(Dossier.status, fn.COUNT(Dossier.id))
                        .where(Dossier.commune == commune).group_by(Dossier.status).tuples())
    assert set(statuses) >= {lc.SUBMITTED, lc.RECEIVED, lc.MORE_PAPERS_REQUESTED, lc.CLOSED}
