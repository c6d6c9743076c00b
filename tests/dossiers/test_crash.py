"""Not one dossier lost or duplicated when the server is killed in the middle of a submission.

A real server process (werkzeug, in a subprocess) on a file SQLite database is killed right
after it commits the dossier and before it answers. The citizen's phone sees the connection
drop and sends the same form again to the restarted server: it lands on the receipt of the
dossier that was committed, and there is exactly one.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
import requests

from tests.conftest import make_app, prepare_database
from tests.dossiers.helpers import signed_in_with_draft, submission_key
from webapp.config import PROJECT_ROOT
from webapp.core.db import database
from webapp.dossiers.models import Dossier
from webapp.notifications.models import OutboxMessage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, upload_dir: str, marker: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.dossiers.crash_server", url, str(self.port),
             upload_dir, marker],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


@pytest.fixture
def crash_setup(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    prepare_database(url)
    upload_dir = str(tmp_path / "uploads")
    return url, upload_dir, tmp_path / "kill-after-next-commit"


def test_a_submission_survives_the_server_dying_after_commit(crash_setup):
    url, upload_dir, marker = crash_setup
    app = make_app(url, SERVER_NAME=None, UPLOAD_DIR=upload_dir)
    client = app.test_client()
    _citizen, check = signed_in_with_draft(client)
    key = submission_key(client, check)
    with client.session_transaction() as session:
        csrf_token = session["csrf_token"]
    cookies = {"session": client.get_cookie("session", domain="localhost").value}
    form = {"csrf_token": csrf_token, "submission_key": key, "declaration": "yes",
            "consent": "yes"}
    submit_path = check.replace("/kiem-tra", "/gui")

    marker.touch()
    server = Server(url, upload_dir, str(marker))
    try:
        with pytest.raises(requests.ConnectionError):
            requests.post(server.base + submit_path, data=form, cookies=cookies,
                          allow_redirects=False, timeout=30)
        assert server.process.wait(10) == -9  # killed, not a clean exit
    finally:
        server.stop()

    with app.app_context(), database.connection_context():
        committed = Dossier.get(Dossier.submission_key == key)  # the commit did happen

    server = Server(url, upload_dir, str(marker))
    try:
        retry = requests.post(server.base + submit_path, data=form, cookies=cookies,
                              allow_redirects=False, timeout=30)
        assert retry.status_code == 303
        assert retry.headers["Location"].endswith(f"/ho-so/{committed.code}")
        receipt = requests.get(server.base + f"/ho-so/{committed.code}", cookies=cookies,
                               timeout=30)
        assert receipt.status_code == 200 and committed.code in receipt.text
    finally:
        server.stop()

    with app.app_context(), database.connection_context():
        assert Dossier.select().where(Dossier.submission_key == key).count() == 1
        reference = f"dossier-{committed.id}-submitted"
        assert OutboxMessage.select().where(OutboxMessage.reference == reference).count() == 1
