"""The news room's blueprint; `views` (readers) and `staff_views` (publishing) add the routes."""

from flask import Blueprint

from webapp.accounts.auth import current_staff

news = Blueprint("news", __name__)


@news.context_processor
def _staff_layout():
    """The back-office layout names who is signed in."""
    return {"staff_user": current_staff()}
