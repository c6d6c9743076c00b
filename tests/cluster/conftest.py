"""The cluster tests drive Debian's Chromium as the browser tests do (same launch arguments and
the same patience with a busy machine)."""

from tests.browser.conftest import browser_type_launch_args  # noqa: F401 (a fixture)
