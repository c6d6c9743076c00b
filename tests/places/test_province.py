"""The province file: every fact has a source and a confirmed flag, only confirmed facts reach
citizens, and `flask places check` lists the rest for the operator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.accounts.helpers import sign_in_citizen
from tests.conftest import make_app
from tests.pages import page_text
from webapp.places.province import DEFAULT_FILE, ProvinceFileError, load_province
from webapp.places.units import load_units

SHIPPED = DEFAULT_FILE.read_text(encoding="utf-8")
PUBLIC_PAGES = ["/", "/tro-giup", "/so-dien-thoai-can-biet", "/so-dien-thoai-can-biet?xa=25585",
                "/thu-tuc/tim-kiem?q=xyzxyz", "/thu-tuc/tro-cap-xa-hoi-hang-thang",
                "/khong-co-trang-nay"]

CONFIRMED_SHOP = """
[[one_stop_shop]]
commune = "25585"
address.vi = "Số 1 đường Ví Dụ, ấp Thử"
address.en = "1 Example Street, Test hamlet"
address.confirmed = true
address.source = "test"
hours.vi = "Thứ Hai đến Thứ Bảy, 7 giờ đến 17 giờ"
hours.en = "Monday to Saturday, 7:00 to 17:00"
hours.confirmed = true
hours.source = "test"
phone = { value = "0276 3800 001", confirmed = true, source = "test" }
map.value = "https://www.openstreetmap.org/?mlat=11.33&mlon=106.04"
map.confirmed = true
map.source = "test"

