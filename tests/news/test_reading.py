"""The speech normaliser: numbers, dates, times, money, phone numbers, legal references and the
offices' abbreviations read the way a person from Tây Ninh says them."""

from __future__ import annotations

import pytest

from webapp.news.reading import digit_words, for_speech, number_words


@pytest.mark.parametrize(("number", "said"), [
    (0, "không"), (5, "năm"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"),
    (24, "hai mươi tư"), (25, "hai mươi lăm"), (44, "bốn mươi tư"), (105, "một trăm lẻ năm"),
    (110, "một trăm mười"), (1005, "một ngàn không trăm lẻ năm"),
    (2026, "hai ngàn không trăm hai mươi sáu"), (20_000, "hai mươi ngàn"),
    (1_500_000, "một triệu năm trăm ngàn"), (3_000_000_000, "ba tỷ"),
    (1_001_001, "một triệu không trăm lẻ một ngàn không trăm lẻ một"),
])
def test_numbers_as_they_are_said(number, said):
    assert number_words(number) == said


@pytest.mark.parametrize(("written", "said"), [
    ("UBND xã", "Ủy ban nhân dân xã"),
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
    ("thẻ BHYT và sổ BHXH", "thẻ bảo hiểm y tế và sổ bảo hiểm xã hội"),
    ("mang CCCD", "mang căn cước công dân"),
    ("các TTHC", "các thủ tục hành chính"),
    ("UBMTTQ xã", "Ủy ban Mặt trận Tổ quốc xã"),
    ("ngày 24/12/2026", "ngày hai mươi tư tháng mười hai năm hai ngàn không trăm hai mươi sáu"),
    ("hạn chót 3/2", "hạn chót ngày ba tháng hai"),
    ("lúc 7h30", "lúc bảy giờ ba mươi phút"),
    ("từ 14:05", "từ mười bốn giờ năm phút"),
    ("lúc 8h", "lúc tám giờ"),
    ("lệ phí 20.000 đồng", "lệ phí hai mươi ngàn đồng"),
    ("phạt 1.500.000đ", "phạt một triệu năm trăm ngàn đồng"),
    ("50.000 VNĐ", "năm mươi ngàn đồng"),
    ("gọi 113", "gọi một một ba"),
    ("số 0912 345 678", "số không chín một hai ba bốn năm sáu bảy tám"),
    ("tổng đài 1900 1234", "tổng đài một chín không không một hai ba bốn"),
    ("Nghị định 63/2024/NĐ-CP",
     "Nghị định số sáu mươi ba năm hai ngàn không trăm hai mươi tư của Chính phủ"),
    ("Luật 91/2025/QH15",
     "Luật số chín mươi mốt năm hai ngàn không trăm hai mươi lăm của Quốc hội khóa mười lăm"),
    ("giảm 50%", "giảm năm mươi phần trăm"),
    ("lãi 2,5%", "lãi hai phẩy năm phần trăm"),
    ("2 ảnh 3x4", "hai ảnh ba nhân bốn"),
    ("- Mang CCCD", "Mang căn cước công dân"),
    ("trong 5 ngày làm việc", "trong năm ngày làm việc"),
])
def test_what_a_person_would_say(written, said):
    assert for_speech(written) == said


def test_words_that_only_look_like_abbreviations_stay():
    assert for_speech("Chào bà con, hạt kg") == "Chào bà con, hạt ki lô gam"
    assert for_speech("UBNDX") == "UBNDX"


def test_digit_words():
    assert digit_words("0276") == "không hai bảy sáu"
