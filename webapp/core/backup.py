"""Backups and restores of the database, taken while the app keeps working
(`flask db backup PATH`, `flask db restore PATH`; docs/operations.md).

SQLite: the online backup API of SQLite itself (`sqlite3.Connection.backup`). It copies the
database in one step inside a read transaction, so the copy is one consistent moment even while
requests write (WAL mode lets writers carry on meanwhile). The copy is written beside the target
and renamed into place only once `PRAGMA integrity_check` says it is sound, so a failed backup
never leaves a half-written file under the expected name. A restore checks the backup the same
way, then copies it into the live database file with the same API (one transaction: a reader
sees the old database or the new one, never a mix).

PostgreSQL: PostgreSQL's own tools, `pg_dump -Fc` (a consistent snapshot, compressed, restorable
table by table) and `pg_restore --clean --if-exists --single-transaction`. Only the schema the
app uses is dumped when its URL names one (`options=-csearch_path=...`), the whole database
otherwise. The URL's peewee-only parameters (pool sizes, `stale_timeout`) are left out of what
the tools are given.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

# The parameters libpq understands in a URL (the rest are peewee's: pool sizes and timeouts).
LIBPQ_PARAMETERS = {
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "options",
    "connect_timeout", "application_name", "sslmode", "sslcert", "sslkey", "sslrootcert",
    "sslpassword", "target_session_attrs", "gssencmode", "channel_binding",
}


class BackupError(RuntimeError):
    """A backup or restore that could not be made; the message says why."""


def sqlite_path(url: str) -> Path | None:
    """The file of a sqlite:/// URL, or None for any other database."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    if path == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(path)


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at `url` to `target`."""
    source = sqlite_path(url)
    if source is None:
        return _pg_dump(url, target)
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    return _sqlite_backup(source, target)


def restore(url: str, backup_file: Path) -> None:
    """Replace the database at `url` by the content of `backup_file`."""
    if not backup_file.is_file():
        raise BackupError(f"There is no backup at {backup_file}.")
    target = sqlite_path(url)
    if target is None:
        _pg_restore(url, backup_file)
    else:
        _sqlite_restore(backup_file, target)


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_backup(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    with _sqlite(source) as live, _sqlite(partial) as copy:
        live.backup(copy)  # pages=-1: every page in one step, one consistent snapshot
        # A single file, readable without its -wal: a backup is copied around on its own.
        copy.execute("PRAGMA journal_mode=DELETE")
    _check(partial)
    os.replace(partial, target)
    return target


def _sqlite_restore(backup_file: Path, target: Path) -> None:
    _check(backup_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _sqlite(backup_file) as saved, _sqlite(target) as live:
        live.execute("PRAGMA busy_timeout=10000")
        saved.backup(live)
        live.execute("PRAGMA journal_mode=WAL")


def _sqlite(path: Path):
    """A connection that is closed at the end of the `with` (sqlite3's own only commits)."""

    class Closing:
        def __enter__(self):
            self.connection = sqlite3.connect(path)
            return self.connection

        def __exit__(self, *exc):
            self.connection.close()

    return Closing()


def _check(path: Path) -> None:
    with _sqlite(path) as connection:
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a sound SQLite database: {error}") from error
        tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
        if verdict != "ok" or not tables.fetchone()[0]:
            raise BackupError(f"{path} is not a sound SQLite database: {verdict}")


# --- PostgreSQL -------------------------------------------------------------------------------


def libpq_url(url: str) -> str:
    """The URL as PostgreSQL's tools take it: postgresql:// with libpq's parameters only."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k in LIBPQ_PARAMETERS]
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), ""))


def schema_of(url: str) -> str | None:
    """The schema named by `options=-csearch_path=...` in the URL, if any."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "options":
            for option in unquote(value).split():
                if option.startswith("-csearch_path="):
                    return option.removeprefix("-csearch_path=").split(",")[0] or None
    return None


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _pg_dump(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    schema = schema_of(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          *([f"--schema={schema}"] if schema else []), f"--file={partial}",
          f"--dbname={libpq_url(url)}"])
    os.replace(partial, target)
    return target


def _pg_restore(url: str, backup_file: Path) -> None:
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={libpq_url(url)}",
          str(backup_file)])
