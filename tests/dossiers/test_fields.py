"""Field types: what people type becomes a clean value, or a sentence saying how to fix it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_app
from webapp.core.forms import FieldError
from webapp.dossiers import fields
from webapp.dossiers.formdefs import Option, Question

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def request_context(sqlite_url):
    """Messages are translated per request: a Vietnamese request, as by default."""
    with make_app(sqlite_url).test_request_context():
        yield


def question(kind: str, **settings) -> Question:
    options = (Option("a", {"vi": {"label": "Một"}, "en": {"label": "One"}}),
               Option("b", {"vi": {"label": "Hai"}, "en": {"label": "Two"}}))
    return Question(name="q", type=kind, text={"vi": {"label": "?"}, "en": {"label": "?"}},
                    options=options if kind == "choice" else (), settings=settings)


def clean(kind: str, raw, answers=None, **settings):
    context = fields.Context(answers=answers or {}, communes={"25630": "Xã Thái Bình"},
                             today=TODAY)
    return fields.CLEANERS[kind](raw, question(kind, **settings), context)


def refused(kind: str, raw, answers=None, **settings) -> str:
    with pytest.raises(FieldError) as error:
        clean(kind, raw, answers, **settings)
    return str(error.value.message)


pytestmark = pytest.mark.usefixtures("request_context")


def test_full_name_is_tidied_and_must_have_two_words():
    assert clean("full_name", "  nguyễn   thị TƯ ") == "Nguyễn Thị Tư"
    assert "ví dụ Nguyễn Thị Tư" in refused("full_name", "Tư")
    assert "chỉ có chữ cái" in refused("full_name", "Nguyen Thi 4")


def test_date_from_three_boxes():
    assert clean("date", {"day": "5", "month": "1", "year": "1953"}) == "1953-01-05"
    assert "điền cả ba ô" in refused("date", {"day": "5", "month": "", "year": "1953"})
    assert "4 chữ số" in refused("date", {"day": "5", "month": "1", "year": "53"})
    assert "Không có ngày này" in refused("date", {"day": "31", "month": "2", "year": "1953"})
    assert "hôm nay hoặc trước đó" in refused("date", {"day": "1", "month": "1", "year": "2027"})
    assert "chỉ bằng chữ số" in refused("date", {"day": "mồng 5", "month": "1", "year": "1953"})
    future = {"day": "1", "month": "1", "year": "2027"}
    assert clean("date", future, when="future") == "2027-01-01"


def test_citizen_id_says_what_is_wrong():
    assert clean("citizen_id", "072 053 001 234") == "072053001234"
    assert "đã nhập 11 chữ số" in refused("citizen_id", "07205300123")
    assert "chứng minh nhân dân cũ 9 chữ số" in refused("citizen_id", "123456789")
    assert "không phải mã tỉnh" in refused("citizen_id", "999053001234")
    assert "chỉ có chữ số" in refused("citizen_id", "07205300123A")
    born_1960 = {"dob": "1960-05-01"}
    assert "không khớp với ngày sinh" in refused(
        "citizen_id", "072053001234", born_1960, birth_date_field="dob")
    assert clean("citizen_id", "123456789", allow_old_id=True) == "123456789"


def test_phone_accepts_what_people_type_and_suggests_the_new_number():
    assert clean("phone", "+84 912 345 678") == "0912345678"
    assert "số máy bàn" in refused("phone", "0276 3822 123")
    assert "0368 123 456" in refused("phone", "01668 123 456")
    assert "10 chữ số" in refused("phone", "091234")


def test_money_and_numbers():
    assert clean("money", "50.000.000 đồng") == 50_000_000
    assert clean("money", "1,500,000đ") == 1_500_000
    assert "chỉ bằng chữ số" in refused("money", "năm triệu")
    assert "tối đa là 1.000 đồng" in refused("money", "2000", max=1000)
    assert clean("number", "2") == 2
    assert "lớn hơn hoặc bằng 1" in refused("number", "0", min=1)
    assert "nhỏ hơn hoặc bằng 10" in refused("number", "11", max=10)
    assert "số nguyên" in refused("number", "2,5 người")


def test_commune_choice_yes_no_address_text():
    assert clean("commune", "25630") == "25630"
    assert "trong danh sách" in refused("commune", "00000")
    assert clean("choice", "b") == "b"
    assert "chọn một trong" in refused("choice", "c")
    assert clean("yes_no", "yes") == "yes"
    assert "Có hoặc Không" in refused("yes_no", "maybe")
    assert "quá ngắn" in refused("address", "ấp")
    assert "tối đa 10 ký tự" in refused("text", "x" * 11, max_length=10)


def test_values_are_shown_in_words():
    communes = {"25630": "Xã Thái Bình"}
    assert fields.display_value(question("date"), "1953-11-24", "vi", communes) == "24/11/1953"
    assert fields.display_value(question("money"), 50_000_000, "vi", communes) == "50.000.000 đồng"
    assert fields.display_value(question("commune"), "25630", "vi", communes) == "Xã Thái Bình"
    assert fields.display_value(question("choice"), "b", "en", communes) == "Two"
    assert fields.display_value(question("phone"), "0912345678", "vi", communes) == "0912 345 678"
    assert fields.input_value(question("date"), "1953-01-05") == {
        "day": "05", "month": "01", "year": "1953"}
