"""The table of SMS texts an operator registers with the brand-name gateway: made from the
registered kinds, it matches what the app really sends (the fake eSMS, holding exactly these
templates, accepts every kind with and without diacritics), and docs/sms-templates.md is
up to date."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from tests.notifications.conftest import enqueue_committed
from webapp.config import PROJECT_ROOT
from webapp.notifications import sms_templates, templates
from webapp.notifications.models import SENT, OutboxMessage

DOCS_PAGE = PROJECT_ROOT / "docs" / "sms-templates.md"
# Realistic values, as long as the rooms make them.
SAMPLES = {
    "code": "TN-7K4-Q2M9",
    "app": "Tây Ninh Smart",
    "app_name": "Tây Ninh Smart",
    "office": "Ủy ban nhân dân Phường Hòa Thành",
    "commune": "Phường Hòa Thành",
    "procedure": "Giải quyết trợ cấp xã hội hằng tháng đối với người cao tuổi",
    "due_date": "12/05/2026",
    "officer_phone": "0276 3822 222",
    "link": "https://dichvucong.tayninh.gov.vn/ho-so/TN-7K4-Q2M9/bo-sung",
    "lookup_url": "https://dichvucong.tayninh.gov.vn/tra-cuu-ho-so",
    "missing": "Bản sao giấy khai sinh có chứng thực; " * 3 + "…",
    "reason": "Ông/Bà chưa đủ 80 tuổi theo giấy tờ đã nộp, đề nghị liên hệ bộ phận một cửa.",
}
APP_KINDS = ("accounts_sign_in_code", "accounts_staff_invitation", "dossier_received",
             "dossier_papers_requested", "dossier_submitted", "test_message")


def _app_rows():
    """The table's rows for the app's own kinds (the tests register kinds of their own)."""
    return [row for row in sms_templates.rows() if not row.key.startswith("test_")
            or row.key == "test_message"]


def test_each_kind_has_its_text_both_ways(notify_app):
    rows = {row.key: row for row in _app_rows()}

    assert set(APP_KINDS) <= set(rows)
    code = rows["accounts_sign_in_code"]
    assert code.placeholders == ("{P1,20} code", "{P2,40} app")
    assert code.with_marks.startswith("{P1,20} là mã đăng nhập {P2,40} của Ông/Bà.")
    assert code.without_marks.startswith("{P1,20} la ma dang nhap {P2,40} cua Ong/Ba.")
    assert all(row.without_marks.isascii() for row in rows.values())


@pytest.mark.parametrize("ascii_only", [False, True])
def test_every_kinds_real_text_matches_its_registered_template(esms_app, make_worker,
                                                               fake_esms, ascii_only):
    rows = _app_rows()
    fake_esms.register_templates(
        [row.without_marks if ascii_only else row.with_marks for row in rows])
    esms_app.config.update(NOTIFY_TRANSPORTS="sms", SMS_ASCII_ONLY=ascii_only)
    for row in rows:
        spec = templates.get(row.key)
        data = {name: SAMPLES.get(name, "Tây Ninh") for name in _names(row)}
        enqueue_committed(template=spec.key, data=data, reference=f"kind-{spec.key}")

    outcomes = make_worker().drain()

    failed = {m.template: m.last_error for m in OutboxMessage.select()
              if m.status != SENT}
    assert failed == {} and outcomes["sent"] == len(rows)
    assert len(fake_esms.sent_messages) == len(rows)


def test_a_text_changed_without_registering_it_is_refused(esms_app, make_worker, fake_esms):
    fake_esms.register_templates([row.with_marks for row in _app_rows()
                                  if row.key != "accounts_sign_in_code"])
    esms_app.config["NOTIFY_TRANSPORTS"] = "sms"
    enqueue_committed(template="accounts_sign_in_code",
                      data={"code": "482913", "app": "Tây Ninh Smart"}, reference="code")

    assert make_worker().run_once() == {"failed": 1}
    assert OutboxMessage.get().last_error == "sms_template_mismatch"


def test_the_csv_holds_the_same_table(notify_app):
    result = notify_app.test_cli_runner().invoke(
        args=["notifications", "sms-templates", "--format", "csv"])
    table = list(csv.reader(io.StringIO(result.output)))
    assert table[0] == list(sms_templates.HEADINGS)
    by_kind = {line[0]: line for line in table[1:]}
    code = by_kind["accounts_sign_in_code"]
    assert code[1] == "{P1,20} code {P2,40} app"
    assert code[2].startswith("{P1,20} là mã đăng nhập")


def test_the_docs_page_holds_the_current_table():
    """docs/sms-templates.md is what an operator hands to the gateway: it must say what the
    app sends. Regenerate it with the command below when a text changes (and register the
    changed text with the gateway before deploying)."""
    env = {**os.environ, "NOTIFY_TRANSPORTS": "development", "APP_ENV": "development"}
    printed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "notifications", "sms-templates"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    assert printed in DOCS_PAGE.read_text(), (
        "run `flask --app webapp notifications sms-templates` and put its table in "
        "docs/sms-templates.md")


def _names(row) -> list[str]:
    return [placeholder.split(" ", 1)[1] for placeholder in row.placeholders]
