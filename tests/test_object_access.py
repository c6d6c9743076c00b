"""Object-level access: every route that serves a citizen's data, opened by everyone who might
try, each with the answer they must get (issue 10, hole 1).

tests/test_route_access.py decides who may open each *route*; this table decides who may see
*one citizen's* dossier, photos and profile through it. The people: nobody signed in, another
citizen, a volunteer of the dossier's own commune (helping is not a right to look: only an
explicit grant opens one dossier, see webapp/dossiers/access.py), an officer of another
commune, the commune's own officer, a province administrator, and the owner herself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier, make_photo
from tests.bookings.conftest import make_booking
from tests.reports.factories import make_report, make_report_photo
from webapp.accounts.models import ADMIN, OFFICER, VOLUNTEER
from webapp.audit.models import AuditEvent
from webapp.core.clock import local_today
from webapp.core.db import database

ACTORS = ("anonymous", "other_citizen", "volunteer", "officer_elsewhere", "officer", "admin",
          "owner")
OK, NOT_FOUND, FORBIDDEN, GONE = 200, 404, 403, 410
CITIZEN_SIGN_IN, STAFF_SIGN_IN, LOOKUP = "citizen_sign_in", "staff_sign_in", "lookup"


@dataclass
class World:
    """One citizen's dossier in commune A with a photo of a paper, and everyone's clients."""

    code: str
    paper_id: int
    citizen_id: int
    clients: dict
    report: str = ""  # her report's code, and a photo of it (kept private: not answered)
    report_photo: int = 0
    booking: str = ""  # her booking's code at the same commune's one-stop shop
    commune_id: int = 0


@pytest.fixture
def world(app):
    with app.app_context(), database.connection_context():
        here, elsewhere = first_commune(), first_commune(offset=1)
        owner = make_citizen(commune=here)
        dossier = make_dossier(commune=here, citizen=owner)
        paper = make_photo(dossier)
        code, paper_id, owner_id = dossier.code, paper.id, owner.id
        report = make_report(here, owner)
        report_code, report_photo = report.code, make_report_photo(report).id
        booking = make_booking(owner, here, day=local_today() + dt.timedelta(days=30)).code
        commune_id = here.id
    clients = {actor: app.test_client() for actor in ACTORS}
    sign_in_citizen(clients["other_citizen"], commune=here)
    sign_in_staff(clients["volunteer"], role=VOLUNTEER, communes=[here])
    sign_in_staff(clients["officer_elsewhere"], role=OFFICER, communes=[elsewhere])
    sign_in_staff(clients["officer"], role=OFFICER, communes=[here])
    sign_in_staff(clients["admin"], role=ADMIN)
    _sign_in_as(clients["owner"], owner)
    return World(code, paper_id, owner_id, clients, report=report_code,
                 report_photo=report_photo, booking=booking, commune_id=commune_id)


def _sign_in_as(client, citizen) -> None:
    from tests.dossiers.helpers import sign_in_again

    sign_in_again(client, citizen)


def _outcome(response) -> object:
    """The answer in the table's words: a status code, or where a redirect leads."""
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303):
        if location.startswith("/can-bo/dang-nhap"):
            return STAFF_SIGN_IN
        if location.startswith("/dang-nhap"):
            return CITIZEN_SIGN_IN
        if location.startswith(("/tra-cuu-ho-so?", "/tra-cuu-phan-anh?")):
            return LOOKUP
        return location
    return response.status_code


OFFICE_ONLY = {"anonymous": STAFF_SIGN_IN, "other_citizen": STAFF_SIGN_IN,
               "volunteer": FORBIDDEN, "officer_elsewhere": FORBIDDEN, "officer": OK, "admin": OK,
               "owner": STAFF_SIGN_IN}
OWNER_AND_OFFICE = {"anonymous": NOT_FOUND, "other_citizen": NOT_FOUND, "volunteer": NOT_FOUND,
                    "officer_elsewhere": NOT_FOUND, "officer": OK, "admin": OK, "owner": OK}
FOLLOWERS_ONLY = {"anonymous": LOOKUP, "other_citizen": LOOKUP, "volunteer": LOOKUP,
                  "officer_elsewhere": LOOKUP, "officer": LOOKUP, "admin": LOOKUP, "owner": OK}

