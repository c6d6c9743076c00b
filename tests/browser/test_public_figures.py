"""The public figures (/so-lieu) as anyone reads them on a phone: from the footer, JS on and
off, A and A++, a screen reader's names for the charts and tables, axe clean (issue 15)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_good_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_anyone_reads_the_figures_by_commune(open_page, javascript, text_size):
    page = open_page("/", javascript=javascript, cookies={"text": text_size})
    page.get_by_role("link", name="Số liệu dịch vụ công trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu dịch vụ công trực tuyến")
    expect(page.get_by_role("img", name=re.compile("^Hồ sơ nhận trực tuyến"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Hồ sơ trực tuyến · "))).to_be_visible()
    assert_good_page(page)
    page.get_by_label("Theo").select_option(label="Xã, phường")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"theo=xa"))
    # Each set has its table and its CSV: the dossiers' first, then the other rooms' sets.
    for title in ("Hồ sơ trực tuyến", "Phản ánh của người dân", "Lấy ý kiến"):
        expect(page.get_by_role("table", name=re.compile(f"^{title} · .*Xã, phường$"))
               ).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Lịch hẹn tại bộ phận một cửa · "))
           ).to_be_visible()
    expect(page.get_by_role("link", name="Tải số liệu này về dạng tệp CSV").first
           ).to_have_attribute("href", re.compile(r"so-lieu\.csv\?bang=ho-so.*theo=xa"))
    assert_good_page(page)
