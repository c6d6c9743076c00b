"""This room's own message: the test message a developer sends from the development page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.notifications.templates import register

TEST_MESSAGE = register(
    "test_message",
    text=_l("This is a test message from %(app_name)s. You do not need to do anything."),
    zns_setting="ZNS_TEMPLATE_TEST_MESSAGE",
    zns_params=["app_name"],
)
