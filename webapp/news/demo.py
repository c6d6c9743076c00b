"""Three demonstration articles for `make run`: a commune notice for the demo citizen's commune,
a scam warning and a health notice for the whole province. `make run`'s audio worker reads them."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from webapp.accounts.demo import DEMO_CITIZEN_COMMUNE
from webapp.core.clock import utcnow
from webapp.news import services
from webapp.news.formatting import sanitise
from webapp.news.models import COMMUNE_NOTICE, COMMUNES, HEALTH, PROVINCE, SCAMS
from webapp.places.models import Commune

DEMO_ARTICLES = (
    ("demo-news-commune-notice", COMMUNE_NOTICE, COMMUNES, 3,
     "Lịch tiếp dân và nhận hồ sơ cuối năm",
     "UBND xã nhận hồ sơ cả sáng thứ Bảy trong tháng 12 để bà con kịp làm giấy tờ trước Tết.",
     "Từ ngày 6/12/2026 đến 27/12/2026, bộ phận một cửa của UBND xã làm việc thêm sáng thứ Bảy,"
     " từ 7h30 đến 11h30.\n\n- Mang theo CCCD\n- Mang theo giấy tờ của TTHC cần làm\n\n"
     "Cần hỏi thêm, bà con gọi số 0276 382 2222."),
    ("demo-news-scam", SCAMS, PROVINCE, 2,
     "Cảnh giác cuộc gọi giả danh công an đòi chuyển tiền",
     "Công an không bao giờ gọi điện bảo người dân chuyển tiền hay đọc mã OTP.",
     "Gần đây nhiều người cao tuổi nhận cuộc gọi xưng là công an, nói con cháu gặp nạn và đòi "
     "chuyển 50.000.000 đồng.\n\n<strong>Bà con không chuyển tiền, không đọc mã OTP</strong>, "
     "cúp máy và gọi 113 hoặc báo công an xã."),
    ("demo-news-health", HEALTH, PROVINCE, 1,
     "Tiêm ngừa cúm miễn phí cho người từ 60 tuổi",
     "Trạm y tế các xã tiêm ngừa cúm miễn phí cho người từ 60 tuổi có thẻ BHYT.",
     "Chương trình tiêm từ ngày 10/12/2026. Bà con mang thẻ BHYT và CCCD, đến trạm y tế xã "
     "buổi sáng, từ 7h đến 10h. Người có bệnh mãn tính nên hỏi ý kiến bác sĩ trước."),
)


def load_demo_news() -> list[str]:
    """Create the demo articles once (their form keys make a second load change nothing)."""
    if current_app.config.get("APP_ENV") == "production":
        return ["Demo news: skipped (APP_ENV=production)."]
    commune = Commune.get_or_none(Commune.code == DEMO_CITIZEN_COMMUNE)
    for key, topic, audience, hours_ago, title, summary, body in DEMO_ARTICLES:
        if audience == COMMUNES and commune is None:
            continue
        given = services.ArticleInput(
            title=title, summary=summary, body=sanitise(body), topic=topic, audience=audience,
            commune_ids={commune.id} if audience == COMMUNES else set(),
            publish_at=utcnow() - dt.timedelta(hours=hours_ago))
        services.save_article(None, given, None, services.PUBLISH, form_key=key)
    return [f"Demo news: {len(DEMO_ARTICLES)} articles at /tin-tuc (audio made by the worker)."]
