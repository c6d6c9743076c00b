"""Two app instances behind HAProxy: a citizen moves between them mid-wizard and loses nothing.

The parts a province outgrowing one server would run (docs/operations.md, "More than one
machine"): two gunicorn instances started as `make run` starts one, HAProxy (Debian's)
balancing round-robin between them, one PostgreSQL (a schema of its own on the machine's
server), rate limits in Redis (a database number of its own) and the photos in one store both
instances read and write.

Bà Tư, in Chromium through HAProxy, signs in on instance A, answers the wizard's steps on A and
B in turn, sends a photo of each side of her ID card to one instance and sees the thumbnails
from the other, and sends the dossier from the other again. Each step asks HAProxy for an
instance by name (the X-Instance header) and checks from HAProxy's X-Served-By which one
answered. Afterwards the database holds exactly one dossier, with both photos, and one message
queued for her.

About 2 minutes on a busy machine (a migrated PostgreSQL schema and two warming gunicorns), so it
runs by its own command, `make cluster-test`, not inside `make test`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from contextlib import ExitStack
from itertools import cycle

import psycopg
import pytest
import redis
from playwright.sync_api import expect

from tests.accounts.helpers import unique_phone
from tests.bench.run import ROOT, free_port
from tests.browser.test_dossiers import continue_, fill_date, heading, photo_of_paper, upload
from tests.cluster.servers import ObjectStore, app_instances, haproxy
from tests.databases import PostgresSchema, postgres_reachable

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("CLUSTER_TESTS") != "1",
                       reason="starts two gunicorns, HAProxy and a PostgreSQL schema (over 45 s): "
                              "run it with `make cluster-test`"),
]

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database number no other test uses
SLUG = "tro-cap-xa-hoi-hang-thang"


def prepared_schema() -> PostgresSchema:
    """A migrated schema with the catalogue, made in another process (this one's database
    binding stays untouched)."""
    schema = PostgresSchema()
    schema.create()
    code = f"from tests.conftest import prepare_database; prepare_database({schema.url!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    return schema


def cluster_env(database_url: str, store: dict, balancer_port: int) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
            "SECRET_KEY": "cluster-test-secret-shared-by-every-instance", **store,
            "LOG_LEVEL": "INFO", "PROXY_COUNT": "1",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{balancer_port}"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    folder = tmp_path_factory.mktemp("cluster")
    schema = prepared_schema()
    balancer_port, store = free_port(), ObjectStore(folder)
    try:
        with ExitStack() as stack:
            env = cluster_env(schema.url, store.settings(stack), balancer_port)
            instances = stack.enter_context(app_instances(env, folder))
            port = stack.enter_context(haproxy(instances, folder, balancer_port))
            if store.note:
                print(f"\nUploads: {store.note}")
            yield f"http://127.0.0.1:{port}", schema.url, store
    finally:
        schema.drop()


def query(url: str, sql: str, *args):
    with psycopg.connect(url) as connection:
        return connection.execute(sql, args).fetchall()


class Instances:
    """Which instance the browser's next requests go to, and a check of who answered."""

    def __init__(self, page) -> None:
        self.page, self.turns = page, cycle("ab")
        self.name = "a"
        page.context.set_extra_http_headers({"X-Instance": "a"})

    def next(self) -> str:
        self.name = next(self.turns)
        self.page.context.set_extra_http_headers({"X-Instance": self.name})
        return self.name

    def answered(self, action) -> None:
        """Do `action` and check that the instance asked for answered its page or fragment."""
        with self.page.expect_response(lambda r: r.request.resource_type in ("document", "xhr",
                                                                             "fetch")
                                       and "/static/" not in r.url) as response:
            action()
        assert response.value.headers.get("x-served-by") == self.name, response.value.url


def sign_in(page, instances: Instances, database_url: str) -> str:
    phone = unique_phone()
    page.goto("/thu-tuc/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Số điện thoại di động của Ông/Bà").fill(phone)
    instances.answered(lambda: page.get_by_role("button", name="Gửi mã").click())
    [(data,)] = query(database_url, "SELECT data FROM outbox_message WHERE phone = %s "
                        "AND template = 'accounts_sign_in_code'", phone)
    page.get_by_label("Nhập mã xác nhận").fill(json.loads(data)["code"])  # JSON kept as text
    instances.answered(lambda: page.get_by_role("button", name="Xác nhận").click())
    return phone