TABLE = {
    "/ho-so/tep/{paper}": OWNER_AND_OFFICE,
    "/ho-so/tep/{paper}/nho": OWNER_AND_OFFICE,
    "/ho-so/{code}": {**{actor: CITIZEN_SIGN_IN for actor in ACTORS},
                      "other_citizen": NOT_FOUND, "owner": OK},
    "/tra-cuu-ho-so/{code}": FOLLOWERS_ONLY,
    "/tra-cuu-ho-so/{code}/the-trang-thai": {**{actor: NOT_FOUND for actor in ACTORS},
                                             "owner": OK},
    "/tra-cuu-ho-so/{code}/bo-sung": {**FOLLOWERS_ONLY, "owner": "/tra-cuu-ho-so/{code}"},
    "/can-bo/ho-so/{code}": OFFICE_ONLY,
    "/can-bo/ho-so/{code}/giay-to/{paper}": OFFICE_ONLY,
    "/can-bo/ho-so/{code}/tep/{paper}": OFFICE_ONLY,
    "/can-bo/cong-dan/{citizen}": OFFICE_ONLY,
    # Her report (webapp/reports/access.py): the status page as a dossier's; its photos to her
    # and the commune's officers until it is answered and shown publicly.
    "/phan-anh/theo-doi/{report}": FOLLOWERS_ONLY,
    "/phan-anh/da-gui/{report}": {**{actor: CITIZEN_SIGN_IN for actor in ACTORS},
                                  "other_citizen": NOT_FOUND, "owner": OK},
    "/phan-anh/anh/{report_photo}": OWNER_AND_OFFICE,
    "/phan-anh/anh/{report_photo}/nho": OWNER_AND_OFFICE,
    "/can-bo/phan-anh/{report}": OFFICE_ONLY,
    # "Is it still fixed?" opens with its signed link only (tests/reports/test_still_fixed.py):
    # the report's code in its place opens it for nobody, not even the owner.
    "/phan-anh/con-tot/{report}": {actor: GONE for actor in ACTORS},
    "/can-bo/phan-anh/{report}/anh/{report_photo}": OFFICE_ONLY,
    "/lich-hen/{booking}": {**{actor: CITIZEN_SIGN_IN for actor in ACTORS},
                            "other_citizen": NOT_FOUND, "owner": OK},
    "/lich-hen/{booking}/doi": {**{actor: CITIZEN_SIGN_IN for actor in ACTORS},
                                "other_citizen": NOT_FOUND, "owner": OK},
    "/can-bo/lich-hen?xa={commune}": OFFICE_ONLY,
    "/can-bo/lich-hen/cai-dat?xa={commune}": OFFICE_ONLY,
    # Sent without help: there is no authorisation paper to show, even to the office.
    "/can-bo/ho-so/{code}/giay-uy-quyen": {**OFFICE_ONLY, "officer": NOT_FOUND,
                                           "admin": NOT_FOUND},
    # A volunteer's page of a dossier she sent: only under a live mandate (none here).
    "/tinh-nguyen/ho-so/{code}": {**{actor: FORBIDDEN for actor in ACTORS},
                                  "anonymous": STAFF_SIGN_IN, "other_citizen": STAFF_SIGN_IN,
                                  "owner": STAFF_SIGN_IN, "volunteer": NOT_FOUND},
    # Her booking seen by a volunteer: only one made under a live mandate naming her (none).
    "/tinh-nguyen/lich-hen/{booking}": {**{actor: FORBIDDEN for actor in ACTORS},
                                        "anonymous": STAFF_SIGN_IN,
                                        "other_citizen": STAFF_SIGN_IN,
                                        "owner": STAFF_SIGN_IN, "volunteer": NOT_FOUND},
}


@pytest.mark.parametrize("pattern", list(TABLE))
def test_each_person_gets_the_answer_the_table_says(world, pattern):
    url = pattern.format(code=world.code, paper=world.paper_id, citizen=world.citizen_id,
                         report=world.report, report_photo=world.report_photo,
                         booking=world.booking, commune=world.commune_id)
    seen = {actor: _outcome(world.clients[actor].get(url)) for actor in ACTORS}
    expected = {actor: (answer.format(code=world.code) if isinstance(answer, str)
                        and answer.startswith("/") else answer)
                for actor, answer in TABLE[pattern].items()}
    assert seen == expected


def test_a_volunteer_cannot_walk_the_communes_id_card_photos(app, world):
    """The attack as it was seen: a volunteer fetching every attachment id of the commune."""
    volunteer = world.clients["volunteer"]
    answers = {volunteer.get(f"/ho-so/tep/{world.paper_id + step}").status_code
               for step in range(-3, 4)}
    assert answers == {NOT_FOUND}


def test_an_officers_look_at_a_photo_is_in_the_audit_log(app, world):
    assert world.clients["officer"].get(f"/ho-so/tep/{world.paper_id}").status_code == OK
    assert world.clients["owner"].get(f"/ho-so/tep/{world.paper_id}").status_code == OK
    with app.app_context(), database.connection_context():
        looks = AuditEvent.for_object("attachment", world.paper_id)
    assert [(e.action, e.actor_type) for e in looks] == [("attachment_viewed", "staff")]


