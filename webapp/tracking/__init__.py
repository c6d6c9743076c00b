"""The tracked-item base: what every request a citizen follows shares (a dossier today; reports,
help requests and bookings next). A code read aloud over the phone, a state table and one
`perform` for every move (`lifecycle`), the timeline with who acted, due dates in working days
with pauses (`deadlines`), the figures of a decision, the citizen's message at each step
(`messages`), the five-face rating (`ratings`) and the public status page's parts
(templates/tracking/). A new kind is a model, a state table and templates; see
docs/architecture.md.
"""

from __future__ import annotations

from flask import Flask

from webapp.tracking import ratings


def init_app(app: Flask) -> None:
    """The rating's faces and blank form, for every kind's status page."""
    app.jinja_env.globals.update(rating_faces=ratings.FACES,
                                 blank_rating_form=ratings.rating_form)
