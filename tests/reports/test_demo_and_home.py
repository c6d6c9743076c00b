"""The home page leads to reports; `make run` shows a few demo reports once."""

from __future__ import annotations

from tests.conftest import make_app, prepare_database
from webapp.core.db import database
from webapp.places.models import Commune
from webapp.reports import lifecycle as lc
from webapp.reports.demo import DEMO_COMMUNE, load_demo_reports
from webapp.reports.models import Report


def test_home_has_a_tile_to_report_a_problem(client_page):
    page = client_page("site.home")
    assert 'href="/phan-anh"' in page.html and "Phản ánh, kiến nghị" in page.text


def test_demo_reports_are_loaded_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    prepare_database(url)
    app = make_app(url, UPLOAD_DIR=str(tmp_path / "uploads"))
    with app.app_context(), database.connection_context():
        assert "5 in commune" in load_demo_reports()[0]
        assert "already there" in load_demo_reports()[0]
        commune = Commune.get(Commune.code == DEMO_COMMUNE)
        statuses = {r.status for r in Report.select().where(Report.commune == commune)}
    assert {lc.SUBMITTED, lc.RECEIVED, lc.FIXED} <= statuses
