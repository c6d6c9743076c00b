"""The outbox as Prometheus sees it (`/metrics`, core/metrics.py): messages by status (the
depth is pending plus sending; failed are the sends given up on), and how long the oldest
message still waiting has waited. Read from the database when Prometheus asks, so every
process reports the same truth; two small queries on the indexed status column."""

from __future__ import annotations

from peewee import fn
from prometheus_client.core import GaugeMetricFamily

from webapp.core.clock import utcnow
from webapp.notifications.models import FAILED, PENDING, SENDING, STATUSES, OutboxMessage


def collect():
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(OutboxMessage.select(OutboxMessage.status, fn.COUNT(OutboxMessage.id))
                  .group_by(OutboxMessage.status).tuples())
    by_status = GaugeMetricFamily("webapp_outbox_messages", "Messages in the outbox, by status.",
                                  labels=["status"])
    for status in STATUSES:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status
    yield GaugeMetricFamily("webapp_outbox_depth", "Messages waiting to be sent (pending or "
                            "being sent).", value=counts[PENDING] + counts[SENDING])
    yield GaugeMetricFamily("webapp_outbox_failed", "Messages whose sending was given up "
                            "(kept until the retention purge).", value=counts[FAILED])
    oldest = (OutboxMessage.select(fn.MIN(OutboxMessage.created_at))
              .where(OutboxMessage.status.in_([PENDING, SENDING])).scalar())
    age = (utcnow() - oldest).total_seconds() if oldest else 0.0
    yield GaugeMetricFamily("webapp_outbox_oldest_waiting_seconds", "Age of the oldest message "
                            "still waiting to be sent (0 when none waits).", value=max(age, 0.0))
