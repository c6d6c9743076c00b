"""The commune picker where a commune is asked: the profile and the dossier wizard's question.
She types the old address as she knows it; the chosen new commune is what is stored."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.accounts.helpers import sign_in_citizen
from tests.dossiers.helpers import (
    BIRTH_1953,
    CITIZEN_ID_1953,
    answer,
    post,
    start,
)
from tests.pages import check_page, page_text
from webapp.accounts.models import Citizen
from webapp.core.db import database
from webapp.dossiers.models import DossierDraft
from webapp.places.models import Commune

OLD_ADDRESS = "ấp Bình Phong, xã Thái Bình, huyện Châu Thành, tỉnh Tây Ninh"
CHAU_THANH, TAN_NINH = "25585", "25459"
PROFILE = {"full_name": "Nguyễn Thị Tư", "date_of_birth-day": "24",
           "date_of_birth-month": "11", "date_of_birth-year": "1953",
           "citizen_id": CITIZEN_ID_1953, "commune": "", "address": "ấp Bình Phong"}


def radios(html: str, name: str) -> list[str]:
    import re

    return re.findall(rf'name="{name}" type="radio" value="(\d+)"', html)


def checked(html: str, name: str) -> list[str]:
    import re

    return re.findall(rf'name="{name}" type="radio" value="(\d+)" checked', html)


# --- The profile: a form with other fields -----------------------------------------------


def test_profile_find_button_proposes_the_new_commune_and_keeps_what_was_typed(client):
    citizen = sign_in_citizen(client)
    response = post(client, "/tai-khoan/thong-tin",
                    {**PROFILE, "commune-tim": OLD_ADDRESS, "commune-tim-nut": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert radios(html, "commune") == [CHAU_THANH, TAN_NINH]
    assert checked(html, "commune") == []  # divided: she chooses
    text = page_text(html)
    assert "Xã Thái Bình, Huyện Châu Thành, Tỉnh Tây Ninh được chia cho các xã, phường" in text
    assert 'value="Nguyễn Thị Tư"' in html and "ấp Bình Phong</textarea>" in html
    assert f'value="{OLD_ADDRESS}"' in html
    with client.application.app_context(), database.connection_context():
        assert Citizen.get_by_id(citizen.id).full_name == "Nguyễn Văn Thử"  # nothing saved


def test_profile_saves_the_commune_she_chose_among_the_proposals(client):
    citizen = sign_in_citizen(client)
    response = post(client, "/tai-khoan/thong-tin",
                    {**PROFILE, "commune-tim": OLD_ADDRESS, "commune": CHAU_THANH})
    assert response.status_code == 303
    with client.application.app_context(), database.connection_context():
        assert Citizen.get_by_id(citizen.id).commune.name == "Xã Châu Thành"


def test_enter_in_another_field_saves_the_profile(client):
    # The find button is the form's first, so Enter in the name field "presses" it; with
    # nothing to find, the form is saved as usual.
    citizen = sign_in_citizen(client)
    response = post(client, "/tai-khoan/thong-tin",
                    {**PROFILE, "commune": TAN_NINH, "commune-tim": "", "commune-tim-nut": "1"})
    assert response.status_code == 303
    with client.application.app_context(), database.connection_context():
        assert Citizen.get_by_id(citizen.id).commune.code == TAN_NINH


# --- The wizard: one question on its page ----------------------------------------------------


def commune_question(client, street_in_profile: bool = True) -> str:
    """The wizard's commune question. With the street in her profile it is a page of its own
    (the street is not asked again); without, it shares the page "Nơi ở hiện nay" with it."""
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    if street_in_profile:
        with client.application.app_context(), database.connection_context():
            Citizen.update(address="Ấp Bình Phong, số nhà 3").where(
                Citizen.id == citizen.id).execute()
    path = answer(client, start(client), date_of_birth=BIRTH_1953)
    path = answer(client, path, citizen_id=CITIZEN_ID_1953)
    for fields in ({"situation": "older_poor"}, {"has_supporter": "no"}, {"payment": "cash"}):
        path = answer(client, path, **fields)
    assert path.endswith("/cau-hoi/commune")
    html = client.get(path).get_data(as_text=True)
    assert ('name="address"' in html) is not street_in_profile
    return path


def test_wizard_question_takes_the_old_address_as_a_plain_get(client):
    path = commune_question(client)
    first = client.get(path).get_data(as_text=True)
    assert 'id="commune-finder" method="get"' in first and 'form="commune-finder"' in first
    html = client.get(f"{path}?commune-tim={quote(OLD_ADDRESS)}").get_data(as_text=True)
    assert check_page(html) == []
    assert radios(html, "commune") == [CHAU_THANH, TAN_NINH]
    assert "<h1" in html and "Trước ngày 1/7/2025: Xã Thái Bình" in page_text(html)
    # The page's own form keeps the search, so an error shows the same proposals again.
    response = post(client, f"{path}?commune-tim={quote(OLD_ADDRESS)}", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi: " in html
    assert radios(html, "commune") == [CHAU_THANH, TAN_NINH]


def test_wizard_stores_the_chosen_commune_and_goes_on(client):
    path = commune_question(client)
    response = post(client, f"{path}?commune-tim={quote(OLD_ADDRESS)}",
                    {"commune": CHAU_THANH})
    assert response.status_code == 303
    assert "commune-tim" not in response.location
    token = path.split("/")[2]
    with client.application.app_context(), database.connection_context():
        assert DossierDraft.get(DossierDraft.token == token).answers["commune"] == CHAU_THANH


def test_wizard_finder_keeps_the_return_to_check_answers(client):
    path = commune_question(client)
    html = client.get(f"{path}?tu=kiem-tra").get_data(as_text=True)
    assert '<input type="hidden" name="tu" value="kiem-tra">' in html


def test_a_single_proposal_is_chosen_already(client):
    path = commune_question(client)
    html = client.get(f"{path}?commune-tim=xa+hao+duoc").get_data(as_text=True)
    assert checked(html, "commune") == ["25588"]


# --- The wizard: the commune beside the street, on one page -----------------------------------


def test_on_the_residence_page_find_proposes_the_commune_and_keeps_the_street(client):
    path = commune_question(client, street_in_profile=False)
    html = client.get(path).get_data(as_text=True)
    assert 'id="commune-finder"' not in html  # "Find" sends the page's form: nothing lost
    assert "<h1 class=\"label--page\">Nơi ở hiện nay</h1>" in html
    response = post(client, path, {"commune-tim": OLD_ADDRESS, "commune-tim-nut": "1",
                                   "address": "Ấp Bình Phong, số nhà 3"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert "<title>Lỗi: " not in html  # finding is not a mistake
    assert radios(html, "commune") == [CHAU_THANH, TAN_NINH]
    assert "Ấp Bình Phong, số nhà 3</textarea>" in html and f'value="{OLD_ADDRESS}"' in html
    token = path.split("/")[2]
    with client.application.app_context(), database.connection_context():
        assert "address" not in DossierDraft.get(DossierDraft.token == token).answers


def test_on_the_residence_page_each_answer_has_its_own_error_and_both_are_saved(client):
    path = commune_question(client, street_in_profile=False)
    response = post(client, path, {"commune": CHAU_THANH, "address": "3"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi: " in html and check_page(html) == []
    assert 'id="address-error"' in html and 'id="commune-error"' not in html
    assert f'value="{CHAU_THANH}" checked' in html or f'value="{CHAU_THANH}" selected' in html
    response = post(client, path, {"commune": CHAU_THANH, "address": "Ấp Bình Phong, số nhà 3"})
    assert response.status_code == 303 and "/giay-to/citizen-id-card" in response.location
    token = path.split("/")[2]
    with client.application.app_context(), database.connection_context():
        answers = DossierDraft.get(DossierDraft.token == token).answers
    assert (answers["commune"], answers["address"]) == (CHAU_THANH, "Ấp Bình Phong, số nhà 3")


# --- The fragment htmx asks for --------------------------------------------------------------


def test_the_fragment_has_the_proposals_for_the_named_field(client):
    response = client.get("/xa-phuong/chon", query_string={
        "truong": "commune", "commune-tim": "xa thai binh huyen chau thanh"},
        headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div class="commune-choices" id="commune-choices"')
    assert radios(html, "commune") == [CHAU_THANH, TAN_NINH]


def test_the_fragment_says_so_when_nothing_is_found_and_keeps_the_list(client, app):
    html = client.get("/xa-phuong/chon?truong=xa&xa-tim=khong+co+dau").get_data(as_text=True)
    assert "Chưa tìm thấy xã, phường nào cho “khong co dau”" in page_text(html)
    with app.app_context(), database.connection_context():
        communes = Commune.select().count()  # the province's 96, and any a test added
    assert html.count("<option") == communes + 1  # with "choose" first


@pytest.mark.parametrize("name", ["", "1x", "a b", "x" * 60, '"><script>'])
def test_the_fragment_refuses_an_odd_field_name(client, name):
    assert client.get("/xa-phuong/chon", query_string={"truong": name}).status_code == 400