[[one_stop_shop]]
commune = "25459"
address = { vi = "Địa chỉ chưa chắc", en = "Unsure address", confirmed = false, source = "a guess" }
phone = { value = "0276 3800 002", confirmed = true, source = "test" }
"""


def province_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "province.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_gives_every_fact_a_source_and_a_confirmed_flag():
    province = load_province()
    facts = province.facts()
    assert len(facts) >= 8
    assert all(fact.source and isinstance(fact.confirmed, bool) for fact in facts)
    assert {line.number.value for line in province.emergency_lines} == {"113", "114", "115",
                                                                          "111"}


def test_placeholders_are_not_confirmed_and_so_never_offered():
    province = load_province()
    assert province.help_hotline is None  # "1022" is only known from before the merger
    assert "1022" not in [line.number.value for line in province.hotlines]
    place = province.where_to_go("25459", "Phường Tân Ninh", "vi")
    assert (place.address, place.hours, place.phone, place.map_url) == (None,) * 4
    assert place.commune_name == "Phường Tân Ninh" and not place.known
    assert province.confirmed_offices("vi") == []


def unconfirmed_texts() -> list[str]:
    return [fact.text(language) for fact in load_province().facts() if not fact.confirmed
            for language in ("vi", "en")]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_page_shows_an_unconfirmed_value(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "tel:1022" not in html
    text = page_text(html)
    for value in unconfirmed_texts():
        assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text), (path, value)
    assert "cần xác nhận" not in text and "to confirm" not in text


def test_without_a_confirmed_support_line_pages_point_to_the_one_stop_shop(client_page):
    page = client_page("site.home")
    assert "Ông/Bà hãy hỏi bộ phận một cửa của xã, phường mình" in page.text
    assert 'href="/so-dien-thoai-can-biet"' in page.html


@pytest.mark.parametrize(("broken", "problem"), [
    ('[[hotline]]\nnumber = "119"\nvi = "x"\nen = "x"\nsource = "s"\n', "confirmed"),
    ('[[hotline]]\nnumber = "119"\nvi = "x"\nen = "x"\nconfirmed = true\n', "source"),
    ('[[one_stop_shop]]\ncommune = "99999"\n'
     'phone = { value = "1", confirmed = true, source = "s" }\n', "official code"),
    ('[[one_stop_shop]]\ncommune = "25585"\n'
     'map = { value = "http://x", confirmed = true, source = "s" }\n', "https"),
    ('[[one_stop_shop]]\ncommune = "25585"\n'
     'fax = { value = "1", confirmed = true, source = "s" }\n', "unknown fact"),
    ('[[one_stop_shop]]\ncommune = "25585"\n'
     'address = { vi = "x", confirmed = true, source = "s" }\n', "lacks en"),
])
def test_a_fact_without_its_source_or_flag_stops_the_start(tmp_path, broken, problem):
    with pytest.raises(ProvinceFileError, match=problem):
        load_province(province_file(tmp_path, SHIPPED + "\n" + broken))


@pytest.fixture
def confirmed_client(tmp_path, database_url):
    path = province_file(tmp_path, SHIPPED.replace(
        "confirmed = false\nsource = \"sotaichinh", "confirmed = true\nsource = \"sotaichinh")
        + CONFIRMED_SHOP)
    return make_app(database_url, PROVINCE_FILE=str(path)).test_client()


def test_a_confirmed_one_stop_shop_is_shown_whole(confirmed_client):
    text_html = confirmed_client.get("/so-dien-thoai-can-biet?xa=25585").get_data(as_text=True)
    text = page_text(text_html)
    assert "Bộ phận một cửa Xã Châu Thành" in text
    assert "Số 1 đường Ví Dụ, ấp Thử" in text
    assert "Thứ Hai đến Thứ Bảy, 7 giờ đến 17 giờ" in text
    assert 'href="tel:02763800001"' in text_html
    assert 'href="https://www.openstreetmap.org/?mlat=11.33&amp;mlon=106.04"' in text_html
    assert "chưa có" not in text


def test_a_partly_confirmed_shop_shows_what_is_confirmed_and_says_the_rest_is_not(
        confirmed_client):
    html = confirmed_client.get("/so-dien-thoai-can-biet?xa=25459").get_data(as_text=True)
    text = page_text(html)
    assert "Địa chỉ chưa chắc" not in text
    assert 'href="tel:02763800002"' in html
    assert "chưa có đủ thông tin đã được xác nhận" in text


def test_a_confirmed_support_line_is_offered_on_every_page(confirmed_client):
    for path in ("/", "/tro-giup", "/khong-co-trang-nay"):
        assert 'href="tel:1022"' in confirmed_client.get(path).get_data(as_text=True), path


def test_contacts_page_shows_the_signed_in_citizens_commune(client, app):
    with app.app_context():
        sign_in_citizen(client, commune="25585")
    text = page_text(client.get("/so-dien-thoai-can-biet").get_data(as_text=True))
    assert "Bộ phận một cửa Xã Châu Thành" in text


def test_contacts_page_without_a_choice_asks_which_commune(client_page):
    page = client_page("site.contacts", xa="")
    assert page.html.count('class="error-message"') == 1
    assert "<title>Lỗi: " in page.html


def test_check_lists_every_unconfirmed_value_with_its_source(app):
    result = app.test_cli_runner().invoke(args=["places", "check"])
    assert result.exit_code == 1
    assert "support_line 1022: '1022'" in result.output
    assert "sotaichinh.tayninh.gov.vn" in result.output
    assert "96 of 96 one-stop shops lack confirmed facts" in result.output
    assert "25585 Xã Châu Thành: no address, hours unconfirmed, no phone" in result.output


def test_check_passes_once_everything_is_confirmed(tmp_path, database_url):
    confirmed = re.sub(r"confirmed = false", "confirmed = true", SHIPPED)
    shops = "".join(
        f'\n[[one_stop_shop]]\ncommune = "{unit.code}"\n'
        f'address = {{ vi = "a", en = "a", confirmed = true, source = "s" }}\n'
        f'phone = {{ value = "0276", confirmed = true, source = "s" }}\n'
        for unit in load_units())
    app = make_app(database_url, PROVINCE_FILE=str(province_file(tmp_path, confirmed + shops)))
    result = app.test_cli_runner().invoke(args=["places", "check"])
    assert result.exit_code == 0, result.output
    assert "Every value is confirmed" in result.output
