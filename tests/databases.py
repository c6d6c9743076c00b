"""Test databases: SQLite always, PostgreSQL as well when one is reachable.

Each PostgreSQL test session works in a schema of its own (dropped at the end), so tests never
touch other data in the database and two runs cannot collide.
"""

from __future__ import annotations

import os
import uuid

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_reachable() -> bool:
    """True when the PostgreSQL server of TEST_POSTGRES_URL answers within two seconds."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=2):
            return True
    except Exception:
        return False


def skip_without_postgres() -> None:
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}; these tests run in CI")


class PostgresSchema:
    """A throw-away schema; its URL makes every connection use it through search_path."""

    def __init__(self) -> None:
        self.name = f"test_{uuid.uuid4().hex[:10]}"

    @property
    def url(self) -> str:
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{self.name}"

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> str:
        self._execute(f"CREATE SCHEMA {self.name}")
        return self.url

    def drop(self) -> None:
        self._execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")
