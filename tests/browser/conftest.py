"""Browser tests: the app served by a real server in a thread, driven in Debian's Chromium."""

from __future__ import annotations

import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import make_app, prepare_database

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


# On a machine whose cores are busy with other work a page can take seconds to answer: wait up
# to 20 s for what a test expects (Playwright's default is 5 s), never a fixed time.
EXPECT_SECONDS = 20
expect.set_options(timeout=EXPECT_SECONDS * 1000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's Chromium (no browser can be downloaded here); fall back to Playwright's own."""
    chromium = shutil.which("chromium")
    return {**browser_type_launch_args, **({"executable_path": chromium} if chromium else {})}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the live server serves; tests use it to sign people in and to read the data."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    prepare_database(url)
    return make_app(url, SERVER_NAME=None)


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve a demo-loaded SQLite app on a free port for the whole session."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_BASE_URL"] = base  # links in messages lead back to this server
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def open_page(browser, base_url):
    """Open a page in a fresh context, with or without JavaScript, at a named viewport.

    "Without JavaScript" blocks every script the page loads (ours are all external files) rather
    than switching JavaScript off in Chromium, because Playwright's own evaluate (which axe and
    the measurements use) hangs in a context with JavaScript disabled. For the page it is the
    same: no script of ours runs, forms and links work natively.
    Records console errors and CSP violations so that tests can assert there are none.
    """
    contexts = []

    def open_(path: str, *, javascript: bool = True, viewport: str = "phone", cookies=None,
              color_scheme: str = "light", user_agent: str | None = None, **options):
        # `options`: more of Playwright's context options (geolocation, permissions).
        context = browser.new_context(base_url=base_url, viewport=VIEWPORTS[viewport],
                                      locale="vi-VN", color_scheme=color_scheme,
                                      **({"user_agent": user_agent} if user_agent else {}),
                                      **options)
        if not javascript:
            context.route("**/*.js", lambda route: route.abort("blockedbyclient"))
        if cookies:
            context.add_cookies([{"name": k, "value": v, "url": base_url}
                                 for k, v in cookies.items()])
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and "ERR_BLOCKED_BY_CLIENT" not in m.text
                and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()


def axe_violations(page, options: dict = AXE_OPTIONS) -> list[str]:
    """Run axe with the WCAG 2.0/2.1/2.2 A and AA rules; describe each violation found."""
    from axe_playwright_python.sync_playwright import Axe

    settle(page)
    results = Axe().run(page, options=options)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


# Body text must reach 7:1 (WCAG 1.4.6, AAA), beyond the AA rules above.
ENHANCED_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]},
                     "resultTypes": ["violations"]}


def contrast_violations(page) -> list[str]:
    """Text below 7:1 contrast (large text below 4.5:1), as axe's enhanced-contrast rule sees it."""
    return axe_violations(page, ENHANCED_CONTRAST)


# Elements people tap. Links inside a sentence are exempt, as in WCAG 2.5.8's inline exception.
SMALL_TARGETS_JS = """
() => Array.from(document.querySelectorAll('a, button, input, select, textarea, summary'))
  .filter(el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.bottom < 0) return false;
    if (el.type === 'hidden') return false;
    if (el.tagName === 'A') {
      const parentText = el.parentElement.textContent.replace(/\\s+/g, ' ').trim();
      const ownText = el.textContent.replace(/\\s+/g, ' ').trim();
      if (parentText !== ownText) return false;
    }
    if (el.type === 'radio' || el.type === 'checkbox') {
      const label = el.labels && el.labels[0];
      const lr = label ? label.getBoundingClientRect() : r;
      return Math.max(r.height, lr.height) < 47.5 || r.width < 47.5 && lr.width < 47.5;
    }
    return r.width < 47.5 || r.height < 47.5;
  })
  .map(el => el.outerHTML.slice(0, 120) + ' ' + Math.round(el.getBoundingClientRect().width)
       + 'x' + Math.round(el.getBoundingClientRect().height))
"""


def settle(page) -> None:
    """Wait until the page after a click has loaded its stylesheet: an element can appear
    before the CSS applies, and a measurement then would judge the unstyled page."""
    page.wait_for_load_state("load")


def small_targets(page) -> list[str]:
    settle(page)
    return page.evaluate(SMALL_TARGETS_JS)


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 is what we want)."""
    settle(page)
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def body_font_size(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")


SMALLEST_TEXT_JS = """
() => {
  let smallest = Infinity, where = '';
  for (const el of document.body.querySelectorAll('*')) {
    const hasText = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!hasText || r.width <= 1 || r.height <= 1 || r.bottom < 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) { smallest = size; where = el.outerHTML.slice(0, 80); }
  }
  return [smallest, where];
}
"""


def smallest_text(page) -> tuple[float, str]:
    """The smallest font size of any visible text on the page, and where it is."""
    settle(page)
    return tuple(page.evaluate(SMALLEST_TEXT_JS))


def assert_good_page(page) -> None:
    """What every page and each of its states must pass: axe (AA and the enhanced 7:1
    contrast), 48 px targets, 20 px text, no sideways scrolling, no console or CSP errors."""
    assert axe_violations(page) == []
    assert contrast_violations(page) == []
    assert small_targets(page) == []
    assert smallest_text(page)[0] >= 20, smallest_text(page)
    assert horizontal_overflow(page) == 0
    assert page.problems == []


def session_cookies(client) -> dict[str, str]:
    """The cookies of a test client signed in on `live_app`, for a browser context."""
    name = client.application.config["SESSION_COOKIE_NAME"]
    return {name: client.get_cookie(name).value}
