"""The one-stop shop's back office: the queue, a dossier's detail, and its photos of papers.

The steps that move a dossier are in `step_views`, the figures in `figure_views`.
"""

from __future__ import annotations

from flask import abort, render_template, request

from webapp.accounts.auth import current_staff, staff_required
from webapp.audit import log as audit
from webapp.backoffice import access, display, files, forms, history, queue
from webapp.backoffice.blueprint import backoffice
from webapp.core import clock
from webapp.core.htmx import render
from webapp.core.phones import mask_phone
from webapp.dossiers.api import (
    OFFICE_ROLES,
    DossierRating,
    DossierResult,
    paper_label,
    paper_labels,
)
from webapp.dossiers.api import lifecycle as lc
from webapp.mandates import EVIDENCE_WORDS_FOR_STAFF, MandatePaper
from webapp.uploads.serving import stored_file_response


def _int_arg(name: str, default: int = 1) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def _queue_request(commune, titles) -> queue.QueueRequest:
    codes = {str(pid): pid for pid in titles}
    sort = request.args.get("sap-xep", queue.DEFAULT_SORT)
    return queue.QueueRequest(
        commune_id=commune.id,
        today=clock.local_today(),
        bucket=queue.BUCKETS_BY_SLUG.get(request.args.get("nhom", ""), queue.DEFAULT_BUCKET),
        query=" ".join(request.args.get("q", "").split())[: queue.MAX_QUERY_CHARS],
        procedure_id=codes.get(request.args.get("thu-tuc", "")),
        sort=sort if sort in queue.SORTS else queue.DEFAULT_SORT,
        page=_int_arg("trang"),
    )


@backoffice.get("/ho-so/")
@staff_required(*OFFICE_ROLES)
def queue_page():
    """The queue of one commune: groups with counts, search, filters, one page of dossiers."""
    communes = access.communes_served()
    if not communes:
        return render_template("backoffice/no-commune.html")
    chosen = request.args.get("xa", "")
    commune = next((c for c in communes if c.code == chosen), communes[0])
    titles = display.procedure_titles()
    wanted = _queue_request(commune, titles)
    page = queue.load_page(wanted)
    if wanted.query:
        # The search may have been a name or a phone number: who looked, where, how many found.
        audit.record("queue.searched", object_type="commune", object_id=commune.id,
                     detail={"results": page.total})
    return render("backoffice/queue.html", fragment="backoffice/_queue-results.html",
                  communes=communes, commune=commune, wanted=wanted, results=page, titles=titles,
                  buckets=queue.BUCKETS, sorts=queue.SORTS, display=display)


@backoffice.get("/ho-so/<code>")
@staff_required(*OFFICE_ROLES)
def dossier_detail(code: str):
    """Everything about one dossier for the officer handling it; the view is audited."""
    dossier = access.dossier_for_staff(code, audit_action="dossier.viewed")
    return render_template("backoffice/dossier.html", form=forms.note_form(),
                           **detail_context(dossier))


def detail_context(dossier) -> dict:
    """What the detail page and the step pages show about a dossier."""
    today = clock.local_today()
    return {
        "dossier": dossier,
        "title": display.procedure_title(display.procedure_titles(), dossier.procedure_id),
        "due": display.due_note(dossier.status, dossier.due_date, today),
        "pause": history.pause_summary(dossier, today),
        "events": history.timeline(dossier.id),
        "papers": files.papers_of(dossier.id),
        "paper_label": lambda attachment, labels=paper_labels(dossier): paper_label(
            labels, attachment),
        "answers": files.answer_rows(dossier),
        "result": DossierResult.for_dossier(dossier.id),
        "rating": DossierRating.for_dossier(dossier.id),
        "actions": lc.allowed_actions(dossier.status),
        "staff": current_staff(),
        # Sent with a helper's help: who, and the consent's evidence, checked when receiving.
        "mandate": dossier.mandate if dossier.mandate_id else None,
        "mandate_paper": MandatePaper.of_mandate(dossier.mandate_id) if dossier.mandate_id
        else None,
        "evidence_words": EVIDENCE_WORDS_FOR_STAFF,
        "mandate_phone": mask_phone(dossier.mandate.phone) if dossier.mandate_id else "",
    }


@backoffice.get("/ho-so/<code>/giay-to/<int:attachment_id>")
@staff_required(*OFFICE_ROLES)
def paper(code: str, attachment_id: int):
    """One photo of a paper, large, with buttons to turn it (a link each: no script needed)."""
    dossier = access.dossier_for_staff(code)
    attachment = files.attachment_of(dossier.id, attachment_id)
    if attachment is None or attachment.purpose != "paper":
        abort(404)
    audit.record("dossier.paper_viewed", object_type="dossier", object_id=dossier.id,
                 detail={"dossier": dossier.code, "attachment": attachment.id})
    turn = files.clean_turn(request.args.get("xoay", "0"))
    return render_template("backoffice/paper.html", dossier=dossier, attachment=attachment,
                           turn=turn, siblings=files.papers_of(dossier.id),
                           label=paper_label(paper_labels(dossier), attachment))


@backoffice.get("/ho-so/<code>/tep/<int:attachment_id>")
@staff_required(*OFFICE_ROLES)
def attachment_file(code: str, attachment_id: int):
    """The bytes of a photo or PDF, turned if asked; never cached by browsers or proxies."""
    dossier = access.dossier_for_staff(code)
    attachment = files.attachment_of(dossier.id, attachment_id) or abort(404)
    return files.send(attachment, turn=files.clean_turn(request.args.get("xoay", "0")),
                      small=request.args.get("co") == "nho")



@backoffice.get("/ho-so/<code>/giay-uy-quyen")
@staff_required(*OFFICE_ROLES)
def mandate_paper(code: str):
    """The photo of the authorisation paper a dossier was sent under; the look is audited."""
    dossier = access.dossier_for_staff(code)
    paper = MandatePaper.of_mandate(dossier.mandate_id) if dossier.mandate_id else None
    if paper is None:
        abort(404)
    audit.record("mandate.paper_viewed", object_type="mandate", object_id=dossier.mandate_id,
                 detail={"dossier": dossier.code})
    return stored_file_response(paper.storage_name, paper.media_type,
                                download_name="giay-uy-quyen")
