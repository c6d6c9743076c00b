"""What the citizen does after an officer's step, from the status page: add the papers that were
asked for (the dossier goes back to the officer and the clock runs again), see the result, and
rate the service with five faces (the tracked-item base's rating).

Same URLs and same rule about who may follow as the status page: the owner, or whoever looked
the dossier up with its code and phone number.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.accounts.auth import current_citizen
from webapp.core.forms import Field, FieldError, Form
from webapp.core.text import fold_vietnamese
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import paper_links, requested_papers, steps
from webapp.dossiers.blueprint import dossiers
from webapp.dossiers.models import (
    Attachment,
    Dossier,
    DossierEvent,
    DossierRating,
    DossierResult,
)
from webapp.dossiers.papers import ADDED_LATER, paper_label, paper_labels
from webapp.dossiers.tracking_views import (
    dossier_or_404,
    grant_lookup,
    may_follow,
    status_context,
)
from webapp.tracking import messages as tracked_messages
from webapp.tracking import ratings
from webapp.tracking.deadlines import days_left_when_answered
from webapp.tracking.lifecycle import IllegalTransition, Move, StaleItem
from webapp.uploads import UploadRejected, storage
from webapp.uploads.messages import rejection_message

MAX_PHOTOS = 10
MESSAGE_MAX_CHARS = 1000
OTHER_PAPER = ADDED_LATER  # photos that are not one of the form's papers


def _followed(code: str) -> Dossier:
    """The dossier, if this visitor may follow it; otherwise the look-up page (or 404)."""
    dossier = dossier_or_404(code)
    if not may_follow(dossier):
        abort(redirect(url_for("dossiers.lookup", ma=dossier.code), 303))
    return dossier


def _to_status(dossier: Dossier, anchor: str | None = None):
    return redirect(url_for("dossiers.status", code=dossier.code, _anchor=anchor), 303)


# --- What the status page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """The officer's request, the result and the rating, as the citizen's status page shows them."""

    request: DossierEvent | None
    result: DossierResult | None
    rating: DossierRating | None
    officer_phone: str
    owner: bool
    days_left: int = 0  # while waiting for papers: working days the commune has once they come
    papers: tuple[str, ...] = ()  # while waiting: the papers the officer ticked, by name
    # Once sent, to their owner: (photo, paper's name) of what she just added, so that without
    # JavaScript too she sees the photos she sent (a thumbnail before sending needs a script).
    sent_photos: tuple = ()

    @property
    def may_rate(self) -> bool:
        return self.rating is None


def _last_request(dossier: Dossier) -> DossierEvent | None:
    return (DossierEvent.select()
            .where((DossierEvent.dossier == dossier.id)
                   & (DossierEvent.to_status == lc.MORE_PAPERS_REQUESTED))
            .order_by(DossierEvent.created_at.desc(), DossierEvent.id.desc()).first())


def _photos_sent_since(dossier: Dossier, request_event: DossierEvent | None) -> tuple:
    """The photos added to the dossier after that request, each with its paper's name."""
    if request_event is None:
        return ()
    labels = paper_labels(dossier)
    photos = Attachment.of_dossier(dossier.id).where(
        Attachment.created_at >= request_event.created_at)
    return tuple((photo, paper_label(labels, photo)) for photo in photos)


def follow_up_for(dossier: Dossier) -> FollowUp | None:
    """What to add to the status card for this dossier's status (None: nothing to add)."""
    waiting = dossier.status == lc.MORE_PAPERS_REQUESTED
    decided = dossier.status in lc.DECIDED_STATUSES
    citizen = current_citizen()
    owner = bool(citizen and citizen.id == dossier.citizen_id)
    if dossier.status == lc.PAPERS_ADDED and owner:
        return FollowUp(request=None, result=None, rating=None, officer_phone="", owner=True,
                        sent_photos=_photos_sent_since(dossier, _last_request(dossier)))
    if not (waiting or decided):
        return None
    asked = _last_request(dossier) if waiting else None
    return FollowUp(
        request=asked,
        result=DossierResult.for_dossier(dossier.id) if decided else None,
        rating=DossierRating.for_dossier(dossier.id) if decided else None,
        officer_phone=tracked_messages.officer_phone(
            tracked_messages.last_officer(steps.KIND, dossier.id), dossier.commune),
        owner=owner,
        days_left=days_left_when_answered(dossier.due_date, asked.created_at) if asked else 0,
        papers=tuple(_ticked(dossier, asked).values()) if asked else (),
    )


@dossiers.context_processor
def _follow_up_helpers() -> dict:
    return {"follow_up_for": follow_up_for}


# --- Adding papers -------------------------------------------------------------------------------


def _add_papers_form(formdata, paper_choices: dict[str, str]) -> Form:
    def clean_message(raw: str) -> str:
        if len(raw) > MESSAGE_MAX_CHARS:
            raise FieldError(_("Please write at most %(count)d characters.",
                               count=MESSAGE_MAX_CHARS))
        return raw

    def clean_paper(raw: str) -> str:
        if raw not in paper_choices:
            raise FieldError(_("Choose which paper the photos show."))
        return raw

    # Nothing is chosen for her unless only one paper was asked for.
    only = next(iter(paper_choices)) if len(paper_choices) == 1 else ""
    return Form([Field("paper", clean=clean_paper), Field("photos"),
                 Field("message", clean=clean_message)], formdata, initial={"paper": only})


