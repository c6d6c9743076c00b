"""Tens of thousands of plausible dossiers, for benchmarks and for figures worth looking at.

Each dossier gets a history that the lifecycle could have written: a submission, then the
steps its status implies, at working-day times, with due dates computed by the same calendar
(pauses included), decisions mostly on time, ratings for about half of the decided ones, and
each commune's paper dossiers at the counter. Deterministic for a given seed and day.

Never run it against a production database: every row it writes is fictitious.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from flask import current_app

from webapp.accounts.models import Citizen
from webapp.backoffice.figures import months_between
from webapp.backoffice.models import CounterIntake
from webapp.catalogue import Procedure
from webapp.core import clock
from webapp.core.db import database
from webapp.core.text import fold_vietnamese
from webapp.dossiers.api import DEADLINES, Dossier, DossierEvent, DossierOutcome, DossierRating
from webapp.dossiers.api import lifecycle as lc
from webapp.places.models import Commune
from webapp.tracking.codes import ALPHABET, GROUPS
from webapp.tracking.deadlines import StatusChange

BATCH = 1000
GENERATED_KEY = "generated-"  # submission keys of generated dossiers start with this
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Ngọc", "Hoàng", "Thanh", "Hữu", "Kim"]
GIVEN_NAMES = ["Tư", "Bảy", "Lạc", "Hạnh", "Minh", "Hoa", "Sáu", "Tám", "Lan", "Phúc", "An", "Bình"]
# Cumulative shares of statuses, for dossiers sent more than a month ago and recently.
OLD_STATUSES = [(0.015, lc.RECEIVED), (0.025, lc.MORE_PAPERS_REQUESTED), (0.08, lc.REFUSED),
                (0.12, lc.APPROVED), (1.0, lc.CLOSED)]
RECENT_STATUSES = [(0.15, lc.SUBMITTED), (0.35, lc.RECEIVED), (0.45, lc.MORE_PAPERS_REQUESTED),
                   (0.52, lc.PAPERS_ADDED), (0.75, lc.APPROVED), (0.8, lc.REFUSED),
                   (1.0, lc.CLOSED)]
MOBILE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "035", "086")
RATING_COMMENTS = ["", "", "", "Cán bộ nhiệt tình.", "Nhanh, đúng hẹn.", "Hướng dẫn dễ hiểu.",
                   "Phải chờ hơi lâu."]


@dataclass
class _Rows:
    """Rows waiting to be written, in dependency order."""

    dossiers: list = field(default_factory=list)
    histories: list = field(default_factory=list)  # per dossier: [(at, from, to, message)]
    outcomes: list = field(default_factory=list)
    ratings: list = field(default_factory=list)


def _utc(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local office time on `day`, as the UTC the database stores."""
    return clock.local_to_utc(dt.datetime.combine(day, dt.time(hour, minute)))


def _next_working_day(day: dt.date, steps: int) -> dt.date:
    cal = clock.calendar()
    for _ in range(steps):
        day += dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
    return day


