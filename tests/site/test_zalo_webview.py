"""Inside Zalo's in-app browser: its own dark theme, links that open where they point, shared
links that show a title and a picture in the chat, and a way to send a page with no script of
Zalo's on our pages."""

from __future__ import annotations

import re

import pytest

from webapp.core.webview import in_zalo, zalo_theme

ANDROID_DARK = ("Mozilla/5.0 (Linux; Android 13; SM-A145F Build/TP1A.220624.014; wv) "
                "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 "
                "Mobile Safari/537.36 Zalo android/25112868 ZaloTheme/dark ZaloLanguage/vi")
IOS_LIGHT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/586 ZaloTheme/light ZaloLanguage/vn")
THEME_ONLY = "Mozilla/5.0 (Linux; Android 12) Mobile Safari/537.36 ZaloTheme/"
CHROME = ("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/125.0 Mobile Safari/537.36")


@pytest.mark.parametrize(("agent", "zalo", "theme"), [
    (ANDROID_DARK, True, "dark"), (IOS_LIGHT, True, "light"), (THEME_ONLY, True, None),
    (CHROME, False, None), ("", False, None),
    ("Mozilla/5.0 Zalopay/1.0", False, None),  # another app whose name starts the same
])
def test_zalo_and_its_theme_are_read_from_the_user_agent(agent, zalo, theme):
    assert in_zalo(agent) is zalo
    assert zalo_theme(agent) == theme


def _html_classes(html: str) -> list[str]:
    return re.search(r'<html lang="\w+" class="([^"]*)"', html).group(1).split()


@pytest.mark.parametrize(("agent", "expected", "absent"), [
    (ANDROID_DARK, "theme-dark", "theme-light"), (IOS_LIGHT, "theme-light", "theme-dark")])
def test_zalos_theme_choice_is_put_on_the_page(client_page, agent, expected, absent):
    classes = _html_classes(client_page("site.home", _headers={"User-Agent": agent}).html)
    assert expected in classes and absent not in classes


def test_outside_zalo_the_phones_own_setting_decides(client_page):
    classes = _html_classes(client_page("site.home", _headers={"User-Agent": CHROME}).html)
    assert not [name for name in classes if name.startswith("theme-")]


def test_the_stylesheet_has_the_same_dark_colours_for_zalo_and_for_the_phone(client, url):
    css = client.get(url("static", filename="css/app.css")).get_data(as_text=True)
    media = re.search(r"prefers-color-scheme: dark\) \{\s*:root:not\(\.contrast-high\)"
                      r":not\(\.theme-light\) \{([^}]*)\}", css)
    zalo = re.search(r":root\.theme-dark:not\(\.contrast-high\) \{([^}]*)\}", css)
    assert media and zalo
    assert media.group(1).split() == zalo.group(1).split()


PROCEDURE = "tro-cap-xa-hoi-hang-thang"


@pytest.fixture
def procedure_slug(app):
    from webapp.catalogue import Procedure
    with app.app_context():
        return Procedure.select().first().slug


def test_a_shared_procedure_shows_its_title_words_and_picture_in_the_chat(
        client_page, app, procedure_slug):
    page = client_page("catalogue.detail", slug=procedure_slug,
                       _headers={"User-Agent": ANDROID_DARK})
    meta = dict(re.findall(r'<meta property="(og:[a-z:_]+)" content="([^"]*)"', page.html))
    title = re.search(r"<h1>([^<]+)</h1>", page.html).group(1)
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert meta["og:title"] == title
    assert meta["og:description"]
    assert meta["og:url"] == f"{base}/thu-tuc/{procedure_slug}"
    assert re.fullmatch(re.escape(base) + r"/static/img/share\.[0-9a-f]+\.png", meta["og:image"])
    assert meta["og:locale"] == "vi_VN"


def test_the_links_a_chat_shows_never_come_from_the_visitors_host_header(
        client, url, app, procedure_slug):
    response = client.get(url("catalogue.detail", slug=procedure_slug),
                          headers={"Host": "tayninh.evil.example"})
    assert "evil.example" not in response.get_data(as_text=True)


def test_a_procedure_page_offers_to_send_it_in_zalo(client_page, procedure_slug):
    page = client_page("catalogue.detail", slug=procedure_slug)
    assert f'href="/chia-se?trang=/thu-tuc/{procedure_slug}"' in page.html
    assert "Gửi trang này qua Zalo" in page.text


def test_the_share_page_gives_the_pages_public_address_to_copy(client_page, app, procedure_slug):
    page = client_page("site.share", trang=f"/thu-tuc/{procedure_slug}")
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert f'value="{base}/thu-tuc/{procedure_slug}"' in page.html
    assert "Nhấn giữ vào địa chỉ ở trên" in page.text
    assert "zalo.me" not in page.html and "<script src=\"http" not in page.html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "javascript:alert(1)", ""])
def test_the_share_page_only_shares_this_sites_pages(client_page, app, target):
    page = client_page("site.share", trang=target)
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert f'value="{base}/"' in page.html
    assert not re.search(r'(href|value|data-share)="(https?:)?//evil|="javascript:', page.html)


@pytest.mark.parametrize("path", [f"/thu-tuc/{PROCEDURE}", "/tra-cuu-ho-so", "/nop-ho-so",
                                  "/so-dien-thoai-can-biet"])
def test_deep_links_from_a_chat_open_the_page_they_name(client, path):
    response = client.get(path, headers={"User-Agent": ANDROID_DARK})
    assert response.status_code == 200, (path, response.status_code)
