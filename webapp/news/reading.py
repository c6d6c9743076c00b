"""Text to be read aloud, the way a person from Tây Ninh would say it: numbers, dates, times,
money, phone numbers, legal references and the offices' abbreviations ("UBND" is "Ủy ban nhân
dân"), before the speech engine sees it. Southern usage: "ngàn" for thousand, "lẻ" for an empty
tens place, "tư" for a four after tens ("hai mươi tư")."""

from __future__ import annotations

import re

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "ngàn", "triệu", "tỷ")

# Longest first, so "UBMTTQ" is read before "MTTQ". Whole words only.
ABBREVIATIONS = {
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "TTHC": "thủ tục hành chính",
    "CCCD": "căn cước công dân",
    "CMND": "chứng minh nhân dân",
    "VNeID": "Vê en e ai đi",
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
    "CSGT": "cảnh sát giao thông",
    "SĐT": "số điện thoại",
    "ĐT": "điện thoại",
    "NĐ-CP": "Nghị định của Chính phủ",
    "QĐ-UBND": "Quyết định của Ủy ban nhân dân",
    "QĐ-TTg": "Quyết định của Thủ tướng Chính phủ",
    "TT-BYT": "Thông tư của Bộ Y tế",
    "QH15": "Quốc hội khóa mười lăm",
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "TP.": "thành phố",
    "VNĐ": "đồng",
    "VND": "đồng",
    "km": "ki lô mét",
    "kg": "ki lô gam",
    "ha": "héc ta",
    "m2": "mét vuông",
    "m²": "mét vuông",
}
_ABBREVIATION = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w])")
# Three-digit numbers people dial, read digit by digit.
HOTLINES = {"111", "112", "113", "114", "115", "116", "1022"}

# 63/2024/NĐ-CP: "số sáu mươi ba năm hai ngàn không trăm hai mươi tư của Chính phủ".
_LAW_REFERENCE = re.compile(r"\b(\d+)/(\d{4})/([\wĐđ]+(?:-[\wĐđ]+)?)")
LAW_ISSUERS = {
    "NĐ-CP": "của Chính phủ",
    "QH15": "của Quốc hội khóa mười lăm",
    "QĐ-UBND": "của Ủy ban nhân dân",
    "QĐ-TTg": "của Thủ tướng Chính phủ",
    "TT-BYT": "của Bộ Y tế",
    "TT-BCA": "của Bộ Công an",
}
_DATE = re.compile(r"\b(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b")
_DAY_MONTH = re.compile(r"\b(?:ngày\s+)?(\d{1,2})/(\d{1,2})\b")
_SIZE = re.compile(r"\b(\d+)x(\d+)\b")
_TIME = re.compile(r"\b(\d{1,2})(?:h|giờ|:)(\d{2})?(?:p|phút)?\b")
_PHONE = re.compile(r"(?<![\d.,])(0\d{2,3}(?:[ .]?\d){6,8}|1[89]00(?:[ .]?\d){4,6})(?![\d])")
_MONEY = re.compile(r"\b(\d{1,3}(?:\.\d{3})+|\d+)\s?(?:đồng|đ|VNĐ|VND)(?!\w)")
_PERCENT = re.compile(r"(\d+(?:,\d+)?)\s?%")
_DECIMAL = re.compile(r"\b(\d+),(\d+)\b")
_GROUPED = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")
_NUMBER = re.compile(r"\b\d+\b")


def _units_after_tens(tens: int, units: int) -> list[str]:
    """The units after "mươi"/"mười": "mốt" and "tư" after twenty, "lăm" after ten."""
    if units == 0:
        return []
    if units == 5:
        return ["lăm"]
    if tens > 1 and units in (1, 4):
        return ["mốt" if units == 1 else "tư"]
    return [DIGITS[units]]


def _under_thousand(number: int, full: bool) -> str:
    """0-999; `full` when a higher group came before ("một ngàn không trăm lẻ năm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = [DIGITS[hundreds], "trăm"] if hundreds or full else []
    if tens:
        words += ([DIGITS[tens], "mươi"] if tens > 1 else ["mười"])
        words += _units_after_tens(tens, units)
    elif units:
        words += (["lẻ"] if words else []) + [DIGITS[units]]
    return " ".join(words)


def number_words(number: int) -> str:
    """An integer as it is said: 2026 "hai ngàn không trăm hai mươi sáu"."""
    if number == 0:
        return "không"
    if number >= 10**12:
        return digit_words(str(number))
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        full = index < len(groups) - 1
        words.append(_under_thousand(group, full))
        if SCALES[index]:
            words.append(SCALES[index])
    return " ".join(words)


def digit_words(digits: str) -> str:
    """Digit by digit, for phone numbers and codes: "113" is "một một ba"."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def _money(match: re.Match) -> str:
    return f"{number_words(int(match.group(1).replace('.', '')))} đồng"


def _time(match: re.Match) -> str:
    hour, minute = int(match.group(1)), match.group(2)
    if hour > 24 or (minute and int(minute) > 59):
        return match.group(0)
    said = f"{number_words(hour)} giờ"
    return f"{said} {number_words(int(minute))} phút" if minute and int(minute) else said


def _date(match: re.Match) -> str:
    day, month, year = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    return f"ngày {number_words(day)} tháng {number_words(month)} năm {number_words(year)}"


def _day_month(match: re.Match) -> str:
    day, month = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    return f"ngày {number_words(day)} tháng {number_words(month)}"


def _hotline_or_number(match: re.Match) -> str:
    text = match.group(0)
    if text in HOTLINES:
        return digit_words(text)
    if len(text) > 1 and text.startswith("0"):
        return digit_words(text)
    return number_words(int(text))


def for_speech(text: str) -> str:
    """The text rewritten in words, ready for the speech engine."""
    text = _LAW_REFERENCE.sub(_law_reference, text)
    text = _PHONE.sub(lambda m: digit_words(m.group(0)), text)
    text = _SIZE.sub(lambda m: f"{number_words(int(m.group(1)))} nhân "
                     f"{number_words(int(m.group(2)))}", text)
    text = _MONEY.sub(_money, text)
    text = _DATE.sub(_date, text)
    text = _TIME.sub(_time, text)
    text = _DAY_MONTH.sub(_day_month, text)
    text = _PERCENT.sub(lambda m: f"{_decimal_words(m.group(1))} phần trăm", text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    text = _DECIMAL.sub(lambda m: f"{number_words(int(m.group(1)))} phẩy "
                        f"{digit_words(m.group(2))}", text)
    text = _GROUPED.sub(lambda m: number_words(int(m.group(0).replace(".", ""))), text)
    text = _NUMBER.sub(_hotline_or_number, text)
    text = re.sub(r"(?m)^\s*[-*•]\s+", "", text)  # list bullets
    text = text.replace("&", " và ")
    return re.sub(r"[ \t]+", " ", text).strip()


def _law_reference(match: re.Match) -> str:
    number, year, kind = match.groups()
    issuer = LAW_ISSUERS.get(kind, ABBREVIATIONS.get(kind, kind))
    return f"số {number_words(int(number))} năm {number_words(int(year))} {issuer}"


def _decimal_words(value: str) -> str:
    whole, _, fraction = value.partition(",")
    said = number_words(int(whole))
    return f"{said} phẩy {digit_words(fraction)}" if fraction else said
