"""Submitting a dossier: the start page, one question per page (a group's together), photos,
checking, sending.

Every step is an ordinary page with an ordinary form (Post/Redirect/Get). Where JavaScript
runs, htmx posts the same forms and swaps only the step (`#wizard`); the server answers with
the step's fragment (`webapp.core.htmx.render`) and htmx pushes the step's URL, so back and
forward keep working. Answers are saved on the server after every step.
"""

from __future__ import annotations

import secrets

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from webapp.accounts.auth import citizen_required, current_citizen
from webapp.catalogue import Procedure
from webapp.core.forms import Field, Form
from webapp.core.htmx import render
from webapp.core.i18n import current_language
from webapp.dossiers import fields, papers, services, summary
from webapp.dossiers.blueprint import (
    current_helper,
    dossiers,
    drafter_required,
    owned_draft,
    sent_url,
)
from webapp.dossiers.models import Dossier, DossierDraft
from webapp.dossiers.wizard import PAPER, Page, Wizard
from webapp.places.views import finder_requested

RETURN_TO_CHECK = "kiem-tra"  # ?tu=kiem-tra: a change made from the check-your-answers page


def online_procedure(slug: str) -> Procedure:
    procedure = Procedure.get_or_none(Procedure.slug == slug)
    if procedure is None or services.form_for(procedure) is None:
        abort(404)
    return procedure


def page_url(draft: DossierDraft, page: Page | None, **args) -> str:
    """The URL of a page of the sequence; None is the check-your-answers page."""
    if page is None:
        return url_for("dossiers.check_answers", token=draft.token)
    endpoint = "dossiers.paper" if page.kind == PAPER else "dossiers.question"
    return url_for(endpoint, token=draft.token, slug=page.slug, **args)


def _back(draft: DossierDraft, wizard: Wizard, page: Page) -> tuple[str, bool]:
    """Where "Back" goes, and whether that is a step htmx can swap in."""
    if request.args.get("tu") == RETURN_TO_CHECK:
        return url_for("dossiers.check_answers", token=draft.token), True
    previous = wizard.previous_page(page)
    if previous is None:
        return url_for("dossiers.start", slug=draft.procedure.slug), False
    return page_url(draft, previous), True


def _render_step(template: str, draft, wizard: Wizard, page: Page, **context):
    back_url, back_is_step = _back(draft, wizard, page)
    response = render(
        f"dossiers/{template}.html", fragment=f"dossiers/_{template}.html",
        draft=draft, wizard=wizard, current_page=page, position=wizard.position(page),
        back_url=back_url, back_is_step=back_is_step,
        procedure=draft.procedure, language=current_language(), **context)
    if request.method == "POST":
        # The same step again, with what to fix: no new entry in the browser's history.
        response.headers["HX-Push-Url"] = "false"
    return response


def _next_url(draft: DossierDraft, form, page: Page) -> str:
    """After a step: on through the sequence, or back to checking when a change was made."""
    wizard = services.draft_wizard(draft, form)
    if request.args.get("tu") == RETURN_TO_CHECK:
        return page_url(draft, wizard.first_incomplete(), tu=RETURN_TO_CHECK)
    return page_url(draft, wizard.next_page(page))


# --- Before the first question -------------------------------------------------------------------


@dossiers.get("/nop-ho-so")
def index():
    """Every procedure that can be done online, and the citizen's unfinished drafts."""
    citizen = current_citizen()
    return render("dossiers/index.html",
                  procedures=Procedure.by_codes(sorted(services.forms())),
                  drafts=list(DossierDraft.in_progress(citizen)) if citizen else [])


@dossiers.get("/nop-ho-so/<slug>")
def start(slug: str):
    """Who may apply, the papers, the time and the fee, and what to have ready; with a draft
    in progress, carrying on with it comes first."""
    procedure = online_procedure(slug)
    citizen = current_citizen()
    draft = services.draft_in_progress(citizen, procedure) if citizen else None
    return render("dossiers/start.html", procedure=procedure, form=None,
                  online_form=services.form_for(procedure), citizen=citizen, draft=draft,
                  start_key=secrets.token_urlsafe(24),
                  retention_days=services.retention().days, language=current_language())


@dossiers.get("/nop-ho-so/<slug>/dang-nhap")
@citizen_required
def sign_in_to_start(slug: str):
    """Where signing in from a start page comes back: straight to the first question (or to
    the draft in progress), not to the long start page again."""
    return redirect(url_for("dossiers.first_question", slug=online_procedure(slug).slug), 303)


