"""The officer's queue and a dossier's detail: who may see them, what they show, how fast."""

from __future__ import annotations

import re

import pytest
from playhouse.test_utils import count_queries

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier


def audit_actions():
    from webapp.audit.models import AuditEvent

    return [(e.action, e.object_id) for e in AuditEvent.select().order_by(AuditEvent.id)]


def test_the_queue_is_for_staff_only(client, client_page, in_app):
    response = client.get("/can-bo/ho-so/")
    assert response.status_code in (302, 303)
    sign_in_citizen(client)
    assert client.get("/can-bo/ho-so/").status_code in (302, 303, 403)


def group_count(page, label):
    return int(re.search(rf"{label}\s*(\d+)", page.text).group(1))


def test_the_queue_lists_the_communes_dossiers_in_groups_with_counts(client_page, officer,
                                                                     commune):
    # The session's database is shared by many tests: compare counts before and after.
    before = client_page("backoffice.queue_page")
    new = make_dossier(commune=commune)
    make_dossier("received", commune=commune)
    make_dossier("more_papers_requested", commune=commune)
    elsewhere = make_dossier(commune=first_commune(1))
    assert new.code in client_page("backoffice.queue_page", q=new.code).text
    assert elsewhere.code not in client_page("backoffice.queue_page", nhom="tat-ca",
                                             q=elsewhere.code).text
    after = client_page("backoffice.queue_page")
    assert group_count(after, "Cần xử lý") == group_count(before, "Cần xử lý") + 2
    assert group_count(after, "Mới") == group_count(before, "Mới") + 1
    assert group_count(after, "Chờ công dân bổ sung") == group_count(
        before, "Chờ công dân bổ sung") + 1
    assert "0398 ***" in after.text  # phones are masked in the list


@pytest.mark.parametrize("typed", ["nguyen van bay", "NGUYỄN VĂN BẢY", "van bay"])
def test_search_finds_a_name_typed_without_diacritics(client_page, officer, commune, typed):
    wanted = make_dossier(commune=commune, citizen=make_citizen(full_name="Nguyễn Văn Bảy"))
    other = make_dossier(commune=commune, citizen=make_citizen(full_name="Lê Thị Hoa"))
    page = client_page("backoffice.queue_page", q=typed)
    assert wanted.code in page.text and other.code not in page.text


def test_search_follows_a_corrected_name(client_page, officer, commune):
    citizen = make_citizen(full_name="Trần Thị Lụa")
    wanted = make_dossier(commune=commune, citizen=citizen)
    citizen.update_profile({**{name: getattr(citizen, name) for name in citizen.PROFILE_FIELDS},
                            "full_name": "Trần Thị Lựu"})
    assert wanted.code in client_page("backoffice.queue_page", q="tran thi luu").text
    assert wanted.code not in client_page("backoffice.queue_page", q="tran thi lua").text


def test_search_finds_a_phone_number_and_a_code(client_page, officer, commune):
    wanted = make_dossier(commune=commune, contact_phone="0987111222")
    other = make_dossier(commune=commune, contact_phone="0912000333")
    by_phone = client_page("backoffice.queue_page", q="0987 111 222")
    assert wanted.code in by_phone.text and other.code not in by_phone.text
    by_code = client_page("backoffice.queue_page", q=wanted.code.lower().replace("-", " "))
    assert wanted.code in by_code.text and other.code not in by_code.text


def test_htmx_gets_only_the_results_fragment(client_page, officer, commune):
    make_dossier(commune=commune)
    page = client_page("backoffice.queue_page", _headers={"HX-Request": "true"})
    assert "<html" not in page.html
    assert 'class="queue-list"' in page.html
    assert page.response.vary.find("HX-Request") >= 0


def test_the_queue_is_paginated_and_sorted_by_due_date(client_page, officer, commune):
    import datetime as dt
    import uuid

    # "0" is not in the dossier-code alphabet, so the prefix is never read as a whole code.
    prefix = f"P0{uuid.uuid4().hex[:6].upper()}"
    for day in range(30):
        make_dossier(commune=commune, due_date=dt.date(2026, 4, 1) + dt.timedelta(days=day),
                     code=f"{prefix}{day:03d}")
    first = client_page("backoffice.queue_page", q=prefix)
    assert first.text.index(f"{prefix}000") < first.text.index(f"{prefix}001")
    assert f"{prefix}029" not in first.text and "Trang sau" in first.text
    second = client_page("backoffice.queue_page", q=prefix, trang=2)
    assert f"{prefix}029" in second.text and f"{prefix}000" not in second.text
    latest = client_page("backoffice.queue_page", q=prefix, **{"sap-xep": "han-muon-nhat"})
    assert latest.text.index(f"{prefix}029") < latest.text.index(f"{prefix}028")


def test_the_queue_does_not_query_once_per_dossier(client, url, officer, commune):
    for _ in range(5):
        make_dossier(commune=commune)
    client.get(url("backoffice.queue_page"))  # warm the per-process caches
    with count_queries() as few:
        client.get(url("backoffice.queue_page"))
    for _ in range(25):
        make_dossier(commune=commune)
    with count_queries() as many:
        assert client.get(url("backoffice.queue_page")).status_code == 200
    assert many.count == few.count
    assert many.count <= 8


def test_the_detail_shows_personal_data_and_the_view_is_audited(client_page, officer, commune):
    citizen = make_citizen(full_name="Trần Thị Mai", citizen_id="072190001234")
    dossier = make_dossier(commune=commune, citizen=citizen, contact_phone="0987654321")
    page = client_page("backoffice.dossier_detail", code=dossier.code)
    assert "Trần Thị Mai" in page.text
    assert "072190001234" in page.text
    assert 'href="tel:0987654321"' in page.html
    assert ("dossier.viewed", str(dossier.id)) in audit_actions()


def test_an_officer_of_another_commune_cannot_open_the_dossier(client, url, officer, in_app):
    dossier = make_dossier(commune=first_commune(1))
    assert client.get(url("backoffice.dossier_detail", code=dossier.code)).status_code == 403
    assert ("dossier.viewed", str(dossier.id)) not in audit_actions()


def test_an_admin_sees_every_commune(client, client_page, in_app):
    dossier = make_dossier(commune=first_commune(3))
    sign_in_staff(client, role="admin")
    page = client_page("backoffice.dossier_detail", code=dossier.code)
    assert dossier.code in page.text


def test_a_search_is_audited_without_the_search_words(client_page, officer, commune):
    make_dossier(commune=commune, contact_phone="0987111222")
    client_page("backoffice.queue_page", q="0987111222")
    from webapp.audit.models import AuditEvent

    entry = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert entry.action == "queue.searched"
    assert "0987111222" not in str(entry.detail)


def test_unknown_dossier_is_404(client, url, officer):
    assert client.get(url("backoffice.dossier_detail", code="NOPE")).status_code == 404
