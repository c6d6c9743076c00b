"""Object-level access: every route that serves a citizen's data, opened by everyone who might
try, each with the answer they must get (issue 10, hole 1).

tests/test_route_access.py decides who may open each *route*; this table decides who may see
*one citizen's* dossier, photos and profile through it. The people: nobody signed in, another
citizen, a volunteer of the dossier's own commune (helping is not a right to look: only an
explicit grant opens one dossier, see webapp/dossiers/access.py), an officer of another
commune, the commune's own officer, a province administrator, and the owner herself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier, make_photo
from webapp.accounts.models import ADMIN, OFFICER, VOLUNTEER
from webapp.audit.models import AuditEvent
from webapp.core.db import database

ACTORS = ("anonymous", "other_citizen", "volunteer", "officer_elsewhere", "officer", "admin",
          "owner")
OK, NOT_FOUND, FORBIDDEN = 200, 404, 403
CITIZEN_SIGN_IN, STAFF_SIGN_IN, LOOKUP = "citizen_sign_in", "staff_sign_in", "lookup"


@dataclass
class World:
    """One citizen's dossier in commune A with a photo of a paper, and everyone's clients."""

    code: str
    paper_id: int
    citizen_id: int
    clients: dict


@pytest.fixture
def world(app):
    with app.app_context(), database.connection_context():
        here, elsewhere = first_commune(), first_commune(offset=1)
        owner = make_citizen(commune=here)
        dossier = make_dossier(commune=here, citizen=owner)
        paper = make_photo(dossier)
        code, paper_id, owner_id = dossier.code, paper.id, owner.id
    clients = {actor: app.test_client() for actor in ACTORS}
    sign_in_citizen(clients["other_citizen"], commune=here)
    sign_in_staff(clients["volunteer"], role=VOLUNTEER, communes=[here])
    sign_in_staff(clients["officer_elsewhere"], role=OFFICER, communes=[elsewhere])
    sign_in_staff(clients["officer"], role=OFFICER, communes=[here])
    sign_in_staff(clients["admin"], role=ADMIN)
    _sign_in_as(clients["owner"], owner)
    return World(code, paper_id, owner_id, clients)


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
        if location.startswith("/tra-cuu-ho-so?"):
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
    # Sent without help: there is no authorisation paper to show, even to the office.
    "/can-bo/ho-so/{code}/giay-uy-quyen": {**OFFICE_ONLY, "officer": NOT_FOUND,
                                           "admin": NOT_FOUND},
    # A volunteer's page of a dossier she sent: only under a live mandate (none here).
    "/tinh-nguyen/ho-so/{code}": {**{actor: FORBIDDEN for actor in ACTORS},
                                  "anonymous": STAFF_SIGN_IN, "other_citizen": STAFF_SIGN_IN,
                                  "owner": STAFF_SIGN_IN, "volunteer": NOT_FOUND},
}


@pytest.mark.parametrize("pattern", list(TABLE))
def test_each_person_gets_the_answer_the_table_says(world, pattern):
    url = pattern.format(code=world.code, paper=world.paper_id, citizen=world.citizen_id)
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