def _opened_draft(procedure: Procedure) -> DossierDraft:
    try:
        return services.open_draft(current_citizen(), procedure, services.form_for(procedure),
                                   request.form.get("start_key", ""))
    except services.NotYours:
        abort(400)


@dossiers.post("/nop-ho-so/<slug>")
@citizen_required
def begin(slug: str):
    """Go to the first question of the citizen's draft of this procedure, opened now if she has
    none (a second tap, or a second tab, gives the same draft)."""
    draft = _opened_draft(online_procedure(slug))
    return redirect(url_for("dossiers.resume", token=draft.token), 303)


@dossiers.route("/nop-ho-so/<slug>/cau-hoi-dau", methods=["GET", "POST"])
@citizen_required
def first_question(slug: str):
    """The first question, before any draft exists: showing it writes nothing (a GET never
    does); the draft is opened when she answers it."""
    procedure = online_procedure(slug)
    citizen, form = current_citizen(), services.form_for(procedure)
    draft = services.draft_in_progress(citizen, procedure)
    if draft is not None:
        return redirect(url_for("dossiers.resume", token=draft.token), 303)
    unsaved = services.new_draft(citizen, procedure, form)
    wizard = services.draft_wizard_of_answers(unsaved, form)
    page = wizard.pages[0] if wizard.pages else None
    if page is None or page.kind == PAPER:
        return redirect(url_for("dossiers.start", slug=procedure.slug), 303)
    web_form = _question_form(page, unsaved, form,
                              request.form if request.method == "POST" else None)
    if _answered(page, web_form):
        draft = _opened_draft(procedure)
        _save_page(draft, page, web_form)
        return redirect(_next_url(draft, form, page), 303)
    return _render_question(unsaved, wizard, page, web_form, start_key=secrets.token_urlsafe(24),
                            action=url_for("dossiers.first_question", slug=procedure.slug))


@dossiers.route("/nop-ho-so/<slug>/bat-dau-lai", methods=["GET", "POST"])
@citizen_required
def restart(slug: str):
    """Start again from the first question: the draft in progress is deleted, after asking."""
    procedure = online_procedure(slug)
    draft = services.draft_in_progress(current_citizen(), procedure)
    if request.method == "POST":
        if draft is not None:
            draft = services.restart_draft(current_citizen(), procedure,
                                           services.form_for(procedure))
            return redirect(url_for("dossiers.resume", token=draft.token), 303)
        return redirect(url_for("dossiers.first_question", slug=procedure.slug), 303)
    if draft is None:
        return redirect(url_for("dossiers.first_question", slug=procedure.slug), 303)
    return render("dossiers/restart.html", draft=draft, procedure=procedure,
                  language=current_language())


@dossiers.get("/ho-so-nhap/<token>")
@drafter_required
def resume(token: str):
    """Carry on where the citizen stopped, on this device or another one."""
    draft, _form, wizard = owned_draft(token)
    return redirect(page_url(draft, wizard.first_incomplete()), 303)


# --- Questions ------------------------------------------------------------------------------------


RECHECK = "kiem-tra-lai"  # a saved answer refused at sending: show it with its error


def _recheck(initial: dict) -> MultiDict | None:
    """The saved answer as if typed again, so that its error shows beside the field."""
    if RECHECK not in request.args or not all(isinstance(v, str) for v in initial.values()):
        return None
    return MultiDict(initial)


def _question_form(page: Page, draft, form, formdata) -> Form:
    """The web form of a question page: one field per question it asks (a group's several,
    each with its own error), showing the saved answers until something is typed."""
    context = services.field_context(draft.answers, draft.citizen, form)
    return Form([fields.form_field(q, context) for q in page.questions], formdata=formdata,
                initial={q.name: fields.input_value(q, draft.answers.get(q.name))
                         for q in page.questions})


def _finding_a_commune(page: Page) -> bool:
    """A group page's commune picker sent with "Find" (there it has no form of its own, so
    that the other answers typed are kept): show the proposals, save nothing."""
    return any(q.type == "commune" and finder_requested(request.form, q.name)
               for q in page.questions)


def _answered(page: Page, web_form: Form) -> bool:
    return request.method == "POST" and not _finding_a_commune(page) and web_form.validate()


def _save_page(draft: DossierDraft, page: Page, web_form: Form) -> None:
    for item in page.questions:
        services.save_answer(draft, item.name, web_form.data[item.name])


