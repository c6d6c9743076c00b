"""The officer's queue: one commune's dossiers, in groups, searched and sorted, a page at a time.

Built for tens of thousands of dossiers: every query is scoped to one commune and served by the
index on (commune, status, due date); the group counts come from one GROUP BY on that index,
the page from one query that joins only the citizen's name. Names are matched without
diacritics ("nguyen thi tu" finds "Nguyễn Thị Tư") against the citizen's folded name, kept in
its own column when the name is saved, so a search is a plain LIKE over one commune's rows on
either database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import JOIN, Case, fn

from webapp.accounts.models import Citizen
from webapp.core.text import fold_vietnamese
from webapp.dossiers.api import Dossier
from webapp.dossiers.api import lifecycle as lc
from webapp.tracking.codes import normalize_code

PAGE_SIZE = 25
MAX_QUERY_CHARS = 60


@dataclass(frozen=True)
class Bucket:
    """A group of the queue: its URL slug, its tab label, and which dossiers it holds."""

    slug: str
    label: object
    statuses: tuple[str, ...]
    due: str = ""  # "today" or "late": only dossiers due today, or past their due date


BUCKETS = (
    Bucket("can-xu-ly", _l("To do"), lc.OPEN_STATUSES),
    Bucket("moi", _l("New"), (lc.SUBMITTED,)),
    Bucket("dang-xu-ly", _l("In progress"), (lc.RECEIVED, lc.PAPERS_ADDED)),
    Bucket("cho-bo-sung", _l("Waiting for the citizen"), (lc.MORE_PAPERS_REQUESTED,)),
    Bucket("den-han-hom-nay", _l("Due today"), lc.OPEN_STATUSES, due="today"),
    Bucket("qua-han", _l("Overdue"), lc.OPEN_STATUSES, due="late"),
    Bucket("tra-ket-qua", _l("Result to return"), (lc.APPROVED,)),
    Bucket("tat-ca", _l("All"), lc.STATUSES),
)
BUCKETS_BY_SLUG = {bucket.slug: bucket for bucket in BUCKETS}
DEFAULT_BUCKET = BUCKETS[0]

SORTS = {
    "han-som-nhat": _l("Due date, soonest first"),
    "han-muon-nhat": _l("Due date, latest first"),
    "moi-nhat": _l("Newest first"),
}
DEFAULT_SORT = "han-som-nhat"


@dataclass
class QueueRequest:
    """What the officer asked for, cleaned from the query string."""

    commune_id: int
    today: dt.date
    bucket: Bucket = DEFAULT_BUCKET
    query: str = ""
    procedure_id: int | None = None
    sort: str = DEFAULT_SORT
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return bool(self.query or self.procedure_id)


@dataclass
class QueueRow:
    """One line of the queue: enough to choose, nothing more (the phone is masked)."""

    id: int
    code: str
    status: str
    procedure_id: int
    citizen_name: str
    contact_phone: str
    submitted_at: dt.datetime
    due_date: dt.date | None


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


# --- Queries -----------------------------------------------------------------------------------


def _bucket_condition(bucket: Bucket, today: dt.date):
    condition = Dossier.status.in_(bucket.statuses)
    if bucket.due == "today":
        condition &= Dossier.due_date == today
    elif bucket.due == "late":
        condition &= Dossier.due_date < today
    return condition


def _search_condition(query: str):
    """Match the code, the citizen's name without diacritics, or digits of the phone number.

    A whole code however it is typed ("tn 7k4 q2m9") is an exact match on the unique index.
    """
    code = normalize_code(query, current_app.config["DOSSIER_CODE_PREFIX"])
    if code:
        return Dossier.code == code
    condition = fn.UPPER(Dossier.code).contains(query.upper().replace(" ", ""))
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 3 and len(digits) == len(re.sub(r"[\s.+-]", "", query)):
        if digits.startswith("84") and len(digits) == 11:
            digits = "0" + digits[2:]
        return condition | Dossier.contact_phone.contains(digits)
    return condition | Citizen.name_folded.contains(fold_vietnamese(query))


def _order(sort: str):
    if sort == "moi-nhat":
        return [Dossier.submitted_at.desc(), Dossier.id.desc()]
    if sort == "han-muon-nhat":
        return [Dossier.due_date.desc(), Dossier.id.desc()]
    return [Dossier.due_date.asc(), Dossier.id.asc()]


def bucket_counts(commune_id: int, today: dt.date) -> dict[str, int]:
    """How many dossiers each group holds, from one GROUP BY on the queue index."""
    late = fn.SUM(Case(None, [(Dossier.due_date < today, 1)], 0))
    due_today = fn.SUM(Case(None, [(Dossier.due_date == today, 1)], 0))
    rows = (Dossier.select(Dossier.status, fn.COUNT(Dossier.id), late, due_today)
            .where(Dossier.commune == commune_id).group_by(Dossier.status).tuples())
    by_status = {status: (int(n), int(n_late or 0), int(n_today or 0))
                 for status, n, n_late, n_today in rows}
    counts = {}
    for bucket in BUCKETS:
        column = {"": 0, "late": 1, "today": 2}[bucket.due]
        counts[bucket.slug] = sum(by_status.get(s, (0, 0, 0))[column] for s in bucket.statuses)
    return counts


def _filtered(request: QueueRequest, *columns):
    query = (Dossier.select(*columns)
             .join(Citizen, JOIN.LEFT_OUTER, on=(Dossier.citizen == Citizen.id))
             .where((Dossier.commune == request.commune_id)
                    & _bucket_condition(request.bucket, request.today)))
    if request.procedure_id:
        query = query.where(Dossier.procedure == request.procedure_id)
    if request.query:
        query = query.where(_search_condition(request.query))
    return query


def load_page(request: QueueRequest) -> QueuePage:
    """The counts of every group and one page of the chosen group (three queries at most)."""
    counts = bucket_counts(request.commune_id, request.today)
    total = (_filtered(request, Dossier.id).count() if request.is_filtered
             else counts[request.bucket.slug])
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.page, 1), pages)
    columns = (Dossier.id, Dossier.code, Dossier.status, Dossier.procedure,
               fn.COALESCE(Citizen.full_name, ""), Dossier.contact_phone, Dossier.submitted_at,
               Dossier.due_date)
    rows = (_filtered(request, *columns).order_by(*_order(request.sort))
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).tuples())
    return QueuePage(rows=[QueueRow(*row) for row in rows], total=total, page=page,
                     counts=counts)
