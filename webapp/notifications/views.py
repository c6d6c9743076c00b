"""The development page `/dev/tin-nhan`: messages the development transport kept on this
machine, in full, so that a developer can read sign-in codes in the demo.

Registered only when APP_ENV=development and NOTIFY_TRANSPORTS includes "development" (see
`transports.development_page_enabled`); everywhere else the address is a plain 404.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from webapp.core.db import database
from webapp.core.forms import Field, FieldError, Form
from webapp.core.phones import InvalidPhone, normalize_mobile
from webapp.notifications.messages import TEST_MESSAGE
from webapp.notifications.models import PENDING, SENDING, OutboxMessage
from webapp.notifications.outbox import enqueue
from webapp.notifications.transports import NotificationSettingsError
from webapp.notifications.worker import Worker

dev_messages = Blueprint("notifications_dev", __name__, url_prefix="/dev/tin-nhan")


def _mobile(raw: str) -> str:
    try:
        return normalize_mobile(raw)
    except InvalidPhone:
        raise FieldError(
            _l("Enter a mobile number of 10 digits, such as 0912 345 678.")) from None


def test_message_form(formdata=None) -> Form:
    return Form([Field("phone", _l("Enter a mobile phone number."), _mobile)], formdata)


@dev_messages.get("")
def messages():
    """Messages kept on this machine, newest first, and how many are still waiting."""
    return _page(test_message_form())


@dev_messages.post("/gui-thu")
def send_test():
    """Put a test message to the number typed into the outbox."""
    form = test_message_form(request.form)
    if not form.validate():
        return _page(form)
    app_name = current_app.extensions["province"].content["vi"]["app_name"]
    with database.atomic():
        enqueue(template=TEST_MESSAGE.key, phone=form.data["phone"],
                data={"app_name": app_name})
    flash(_l("The test message is waiting to be sent."))
    return redirect(url_for(".messages"), 303)


@dev_messages.post("/gui-ngay")
def send_now():
    """Send what is due now, for when no worker runs beside the web server."""
    try:
        outcomes = Worker.from_config(current_app.config).drain()
    except NotificationSettingsError as error:
        flash(str(error))
    else:
        sent = outcomes["sent"]
        flash(ngettext("%(num)s message sent.", "%(num)s messages sent.", sent))
    return redirect(url_for(".messages"), 303)


def _page(form: Form):
    counts = OutboxMessage.count_by_status()
    return render_template(
        "notifications/dev-messages.html",
        form=form,
        waiting=counts[PENDING] + counts[SENDING],
        sent_messages=list(OutboxMessage.delivered_locally()),
    )