class Generator:
    """Draws dossiers at random, with realistic proportions, ending on `today`."""

    def __init__(self, seed: int, today: dt.date, months: int = 14, prefix: str = "TN",
                 commune_ids: list[int] | None = None) -> None:
        self.prefix = prefix
        self.random = random.Random(seed)
        self.today = today
        self.first_day = today - dt.timedelta(days=months * 30)
        self.procedures = list(Procedure.select(Procedure.id, Procedure.processing_working_days)
                               .where(Procedure.online == True)  # noqa: E712
                               .order_by(Procedure.id).tuples())
        self.communes = commune_ids or [
            c for (c,) in Commune.select(Commune.id).order_by(Commune.id).tuples()]
        # Some one-stop shops are far busier than others (a ward in town, a remote commune).
        self.commune_weights = [self.random.choice((1, 1, 2, 3, 6)) for _ in self.communes]
        self.procedure_weights = [self.random.choice((1, 2, 4, 8)) for _ in self.procedures]

    def _status_for_age(self, age_days: int) -> str:
        """Old dossiers are mostly finished; a few are forgotten or still wait for papers."""
        table = OLD_STATUSES if age_days > 30 else RECENT_STATUSES
        r = self.random.random()
        return next(status for limit, status in table if r < limit)

    def _history(self, sent: dt.date, days: int, status: str):
        """Status changes leading to `status`, as (local day, from, to, public message)."""
        steps = [(sent, "", lc.SUBMITTED, "")]
        if status == lc.SUBMITTED:
            return steps
        day = _next_working_day(sent, self.random.choice((0, 0, 1, 1, 2)))
        steps.append((day, lc.SUBMITTED, lc.RECEIVED, ""))
        asks = status in (lc.MORE_PAPERS_REQUESTED, lc.PAPERS_ADDED) or (
            status in lc.DECIDED_STATUSES and self.random.random() < 0.2)
        if asks:
            day = _next_working_day(day, self.random.choice((0, 1, 1, 2)))
            steps.append((day, lc.RECEIVED, lc.MORE_PAPERS_REQUESTED,
                          "Ảnh giấy tờ bị mờ, Ông/Bà vui lòng chụp lại ở chỗ sáng."))
            if status != lc.MORE_PAPERS_REQUESTED:
                day = _next_working_day(day, self.random.choice((1, 2, 3, 5)))
                steps.append((day, lc.MORE_PAPERS_REQUESTED, lc.PAPERS_ADDED, ""))
        if status in lc.DECIDED_STATUSES:
            steps.append(self._decision(sent, days, steps, status))
        if status == lc.CLOSED:
            steps.append((_next_working_day(steps[-1][0], self.random.choice((0, 1, 3))),
                          lc.APPROVED, lc.CLOSED, ""))
        return steps

    def _decision(self, sent: dt.date, days: int, steps, status: str):
        changes = [StatusChange(d, f, t) for d, f, t, _m in steps]
        due = DEADLINES.due_date(sent, days, changes)
        late = self.random.random() < 0.07
        offset = self.random.choice((1, 2, 4)) if late else -self.random.choice((0, 0, 1, 2))
        day = max(steps[-1][0], due + dt.timedelta(days=offset))
        to = lc.REFUSED if status == lc.REFUSED else lc.APPROVED
        message = "Hồ sơ không thuộc thẩm quyền của xã." if to == lc.REFUSED else ""
        return (day, steps[-1][2], to, message)

    def draw(self, serial: int, citizen_id: int, rows: _Rows) -> None:
        """Add one dossier with its history, outcome and perhaps a rating to `rows`."""
        span = (self.today - self.first_day).days
        sent = self.first_day + dt.timedelta(days=int(span * self.random.random() ** 0.8))
        procedure_id, days = self.random.choices(self.procedures, self.procedure_weights)[0]
        commune_id = self.random.choices(self.communes, self.commune_weights)[0]
        status = self._status_for_age((self.today - sent).days)
        history = [step for step in self._history(sent, days, status) if step[0] <= self.today]
        status = history[-1][2]
        changes = [StatusChange(d, f, t) for d, f, t, _m in history]
        due = DEADLINES.due_date(sent, days, changes)
        submitted_at = _utc(sent, self.random.randint(7, 20), self.random.randint(0, 59))
        rows.dossiers.append({
            "code": demo_code(self.prefix, serial), "procedure": procedure_id,
            "citizen": citizen_id,
            "commune": commune_id, "status": status,
            "answers": {"Ghi chú": "Hồ sơ minh họa, không có thật"},
            "contact_phone": _phone(citizen_id),
            "submission_key": f"{GENERATED_KEY}{serial}", "submitted_at": submitted_at,
            "due_date": due,
            "updated_at": _utc(history[-1][0], 15), "version": len(history)})
        rows.histories.append(_timed(history, submitted_at))
        decision = next(((d, t) for d, f, t, _m in history if t in (lc.APPROVED, lc.REFUSED)),
                        None)
        rows.outcomes.append(None if decision is None else {
            "commune": commune_id, "procedure": procedure_id, "decision": decision[1],
            "decided_at": _utc(decision[0], 10), "due_date": due,
            "on_time": decision[0] <= due,
            "working_days": DEADLINES.processing_working_days(sent, decision[0], changes)})
        rated = decision is not None and self.random.random() < 0.5
        rows.ratings.append(None if not rated else {
            "score": self.random.choices((1, 2, 3, 4, 5), (2, 3, 10, 35, 50))[0],
            "comment": self.random.choice(RATING_COMMENTS),
            "created_at": _utc(min(decision[0] + dt.timedelta(days=1), self.today), 19)})


def demo_code(prefix: str, serial: int) -> str:
    """A well-formed dossier code, different for every serial (no retry on a clash needed).

    The serial is scattered over the code space by a multiplier coprime with its size, so the
    codes do not look sequential, yet two serials never share a code.
    """
    size = len(ALPHABET) ** sum(GROUPS)
    number, letters = serial * 1_000_003 % size, []
    for _ in range(sum(GROUPS)):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    body = "".join(letters)
    return f"{prefix}-{body[:GROUPS[0]]}-{body[GROUPS[0]:]}"


