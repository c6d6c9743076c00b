"""Publishing and reading articles: drafts, scheduled publication, corrections that keep the
address, who may publish for whom, audience targeting, double submits and the audit log."""

from __future__ import annotations

import datetime as dt
import io

from tests.accounts.helpers import first_communes, sign_in_citizen, sign_in_staff
from tests.dossiers.helpers import jpeg, post
from tests.news.helpers import make_article, post_article
from webapp.audit.models import AuditEvent
from webapp.core.clock import VIETNAM_OFFSET, utcnow
from webapp.core.db import database
from webapp.news.models import COMMUNES, HAMLET, PROVINCE, SCAMS, Article


def _article(app, article_id):
    with app.app_context(), database.connection_context():
        return Article.get_by_id(article_id)


def _last_article(app):
    with app.app_context(), database.connection_context():
        return Article.select().order_by(Article.id.desc()).first()


def test_an_officer_publishes_for_her_commune_and_its_readers_find_it(app, client):
    commune_a, commune_b = first_communes(2)
    sign_in_staff(client, role="officer", communes=[commune_a])
    response = post_article(client, title="Lịch tiêm ngừa ở xã A", communes=str(commune_a.id))
    assert response.status_code == 303
    article = _last_article(app)
    assert article.title == "Lịch tiêm ngừa ở xã A" and article.is_published()
    assert article.body == "<p>Thứ Bảy tuần này.</p><p>Mang theo thẻ BHYT.</p>"

    reader_a, reader_b, visitor = app.test_client(), app.test_client(), app.test_client()
    sign_in_citizen(reader_a, commune=commune_a)
    sign_in_citizen(reader_b, commune=commune_b)
    assert "Lịch tiêm ngừa ở xã A" in reader_a.get("/tin-tuc").get_data(as_text=True)
    assert "Lịch tiêm ngừa ở xã A" not in reader_b.get("/tin-tuc").get_data(as_text=True)
    assert "Lịch tiêm ngừa ở xã A" not in visitor.get("/tin-tuc").get_data(as_text=True)
    # Its page is public by its link (forwarded to a Zalo group).
    page = reader_b.get(f"/tin-tuc/{article.slug}")
    assert page.status_code == 200 and "Mang theo thẻ BHYT." in page.get_data(as_text=True)


def test_a_visitor_chooses_her_commune_and_keeps_it_in_a_cookie(app, client):
    commune_a, commune_b = first_communes(2)
    make_article(app, title="Tin riêng xã A", audience=COMMUNES, communes=[commune_a])
    make_article(app, title="Tin cả tỉnh", audience=PROVINCE)
    assert "Tin riêng xã A" not in client.get("/tin-tuc").get_data(as_text=True)
    response = post(client, "/tin-tuc/chon-xa", {"xa": commune_a.code})
    assert response.status_code == 303
    page = client.get("/tin-tuc").get_data(as_text=True)
    assert "Tin riêng xã A" in page and "Tin cả tỉnh" in page
    post(client, "/tin-tuc/chon-xa", {"xa": commune_b.code})
    assert "Tin riêng xã A" not in client.get("/tin-tuc").get_data(as_text=True)


def test_a_hamlet_s_party_cell_article_is_listed_for_its_commune(app, client):
    commune_a, commune_b = first_communes(2)
    sign_in_staff(client, role="officer", communes=[commune_a])
    response = post_article(client, title="Chi bộ họp tháng 12", audience=HAMLET,
                            communes=str(commune_a.id), hamlet="Ấp Bình Hòa")
    assert response.status_code == 303
    reader_a, reader_b = app.test_client(), app.test_client()
    sign_in_citizen(reader_a, commune=commune_a)
    sign_in_citizen(reader_b, commune=commune_b)
    assert "Chi bộ họp tháng 12" in reader_a.get("/tin-tuc").get_data(as_text=True)
    assert "Chi bộ họp tháng 12" not in reader_b.get("/tin-tuc").get_data(as_text=True)
    page = reader_a.get(f"/tin-tuc/{_last_article(app).slug}").get_data(as_text=True)
    assert "Ấp Bình Hòa" in page


def test_the_list_filters_by_topic_newest_first(app, client):
    now = utcnow()
    make_article(app, title="Cảnh báo cuộc gọi giả công an", topic=SCAMS,
                 published_at=now - dt.timedelta(hours=2))
    make_article(app, title="Cảnh báo tin nhắn trúng thưởng", topic=SCAMS,
                 published_at=now - dt.timedelta(hours=1))
    make_article(app, title="Khám sức khỏe miễn phí", published_at=now - dt.timedelta(hours=1))
    page = client.get("/tin-tuc?chu-de=canh-giac-lua-dao").get_data(as_text=True)
    assert "Khám sức khỏe miễn phí" not in page
    assert page.index("tin nhắn trúng thưởng") < page.index("cuộc gọi giả công an")


def test_officers_cannot_publish_for_the_province_or_another_commune(app, client):
    commune_a, commune_b = first_communes(2)
    sign_in_staff(client, role="officer", communes=[commune_a])
    page = post_article(client, audience=PROVINCE, title="Không được").get_data(as_text=True)
    assert "Chỉ cán bộ quản trị của tỉnh" in page and "Không được" in page  # nothing lost
    page = post_article(client, communes=str(commune_b.id)).get_data(as_text=True)
    assert "chỉ đăng cho các xã mà Ông/Bà phụ trách" in page
    with app.app_context(), database.connection_context():
        assert Article.select().count() == 0 or not Article.select().where(
            Article.title == "Không được").exists()