def asked_papers(dossier: Dossier, words: str) -> dict[str, str]:
    """The form's papers that the officer's request names ("ảnh mặt sau thẻ căn cước bị mờ"
    names the citizen ID card), compared without accents and without "Ảnh"; {} if none."""
    said = fold_vietnamese(words or "")
    named = {}
    for key, label in paper_labels(dossier).items():
        if "/" in key or key == ADDED_LATER:
            continue
        name = fold_vietnamese(label).removeprefix("anh ").split(" cua ")[0].strip()
        if name and name in said:
            named[key] = label
    return named


def _ticked(dossier: Dossier, request_event: DossierEvent | None) -> dict[str, str]:
    """The papers the officer ticked on that request, by name ({} for an older request)."""
    ticked = requested_papers.named_by(request_event) if request_event else []
    labels = {**requested_papers.requestable(dossier), OTHER_PAPER: _("Another paper")}
    return {key: labels.get(key, key) for key in ticked}


def _paper_choices(dossier: Dossier, request_event: DossierEvent | None) -> dict[str, str]:
    """Exactly the papers the officer ticked, or (for a request from before the ticks) that its
    words name; otherwise the form's papers and "another paper", none chosen in advance."""
    ticked = _ticked(dossier, request_event)
    if ticked:
        return ticked
    named = asked_papers(dossier, request_event.public_message if request_event else "")
    if named:
        return named
    labels = {k: v for k, v in paper_labels(dossier).items() if "/" not in k and k != ADDED_LATER}
    return {**labels, OTHER_PAPER: _("Another paper")}


def _store_photos(form: Form) -> list:
    """Store every chosen photo; on any refusal store none and say why beside the field."""
    uploads = [f.read() for f in request.files.getlist("photos") if f and f.filename][:MAX_PHOTOS]
    stored = []
    try:
        for data in uploads:
            stored.append(storage.store_upload(data))
    except UploadRejected as rejected:
        _discard(stored)
        form.add_error("photos", rejection_message(rejected))
        return []
    return stored


def _discard(stored: list) -> None:
    for item in stored:
        storage.delete(item.name)


def _attach(stored: list, paper_key: str):
    paper, _slash, side = paper_key.partition("/")  # "cccd/back": the back of the ID card

    def attach(dossier, _event) -> None:
        for item in stored:
            Attachment.from_upload(item, dossier=dossier.id, citizen=dossier.citizen_id,
                                   paper_key=paper, side=side, purpose="paper")

    return attach


def _render_add_papers(dossier: Dossier, form: Form, choices: dict[str, str]):
    return render_template("dossiers/add-papers.html", form=form, choices=choices,
                           follow=follow_up_for(dossier), **status_context(dossier))


@dossiers.route("/tra-cuu-ho-so/<code>/bo-sung", methods=["GET", "POST"])
def add_papers(code: str):
    """Send the papers the officer asked for: photos and/or a few words, in one go."""
    dossier = _followed(code)
    if dossier.status != lc.MORE_PAPERS_REQUESTED:
        return _to_status(dossier)  # already sent (a second tap) or no longer needed
    choices = _paper_choices(dossier, _last_request(dossier))
    form = _add_papers_form(request.form if request.method == "POST" else None, choices)
    if request.method == "GET" or not form.validate():
        return _render_add_papers(dossier, form, choices)
    chosen_files = any(f and f.filename for f in request.files.getlist("photos"))
    if chosen_files and not form.data["paper"]:
        form.add_error("paper", _("Choose which paper the photos show."))
        return _render_add_papers(dossier, form, choices)
    stored = _store_photos(form)
    if not form.errors and not stored and not form.data["message"]:
        form.add_error("photos", _("Add a photo of the paper, or write what the commune asked "
                                   "for."))
    if form.errors:
        return _render_add_papers(dossier, form, choices)
    version = request.form.get("version", "")
    move = Move("add_papers", int(version) if version.isdigit() else -1,
                citizen=dossier.citizen, public_message=form.data["message"] or "",
                after=_attach(stored, form.data["paper"] or OTHER_PAPER))
    try:
        steps.perform(dossier, move)
        flash(_("Thank you. Your papers have been sent to the commune."))
    except (StaleItem, IllegalTransition):
        _discard(stored)  # a second tap: the first one already sent them
    return _to_status(dossier)


@dossiers.get("/bo-sung/<token>")
def add_papers_link(token: str):
    """The link of the "more papers needed" message: that dossier's add-papers page, opened
    without the phone number, while that request is open (webapp/dossiers/paper_links.py)."""
    found = paper_links.read_token(token)
    dossier = Dossier.get_or_none(Dossier.id == found[0]) if found else None
    asked = (_last_request(dossier)
             if dossier and dossier.status == lc.MORE_PAPERS_REQUESTED else None)
    if asked is None or asked.id != found[1]:
        return render_template("dossiers/link-expired.html"), 410
    grant_lookup(dossier)  # as if she had typed the code and her phone number
    return redirect(url_for("dossiers.add_papers", code=dossier.code), 303)


# --- Rating --------------------------------------------------------------------------------------


@dossiers.post("/tra-cuu-ho-so/<code>/danh-gia")
def rate(code: str):
    """Rate the service once the result is out; one rating per dossier."""
    dossier = _followed(code)
    if dossier.status not in lc.DECIDED_STATUSES:
        return _to_status(dossier)
    form = ratings.rating_form(request.form)
    if not form.validate():
        return render_template("dossiers/status.html", form=form, rating_form=form,
                               **status_context(dossier))
    if ratings.save_rating(DossierRating, "dossier", dossier.id, form):
        flash(_("Thank you for rating our service."))
    # else rated already (another tab, a second tap): the first rating stands
    return _to_status(dossier, anchor="danh-gia")
