"""Articles made directly in the database, and the staff form's posts, for the news tests."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.dossiers.helpers import post
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.news import services
from webapp.news.formatting import sanitise
from webapp.news.models import COMMUNES, HEALTH, PROVINCE


def make_article(app, *, title="Tiêm ngừa cúm cho người cao tuổi", audience=PROVINCE,
                 communes=(), hamlet="", topic=HEALTH, body="Mời bà con đến trạm y tế xã.",
                 published_at: dt.datetime | None | str = "now", staff=None):
    """An article saved as the form saves it; published now unless told otherwise."""
    if published_at == "now":
        published_at = utcnow() - dt.timedelta(minutes=1)
    with app.app_context(), database.connection_context():
        given = services.ArticleInput(
            title=title, summary=f"Tóm tắt: {title}", body=sanitise(body), topic=topic,
            audience=audience, commune_ids={c.id for c in communes}, hamlet=hamlet,
            publish_at=published_at)
        action = services.DRAFT if published_at is None else services.PUBLISH
        article, _ = services.save_article(None, given, staff, action, uuid.uuid4().hex)
        return article


def form_data(**fields) -> dict:
    data = {"title": "Thông báo lịch tiêm ngừa", "summary": "Trạm y tế xã tiêm ngừa cúm.",
            "body": "Thứ Bảy tuần này.\n\nMang theo thẻ BHYT.", "topic": HEALTH,
            "audience": COMMUNES, "action": "publish", "form_key": uuid.uuid4().hex}
    data.update(fields)
    return data


def post_article(client, path: str = "/can-bo/tin-tuc/viet", **fields):
    return post(client, path, form_data(**fields))