def _render_question(draft, wizard: Wizard, page: Page, web_form: Form, **context):
    """A question page: the question's label is its heading, or the group's on a page of
    several (then each question's label is its field's)."""
    heading = page.group or page.item
    return _render_step("question", draft, wizard, page, form=web_form, question=page.item,
                        questions=page.questions, group=page.group,
                        heading=heading.label(current_language()),
                        communes=services.communes_by_code(), **context)


@dossiers.route("/ho-so-nhap/<token>/cau-hoi/<slug>", methods=["GET", "POST"])
@drafter_required
def question(token: str, slug: str):
    """One question on its own page (or the questions of its group, together)."""
    draft, form, wizard = owned_draft(token)
    page = wizard.question_page(slug) or abort(404)
    web_form = _question_form(page, draft, form, request.form if request.method == "POST"
                              else None)
    if request.method == "GET":
        web_form.formdata = _recheck(web_form.initial)
    if _answered(page, web_form):
        _save_page(draft, page, web_form)
        return redirect(_next_url(draft, form, page), 303)
    if request.method == "GET" and web_form.formdata is not None:
        web_form.validate()  # a saved answer sent back: its error beside the field
    return _render_question(draft, wizard, page, web_form,
                            action=url_for("dossiers.question", token=token, slug=page.slug,
                                           **request.args))


# --- Photos of papers -----------------------------------------------------------------------------


def _paper_page(token: str, slug: str):
    draft, form, wizard = owned_draft(token)
    return draft, form, wizard, wizard.paper_page(slug) or abort(404)


def _photo_field(paper, side: str = "") -> str:
    """The name of the file input (and of its error): one per side of a paper with sides."""
    if paper.sides:
        return f"photos-{side or paper.sides[0].key}"
    return "photos"


def _render_paper(draft, wizard: Wizard, page: Page, errors: list | None = None,
                  side: str = ""):
    paper = page.item
    field = _photo_field(paper, side)
    web_form = Form([Field(field)])
    if errors:
        web_form.add_error(field, " ".join(str(e) for e in errors))
    photos = papers.photos_by_paper(draft).get(paper.key, [])
    return _render_step("paper", draft, wizard, page, form=web_form, paper=paper,
                        photos=photos, by_side=papers.photos_by_side(photos),
                        missing_sides=wizard.missing_sides(paper),
                        enough=wizard.has_enough_photos(paper), args=dict(request.args))


@dossiers.get("/ho-so-nhap/<token>/giay-to/<slug>")
@drafter_required
def paper(token: str, slug: str):
    """One paper to photograph: a slot per side it needs (or the photos so far), the camera,
    and "Continue"."""
    draft, _form, wizard, page = _paper_page(token, slug)
    return _render_paper(draft, wizard, page)


@dossiers.post("/ho-so-nhap/<token>/giay-to/<slug>/anh")
@drafter_required
def upload_photos(token: str, slug: str):
    """Add photos (or PDFs) of the paper, or the photo of one of its sides; each is checked and
    cleaned before it is kept."""
    draft, form, wizard, page = _paper_page(token, slug)
    files = [f.read() for f in request.files.getlist("photos") if f.filename]
    side = request.form.get("side", "")
    if page.item.sides:
        outcome = papers.add_side_photo(draft, page.item, side, files)
    else:
        outcome = papers.add_photos(draft, page.item, files)
    if outcome.errors:
        return _render_paper(draft, services.draft_wizard(draft, form), page, outcome.errors,
                             side=side if page.item.side(side) else "")
    return redirect(url_for("dossiers.paper", token=token, slug=slug, **request.args), 303)


@dossiers.post("/ho-so-nhap/<token>/giay-to/<slug>")
@drafter_required
def paper_done(token: str, slug: str):
    """Go on from a paper, once it has the photos it needs (each side, for a paper with sides);
    otherwise say what is still missing."""
    draft, form, wizard, page = _paper_page(token, slug)
    if not wizard.has_enough_photos(page.item):
        missing = wizard.missing_sides(page.item)
        if missing:
            language = current_language()
            names = ", ".join(side.label(language).lower() for side in missing)
            return _render_paper(draft, wizard, page, [_(
                "Take a photo of each side before you continue. Still missing: %(sides)s.",
                sides=names)], side=missing[0].key)
        return _render_paper(draft, wizard, page,
                             [_("Add at least one photo of this paper before you continue.")])
    return redirect(_next_url(draft, form, page), 303)


