"""The catalogue's data and pages: real procedures, complete in both languages."""

from __future__ import annotations

import pytest

from webapp.catalogue import loader
from webapp.catalogue.models import LifeEvent, Procedure

REQUIRED_CODES = [
    "1.001776", "1.014027", "1.001731", "1.001193", "1.000656", "1.000894", "1.004873",
    "2.000635", "2.000815", "2.000884", "1.004222", "1.001612", "1.013978", "1.001699",
    "1.011607", "1.010833",
]
REQUIRED_EVENTS = ["sinh-con", "ket-hon", "nguoi-cao-tuoi", "gia-dinh-co-nguoi-mat",
                   "nha-o-dat-dai", "kinh-doanh"]


def test_catalogue_has_at_least_25_real_procedures_covering_what_older_people_need():
    procedures = loader.read_procedures()
    codes = {p["code"] for p in procedures}
    assert len(procedures) >= 25
    assert set(REQUIRED_CODES) <= codes
    assert any("bảo hiểm y tế" in p["vi"]["title"].lower() for p in procedures)


def test_life_events_include_the_moments_people_search_by():
    keys = [event["key"] for event in loader.read_life_events()]
    assert set(REQUIRED_EVENTS) <= set(keys)


def test_every_life_event_has_an_icon_we_draw():
    macro = (loader.DATA_DIR.parent.parent / "templates" / "components" / "ui.html").read_text()
    for event in loader.read_life_events():
        assert f'name == "{event["icon"]}"' in macro, event["key"]


def test_every_life_event_has_procedures():
    procedures = loader.read_procedures()
    used = {key for p in procedures for key in p["life_events"]}
    assert {e["key"] for e in loader.read_life_events()} <= used


def test_loader_refuses_a_file_missing_a_translation(tmp_path):
    good = (loader.DATA_DIR / "procedures" / "1.001193.toml").read_text(encoding="utf-8")
    broken = good.split("[en]")[0]
    (tmp_path / "1.001193.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(loader.CatalogueError, match=r"\[en\] lacks"):
        loader.read_procedures(tmp_path)


def test_loading_twice_changes_nothing(app):
    before = Procedure.select().count()
    loader.load_catalogue()
    assert Procedure.select().count() == before


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_procedure_page_reads_well(client, client_page, language):
    client.set_cookie("lang", language)
    for procedure in list(Procedure.select()):
        page = client_page("catalogue.detail", slug=procedure.slug)
        text = procedure.content[language]
        assert text["title"] in page.text
        for paper in text["papers"]:
            assert paper.split()[0] in page.text


def test_every_life_event_page_lists_its_procedures(client_page):
    for event in list(LifeEvent.select()):
        page = client_page("catalogue.life_event", key=event.key)
        assert event.content["vi"]["name"] in page.text
        assert page.html.count('href="/thu-tuc/') >= 1


def test_unknown_procedure_is_a_404(client_page):
    client_page("catalogue.detail", slug="khong-co", _status=404)


def test_detail_page_says_what_to_bring_time_fee_and_legal_basis(client_page):
    page = client_page("catalogue.detail", slug=Procedure.get(Procedure.code == "1.001776").slug)
    for heading in ["Giấy tờ cần mang theo", "Thời gian:", "Lệ phí:", "Ai được làm thủ tục này",
                    "Tên chính thức và căn cứ pháp lý", "1.001776"]:
        assert heading in page.text
