"""Which papers an officer's request for papers names. She ticks them on the request form, one
row per paper or per side of a paper (the back of the ID card alone), and the citizen's
add-papers page offers exactly those (issue 11). Requests made before the ticks existed are read
from their words instead (`follow_up.asked_papers`).
"""

from __future__ import annotations

from webapp.dossiers.models import RequestedPaper
from webapp.dossiers.papers import ADDED_LATER, paper_labels

SOMETHING_ELSE = ADDED_LATER  # "another paper": the request's words say which


def requestable(dossier) -> dict[str, str]:
    """What an officer may ask for: each paper of the dossier's form, or for a paper with sides
    each side on its own, named in the reader's language."""
    labels = paper_labels(dossier)
    sided = {key.split("/")[0] for key in labels if "/" in key}
    return {key: label for key, label in labels.items()
            if key not in sided and key != ADDED_LATER}


def recorder(keys: list[str]):
    """The step's after-hook: the ticked papers, written with the request in one transaction."""

    def record(_dossier, event) -> None:
        RequestedPaper.insert_many(
            [{"event": event.id, "paper_key": key} for key in keys]).execute()

    return record


def named_by(event) -> list[str]:
    """The papers a request ticked, in the form's order as she ticked them ([] if none)."""
    return [row.paper_key for row in RequestedPaper.select(RequestedPaper.paper_key)
            .where(RequestedPaper.event == event.id).order_by(RequestedPaper.id)]