def _timed(history, submitted_at: dt.datetime) -> list:
    """Give each step an office time on its day, always after the step before it."""
    timed, previous = [], submitted_at
    for index, (day, from_status, to_status, message) in enumerate(history):
        at = submitted_at if index == 0 else max(_utc(day, 8 + index), previous
                                                 + dt.timedelta(minutes=20))
        timed.append((at, from_status, to_status, message))
        previous = at
    return timed


def _phone(n: int) -> str:
    """A well-formed mobile number for a fictitious citizen."""
    return f"{MOBILE_PREFIXES[n % len(MOBILE_PREFIXES)]}{n * 7919 % 10_000_000:07d}"


def _citizen_row(rng: random.Random) -> dict:
    name = " ".join((rng.choice(FAMILY_NAMES), rng.choice(MIDDLE_NAMES), rng.choice(GIVEN_NAMES)))
    # insert_many skips Citizen.save(), which keeps the folded name: set it here.
    return {"phone": None, "full_name": name, "name_folded": fold_vietnamese(name),
            "citizen_id": f"072{rng.randint(0, 999_999_999):09d}", "address": "Ấp Bình Hòa"}


def _citizens(count: int, rng: random.Random) -> list[int]:
    """Insert `count` fictitious citizens; return their ids."""
    first = (Citizen.select(Citizen.id).order_by(Citizen.id.desc()).scalar() or 0) + 1
    ids = []
    for start in range(0, count, BATCH):
        batch = [_citizen_row(rng) for _ in range(start, min(count, start + BATCH))]
        Citizen.insert_many(batch).execute()
    ids = [i for (i,) in Citizen.select(Citizen.id).where(Citizen.id >= first)
           .order_by(Citizen.id).tuples()]
    return ids


def _write(rows: _Rows) -> None:
    """Write one batch: dossiers, then their events, outcomes and ratings with their ids."""
    Dossier.insert_many(rows.dossiers).execute()
    codes = [row["code"] for row in rows.dossiers]
    ids = dict(Dossier.select(Dossier.code, Dossier.id).where(Dossier.code.in_(codes)).tuples())
    events, outcomes, ratings = [], [], []
    for row, history, outcome, rating in zip(rows.dossiers, rows.histories, rows.outcomes,
                                             rows.ratings, strict=True):
        dossier_id = ids[row["code"]]
        for at, from_status, to_status, message in history:
            events.append({"dossier": dossier_id, "created_at": at,
                           "kind": "submitted" if to_status == lc.SUBMITTED else "status_changed",
                           "from_status": from_status, "to_status": to_status,
                           "public_message": message, "internal_note": ""})
        if outcome:
            outcomes.append({"dossier": dossier_id, **outcome})
        if rating:
            ratings.append({"dossier": dossier_id, **rating})
    DossierEvent.insert_many(events).execute()
    if outcomes:
        DossierOutcome.insert_many(outcomes).execute()
    if ratings:
        DossierRating.insert_many(ratings).execute()


def _counter_tallies(generator: Generator) -> None:
    """Paper dossiers at each counter each month: fewer as people move online."""
    months = [m for m in _months(generator.first_day, generator.today)]
    rows = [{"commune": commune, "month": month, "updated_at": _utc(generator.today, 8),
             "count": int(weight * generator.random.uniform(3, 9) * (1.6 - index / len(months)))}
            for commune, weight in zip(generator.communes, generator.commune_weights, strict=True)
            for index, month in enumerate(months)]
    for start in range(0, len(rows), BATCH):
        (CounterIntake.insert_many(rows[start:start + BATCH])
         .on_conflict_ignore().execute())


def _months(first: dt.date, last: dt.date) -> list[str]:
    return months_between(first, last)


def generate(count: int, *, seed: int = 2026, today: dt.date | None = None,
             commune_ids: list[int] | None = None, months: int = 14, progress=None) -> int:
    """Write `count` dossiers sent over the last `months` months, with their histories, in
    `commune_ids` (or every commune)."""
    generator = Generator(seed, today or clock.local_today(), months=months,
                          prefix=current_app.config["DOSSIER_CODE_PREFIX"],
                          commune_ids=commune_ids)
    serial = (Dossier.select(Dossier.id).order_by(Dossier.id.desc()).scalar() or 0) + 1
    with database.atomic():
        citizen_ids = _citizens(max(1, count // 3), generator.random)
    for start in range(0, count, BATCH):
        rows = _Rows()
        for n in range(start, min(count, start + BATCH)):
            generator.draw(serial + n, generator.random.choice(citizen_ids), rows)
        with database.atomic():
            _write(rows)
        if progress:
            progress(min(count, start + BATCH))
    with database.atomic():
        _counter_tallies(generator)
    return count