def answer_steps(page, instances: Instances) -> None:
    """Each question on the next instance in turn, until the photo step."""
    answers = {
        "Họ và tên": lambda: page.get_by_role("textbox").first.fill("Nguyễn Thị Tư"),
        "Ngày sinh": lambda: fill_date(page, "24", "11", "1953"),
        "Số thẻ căn cước": lambda: page.get_by_label(re.compile("Số thẻ căn cước")).fill(
            "072053001234"),
        "hoàn cảnh nào": lambda: page.get_by_label(
            re.compile("Người cao tuổi thuộc hộ nghèo")).check(),
        "nghĩa vụ phụng dưỡng": lambda: page.get_by_label("Không", exact=True).check(),
        "nhận tiền trợ cấp": lambda: page.get_by_label(re.compile("Nhận tiền mặt")).check(),
        # The commune and the street, one page ("Nơi ở hiện nay", a group of the form).
        "Nơi ở hiện nay": lambda: (
            page.get_by_label("Hoặc chọn trong danh sách").select_option(index=1),
            page.get_by_label("Địa chỉ nơi ở").fill("Ấp Thạnh Đông, số nhà 12")),
    }
    for _ in range(len(answers) + 1):
        title = heading(page).inner_text()
        if title.startswith("Ảnh thẻ căn cước"):
            return
        fill = next((f for key, f in answers.items() if key in title), None)
        assert fill, f"an unexpected step: {title}"
        fill()
        instances.next()
        instances.answered(lambda: continue_(page, javascript=True))
        expect(heading(page)).not_to_have_text(title)
    raise AssertionError("the photo step never came")


def test_a_citizen_moves_between_instances_mid_wizard_and_nothing_is_lost(cluster, browser,
                                                                           tmp_path):
    base, database_url, store = cluster
    context = browser.new_context(base_url=base, viewport={"width": 360, "height": 740},
                                  locale="vi-VN")
    page = context.new_page()
    instances = Instances(page)
    phone = sign_in(page, instances, database_url)

    instances.next()  # B shows the procedure and starts the draft
    page.goto(f"/nop-ho-so/{SLUG}")
    instances.next()
    instances.answered(lambda: page.get_by_role("button", name="Bắt đầu").click())
    answer_steps(page, instances)

    photos_on = instances.next()
    for seed, side in ((3, "mặt trước"), (8, "mặt sau")):
        upload(page, True, photo_of_paper(tmp_path, seed), side=side)
        expect(page.get_by_role("heading", name=f"{side.capitalize()}: đã chụp")).to_be_visible()
    thumbnails_on = instances.next()
    assert thumbnails_on != photos_on
    instances.answered(page.reload)
    for side in ("trước", "sau"):
        thumbnail = page.get_by_role("img", name=re.compile(f"Ảnh mặt {side}"))
        expect(thumbnail).to_be_visible()
        answer = page.request.get(thumbnail.get_attribute("src"),
                                  headers={"X-Instance": thumbnails_on})
        assert answer.ok and answer.headers["content-type"].startswith("image/")
        assert answer.headers["x-served-by"] == thumbnails_on
        assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) > 0

    instances.next()
    instances.answered(lambda: continue_(page, javascript=True))
    expect(heading(page)).to_have_text("Kiểm tra lại thông tin trước khi gửi")
    page.get_by_label(re.compile("Tôi cam đoan")).check()
    page.get_by_label(re.compile("Tôi đồng ý")).check()
    instances.next()
    instances.answered(lambda: page.get_by_role("button", name="Gửi hồ sơ").click())
    expect(heading(page)).to_have_text("Đã gửi hồ sơ")
    code = page.locator(".dossier-code").inner_text()
    context.close()

    dossiers = query(database_url, "SELECT d.id, d.code FROM dossier d JOIN citizen c "
                       "ON c.id = d.citizen_id WHERE c.phone = %s", phone)
    assert [c for _id, c in dossiers] == [code]
    [(dossier_id, _code)] = dossiers
    attached = query(database_url, "SELECT storage_name FROM attachment WHERE dossier_id = %s",
                       dossier_id)
    assert len(attached) == 2
    stored = store.names()
    assert all(name in stored for (name,) in attached)  # in the store both instances use
    queued = query(database_url, "SELECT template FROM outbox_message WHERE reference LIKE %s",
                     f"dossier-{dossier_id}-%")
    assert queued == [("dossier_submitted",)]
    # The sign-in code's rate limits were counted in the shared Redis, not in each instance.
    assert redis.Redis.from_url(REDIS_URL).keys("rl:*")
    assert query(database_url, "SELECT count(*) FROM rate_limit_hit") == [(0,)]
