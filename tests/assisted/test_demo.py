"""`make run`'s demo data for assisted mode loads once, beside the demo accounts."""

from __future__ import annotations

from webapp.accounts.demo import load_demo_accounts
from webapp.assisted import load_demo_help
from webapp.assisted.models import HelpRequest


def test_the_demo_requests_and_mandate_load_once(app, in_app):
    with app.app_context():
        load_demo_accounts()
        first, again = load_demo_help(), load_demo_help()
    assert "2 requests for help" in first[0] and "already there" in again[0]
    assert HelpRequest.select().where(HelpRequest.request_key.startswith("demo-help-")
                                      ).count() == 2
