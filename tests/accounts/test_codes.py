"""Sign-in codes with several people at once: each rule must touch one person's code only.

The pages' tests (test_phone_sign_in.py) follow one citizen through the browser flow, where the
session always points at the newest code. These call `webapp.accounts.codes` as the views do,
with two or three numbers holding live codes at the same time and a clock the test moves, so
that a rule proven here is proven by the rule itself and not by another mechanism.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.accounts.helpers import unique_phone
from tests.accounts.outbox import last_code_to, messages_to
from webapp.accounts import codes
from webapp.accounts.codes import CHANGE_PHONE, SIGN_IN, CodeNotSent
from webapp.accounts.models import PhoneChallenge
from webapp.core.db import database

START = dt.datetime(2026, 3, 2, 8, 0, 0)


class Codes:
    """Ask for and check codes as a request from one address would, at the test's time."""

    def __init__(self, app, monkeypatch) -> None:
        self.app = app
        self.now = START
        self.address = self.new_address()
        monkeypatch.setattr(codes, "utcnow", lambda: self.now)

    @staticmethod
    def new_address() -> str:
        return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"

    def later(self, **delta) -> None:
        self.now += dt.timedelta(**delta)

    def _context(self):
        return self.app.test_request_context(environ_base={"REMOTE_ADDR": self.address})

    def ask(self, phone: str, purpose: str = SIGN_IN, **options) -> tuple[PhoneChallenge, str]:
        """Request a code; return the challenge and the six digits sent to the phone."""
        with self._context(), database.connection_context():
            challenge = codes.request_code(phone, purpose, **options)
            return challenge, last_code_to(phone)

    def refusal(self, phone: str, purpose: str = SIGN_IN, **options) -> CodeNotSent:
        with self._context(), database.connection_context(), pytest.raises(CodeNotSent) as no:
            codes.request_code(phone, purpose, **options)
        return no.value

    def check(self, challenge_id: int | None, code: str) -> codes.CheckResult:
        with self._context(), database.connection_context():
            return codes.check_code(challenge_id, code)

    def row(self, challenge_id: int) -> PhoneChallenge:
        with self._context(), database.connection_context():
            return PhoneChallenge.get_by_id(challenge_id)

    def messages(self, phone: str) -> list[dict]:
        with self._context(), database.connection_context():
            return messages_to(phone, "accounts_sign_in_code")


@pytest.fixture
def people(app, monkeypatch) -> Codes:
    return Codes(app, monkeypatch)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_one_correct_sign_in_uses_that_code_only(people):
    (mine, my_code), (yours, your_code) = people.ask(unique_phone()), people.ask(unique_phone())
    assert people.check(mine.id, my_code).status == "ok"
    untouched = people.row(yours.id)
    assert (untouched.used_at, untouched.attempts, untouched.expires_at) == (
        None, 0, yours.expires_at)
    assert people.check(yours.id, your_code).status == "ok"
    assert people.row(mine.id).used_at == START


def test_a_wrong_code_spends_a_try_of_that_code_only(people):
    (mine, my_code), (yours, your_code) = people.ask(unique_phone()), people.ask(unique_phone())
    assert people.check(mine.id, wrong(my_code)) == codes.CheckResult("wrong", 4)
    assert (people.row(mine.id).attempts, people.row(yours.id).attempts) == (1, 0)
    assert people.check(yours.id, wrong(your_code)).tries_left == 4


def test_a_new_code_expires_only_the_older_codes_of_that_number_and_purpose(people):
    phone, neighbour = unique_phone(), unique_phone()
    older, older_code = people.ask(phone)
    neighbours, neighbours_code = people.ask(neighbour)
    new_number, new_number_code = people.ask(phone, CHANGE_PHONE)
    people.later(seconds=61)
    newest, newest_code = people.ask(phone)
    assert people.row(older.id).expires_at == people.now
    # The older code itself is refused, whatever the browser's session points at.
    assert people.check(older.id, older_code).status == "expired"
    assert people.row(neighbours.id).expires_at == neighbours.expires_at
    assert people.row(new_number.id).expires_at == new_number.expires_at
    assert people.check(neighbours.id, neighbours_code).status == "ok"
    assert people.check(new_number.id, new_number_code).status == "ok"
    assert people.check(newest.id, newest_code).status == "ok"


def test_tries_count_down_one_at_a_time_and_the_fifth_try_can_still_be_right(people):
    challenge, code = people.ask(unique_phone())
    left = [people.check(challenge.id, wrong(code)) for _ in range(4)]
    assert [(r.status, r.tries_left) for r in left] == [
        ("wrong", 4), ("wrong", 3), ("wrong", 2), ("wrong", 1)]
    assert people.check(challenge.id, code).status == "ok"


def test_the_fifth_wrong_try_locks_the_code_even_against_the_right_one(people):
    challenge, code = people.ask(unique_phone())
    results = [people.check(challenge.id, wrong(code)) for _ in range(5)]
    assert results[-2:] == [codes.CheckResult("wrong", 1), codes.CheckResult("locked", 0)]
    assert people.check(challenge.id, code).status == "locked"
    assert people.row(challenge.id).attempts == 5 and people.row(challenge.id).used_at is None


def test_a_code_is_one_of_a_million_and_keeps_its_leading_zeros(people, monkeypatch):
    bounds = []

    def randbelow(bound: int) -> int:
        bounds.append(bound)
        return 42

    monkeypatch.setattr(codes.secrets, "randbelow", randbelow)
    phone = unique_phone()
    challenge, code = people.ask(phone)
    assert (bounds, code) == ([1_000_000], "000042")
    assert people.check(challenge.id, "000042").status == "ok"


