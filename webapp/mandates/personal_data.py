"""What the mandates room holds about a citizen: the mandates she gave, with their evidence."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core.i18n import in_language
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date
from webapp.mandates.models import Mandate, MandatePaper
from webapp.uploads import storage

KEPT_AS_PROOF = _l("Kept as proof of who acted for you and with what consent")


def _item(mandate: Mandate) -> Item:
    paper = MandatePaper.of_mandate(mandate.id)
    return Item(
        title=_l("Permission for %(helper)s", helper=mandate.helper.full_name),
        facts=((_l("From"), format_date(mandate.starts_at)),
               (_l("Until"), format_date(mandate.revoked_at or mandate.ends_at)),
               (_l("For"), in_language(mandate.procedure.content)["title"]),
               (_l("Photo of the signed paper"), _l("Yes") if paper else _l("No"))),
        data={"helper": mandate.helper.full_name, "scope": mandate.scope,
              "procedure": mandate.procedure.code, "evidence": mandate.evidence,
              "starts_at": mandate.starts_at.isoformat(), "ends_at": mandate.ends_at.isoformat(),
              "revoked_at": mandate.revoked_at.isoformat() if mandate.revoked_at else None,
              "dossier_id": mandate.dossier_id},
        opened_as=(("mandate", str(mandate.id)),),
        kept_because=KEPT_AS_PROOF if mandate.dossier_id else None)


def collect(citizen) -> list[Item]:
    return [_item(m) for m in Mandate.of_citizen(citizen)]


def erase(citizen) -> int:
    """Mandates under which nothing was sent go, with their papers; the others are proof."""
    gone = list(Mandate.select().where((Mandate.citizen == citizen)
                                       & Mandate.dossier_id.is_null()))
    names = [p.storage_name for p in MandatePaper.select().where(
        MandatePaper.mandate.in_([m.id for m in gone]))] if gone else []
    for mandate in gone:
        mandate.delete_instance(recursive=True)
    for name in names:
        storage.delete(name)
    return len(gone)


MANDATES = Section("mandates", _l("People you allowed to help you"), collect, erase, order=30)
