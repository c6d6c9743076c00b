"""The report's one-question pages, in order, and what each accepts.

    category -> commune -> landmark -> [similar open reports] -> what is wrong -> photos
             -> may it be shown publicly -> [anonymous to the public] -> check and send

A page is skipped when it does not apply: the similar reports when there are none, the
anonymity question when she keeps the report private.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.core.forms import Field, FieldError
from webapp.reports import categories

DESCRIPTION_MAX_CHARS = 1000
LANDMARK_MAX_CHARS = 300
YES, NO = "yes", "no"

CATEGORY, COMMUNE, LANDMARK, SIMILAR, DESCRIPTION, PHOTOS, PUBLIC, ANONYMOUS = (
    "loai", "xa", "dia-diem", "tuong-tu", "mo-ta", "anh", "cong-khai", "an-danh")


@dataclass(frozen=True)
class Step:
    slug: str
    name: str  # the answer's key in the draft ("" for pages that save no answer)
    kind: str  # "choices", "commune", "text", "textarea", "similar", "photos"
    label: object
    hint: object = None
    required: object = None  # the message when left empty; None when optional
    applies: Callable[[dict, Callable], bool] = lambda answers, similar: True


def _yes_no():
    return [(YES, _("Yes")), (NO, _("No"))]


def choices_for(step: Step) -> list:
    if step.name == "category":
        return [(key, label, hint) for key, label, hint in categories.CATEGORIES]
    if step.name == "public":
        return [(YES, _("Yes, it may be shown publicly once answered"),
                 _("Without your name or phone number")),
                (NO, _("No, only the commune's officers may read it"), None)]
    if step.name == "anonymous":
        return [(YES, _("Yes, hide my name from the public"),
                 _("The officers still know who sent it, so they can answer you")),
                (NO, _("No, my name may be shown"), _("Only your name, never your phone "
                                                       "number"))]
    return _yes_no()


STEPS = (
    Step(CATEGORY, "category", "choices", _l("What is the problem about?"),
         required=_l("Choose what the problem is about.")),
    Step(COMMUNE, "commune", "commune", _l("In which commune or ward is it?"),
         hint=_l("Where the problem is, not where you live."),
         required=_l("Choose the commune or ward from the list.")),
    Step(LANDMARK, "landmark", "text", _l("Where exactly? (optional)"),
         hint=_l("A landmark or the road, for example: in front of Bình Phong market, "
                 "hamlet 3.")),
    Step(SIMILAR, "", "similar", _l("Has someone already reported it?"),
         applies=lambda answers, similar: bool(similar(answers))),
    Step(DESCRIPTION, "description", "textarea", _l("What is wrong?"),
         hint=_l("A few words are enough, for example: the street light has been off for a "
                 "week."), required=_l("Write what is wrong in a few words.")),
    Step(PHOTOS, "", "photos", _l("Photos of the problem (optional)")),
    Step(PUBLIC, "public", "choices", _l("May the report be shown publicly?"),
         hint=_l("Answered reports are shown on the commune's public page so that neighbours "
                 "know the problem is being handled."),
         required=_l("Choose yes or no.")),
    Step(ANONYMOUS, "anonymous", "choices", _l("Hide your name from the public?"),
         required=_l("Choose yes or no."),
         applies=lambda answers, similar: answers.get("public") == YES),
)
BY_SLUG = {step.slug: step for step in STEPS}


def clean_text(limit: int) -> Callable[[str], str]:
    def clean(raw: str) -> str:
        if len(raw) > limit:
            raise FieldError(_("Please write at most %(count)d characters.", count=limit))
        return raw
    return clean


def field_for(step: Step, communes: dict) -> Field:
    """The form field of a question page."""
    if step.kind == "choices":
        keys = {choice[0] for choice in choices_for(step)}

        def clean(raw: str) -> str:
            if raw not in keys:
                raise FieldError(step.required)
            return raw
        return Field(step.name, required_message=step.required, clean=clean)
    if step.kind == "commune":
        def clean_commune(raw: str) -> str:
            if raw not in communes:
                raise FieldError(step.required)
            return raw
        return Field(step.name, required_message=step.required, clean=clean_commune)
    limit = DESCRIPTION_MAX_CHARS if step.kind == "textarea" else LANDMARK_MAX_CHARS
    return Field(step.name, required_message=step.required, clean=clean_text(limit))


def pages(answers: dict, similar) -> list[Step]:
    """The pages that apply to these answers, in order."""
    return [step for step in STEPS if step.applies(answers, similar)]


def next_step(step: Step, answers: dict, similar) -> Step | None:
    """The page after `step`; None is the check-your-answers page."""
    order = pages(answers, similar)
    later = STEPS[STEPS.index(step) + 1:]
    return next((s for s in later if s in order), None)


def previous_step(step: Step, answers: dict, similar) -> Step | None:
    order = pages(answers, similar)
    earlier = STEPS[:STEPS.index(step)]
    return next((s for s in reversed(earlier) if s in order), None)


def position(step: Step, answers: dict, similar) -> tuple[int, int]:
    order = pages(answers, similar)
    return (order.index(step) + 1 if step in order else 1), len(order)