@dossiers.post("/ho-so-nhap/<token>/anh/<int:attachment_id>/xoa")
@drafter_required
def remove_photo(token: str, attachment_id: int):
    """Remove a photo that came out badly."""
    draft, _form, _wizard = owned_draft(token)
    paper_key = papers.paper_key_of(draft, attachment_id)
    if paper_key is None or not papers.remove_photo(draft, attachment_id):
        abort(404)
    return redirect(url_for("dossiers.paper", token=token, slug=paper_key.replace("_", "-"),
                            **request.args), 303)


# --- Checking and sending -------------------------------------------------------------------------


def _render_check(draft, wizard: Wizard, web_form: Form):
    """Every answer, each with "Change"; below them, once nothing is missing, the declaration,
    the consent and "Send": one screen fewer than a page of its own (issue 11, the journey)."""
    language = current_language()
    last = wizard.pages[-1] if wizard.pages else None
    return render("dossiers/check-answers.html", fragment="dossiers/_check-answers.html",
                  draft=draft, wizard=wizard, procedure=draft.procedure, language=language,
                  rows=summary.answer_rows(wizard, language, services.communes_by_code()),
                  paper_rows=summary.paper_rows(wizard, papers.photos_by_paper(draft), language),
                  missing=wizard.first_incomplete(), page_url=page_url, form=web_form,
                  back_url=page_url(draft, last) if last else url_for(
                      "dossiers.start", slug=draft.procedure.slug))


@dossiers.get("/ho-so-nhap/<token>/kiem-tra")
@drafter_required
def check_answers(token: str):
    """Every answer on one page, each with "Change", then the declaration and "Send"."""
    draft, _form, wizard = owned_draft(token)
    return _render_check(draft, wizard, _declaration_form())


def _declaration_form(formdata=None) -> Form:
    return Form([
        Field("declaration", required_message=_(
            "Tick the box to confirm that the information is true.")),
        Field("consent", required_message=_(
            "Tick the box to agree that the commune may use your information for this "
            "dossier.")),
    ], formdata=formdata)


@dossiers.get("/ho-so-nhap/<token>/gui")
@drafter_required
def declaration(token: str):
    """The declaration's own page from before it joined the check page: an old tab or bookmark
    lands on the check page, at the declaration."""
    return redirect(url_for("dossiers.check_answers", token=token, _anchor="cam-doan"), 303)


@dossiers.post("/ho-so-nhap/<token>/gui")
@drafter_required
def submit(token: str):
    """Send the dossier. Idempotent: every repeat of this request lands on the same receipt."""
    draft, _form, wizard = owned_draft(token)  # an already sent draft redirects to its receipt
    if request.form.get("submission_key") != draft.submission_key:
        abort(400)
    # Looked up after the draft and its photos were read: if a concurrent submit committed
    # meanwhile (its photos now belong to the dossier, so this draft looks incomplete), this
    # finds its dossier; if it commits later, what was read is whole and submit_draft meets it.
    sent = Dossier.by_submission_key(draft.submission_key)
    if sent:
        return redirect(sent_url(sent), 303)
    if not wizard.complete:
        return redirect(url_for("dossiers.check_answers", token=token), 303)
    web_form = _declaration_form(request.form)
    if not web_form.validate():
        return _render_check(draft, wizard, web_form)
    try:
        # Hers, whoever sends it: a helper sends it in her name, and is named beside her.
        dossier = services.submit_draft(draft, wizard, draft.citizen,
                                        helper=None if current_citizen() else current_helper())
    except services.UnverifiedContactPhone:
        # Back to the number's question, which says why beside the field.
        slug = wizard.form.question(wizard.form.phone_field).slug
        return redirect(url_for("dossiers.question", token=token, slug=slug, **{RECHECK: 1}),
                        303)
    return redirect(sent_url(dossier), 303)


@dossiers.route("/ho-so-nhap/<token>/xoa", methods=["GET", "POST"])
@drafter_required
def discard(token: str):
    """Delete an unfinished draft, after asking once (a mistaken tap must not lose work)."""
    draft, _form, _wizard = owned_draft(token)
    if request.method == "POST":
        services.discard_draft(draft)
        return redirect(url_for("assisted.home" if current_helper() and not current_citizen()
                                else "dossiers.mine"), 303)
    return render("dossiers/discard.html", draft=draft, procedure=draft.procedure,
                  language=current_language())
