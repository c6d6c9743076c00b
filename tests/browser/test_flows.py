"""What a visitor does: change the text size, switch language, search, read a procedure."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, body_font_size

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_text_size_and_contrast_switches_work_and_are_remembered(open_page, javascript):
    page = open_page("/thu-tuc/", javascript=javascript)
    page.get_by_role("button", name="A++").click()
    # The same address before and after the reload: wait for the new page's text, not the URL.
    expect(page.locator("body")).to_have_css("font-size", "28px")
    expect(page).to_have_url(re.compile(r"/thu-tuc/$"))
    page.get_by_role("button", name="Tương phản cao").click()
    expect(page.locator("html")).to_have_class(re.compile(r"contrast-high"))
    page.goto("/")
    assert body_font_size(page) == 28
    expect(page.get_by_role("button", name="Tương phản cao")).to_have_attribute(
        "aria-pressed", "true")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_language_switch_to_english_and_back(open_page, javascript):
    page = open_page("/", javascript=javascript)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public services, made simple")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_search_without_javascript_is_a_plain_form(open_page):
    page = open_page("/thu-tuc/", javascript=False)
    page.get_by_label("Ông/Bà cần làm thủ tục gì?").fill("lam giay khai sinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/tim-kiem\?q=lam\+giay\+khai\+sinh"))
    first = page.locator("#search-results .link-list a").first
    expect(first).to_contain_text("khai sinh")
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("khai sinh")
    assert axe_violations(page) == []


def test_search_updates_results_as_the_visitor_types(open_page):
    page = open_page("/thu-tuc/")
    heading = page.get_by_role("heading", level=1)
    page.get_by_label("Ông/Bà cần làm thủ tục gì?").press_sequentially(
        "tro cap nguoi gia", delay=20)
    results = page.locator("#search-results .link-list a")
    expect(results.first).to_contain_text("trợ cấp xã hội hằng tháng")
    expect(heading).to_have_text("Tìm thủ tục")  # the page stayed; only the results changed
    expect(page).to_have_url(re.compile(r"q=tro(\+|%20)cap(\+|%20)nguoi(\+|%20)gia"))
    assert axe_violations(page) == []
    assert page.problems == []


def test_a_search_that_finds_nothing_offers_a_way_forward(open_page):
    page = open_page("/thu-tuc/tim-kiem?q=xyzxyz", javascript=False)
    expect(page.get_by_role("heading", name=re.compile("Chưa tìm thấy"))).to_be_visible()
    expect(page.locator("#search-results").get_by_role(
        "link", name="Địa chỉ và số điện thoại cần biết")).to_be_visible()


def test_browsing_by_life_event_reaches_a_procedure(open_page):
    page = open_page("/thu-tuc/", javascript=False)
    page.get_by_role("link", name=re.compile("^Người cao tuổi")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người cao tuổi")
    page.locator(".link-list a").first.click()
    expect(page.get_by_role("heading", name="Giấy tờ cần mang theo")).to_be_visible()
    page.get_by_role("link", name="Người cao tuổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người cao tuổi")
