"""Backups and restores (`flask db backup PATH`, `flask db restore PATH`): a backup taken while
the app writes is one consistent moment; restored into a fresh database it holds every table
row for row (SQLite, and PostgreSQL into a scratch database the test creates and drops)."""

from __future__ import annotations

import sqlite3
import threading
import uuid

import pytest

from tests.conftest import make_app
from tests.databases import POSTGRES_URL
from webapp.core import backup


def sqlite_tables(path) -> dict[str, list[tuple]]:
    """Every table's rows, in a stable order."""
    with sqlite3.connect(path) as connection:
        names = [n for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(),
                             key=repr) for name in names}


def postgres_tables(url) -> dict[str, list[tuple]]:
    import psycopg

    schema = backup.schema_of(url)
    with psycopg.connect(backup.libpq_url(url)) as connection:
        names = [n for (n,) in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "AND table_type = 'BASE TABLE' ORDER BY table_name", (schema,))]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(),
                             key=repr) for name in names}


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_sqlite_backup_restores_into_a_fresh_database_table_for_table(sqlite_url, tmp_path):
    from tests.backoffice.conftest import make_dossier

    source = make_app(sqlite_url)
    with source.app_context():
        make_dossier()  # a citizen, a dossier and its event, beside the communes and catalogue
    saved = tmp_path / "saved" / "backup.db"
    assert "Backup written to" in run(source, "backup", str(saved))
    fresh = make_app(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert "restored" in run(fresh, "restore", "--yes", str(saved))
    before, after = sqlite_tables(sqlite_url.removeprefix("sqlite:///")), sqlite_tables(
        tmp_path / "fresh.db")
    assert set(before) == set(after) and len(before) > 20
    for table, rows in before.items():
        assert after[table] == rows, table
    assert before["dossier"] and before["commune"] and before["schema_migration"]


def test_a_sqlite_backup_taken_while_the_app_writes_is_one_consistent_moment(tmp_path):
    live = tmp_path / "live.db"
    with sqlite3.connect(live) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY, batch INTEGER)")
    stop, batches = threading.Event(), []

    def write():
        writer = sqlite3.connect(live, timeout=10)
        batch = 0
        while not stop.is_set():
            with writer:  # ten rows a transaction: a consistent copy has a multiple of ten
                writer.executemany("INSERT INTO pair (batch) VALUES (?)", [(batch,)] * 10)
            batch += 1
            batches.append(batch)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(batches) < 50:
            stop.wait(0.01)
        copies = [backup.backup(f"sqlite:///{live}", tmp_path / f"copy-{n}.db") for n in range(5)]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            count, complete = connection.execute(
                "SELECT count(*), count(DISTINCT batch) * 10 FROM pair").fetchone()
        assert count > 0 and count == complete


def test_a_broken_backup_is_refused_and_leaves_the_database_alone(tmp_path):
    live = tmp_path / "live.db"
    with sqlite3.connect(live) as connection:
        connection.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)")
        connection.execute("INSERT INTO kept VALUES (1)")
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(backup.BackupError, match="not a sound SQLite database"):
        backup.restore(f"sqlite:///{live}", broken)
    assert sqlite_tables(live) == {"kept": [(1,)]}
    with pytest.raises(backup.BackupError, match="no backup"):
        backup.restore(f"sqlite:///{live}", tmp_path / "missing.db")


def test_the_restore_asks_before_replacing_the_database(sqlite_url, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'fresh.db'}")
    saved = tmp_path / "saved.db"
    run(make_app(sqlite_url), "backup", str(saved))
    result = app.test_cli_runner().invoke(args=["db", "restore", str(saved)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert not (tmp_path / "fresh.db").exists() or sqlite_tables(tmp_path / "fresh.db") == {}


def test_the_tools_get_libpq_parameters_only():
    url = ("postgres://app:secret@db:5432/province?max_connections=20&stale_timeout=300"
           "&sslmode=require&options=-csearch_path%3Dtest_abc")
    assert backup.libpq_url(url) == ("postgresql://app:secret@db:5432/province?sslmode=require"
                                     "&options=-csearch_path%3Dtest_abc")
    assert backup.schema_of(url) == "test_abc" and backup.schema_of(POSTGRES_URL) is None


def test_a_postgres_dump_restores_into_a_scratch_database_table_for_table(postgres_url,
                                                                          tmp_path):
    """pg_dump -Fc of the session's schema, pg_restore into a database made for the test."""
    import psycopg

    from tests.backoffice.conftest import make_dossier

    source = make_app(postgres_url)
    with source.app_context():
        make_dossier()
    saved = tmp_path / "province.dump"
    run(source, "backup", str(saved))
    assert saved.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    scratch = f"restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {scratch}")
    scratch_url = postgres_url.replace("/test?", f"/{scratch}?", 1)
    try:
        run(make_app(scratch_url), "restore", "--yes", str(saved))
        before, after = postgres_tables(postgres_url), postgres_tables(scratch_url)
        assert set(before) == set(after) and len(before) > 20
        for table, rows in before.items():
            assert after[table] == rows, table
        assert before["dossier"] and before["commune"]
        # Restoring again over the restored copy replaces it (--clean), it does not add to it.
        run(make_app(scratch_url), "restore", "--yes", str(saved))
        assert postgres_tables(scratch_url) == after
    finally:
        from webapp.core import db

        if db.database.obj is not None:
            db.database.obj.close_all()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
