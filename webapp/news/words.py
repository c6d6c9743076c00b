"""What readers and staff see for each topic and audience, and the topics' addresses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.news.models import (
    AGRICULTURE,
    COMMUNE_NOTICE,
    COMMUNES,
    HAMLET,
    HEALTH,
    PARTY_CELL,
    POLICY,
    PROVINCE,
    SCAMS,
)

TOPIC_LABELS = {
    POLICY: _l("Policy and law"),
    COMMUNE_NOTICE: _l("Commune notices"),
    PARTY_CELL: _l("Party-cell news"),
    HEALTH: _l("Health"),
    AGRICULTURE: _l("Agriculture"),
    SCAMS: _l("Scams to beware of"),
}
# Topics in addresses (/tin-tuc?chu-de=suc-khoe, /tin-tuc/chu-de/suc-khoe.atom).
TOPIC_SLUGS = {
    POLICY: "chinh-sach-phap-luat",
    COMMUNE_NOTICE: "thong-bao-cua-xa",
    PARTY_CELL: "tin-chi-bo",
    HEALTH: "suc-khoe",
    AGRICULTURE: "nong-nghiep",
    SCAMS: "canh-giac-lua-dao",
}
TOPIC_BY_SLUG = {slug: topic for topic, slug in TOPIC_SLUGS.items()}
AUDIENCE_LABELS = {
    PROVINCE: _l("The whole province"),
    COMMUNES: _l("Some communes"),
    HAMLET: _l("One hamlet's Party cell"),
}
