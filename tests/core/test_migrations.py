"""Migrations an operator runs on a live database: they keep the data already there."""

from __future__ import annotations

import pytest
from playhouse.migrations import Runner

from tests.conftest import make_app
from tests.databases import PostgresSchema, skip_without_postgres
from webapp.core import clock, db


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.db'}"
        return
    skip_without_postgres()
    schema = PostgresSchema()
    yield schema.create()
    schema.drop()


def test_citizens_already_there_can_be_found_by_name_after_upgrading(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context(), db.database.connection_context():
        runner = Runner(db.database.obj, str(db.MIGRATIONS_DIR))
        runner.up("0006_backoffice")
        mark = db.database.param
        db.database.execute_sql(f"INSERT INTO citizen (full_name, address, created_at, updated_at)"
                                f" VALUES ({mark}, '', {mark}, {mark})",
                                ("Đặng Thị Ánh", clock.utcnow(), clock.utcnow()))
        assert runner.up("0007_queue_search") == ["0007_queue_search"]
        folded = db.database.execute_sql("SELECT name_folded FROM citizen").fetchall()
        assert folded == [("dang thi anh",)]
        runner.down()  # and the step back works, for an operator who must undo it
        runner.up()


def test_the_zalo_token_table_comes_and_goes(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context(), db.database.connection_context():
        runner = Runner(db.database.obj, str(db.MIGRATIONS_DIR))
        assert runner.up("0008_zalo_oa_token")[-1] == "0008_zalo_oa_token"
        assert "zalo_oa_token" in db.database.get_tables()
        runner.down()
        assert "zalo_oa_token" not in db.database.get_tables()
        runner.up()
        assert "zalo_oa_token" in db.database.get_tables()


def test_every_migration_can_be_undone_and_done_again(empty_database_url):
    """An operator who must step back from a release can; and the schema comes back whole."""
    app = make_app(empty_database_url)
    with app.app_context(), db.database.connection_context():
        runner = Runner(db.database.obj, str(db.MIGRATIONS_DIR))
        applied = runner.up()
        tables = set(db.database.get_tables())
        dossier_indexes = {index.name for index in db.database.get_indexes("dossier")}
        assert "dossier_figures_idx" in dossier_indexes
        for _ in applied:
            runner.down()
        assert db.database.get_tables() == ["schema_migration"]  # the runner's own record
        assert runner.up() == applied
        assert set(db.database.get_tables()) == tables
        assert {index.name for index in db.database.get_indexes("dossier")} == dossier_indexes
