"""Demonstration dossiers for the back office (development only; `flask demo load`).

The demo officers' communes get a few dozen dossiers in every status (new, in progress,
waiting for the citizen, due today, overdue, results to return, finished and rated), some with
a photo of a paper; the whole province gets a year of history so the figures have something to
show. Safe to run again: it adds nothing once generated dossiers exist.
"""

from __future__ import annotations

import io

from flask import current_app
from PIL import Image, ImageDraw

from webapp.accounts.demo import DEMO_STAFF
from webapp.backoffice.generator import GENERATED_KEY, generate
from webapp.dossiers.api import Attachment, Dossier
from webapp.dossiers.api import lifecycle as lc
from webapp.places.models import Commune
from webapp.uploads import storage

PROVINCE_DOSSIERS = 1500
PER_DEMO_COMMUNE = 60


def _demo_communes() -> list[int]:
    """The communes of the demo officers (see webapp/accounts/demo.py)."""
    codes = {code for *_ignored, codes, _secret in DEMO_STAFF for code in codes}
    return [c for (c,) in Commune.select(Commune.id).where(Commune.code.in_(list(codes)))
            .tuples()]


def _paper_photo() -> bytes:
    """A plain drawing of a paper form: a photo to look at, turn and zoom in the demo."""
    image = Image.new("RGB", (1200, 900), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1140, 840), outline=(40, 40, 40), width=6)
    for top in range(200, 800, 70):
        draw.line((120, top, 1080, top), fill=(90, 90, 90), width=3)
    draw.rectangle((120, 100, 600, 160), fill=(160, 20, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _add_photos(commune_ids: list[int]) -> int:
    """One photo of a paper on each open dossier of the demo communes."""
    open_dossiers = Dossier.select().where(
        Dossier.commune.in_(commune_ids)
        & Dossier.status.in_([*lc.OPEN_STATUSES, lc.MORE_PAPERS_REQUESTED]))
    content = _paper_photo()
    count = 0
    for dossier in open_dossiers:
        Attachment.from_upload(storage.store_upload(content), dossier=dossier,
                               citizen=dossier.citizen_id, paper_key="to_khai", purpose="paper")
        count += 1
    return count


def load_demo_dossiers() -> list[str]:
    """Generate the demo dossiers once; say what was done."""
    if current_app.config.get("APP_ENV") == "production":
        return ["Back office: skipped (APP_ENV=production)."]
    if Dossier.select().where(Dossier.submission_key.startswith(GENERATED_KEY)).exists():
        return ["Back office: demo dossiers already there."]
    communes = _demo_communes()
    generate(PROVINCE_DOSSIERS, seed=2026)
    if communes:
        # Mostly recent, so that the demo queues hold work in every group.
        generate(PER_DEMO_COMMUNE * len(communes), seed=75, commune_ids=communes, months=2)
    photos = _add_photos(communes) if communes else 0
    return [f"Back office: {PROVINCE_DOSSIERS + PER_DEMO_COMMUNE * len(communes)} demo "
            f"dossiers ({PER_DEMO_COMMUNE} in each demo officer's commune, {photos} with a "
            "photo); more with `flask backoffice generate --count 50000`."]