def test_an_officer_cannot_open_another_commune_s_article(app, client):
    commune_a, commune_b = first_communes(2)
    other = make_article(app, audience=COMMUNES, communes=[commune_b])
    sign_in_staff(client, role="officer", communes=[commune_a])
    assert client.get(f"/can-bo/tin-tuc/{other.id}").status_code == 404
    assert post_article(client, f"/can-bo/tin-tuc/{other.id}").status_code == 404


def test_a_draft_and_a_scheduled_article_are_nobody_s_until_their_time(app, client):
    draft = make_article(app, title="Bản nháp", published_at=None)
    later = make_article(app, title="Hẹn giờ", published_at=utcnow() + dt.timedelta(days=1))
    visitor = app.test_client()
    listing = visitor.get("/tin-tuc").get_data(as_text=True)
    assert "Bản nháp" not in listing and "Hẹn giờ" not in listing
    assert visitor.get(f"/tin-tuc/{draft.slug}").status_code == 404
    assert visitor.get(f"/tin-tuc/{later.slug}").status_code == 404
    with app.app_context(), database.connection_context():
        Article.update(published_at=utcnow() - dt.timedelta(seconds=1)).where(
            Article.id == later.id).execute()
    assert visitor.get(f"/tin-tuc/{later.slug}").status_code == 200


def test_scheduling_from_the_form_in_local_time(app, client):
    sign_in_staff(client, role="admin")
    tomorrow = (utcnow() + VIETNAM_OFFSET + dt.timedelta(days=1)).replace(second=0,
                                                                           microsecond=0)
    post_article(client, audience=PROVINCE, publish_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))
    article = _last_article(app)
    assert article.is_scheduled() and article.published_at == tomorrow - VIETNAM_OFFSET
    page = post_article(client, audience=PROVINCE, publish_at="24/12").get_data(as_text=True)
    assert "24/12/2026 07:30" in page


def test_a_correction_keeps_the_address_and_says_when(app, client):
    commune_a = first_communes(1)[0]
    sign_in_staff(client, role="officer", communes=[commune_a])
    post_article(client, communes=str(commune_a.id))
    article = _last_article(app)
    assert article.corrected_at is None and article.text_version == 1
    response = post_article(client, f"/can-bo/tin-tuc/{article.id}", communes=str(commune_a.id),
                            body="Chủ Nhật tuần này.")
    assert response.status_code == 303
    corrected = _article(app, article.id)
    assert corrected.slug == article.slug and corrected.corrected_at is not None
    assert corrected.text_version == 2 and corrected.published_at == article.published_at
    page = client.get(f"/tin-tuc/{article.slug}").get_data(as_text=True)
    assert "Đã sửa lúc" in page and "Chủ Nhật tuần này." in page
    with app.app_context(), database.connection_context():
        actions = [e.action for e in AuditEvent.select().where(
            AuditEvent.object_type == "article", AuditEvent.object_id == str(article.id))]
    assert actions == ["news.article_published", "news.article_corrected"]


def test_a_draft_saved_twice_by_the_same_form_is_one_article(app, client):
    commune_a = first_communes(1)[0]
    sign_in_staff(client, role="officer", communes=[commune_a])
    fields = {"communes": str(commune_a.id), "action": "draft", "form_key": "k" * 32}
    first, second = post_article(client, **fields), post_article(client, **fields)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context(), database.connection_context():
        assert Article.select().where(Article.form_key == "k" * 32).count() == 1
        assert Article.get(Article.form_key == "k" * 32).published_at is None


def test_a_photo_needs_words_for_people_who_cannot_see_it(app, client):
    sign_in_staff(client, role="admin")
    data = {"photo": (io.BytesIO(jpeg()), "anh.jpg")}
    page = post_article(client, audience=PROVINCE, title="Có ảnh", **data)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mô tả ảnh" in html and 'name="photo_id"' in html  # the photo is kept
    photo_id = html.split('name="photo_id" value="')[1].split('"')[0]
    response = post_article(client, audience=PROVINCE, title="Có ảnh", photo_id=photo_id,
                            photo_alt="Cán bộ y tế tiêm cho một cụ bà")
    assert response.status_code == 303
    article = _last_article(app)
    assert article.photo_id == int(photo_id)
    page = app.test_client().get(f"/tin-tuc/{article.slug}").get_data(as_text=True)
    assert 'alt="Cán bộ y tế tiêm cho một cụ bà"' in page
    photo = app.test_client().get(f"/tin-tuc/anh/{photo_id}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_a_draft_s_photo_is_not_public(app, client):
    sign_in_staff(client, role="admin")
    page = post_article(client, audience=PROVINCE, action="draft", photo_alt="Ảnh",
                        photo=(io.BytesIO(jpeg()), "anh.jpg"))
    assert page.status_code == 303
    article = _last_article(app)
    assert app.test_client().get(f"/tin-tuc/anh/{article.photo_id}").status_code == 404
    assert client.get(f"/can-bo/tin-tuc/anh/{article.photo_id}").status_code == 200


def test_hostile_html_from_the_form_is_stored_clean(app, client):
    sign_in_staff(client, role="admin")
    post_article(client, audience=PROVINCE,
                 body='<p onclick="x()">Chào</p><script>alert(1)</script>'
                      '<a href="javascript:x">a</a>')
    assert _last_article(app).body == "<p>Chào</p><a rel=\"noopener noreferrer nofollow\">a</a>"
