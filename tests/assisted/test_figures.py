"""The figures of helping for the province office: time to first contact counted in office
hours of working days, outcomes and dossiers sent with help by commune and month, the page
and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from tests.accounts.helpers import create_staff, first_communes, sign_in_staff, unique_phone
from tests.backoffice.conftest import make_dossier
from tests.mandates.helpers import given_mandate
from webapp.accounts.models import ADMIN, OFFICER, VOLUNTEER
from webapp.assisted import figures
from webapp.assisted import help_requests as service
from webapp.assisted.models import HelpRequest
from webapp.core.clock import local_to_utc, utcnow
from webapp.dossiers.models import Dossier

# Monday 7 December 2026 and the days around it (local time, turned into UTC).
FRIDAY_1630 = local_to_utc(dt.datetime(2026, 12, 4, 16, 30))
MONDAY_0745 = local_to_utc(dt.datetime(2026, 12, 7, 7, 45))
MONDAY_1200 = local_to_utc(dt.datetime(2026, 12, 7, 12, 0))
MONDAY_1400 = local_to_utc(dt.datetime(2026, 12, 7, 14, 0))


def test_only_office_hours_of_working_days_count():
    assert figures.working_minutes(FRIDAY_1630, MONDAY_0745) == 30 + 45
    assert figures.working_minutes(MONDAY_1200, MONDAY_1400) == 30  # the lunch break is not
    assert figures.working_minutes(MONDAY_1400, MONDAY_1200) == 0


def _closed_request(app, commune, outcome, submitted, contacted):
    with app.test_request_context(environ_base={"REMOTE_ADDR": f"10.9.{commune.id % 250}.1"}):
        item = service.ask(phone=unique_phone(), commune=commune, topic="dossier", details="",
                           request_key=f"fig-{unique_phone()}-{unique_phone()}")
    helper = create_staff(app, role=VOLUNTEER, communes=[commune])
    service.take(item, helper, 1)
    service.close(HelpRequest.get_by_id(item.id), helper, outcome)
    HelpRequest.update(submitted_at=submitted, first_contact_at=contacted).where(
        HelpRequest.id == item.id).execute()


def test_figures_by_commune_and_month_and_the_csv(app, in_app, client):
    here, _other = first_communes(2)
    now = utcnow()
    _closed_request(app, here, "helped_by_phone", now - dt.timedelta(hours=30), now)
    _closed_request(app, here, "not_reached", now - dt.timedelta(hours=2), None)
    mandate = given_mandate(app, commune=here)
    helped = make_dossier(commune=here, submitted_at=now - dt.timedelta(hours=1))
    Dossier.update(mandate=mandate.id).where(Dossier.id == helped.id).execute()
    found = [row for row in figures.rows(now - dt.timedelta(days=3))
             if row.commune == here.name]
    total = figures.totals(found)
    assert total.requests >= 2 and total.outcomes["not_reached"] >= 1
    assert total.outcomes["helped_by_phone"] >= 1 and total.dossiers_with_help >= 1

    sign_in_staff(client, role=ADMIN)
    page = client.get("/can-bo/giup-do/so-lieu")
    assert page.status_code == 200 and here.name in page.get_data(as_text=True)
    table = list(csv.reader(io.StringIO(client.get("/can-bo/giup-do/so-lieu.csv")
                                        .get_data(as_text=True))))
    assert table[0][:3] == ["commune", "month", "help_requests"]
    assert any(line[0] == here.name for line in table[1:])


def test_officers_and_volunteers_do_not_see_the_province_figures(app, in_app):
    for role in (OFFICER, VOLUNTEER):
        client = app.test_client()
        sign_in_staff(client, role=role)
        assert client.get("/can-bo/giup-do/so-lieu").status_code == 403
