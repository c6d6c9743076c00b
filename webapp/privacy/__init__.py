"""The citizen's rights over her data (Law 91/2025/QH15): the privacy notice, "Dữ liệu của tôi"
(everything the province holds about her, gathered from every room through
`core.personal_data`, and who opened it, from the audit log), a download, requests to correct
or delete, handled by administrators with what the law keeps recorded; and her consents.
Other rooms use `record_consent` and register their sections in `core.personal_data`."""

from __future__ import annotations

from flask import Flask

from webapp.core import personal_data
from webapp.privacy import sections, views
from webapp.privacy.services import record_consent

__all__ = ["init_app", "record_consent"]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.privacy)
    personal_data.register(app, sections.PRIVACY)