def test_a_code_works_for_five_minutes_to_the_second(people):
    challenge, code = people.ask(unique_phone())
    assert people.row(challenge.id).expires_at == START + dt.timedelta(minutes=5)
    people.later(minutes=4, seconds=59)
    assert people.check(challenge.id, wrong(code)).status == "wrong"
    people.later(seconds=1)
    assert people.check(challenge.id, code).status == "expired"
    assert people.row(challenge.id).attempts == 1  # an expired code spends no try


def test_the_right_code_again_within_thirty_seconds_is_a_double_tap_then_it_is_used(people):
    challenge, code = people.ask(unique_phone())
    assert people.check(challenge.id, code).status == "ok"
    people.later(seconds=29)
    assert people.check(challenge.id, code).status == "double_tap"
    assert people.check(challenge.id, wrong(code)).status == "used"
    people.later(seconds=1)
    assert people.check(challenge.id, code).status == "used"


def test_a_code_nobody_asked_for_is_missing(people):
    assert people.check(None, "123456") == codes.CheckResult("missing")
    assert people.check(2_000_000_000, "123456").status == "missing"


def test_a_new_code_waits_sixty_seconds_counted_to_the_second(people):
    phone = unique_phone()
    first, _ = people.ask(phone)
    assert people.refusal(phone).seconds == 60  # another browser, at once
    people.later(seconds=30)
    refused = people.refusal(phone, current_id=first.id, resend=True)
    assert (refused.reason, refused.seconds) == ("wait", 30)
    people.later(seconds=29, milliseconds=500)
    assert people.refusal(phone).seconds == 1
    people.later(milliseconds=500)
    second, _ = people.ask(phone, current_id=first.id, resend=True)
    assert second.id != first.id and len(people.messages(phone)) == 2


def test_the_same_request_again_from_the_same_browser_returns_the_code_already_sent(people):
    phone = unique_phone()
    first, _ = people.ask(phone)
    people.later(seconds=5)
    again, _ = people.ask(phone, current_id=first.id)
    assert again.id == first.id and len(people.messages(phone)) == 1


def test_the_wait_counts_from_the_newest_code_of_the_number(people):
    phone = unique_phone()
    people.ask(phone)
    people.later(seconds=61)
    newest, _ = people.ask(phone)
    people.later(seconds=10)
    assert people.refusal(phone).seconds == 50


def test_after_signing_in_a_new_code_needs_no_wait(people):
    phone = unique_phone()
    challenge, code = people.ask(phone)
    assert people.check(challenge.id, code).status == "ok"
    people.later(seconds=5)
    fresh, _ = people.ask(phone)
    assert fresh.id != challenge.id


def test_five_codes_per_number_an_hour_whatever_other_numbers_do(people):
    phone, other = unique_phone(), unique_phone()
    for _ in range(5):
        people.ask(phone)
        people.later(seconds=61)
    assert people.refusal(phone).reason == "number_limit"
    assert people.ask(other)[0].phone == other
    assert len(people.messages(phone)) == 5


def test_twenty_requests_per_address_an_hour(people):
    for _ in range(20):
        people.ask(unique_phone())
    assert people.refusal(unique_phone()).reason == "address_limit"
    people.address = people.new_address()  # another device is not affected
    assert people.ask(unique_phone())[0].purpose == SIGN_IN


def test_what_the_code_is_for_is_kept_with_it(people):
    challenge, _ = people.ask(unique_phone(), CHANGE_PHONE, context={"citizen": 7})
    assert people.row(challenge.id).context == {"citizen": 7}
    plain, _ = people.ask(unique_phone())
    assert people.row(plain.id).context == {}


@pytest.mark.parametrize(("typed", "understood"), [
    ("123456", "123456"), (" 123 456 ", "123456"), ("１２３４５６", "123456"),
    ("12345", ""), ("1234567", ""), ("", ""), (None, ""), ("abcdef", ""),
    ("١٢٣٤٥٦", ""),  # Arabic-Indic digits are digits, but not the ones in the message
])
def test_only_six_plain_digits_are_a_code(typed, understood):
    assert codes.clean_code(typed) == understood


def test_two_requests_racing_on_a_used_code_spend_no_try(people):
    challenge, code = people.ask(unique_phone())
    stale = people.row(challenge.id)  # read by the second request before the first used it
    assert people.check(challenge.id, code).status == "ok"
    with people._context(), database.connection_context():
        late = codes._spend_try(stale, wrong(code), people.now)
    assert late == codes.CheckResult("locked")
    assert people.row(challenge.id).attempts == 1


def test_two_requests_racing_with_the_right_code_sign_in_once(people, monkeypatch):
    """The second request passed the try counter, and while it compared the code the first
    request used it: the second must not be let in too."""
    challenge, code = people.ask(unique_phone())
    matches, first = codes._matches, []

    def meanwhile(row, typed):
        if not first:
            first.append(None)
            monkeypatch.setattr(codes, "_matches", matches)
            first[0] = codes.check_code(row.id, typed)  # the other request, all the way
        return matches(row, typed)

    monkeypatch.setattr(codes, "_matches", meanwhile)
    assert people.check(challenge.id, code) == codes.CheckResult("used")
    assert first == [codes.CheckResult("ok")]


def test_the_newest_code_decides_the_wait_even_within_the_same_second(people):
    phone = unique_phone()
    challenge, code = people.ask(phone)
    assert people.check(challenge.id, code) == codes.CheckResult("ok")
    fresh, _ = people.ask(phone)  # the same second: the used code does not hold it back
    assert fresh.created_at == challenge.created_at
    assert people.refusal(phone).seconds == 60  # the fresh one does
