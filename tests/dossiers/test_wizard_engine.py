"""The wizard engine: which pages a draft goes through, and what is left to do."""

from __future__ import annotations

import itertools

from tests.dossiers.test_formdefs import VALID
from webapp.dossiers.formdefs import parse_form
from webapp.dossiers.wizard import PAPER, QUESTION, Wizard

FORM = parse_form(VALID, "9.999999.toml")


def slugs(wizard: Wizard) -> list[tuple[str, str]]:
    return [(p.kind, p.slug) for p in wizard.pages]


def test_a_question_shows_only_when_its_condition_holds():
    assert ("question", "detail") not in slugs(Wizard(FORM, {"kind": "a"}))
    assert ("question", "detail") in slugs(Wizard(FORM, {"kind": "b"}))
    assert ("question", "detail") not in slugs(Wizard(FORM, {}))


def test_papers_come_after_the_questions_and_follow_conditions_too():
    assert slugs(Wizard(FORM, {"kind": "a"}))[-1] == (PAPER, "id-card")
    assert (PAPER, "id-card") not in slugs(Wizard(FORM, {}))


def test_answers_from_the_profile_are_not_asked_again_but_can_still_be_changed():
    wizard = Wizard(FORM, {"kind": "a", "phone": "0912345678"}, prefilled={"phone"})
    assert (QUESTION, "phone") not in slugs(wizard)
    assert "phone" in [q.name for q in wizard.visible_questions]  # shown when checking
    assert wizard.position(wizard.question_page("phone")) is None  # no "step n of m" there
    emptied = Wizard(FORM, {"kind": "a", "phone": ""}, prefilled={"phone"})
    assert (QUESTION, "phone") in slugs(emptied)  # asked if the profile value went away


def test_next_previous_and_position():
    wizard = Wizard(FORM, {"kind": "b"})
    first, second = wizard.pages[0], wizard.pages[1]
    assert wizard.next_page(first) == second and wizard.previous_page(second) == first
    assert wizard.previous_page(first) is None
    assert wizard.position(second) == (2, 5)
    assert wizard.next_page(wizard.pages[-1]) is None  # then: check the answers


def test_resume_at_the_first_thing_missing_and_complete_when_nothing_is():
    assert Wizard(FORM, {"kind": "b"}).first_incomplete().slug == "detail"
    answers = {"kind": "a", "commune": "25630", "phone": "0912345678"}
    assert Wizard(FORM, answers).first_incomplete().slug == "id-card"
    done = Wizard(FORM, answers, photo_counts={"id_card": 2})
    assert done.complete and done.first_incomplete() is None


def test_an_answer_to_a_question_now_hidden_is_not_sent():
    answers = {"kind": "a", "detail": "left over from before", "commune": "1", "phone": "2"}
    assert "detail" not in Wizard(FORM, answers).submitted_answers()


def test_the_total_is_the_longest_branch_still_open():
    assert Wizard(FORM, {}).position(Wizard(FORM, {}).pages[0])[1] == 5  # "b" shows "detail"
    after_a = Wizard(FORM, {"kind": "a"})
    assert after_a.position(after_a.pages[0]) == (1, 4)


def _walks(form, prefilled: dict):
    """Every way through `form`: each choice and yes/no answer tried, every other answer made
    up; yields the (n, total) shown on each page of each walk."""
    def walk(answers: dict, page, shown: list):
        wizard = Wizard(form, answers, set(prefilled))
        if page is None:
            yield shown
            return
        shown = [*shown, wizard.position(page)]
        if page.kind == PAPER:
            yield from walk(answers, Wizard(form, answers, set(prefilled)).next_page(page), shown)
            return
        # Every answer of every question on the page (a group asks several at once).
        for values in itertools.product(*(
                [o.value for o in question.options] if question.type == "choice"
                else ["yes", "no"] if question.type == "yes_no" else ["x"]
                for question in page.questions)):
            after = {**answers, **{q.name: v for q, v in zip(page.questions, values,
                                                              strict=True)}}
            yield from walk(after, Wizard(form, after, set(prefilled)).next_page(page), shown)

    first = Wizard(form, prefilled, set(prefilled))
    yield from walk(dict(prefilled), first.pages[0], [])


def test_the_step_count_never_grows_on_any_walk_of_any_procedure():
    from webapp.dossiers.formdefs import read_forms

    walks = 0
    for form in read_forms().values():
        profile = {q.name: "x" for q in form.questions if q.prefill}
        for prefilled in ({}, profile):
            for shown in _walks(form, prefilled):
                walks += 1
                numbers = [n for n, _total in shown]
                totals = [total for _n, total in shown]
                assert numbers == list(range(1, len(shown) + 1)), (form.source, shown)
                assert totals == sorted(totals, reverse=True), (form.source, shown)
                assert all(n <= total for n, total in shown), (form.source, shown)
    assert walks > 16


def _grouped_form():
    from tests.dossiers.test_formdefs import VALID

    data = {**VALID, "question": [
        *VALID["question"][:3],
        {"name": "address", "type": "address", "prefill": "address",
         "vi": {"label": "Địa chỉ"}, "en": {"label": "Address"}},
        VALID["question"][3]],
        "group": [{"name": "residence", "questions": ["commune", "address"],
                   "vi": {"label": "Nơi ở hiện nay"}, "en": {"label": "Where you live"}}]}
    return parse_form(data, "9.999999.toml")


def test_a_group_is_asked_on_one_page_and_counted_as_one_step():
    form = _grouped_form()
    wizard = Wizard(form, {"kind": "a"})
    assert slugs(wizard) == [(QUESTION, "kind"), (QUESTION, "commune"), (QUESTION, "phone"),
                             (PAPER, "id-card")]
    residence = wizard.pages[1]
    assert [q.name for q in residence.questions] == ["commune", "address"]
    assert residence.group.label("vi") == "Nơi ở hiện nay"
    assert wizard.position(residence) == (2, 4)
    assert Wizard(form, {}).position(Wizard(form, {}).pages[0]) == (1, 5)  # "b": "detail" too
    # "Change" beside the street, on the check page, opens the page where it was asked.
    assert wizard.question_page("address") == residence
    assert wizard.first_incomplete() == residence  # "kind" is answered
    answered = Wizard(form, {"kind": "a", "commune": "1"})
    assert answered.first_incomplete() == answered.question_page("commune")
    assert not answered.is_complete_page(answered.question_page("commune"))


def test_a_group_with_one_answer_from_the_profile_asks_the_other_alone():
    form = _grouped_form()
    wizard = Wizard(form, {"kind": "a", "address": "Ấp 3"}, {"address"})
    page = wizard.question_page("commune")
    assert page.questions == (form.question("commune"),) and page.group is None
    assert wizard.position(page) == (2, 4)
    alone = wizard.question_page("address")  # opened from the check page to change it
    assert alone.questions == (form.question("address"),) and wizard.position(alone) is None