def test_an_explicit_grant_opens_one_dossier_to_one_helper(app, world):
    """The hook assisted mode uses: a rule naming the helper and the dossier, nothing wider."""
    from webapp.dossiers.api import register_grant

    with app.app_context(), database.connection_context():
        other = make_dossier(commune=first_commune())
        other_paper = make_photo(other).id
    granted_code = world.code
    register_grant(app, lambda staff, dossier: (staff.role == VOLUNTEER
                                                and dossier.code == granted_code))
    volunteer = world.clients["volunteer"]
    assert volunteer.get(f"/ho-so/tep/{world.paper_id}").status_code == OK
    assert volunteer.get(f"/ho-so/tep/{other_paper}").status_code == NOT_FOUND
    assert world.clients["officer_elsewhere"].get(
        f"/ho-so/tep/{world.paper_id}").status_code == NOT_FOUND


# Consultations: her answers are reached only through her own session (no answer id in any
# address); the answers written, masked, only by administrators once the consultation closed.
CONSULTATION_TABLE = {
    "/lay-y-kien/{open}/xem-lai": {
        **{actor: CITIZEN_SIGN_IN for actor in ACTORS},
        "other_citizen": "/lay-y-kien/{open}/tra-loi", "owner": OK},
    "/can-bo/lay-y-kien/{closed}/y-kien-viet/{question}": {
        **OFFICE_ONLY, "officer": FORBIDDEN},
}


@pytest.fixture
def answers(app, world):
    import datetime as dt

    from tests.consultations.conftest import make_consultation
    from webapp.accounts.models import Citizen
    from webapp.consultations import services
    from webapp.consultations.models import Consultation

    with app.app_context(), database.connection_context():
        owner = Citizen.get_by_id(world.citizen_id)
        made = {}
        for name in ("open", "closed"):
            consultation = make_consultation(commune=first_commune())
            row = services.answer_row(consultation, owner.phone, owner)
            services.save_about(row, first_commune().id, False, "", "")
            questions = services.questions_of(consultation)
            for question, value in zip(questions, (0, [1], 3, "Của tôi"), strict=True):
                services.save_draft_answer(row, question, value)
            services.send(consultation, owner.phone)
            made[name] = consultation.id
        Consultation.update(closes_on=dt.date(2020, 1, 1)).where(
            Consultation.id == made["closed"]).execute()
        made["question"] = questions[-1].id  # the closed one's text question
    return made


@pytest.mark.parametrize("pattern", list(CONSULTATION_TABLE))
def test_each_person_gets_the_answer_the_consultation_table_says(world, answers, pattern):
    url = pattern.format(**answers)
    seen = {actor: _outcome(world.clients[actor].get(url)) for actor in ACTORS}
    expected = {actor: answer.format(**answers) if isinstance(answer, str) and
                answer.startswith("/") else answer
                for actor, answer in CONSULTATION_TABLE[pattern].items()}
    assert seen == expected


# Her unsent draft (answers typed, her citizen ID among them) and the kiosk -> phone hand-over
# of it: only she opens the draft; the hand-over page shows nothing of hers to anyone, and
# refuses another citizen in plain words (webapp/dossiers/handover_views.py).
# Officers are not citizens: a draft page asks them to sign in as one. A volunteer may fill one
# in only under a live mandate (none here), so to her it does not exist.
DRAFT_PAGE = {**{actor: CITIZEN_SIGN_IN for actor in ACTORS},
              "other_citizen": NOT_FOUND, "volunteer": NOT_FOUND, "owner": OK}
DRAFT_TABLE = {
    "{first_step}": DRAFT_PAGE,
    "/ho-so-nhap/{draft}/kiem-tra": DRAFT_PAGE,
    "/tiep-tuc/{signed}": {**{actor: OK for actor in ACTORS}, "other_citizen": FORBIDDEN},
}


@pytest.fixture
def draft(app, world):
    """Her draft, begun on her phone, and a hand-over of it offered at a kiosk."""
    from tests.dossiers.helpers import start
    from webapp.dossiers import handover
    from webapp.dossiers.models import DossierDraft

    first_step = start(world.clients["owner"])
    token = first_step.split("/")[2]
    with app.app_context(), database.connection_context():
        row = DossierDraft.get(DossierDraft.token == token)
        _offer, signed = handover.offer(row, None, None)
    return {"first_step": first_step, "draft": token, "signed": signed}


@pytest.mark.parametrize("pattern", list(DRAFT_TABLE))
def test_each_person_gets_the_answer_the_draft_table_says(world, draft, pattern):
    url = pattern.format(**draft)
    seen = {actor: _outcome(world.clients[actor].get(url)) for actor in ACTORS}
    assert seen == DRAFT_TABLE[pattern]


def test_nobody_but_her_takes_her_draft_by_its_hand_over_link(app, world, draft):
    """The claim itself (POST): another citizen is refused and the link still works for her."""
    from tests.dossiers.helpers import post

    url = f"/tiep-tuc/{draft['signed']}"
    assert _outcome(post(world.clients["anonymous"], url)) == CITIZEN_SIGN_IN
    assert _outcome(post(world.clients["other_citizen"], url)) == FORBIDDEN
    taken = post(world.clients["owner"], url)
    assert _outcome(taken).endswith(f"/ho-so-nhap/{draft['draft']}")
