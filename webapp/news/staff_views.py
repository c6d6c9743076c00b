"""Publishing: officers write for their communes (or a hamlet's Party cell in one of them),
administrators for the whole province too. Drafts, scheduled publication, corrections that keep
the address. Every save is in the audit log."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.accounts.auth import current_staff, staff_commune_ids, staff_required
from webapp.accounts.models import ADMIN, OFFICER
from webapp.audit import log as audit
from webapp.core.clock import VIETNAM_OFFSET
from webapp.core.forms import Form
from webapp.news import services
from webapp.news.blueprint import news
from webapp.news.forms import article_form, check_audience
from webapp.news.models import AUDIENCES, TOPICS, Article, ArticlePhoto
from webapp.news.words import AUDIENCE_LABELS, TOPIC_LABELS
from webapp.places.models import Commune
from webapp.uploads import UploadRejected, storage
from webapp.uploads.messages import rejection_message
from webapp.uploads.serving import stored_file_response

OUTCOME_MESSAGES = {
    "published": lambda: _("The article is published."),
    "scheduled": lambda: _("The article will be published at the time you chose."),
    "corrected": lambda: _("The correction is published; readers see when it was corrected."),
    "saved": lambda: _("Saved."),
    "repeated": lambda: _("The article was already saved."),
}


@news.after_request
def _staff_pages_not_kept(response):
    if request.path.startswith("/can-bo/"):
        response.headers["Cache-Control"] = "private, no-store"
    return response


@news.get("/can-bo/tin-tuc")
@staff_required(OFFICER, ADMIN)
def staff_list():
    """The articles this officer may edit, with their state."""
    return render_template("news/staff-list.html", articles=services.staff_listing(current_staff()),
                           topic_labels=TOPIC_LABELS)


def _commune_choices(staff) -> list[Commune]:
    query = Commune.in_order()
    if staff.role != ADMIN:
        query = query.where(Commune.id.in_(sorted(staff_commune_ids(staff))))
    return list(query)


def _local_input(moment: dt.datetime | None) -> str:
    return (moment + VIETNAM_OFFSET).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _initial(article: Article | None) -> dict:
    if article is None:
        return {"form_key": uuid.uuid4().hex}
    return {"title": article.title, "summary": article.summary, "body": article.body,
            "topic": article.topic, "audience": article.audience, "hamlet": article.hamlet,
            "communes": sorted(article.commune_ids()), "photo_alt": article.photo_alt,
            "photo_id": article.photo_id or "", "publish_at": _local_input(article.published_at)}


def _page(form: Form, article: Article | None, photo: ArticlePhoto | None, status: int = 200):
    staff = current_staff()
    audiences = [a for a in AUDIENCES if staff.role == ADMIN or a != "province"]
    return render_template(
        "news/edit.html", form=form, article=article, photo=photo,
        topics=[(t, TOPIC_LABELS[t]) for t in TOPICS],
        audiences=[(a, AUDIENCE_LABELS[a]) for a in audiences],
        communes=[(c.id, c.name) for c in _commune_choices(staff)],
        form_key=request.form.get("form_key") or form.value("form_key")), status


def _photo_kept(article: Article | None) -> ArticlePhoto | None:
    """The photo already chosen: sent again after an error (by id), or the article's own."""
    if request.form.get("remove_photo"):
        return None
    photo_id = request.form.get("photo_id", "")
    if photo_id.isdigit():
        photo = ArticlePhoto.get_or_none(ArticlePhoto.id == int(photo_id))
        if photo and (article is None or photo.id == article.photo_id
                      or not Article.select().where(Article.photo == photo).exists()):
            return photo
    return article.photo if article and article.photo_id else None


def _photo_sent(form: Form) -> ArticlePhoto | None:
    upload = request.files.get("photo")
    data = upload.read() if upload else b""
    if not data:
        return None
    try:
        stored = storage.store_upload(data)
    except UploadRejected as rejected:
        form.add_error("photo", rejection_message(rejected))
        return None
    return ArticlePhoto.from_upload(stored)


def _chosen_communes() -> list[int]:
    return [int(value) for value in request.form.getlist("communes") if value.isdigit()]


def _form_key() -> str:
    """The key of the new-article form sent (a double submit sends the same one)."""
    key = request.form.get("form_key", "")
    return key if len(key) == 32 and key.isalnum() else uuid.uuid4().hex


def _save(article: Article | None):
    staff = current_staff()
    form = article_form(request.form)
    form.validate()
    photo = _photo_sent(form) or _photo_kept(article)
    chosen = _chosen_communes()
    check_audience(form, chosen, {c.id for c in _commune_choices(staff)}, staff.role == ADMIN)
    if photo and not form.data.get("photo_alt"):
        form.add_error("photo_alt", _("Describe the photo in a few words for people who cannot "
                                      "see it."))
    if form.errors:
        return _page(form, article, photo, 200)
    given = services.ArticleInput(
        title=form.data["title"], summary=form.data["summary"], body=form.data["body"],
        topic=form.data["topic"], audience=form.data["audience"], commune_ids=set(chosen),
        hamlet=form.data.get("hamlet") or "", photo=photo,
        photo_alt=form.data.get("photo_alt") or "", publish_at=form.data.get("publish_at"))
    action = services.PUBLISH if request.form.get("action") == "publish" else services.DRAFT
    saved, outcome = services.save_article(article, given, staff, action, form_key=_form_key())
    if outcome != "repeated":
        audit.record(f"news.article_{outcome}", object_type="article", object_id=saved.id,
                     detail={"text_version": saved.text_version, "audience": saved.audience})
    flash(OUTCOME_MESSAGES[outcome](), "success")
    return redirect(url_for("news.staff_edit", article_id=saved.id), 303)


@news.route("/can-bo/tin-tuc/viet", methods=["GET", "POST"])
@staff_required(OFFICER, ADMIN)
def staff_new():
    """Write a new article; it stays a draft until published."""
    if request.method == "GET":
        return _page(article_form(initial=_initial(None)), None, None)
    return _save(None)


@news.route("/can-bo/tin-tuc/<int:article_id>", methods=["GET", "POST"])
@staff_required(OFFICER, ADMIN)
def staff_edit(article_id: int):
    """Change an article: a draft freely, a published one as a correction."""
    article = Article.get_or_none(Article.id == article_id)
    if article is None or not services.may_edit(current_staff(), article):
        abort(404)
    if request.method == "GET":
        return _page(article_form(initial=_initial(article)), article,
                     article.photo if article.photo_id else None)
    return _save(article)


@news.get("/can-bo/tin-tuc/anh/<int:photo_id>")
@staff_required(OFFICER, ADMIN)
def staff_photo(photo_id: int):
    """A photo being prepared (a draft's, or one just sent with a form that had an error)."""
    found = ArticlePhoto.get_or_none(ArticlePhoto.id == photo_id)
    if found is None:
        abort(404)
    return stored_file_response(found.storage_name, found.media_type, small=True,
                                download_name="anh")
