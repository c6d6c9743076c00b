"""Tests for the commune-level units of the configured province."""

import pytest

from webapp.core.text import fold_vietnamese, vietnamese_sort_key
from webapp.places import (
    AdminUnit,
    UnknownProvince,
    find_unit,
    load_units,
    province_name,
)


@pytest.fixture(scope="module")
def tay_ninh():
    return load_units()


def test_default_province_is_new_tay_ninh():
    assert province_name() == "Tỉnh Tây Ninh"
    assert province_name("80") == "Tỉnh Tây Ninh"


def test_tay_ninh_has_96_units(tay_ninh):
    assert len(tay_ninh) == 96
    assert load_units("80") == tay_ninh


def test_tay_ninh_has_82_communes_and_14_wards(tay_ninh):
    kinds = [u.kind for u in tay_ninh]
    assert kinds.count("xa") == 82
    assert kinds.count("phuong") == 14
    assert set(kinds) == {"xa", "phuong"}


def test_codes_are_unique_five_digit_strings(tay_ninh):
    codes = [u.code for u in tay_ninh]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 5 and c.isdigit() for c in codes)


def test_names_carry_prefix_and_diacritics(tay_ninh):
    for unit in tay_ninh:
        prefix = "Xã " if unit.kind == "xa" else "Phường "
        assert unit.name == prefix + unit.short_name
        assert unit.search_key == fold_vietnamese(unit.name)
        assert unit.search_key.isascii()
    assert sum(not u.short_name.isascii() for u in tay_ninh) > 80


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("25459", "Phường Tân Ninh", "phuong"),  # former Tây Ninh city centre
        ("27694", "Phường Long An", "phuong"),  # former Long An side
        ("27712", "Phường Tân An", "phuong"),
        ("25708", "Phường Trảng Bàng", "phuong"),
        ("27937", "Xã Đức Hòa", "xa"),
        ("25498", "Xã Thạnh Bình", "xa"),
        ("28243", "Xã An Lục Long", "xa"),
    ],
)
def test_known_units(code, name, kind):
    unit = find_unit(code)
    assert unit is not None
    assert (unit.name, unit.kind) == (name, kind)


def test_merged_away_names_are_absent(tay_ninh):
    names = {u.name for u in tay_ninh}
    # "Thái Bình" was a commune of the old Châu Thành district; it no longer exists.
    assert "Xã Thái Bình" not in names
    assert find_unit("00000") is None


def test_search_key_example():
    assert find_unit("27937").search_key == "xa duc hoa"


def test_sorted_in_vietnamese_order(tay_ninh):
    shorts = [u.short_name for u in tay_ninh]
    assert shorts == sorted(shorts, key=vietnamese_sort_key)
    assert shorts[0] == "An Lục Long"
    assert shorts[-1] == "Vĩnh Thạnh"


def test_d_stroke_after_d(tay_ninh):
    shorts = [u.short_name for u in tay_ninh]
    assert shorts.index("Dương Minh Châu") < shorts.index("Đông Thành") < shorts.index("Gia Lộc")
    assert shorts.index("Đức Lập") < shorts.index("Gia Lộc")
    # Python's default order would put every "Đ" after "V".
    assert max(shorts).startswith("Đ")


def test_tones_break_ties_only(tay_ninh):
    shorts = [u.short_name for u in tay_ninh]
    assert shorts.index("Tân Thành") + 1 == shorts.index("Tân Thạnh")
    assert shorts.index("Bến Lức") < shorts.index("Bình Đức")  # ê before i


def test_units_are_immutable_and_list_is_a_copy(tay_ninh):
    with pytest.raises(AttributeError):
        tay_ninh[0].name = "x"
    copy = load_units()
    copy.clear()
    assert len(load_units()) == 96
    assert isinstance(tay_ninh[0], AdminUnit)


def test_other_province_works():
    hanoi = load_units("01")
    assert province_name("01") == "Thành phố Hà Nội"
    assert len(hanoi) == 126
    assert any(u.name == "Phường Ba Đình" for u in hanoi)
    assert load_units(1) == hanoi  # int and short forms are normalised


def test_special_zone_kind():
    # Island "đặc khu" exist elsewhere (e.g. Phú Quốc in An Giang).
    kinds = {u.kind for u in load_units("91")}
    assert "dac_khu" in kinds


def test_unknown_province():
    with pytest.raises(UnknownProvince):
        load_units("99")
    with pytest.raises(UnknownProvince):
        province_name("72")  # old Tây Ninh code, merged away
