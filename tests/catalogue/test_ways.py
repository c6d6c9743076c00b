"""Each procedure says exactly where and how it can be done: here online only when this site
has its form, on the national portal or an app, or only in person."""

from __future__ import annotations

import re

import pytest

from webapp.catalogue import loader
from webapp.catalogue.models import LifeEvent, Procedure
from webapp.dossiers.formdefs import read_forms

FORMS = set(read_forms())


def test_only_the_procedures_with_a_form_here_are_offered_here(client):
    assert len(FORMS) == 8
    tagged_here = set()
    for event in list(LifeEvent.select()):
        html = client.get(f"/thu-tuc/nhom/{event.key}").get_data(as_text=True)
        for slug, tag in re.findall(r'href="/thu-tuc/([a-z0-9-]+)">.*?<span class="tag[^"]*">'
                                    r"([^<]+)</span>", html, flags=re.S):
            if tag == "Nộp trực tuyến tại đây":
                tagged_here.add(Procedure.get(Procedure.slug == slug).code)
        assert "Nộp được trực tuyến" not in html
    assert tagged_here == FORMS


@pytest.mark.parametrize(("code", "tag"), [
    ("1.000894", "Nộp trực tuyến trên: Cổng Dịch vụ công quốc gia"),  # marriage
    ("1.013978", "Nộp trực tuyến trên: Cổng Dịch vụ công quốc gia"),  # sổ đỏ
    ("1.003197", "Nộp trực tuyến trên: ứng dụng VNeID, Cổng Dịch vụ công quốc gia"),
    ("2.000884", "Chỉ làm trực tiếp"),  # a signature is certified in front of the officer
    ("1.001776", "Nộp trực tuyến tại đây"),
])
def test_the_list_tag_names_the_way(client, code, tag):
    procedure = Procedure.get(Procedure.code == code)
    html = client.get(f"/thu-tuc/tim-kiem?q={code}").get_data(as_text=True)
    assert re.search(rf'href="/thu-tuc/{procedure.slug}">.*?<span class="tag[^"]*">'
                     rf"{re.escape(tag)}</span>", html, flags=re.S)


def test_a_procedure_with_a_form_can_be_sent_here(client_page):
    page = client_page("catalogue.detail", slug="tro-cap-xa-hoi-hang-thang")
    assert "Trực tuyến, ngay tại đây:" in page.text
    assert 'href="/nop-ho-so/tro-cap-xa-hoi-hang-thang"' in page.html
    assert 'href="https://dichvucong.gov.vn/"' in page.html
    assert "Trực tiếp:" in page.text


def test_a_procedure_without_a_form_says_so_and_where_it_can_be_done(client_page):
    procedure = Procedure.get(Procedure.code == "1.000894")
    page = client_page("catalogue.detail", slug=procedure.slug)
    assert "Thủ tục này chưa nộp được trên trang này." in page.text
    assert "/nop-ho-so/" not in page.html
    assert "Trực tuyến, trên Cổng Dịch vụ công quốc gia:" in page.text
    assert f"Trực tiếp: {procedure.content['vi']['where']}" in page.text


def test_an_in_person_procedure_offers_no_online_way(client_page):
    page = client_page("catalogue.detail", slug=Procedure.get(Procedure.code == "2.000884").slug)
    assert "Trực tiếp:" in page.text
    assert "Trực tuyến" not in page.text


def test_no_text_claims_it_can_be_sent_here():
    # "here" is said by the page from the forms; a sentence of the data saying it would lie
    # for every procedure whose form is not here.
    for data in loader.read_procedures():
        assert "tại đây" not in data["vi"]["online_note"], data["code"]
        assert not re.search(r"\bhere\b", data["en"]["online_note"]), data["code"]


def test_online_is_worked_out_from_the_ways():
    for data in loader.read_procedures():
        assert data["online"] == bool(loader.ONLINE_WAYS & set(data["ways"])), data["code"]
        if data["code"] in FORMS:
            assert data["online"]


@pytest.mark.parametrize(("change", "problem"), [
    (lambda text: text.replace('ways = ["national_portal", "vneid", "in_person"]\n', ""),
     "no ways"),
    (lambda text: text.replace('"vneid"', '"fax"'), "unknown way 'fax'"),
    (lambda text: text.replace("ways = [", "online = true\nways = ["), "online is worked out"),
])
def test_loader_refuses_ways_it_does_not_know(tmp_path, change, problem):
    good = (loader.DATA_DIR / "procedures" / "1.001193.toml").read_text(encoding="utf-8")
    (tmp_path / "1.001193.toml").write_text(change(good), encoding="utf-8")
    with pytest.raises(loader.CatalogueError, match=problem):
        loader.read_procedures(tmp_path)
