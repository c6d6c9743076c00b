"""Placeholder: the development page comes in the next commit."""

from flask import Blueprint

dev_messages = Blueprint("notifications_dev", __name__, url_prefix="/dev/tin-nhan")
