"""Fixtures for the accounts room's tests: a client from its own address, CSRF-aware posts,
and reading the codes that went to the outbox."""

from __future__ import annotations

import random
from contextlib import contextmanager

import pytest

from tests.accounts.outbox import last_code_to, messages_to
from webapp.core.db import database


@pytest.fixture
def client(app):
    """A test client with an address of its own, so per-address rate limits of one test never
    spill into another (the database lives for the whole session)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.{random.randrange(256)}.{random.randrange(256)}." \
                                         f"{random.randrange(1, 255)}"
    return client


def csrf_token(client) -> str:
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    if not token:
        client.get("/")
        with client.session_transaction() as session:
            token = session["csrf_token"]
    return token


@pytest.fixture
def post(client):
    """POST a form with this visitor's CSRF token (as the pages' forms do)."""

    def send(path: str, **form):
        return client.post(path, data={"csrf_token": csrf_token(client), **form})

    return send


@pytest.fixture
def db(app):
    """`with db():` opens an app context and a connection for reading and arranging rows.

    Never hold it around requests: the test client would reuse its `g` for every request.
    """

    @contextmanager
    def opened():
        with app.app_context(), database.connection_context():
            yield database

    return opened


@pytest.fixture
def outbox(app):
    """Read what was queued: `outbox.code(phone)`, `outbox.messages(phone)`."""

    class Reader:
        @staticmethod
        def code(phone: str) -> str:
            with app.app_context(), database.connection_context():
                return last_code_to(phone)

        @staticmethod
        def messages(phone: str, template: str | None = None) -> list[dict]:
            with app.app_context(), database.connection_context():
                return messages_to(phone, template)

    return Reader()
