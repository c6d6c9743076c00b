"""Prometheus metrics at /metrics (core/metrics.py): refused without the token, counts that move
with requests by route pattern and status, latency histograms, the outbox's depth, age and
failures, uploads refused; and gunicorn's multiprocess mode adding up its workers."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.backoffice.conftest import in_app  # noqa: F401
from tests.conftest import make_app
from webapp.config import PROJECT_ROOT

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def app(database_url):
    return make_app(database_url, METRICS_TOKEN=TOKEN)


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return parse(response.get_data(as_text=True))


def parse(text: str) -> dict[tuple, float]:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_refused_without_the_token_and_absent_without_one_configured(app, database_url):
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
    unconfigured = make_app(database_url).test_client()
    assert unconfigured.get("/metrics", headers={
        "Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_requests_are_counted_by_route_pattern_and_status(app):
    client = app.test_client()
    before = scrape(client)
    for _ in range(3):
        client.get("/tra-cuu-ho-so/TN-7K4-Q2M9")  # any code: counted under the pattern
    client.get("/khong-co-trang-nay")
    after = scrape(client)
    moved = {key: after[key] - before.get(key, 0.0) for key in after
             if key[0] == "webapp_requests_total" and after[key] != before.get(key, 0.0)}
    routes = {dict(key[1])["route"] for key in moved}
    assert {"<unmatched>", "/tra-cuu-ho-so/<code>"} <= routes
    assert not any("TN-7K4" in route for route in routes)
    assert sum(moved.values()) >= 5  # three look-ups, the 404 and the first scrape
    assert value(after, "webapp_request_seconds_count", method="GET", route="<unmatched>") >= 1
    assert any(key[0] == "webapp_request_seconds_bucket" for key in after)


@pytest.mark.usefixtures("in_app")
def test_the_outbox_depth_age_and_failures(app):
    from webapp.notifications.models import FAILED, PENDING, OutboxMessage

    client = app.test_client()
    before = scrape(client)
    hour_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
    made = [OutboxMessage.create(template="t", phone="0912000111", data={}, text="x",
                                 reference=f"metrics-{uuid.uuid4().hex}", status=status,
                                 created_at=hour_ago)
            for status in (PENDING, PENDING, FAILED)]
    try:
        after = scrape(client)
        assert value(after, "webapp_outbox_depth") - value(before, "webapp_outbox_depth") == 2
        assert value(after, "webapp_outbox_failed") - value(before, "webapp_outbox_failed") == 1
        assert value(after, "webapp_outbox_messages", status="pending") >= 2
        assert value(after, "webapp_outbox_oldest_waiting_seconds") >= 3600
        assert "0912000111" not in client.get(
            "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    finally:
        for message in made:
            message.delete_instance()


@pytest.mark.usefixtures("in_app")
def test_refused_uploads_are_counted_by_reason(app):
    from webapp.uploads import storage
    from webapp.uploads.errors import UploadRejected

    client = app.test_client()
    before = value(scrape(client), "webapp_uploads_refused_total", reason="not_supported")
    with pytest.raises(UploadRejected):
        storage.store_upload(b"this is not a photo of a paper" * 10)
    after = value(scrape(client), "webapp_uploads_refused_total", reason="not_supported")
    assert after == before + 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_workers_add_up_in_the_multiprocess_folder(sqlite_url, tmp_path):
    """Two workers count in files of PROMETHEUS_MULTIPROC_DIR; /metrics adds them all up."""
    port, folder = free_port(), tmp_path / "metrics"
    environment = {**os.environ, "DATABASE_URL": sqlite_url, "METRICS_TOKEN": TOKEN,
                   "PROMETHEUS_MULTIPROC_DIR": str(folder), "SECRET_KEY": "x" * 40,
                   "UPLOAD_DIR": str(tmp_path / "uploads")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "webapp:create_app()"], cwd=PROJECT_ROOT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/quyen-rieng-tu", timeout=30)  # workers warm up first
                break
            except (requests.ConnectionError, requests.Timeout):
                assert server.poll() is None and time.monotonic() < deadline, (
                    server.stderr.read().decode() if server.poll() is not None else "timeout")
                time.sleep(0.2)

        def scraped():
            return parse(requests.get(f"{base}/metrics", timeout=30,
                                      headers={"Authorization": f"Bearer {TOKEN}"}).text)

        before = scraped()
        for _ in range(20):
            requests.get(f"{base}/quyen-rieng-tu", timeout=30, headers={"Connection": "close"})
        after = scraped()
        for name, labels in (("webapp_requests_total", {"status": "200"}),
                             ("webapp_request_seconds_count", {})):
            moved = (value(after, name, method="GET", route="/quyen-rieng-tu", **labels)
                     - value(before, name, method="GET", route="/quyen-rieng-tu", **labels))
            assert moved == 20, name
        assert list(folder.glob("counter_*.db")), "the workers count in the folder"
    finally:
        server.terminate()
        server.wait(timeout=30)
