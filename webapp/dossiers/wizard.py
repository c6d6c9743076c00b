"""The wizard engine: which pages a draft goes through, in which order, and what is missing.

Pure logic over a form definition and the answers so far, so that it is easy to test and the
views stay short. The pages are the visible questions, one per page (the questions of a group,
such as the commune and the street address, together on one), then one page per visible
paper that is required or called for by a condition (an optional paper for everyone is offered
on the check-your-answers page); a question is visible when its condition holds on the answers
of visible questions (conditions only look back, so one pass in order decides). A question
answered from the citizen's profile is not asked again (WCAG 3.3.7): it is shown on the
check-your-answers page, where it can be changed, but the sequence skips it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from webapp.dossiers.formdefs import NO, YES, FormDefinition, Group, Paper, Question

QUESTION, PAPER = "question", "paper"


@dataclass(frozen=True)
class Page:
    """One page of the sequence: a question (with the rest of its group asked beside it, in
    `more`) or a paper. Its address is its first question's, and any question of the page
    opens it."""

    kind: str
    item: Question | Paper
    more: tuple[Question, ...] = ()
    group: Group | None = None

    @property
    def slug(self) -> str:
        return self.item.slug

    @property
    def questions(self) -> tuple[Question, ...]:
        return (self.item, *self.more) if self.kind == QUESTION else ()


class Wizard:
    """The state of one draft against its form."""

    def __init__(self, form: FormDefinition, answers: Mapping[str, Any],
                 prefilled: set[str] | frozenset[str] = frozenset(),
                 photo_counts: Mapping[str, int] | None = None,
                 photo_sides: Mapping[str, set[str]] | None = None) -> None:
        self.form = form
        self.answers = answers
        self.prefilled = prefilled
        self.photo_counts = photo_counts or {}
        self.photo_sides = photo_sides or {}  # paper key: the sides that have their photo
        self.visible_questions = self._visible_questions()
        visible_names = {q.name for q in self.visible_questions}
        self.visible_papers = [p for p in form.papers
                               if p.show_if is None or (p.show_if.field in visible_names
                                                        and p.show_if.holds(answers))]

    def _visible_questions(self) -> list[Question]:
        visible: list[Question] = []
        names: set[str] = set()
        for question in self.form.questions:
            condition = question.show_if
            if condition is None or (condition.field in names and condition.holds(self.answers)):
                visible.append(question)
                names.add(question.name)
        return visible

    # -- The sequence --

    def is_answered(self, question: Question) -> bool:
        value = self.answers.get(question.name)
        return question.name in self.answers and (question.optional or value not in (None, ""))

    def missing_sides(self, paper: Paper) -> list:
        """The sides of a paper that still need their photo (none for a paper without sides)."""
        taken = self.photo_sides.get(paper.key, set())
        return [side for side in paper.sides if side.key not in taken]

    def has_enough_photos(self, paper: Paper) -> bool:
        if not paper.required:
            return True
        if paper.sides:
            return not self.missing_sides(paper)
        return self.photo_counts.get(paper.key, 0) > 0

    def is_asked(self, question: Question) -> bool:
        """Asked in the sequence unless its answer came from the profile and is still there."""
        return not (question.name in self.prefilled and self.is_answered(question))

    @staticmethod
    def in_sequence(paper: Paper) -> bool:
        """A paper gets a step of its own when it is required, or when her answers call for
        it (a condition); an optional paper for everyone ("other papers, if any") is offered
        on the check-your-answers page instead: one screen fewer for most people."""
        return paper.required or paper.show_if is not None

    def _question_pages(self) -> list[Page]:
        """The asked questions, one per page, those of one group together (a group with one
        question left to ask, the other from her profile, is a plain one-question page)."""
        runs: list[list[Question]] = []
        for question in (q for q in self.visible_questions if self.is_asked(q)):
            group = self.form.group_of(question.name)
            if runs and group is not None and self.form.group_of(runs[-1][0].name) == group:
                runs[-1].append(question)
            else:
                runs.append([question])
        return [Page(QUESTION, run[0], tuple(run[1:]),
                     self.form.group_of(run[0].name) if len(run) > 1 else None)
                for run in runs]

    @property
    def pages(self) -> list[Page]:
        return self._question_pages() + [Page(PAPER, p) for p in self.visible_papers
                                         if self.in_sequence(p)]

    def position(self, page: Page) -> tuple[int, int] | None:
        """(n, total) for "Step n of total"; None for a page outside the sequence (a
        prefilled answer opened from the check-your-answers page).

        The total is the longest sequence the answers so far still allow (`longest`), so it
        never grows on the way: an answer can only close branches, and a shorter branch taken
        ends the sequence early ("Step 6 of 8", then checking) rather than adding steps.
        """
        pages = self.pages
        keys = [(p.kind, p.slug) for p in pages]
        key = (page.kind, page.slug)
        if key not in keys:
            return None
        return keys.index(key) + 1, max(self.longest(), len(pages))

    def _branching(self) -> set[str]:
        """Questions whose answer decides whether a later question or paper is shown."""
        items = [*self.form.questions, *self.form.papers]
        return {item.show_if.field for item in items if item.show_if is not None}

    def _possible_values(self, question: Question) -> list[Any]:
        if question.type == "choice":
            values: list[Any] = [o.value for o in question.options]
        elif question.type == "yes_no":
            values = [YES, NO]
        else:  # a free answer: one of the values a condition looks for, or something else
            items = [*self.form.questions, *self.form.papers]
            values = [v for item in items if item.show_if and item.show_if.field == question.name
                      for v in item.show_if.values] + [""]
        return [*values, None] if question.optional else values

    def longest(self) -> int:
        """The number of pages of the longest sequence still possible: every unanswered
        question that some condition looks at is tried with each of its answers."""
        questions, branching = self.form.questions, self._branching()

        def walk(index: int, answers: dict[str, Any], names: frozenset[str],
                 group: Any = None) -> int:
            """`group`: the group of the last question asked, whose page a next question of
            the same group shares (as `_question_pages` puts them)."""
            if index == len(questions):
                return sum(1 for p in self.form.papers if self.in_sequence(p) and (
                    p.show_if is None
                    or (p.show_if.field in names and p.show_if.holds(answers))))
            question = questions[index]
            condition = question.show_if
            if condition is not None and not (condition.field in names
                                              and condition.holds(answers)):
                return walk(index + 1, answers, names, group)
            own = 0
            if self.is_asked(question):
                own_group = self.form.group_of(question.name)
                own = 0 if own_group is not None and own_group == group else 1
                group = own_group
            names = names | {question.name}
            if question.name in self.answers or question.name not in branching:
                known = ({**answers, question.name: self.answers[question.name]}
                         if question.name in self.answers else answers)
                return own + walk(index + 1, known, names, group)
            values = self._possible_values(question)
            return own + max(walk(index + 1, {**answers, question.name: value}, names, group)
                             for value in values)

        return walk(0, {}, frozenset())

    def _neighbour(self, page: Page, step: int) -> Page | None:
        pages = self.pages
        keys = [(p.kind, p.slug) for p in pages]
        key = (page.kind, page.slug)
        if key not in keys:
            if page.kind == PAPER:  # an optional paper, opened from the check page: back there
                return None
            return pages[0] if step > 0 and pages else None
        index = keys.index(key) + step
        return pages[index] if 0 <= index < len(pages) else None

    def next_page(self, page: Page) -> Page | None:
        """The page after `page`, or None when the next thing is checking the answers."""
        return self._neighbour(page, +1)

    def previous_page(self, page: Page) -> Page | None:
        """The page before `page`, or None when it is the first (back goes to the start page)."""
        return self._neighbour(page, -1)

    def is_complete_page(self, page: Page) -> bool:
        if page.kind == QUESTION:
            return all(self.is_answered(q) for q in page.questions)
        return self.has_enough_photos(page.item)

    def first_incomplete(self) -> Page | None:
        """Where to resume: the first page still needing something, or None when all is done."""
        for question in self.visible_questions:
            if not self.is_answered(question):
                return self.question_page(question.slug)
        return next((Page(PAPER, p) for p in self.visible_papers
                     if not self.has_enough_photos(p)), None)

    @property
    def complete(self) -> bool:
        return self.first_incomplete() is None

    def question_page(self, slug: str) -> Page | None:
        """The page that asks the question `slug`: its group's page when it is in the sequence
        (a "Change" from the check page opens the page where it was asked), else the question
        alone (a prefilled answer, opened from the check page)."""
        question = next((q for q in self.visible_questions if q.slug == slug), None)
        if question is None:
            return None
        return next((p for p in self._question_pages() if question in p.questions),
                    Page(QUESTION, question))

    def paper_page(self, slug: str) -> Page | None:
        paper = next((p for p in self.visible_papers if p.slug == slug), None)
        return Page(PAPER, paper) if paper else None

    # -- What is sent --

    def submitted_answers(self) -> dict[str, Any]:
        """The answers of visible questions only: a hidden question's old answer is not sent."""
        return {q.name: self.answers[q.name] for q in self.visible_questions
                if q.name in self.answers}

    def visible_paper_keys(self) -> set[str]:
        return {p.key for p in self.visible_papers}
