"""The old address she knows (before July 2025) gives the commune that serves her now."""

from __future__ import annotations

import socket

import pytest

from webapp.places.old_addresses import find_commune, query_tokens
from webapp.places.units import load_units

CHAU_THANH, TAN_NINH = "25585", "25459"


def codes(query: str) -> list[str]:
    return [proposal.unit.code for proposal in find_commune(query).proposals]


def test_the_address_on_her_id_card_proposes_xa_chau_thanh_first():
    finding = find_commune("ấp Bình Phong, xã Thái Bình, huyện Châu Thành, tỉnh Tây Ninh")
    # Xã Thái Bình was divided: Xã Châu Thành (the converter's default) and Phường Tân Ninh.
    assert codes(finding.query) == [CHAU_THANH, TAN_NINH]
    assert finding.proposals[0].unit.name == "Xã Châu Thành"
    assert finding.divided.label == "Xã Thái Bình, Huyện Châu Thành, Tỉnh Tây Ninh"
    assert finding.proposals[0].was == ("Xã Thái Bình, Huyện Châu Thành, Tỉnh Tây Ninh",)


@pytest.mark.parametrize("query", [
    "xa thai binh huyen chau thanh",
    "XA THAI BINH, H. CHAU THANH, TAY NINH",
    "Thái Bình, Châu Thành",
    "thai binh chau thanh tay ninh",
])
def test_without_diacritics_commas_or_unit_words_it_finds_the_same(query):
    assert codes(query) == [CHAU_THANH, TAN_NINH]


def test_a_commune_that_was_not_divided_gives_one_commune():
    finding = find_commune("xã Hảo Đước, huyện Châu Thành")
    assert codes(finding.query) == ["25588"]
    assert finding.divided is None


@pytest.mark.parametrize(("query", "expected"), [
    ("P.4, TP Tân An, Long An", ["27694"]),  # Phường Long An
    ("phuong 4 thanh pho tay ninh", [TAN_NINH]),
    ("so 12 duong 30/4, phuong 1, tp tay ninh", [TAN_NINH]),  # the house number is no ward
])
def test_numbered_wards_of_both_old_towns_stay_in_their_own_town(query, expected):
    # The converter data sends Phường 4 of each old town to both new wards, 90 km apart.
    assert codes(query) == expected


def test_old_long_an_addresses_are_found_too():
    finding = find_commune("xa duc hoa thuong, huyen duc hoa, tinh long an")
    assert {p.unit.name for p in finding.proposals} == {"Xã Mỹ Hạnh", "Xã Đức Lập"}


def test_a_longer_name_wins_over_the_shorter_one_it_contains():
    finding = find_commune("xa thai binh trung, huyen vinh hung")
    assert {p.was for p in finding.proposals} == {
        ("Xã Thái Bình Trung, Huyện Vĩnh Hưng, Tỉnh Long An",)}


def test_an_old_district_alone_lists_the_communes_it_became():
    finding = find_commune("huyện Châu Thành, tỉnh Tây Ninh")
    assert finding.old_district == "Huyện Châu Thành, Tỉnh Tây Ninh"
    assert {CHAU_THANH, TAN_NINH, "25588"} <= set(codes(finding.query))
    assert "28243" not in codes(finding.query)  # Long An's Huyện Châu Thành is another one


def test_the_new_name_is_found_as_well():
    assert codes("phuong tan ninh") == [TAN_NINH]


def test_two_new_communes_that_differ_only_by_their_marks():
    assert set(codes("xa tan thanh")) >= {"25534", "27826"}  # Tân Thành and Tân Thạnh
    assert codes("xã Tân Thạnh") == ["27826"]  # typed with its marks, it is the one


@pytest.mark.parametrize("query", ["", "  ", "x", "abc xyz", "12345", '"; drop table', "a" * 500])
def test_nothing_is_proposed_for_what_names_no_unit(query):
    assert codes(query) == []


def test_abbreviations_are_spelt_out():
    assert query_tokens("TT. Hòa Thành, TX Trảng Bàng, P04") == [
        "thi", "tran", "hoa", "thanh", "thi", "xa", "trang", "bang", "phuong", "4"]


def test_every_old_commune_of_both_old_provinces_leads_to_a_commune_of_the_province():
    from webapp.places.old_addresses import _index

    index = _index("80")
    new_codes = {unit.code for unit in load_units("80")}
    assert len(index.old) == 280
    assert all(old.new_codes and set(old.new_codes) <= new_codes for old in index.old)
    reached = {code for old in index.old for code in old.new_codes}
    assert reached == new_codes


def test_it_never_goes_to_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the finder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert codes("so 5 ap Binh Phong, xa Thai Binh, huyen Chau Thanh, tinh Tay Ninh") == [
        CHAU_THANH, TAN_NINH]
