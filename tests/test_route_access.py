"""Who may open each route: one table, checked against the app's URL map and by requests.

Every endpoint must be listed in ROUTES as PUBLIC, CITIZEN (a signed-in citizen: their own
data only) or STAFF(roles...). A new route without a decision fails
`test_every_route_has_an_access_decision`, so nobody adds a page without deciding who sees it.
The other tests then prove the decision on the server, by requesting each route:
- anonymously: citizen routes send to the citizen sign-in, staff routes to the staff sign-in;
- as a citizen: staff routes stay closed;
- as each staff role: routes of other roles answer 403.
Object-level rules (who may see one citizen's dossier, photos and profile through these routes:
nobody, another citizen, a volunteer, an officer of another commune, the right officer, an
administrator, the owner) are one table in tests/test_object_access.py; a new route serving a
citizen's data belongs there too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from werkzeug.routing import IntegerConverter

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from webapp.accounts.models import ADMIN, OFFICER, STAFF_ROLES, VOLUNTEER


@dataclass(frozen=True)
class Access:
    kind: str  # "public", "citizen" or "staff"
    roles: tuple[str, ...] = ()


PUBLIC = Access("public")
CITIZEN = Access("citizen")


def STAFF(*roles: str) -> Access:  # noqa: N802 (reads like the other two constants)
    return Access("staff", roles or STAFF_ROLES)


ROUTES: dict[str, Access] = {
    # The site and the catalogue: for everyone, no account needed.
    "site.home": PUBLIC,
    "site.preferences": PUBLIC,
    "site.help": PUBLIC,
    "site.contacts": PUBLIC,
    "site.share": PUBLIC,
    "site.health": PUBLIC,
    # Prometheus's metrics: a 404 unless METRICS_TOKEN is set, then only for its bearer (401
    # otherwise); proven in tests/core/test_metrics.py. No personal data (route patterns only).
    "metrics": PUBLIC,
    "catalogue.index": PUBLIC,
    "catalogue.detail": PUBLIC,
    "catalogue.life_event": PUBLIC,
    "catalogue.search_results": PUBLIC,
    # The public figures: counts for the whole province, no personal data.
    "public_figures.page": PUBLIC,
    "public_figures.csv_file": PUBLIC,
    # The commune picker's proposals for an address typed (no personal data: the query only).
    "places.commune_choices": PUBLIC,
    "static": PUBLIC,
    "favicon": PUBLIC,
    # The development messages page: registered only with APP_ENV=development and the
    # development transport (a 404 in production), so open to whoever runs the demo.
    "notifications_dev.messages": PUBLIC,
    "notifications_dev.send_test": PUBLIC,
    "notifications_dev.send_now": PUBLIC,
    # eSMS's delivery reports: called by eSMS, authenticated by the secret in the URL (a 404
    # without it, or unless eSMS is the configured gateway), rate limited per address.
    "delivery_reports.esms_report": PUBLIC,
    # Signing in and out.
    "accounts.sign_in": PUBLIC,
    "accounts.send_code": PUBLIC,
    "accounts.enter_code": PUBLIC,
    "accounts.check_code": PUBLIC,
    "accounts.resend_code": PUBLIC,
    "accounts.zalo_start": PUBLIC,
    "accounts.zalo_callback": PUBLIC,
    "accounts.zalo_phone": PUBLIC,
    "accounts.zalo_send_code": PUBLIC,
    "accounts.sign_out": PUBLIC,
    "accounts.signed_out": PUBLIC,
    "staff.sign_in": PUBLIC,
    "staff.check_password": PUBLIC,
    "staff.second_factor": PUBLIC,
    "staff.check_second_factor": PUBLIC,
    # Invitations are opened by their secret token, before the invitee has an account.
    "staff.accept_invitation": PUBLIC,
    "staff.choose_password": PUBLIC,
    "staff.set_up_second_factor": PUBLIC,
    "staff.confirm_second_factor": PUBLIC,
    # Online dossiers: reading what can be sent and looking a dossier up need no account; a
    # dossier's pages check themselves who may follow it (its owner, or whoever looked it up
    # with its code and phone number), and its photos who may see them.
    "dossiers.index": PUBLIC,
    "dossiers.start": PUBLIC,
    "dossiers.lookup": PUBLIC,
    "dossiers.status": PUBLIC,
    "dossiers.status_card": PUBLIC,
    "dossiers.attachment": PUBLIC,
    "dossiers.add_papers": PUBLIC,
    "dossiers.add_papers_link": PUBLIC,  # a signed link for one dossier's open request
    "dossiers.rate": PUBLIC,
    # Hand-over from a kiosk to her phone: the kiosk's QR page (a 404 off a kiosk; it shows
    # only the code, and the kiosk's session has ended once her phone took the draft) and the
    # signed single-use link it holds (a page that asks her to sign in; nothing of hers shown).
    "dossiers.hand_over_shown": PUBLIC,
    "dossiers.hand_over": PUBLIC,
    # Filling in and sending a dossier, the receipt and "my dossiers": the signed-in citizen.
    "dossiers.sign_in_to_start": CITIZEN,
    "dossiers.begin": CITIZEN,
    "dossiers.first_question": CITIZEN,
    "dossiers.restart": CITIZEN,
    "dossiers.resume": CITIZEN,
    "dossiers.question": CITIZEN,
    "dossiers.paper": CITIZEN,
    "dossiers.upload_photos": CITIZEN,
    "dossiers.paper_done": CITIZEN,
    "dossiers.remove_photo": CITIZEN,
    "dossiers.check_answers": CITIZEN,
    "dossiers.declaration": CITIZEN,
    "dossiers.submit": CITIZEN,
    "dossiers.discard": CITIZEN,
    "dossiers.offer_hand_over": CITIZEN,  # her own draft, on a kiosk only (404 elsewhere)
    "dossiers.claim_hand_over": CITIZEN,  # only the citizen who began the draft takes it
    "dossiers.receipt": CITIZEN,
    "dossiers.send_receipt": CITIZEN,
    "dossiers.mine": CITIZEN,
    # The citizen's own profile.
    "accounts.profile": CITIZEN,
    "accounts.edit_profile": CITIZEN,
    "accounts.save_profile": CITIZEN,
    "accounts.change_phone": CITIZEN,
    "accounts.send_change_phone_code": CITIZEN,
    # Her mandates to community helpers: hers to see and end.
    "mandates.mine": CITIZEN,
    "mandates.end": CITIZEN,
    # The office's view: live mandates of the officer's communes, ended with a reason (an
    # officer of another commune gets 404: tests/mandates/test_office_end.py).
    "mandates.office_list": STAFF(OFFICER, ADMIN),
    "mandates.office_end_page": STAFF(OFFICER, ADMIN),
    "mandates.office_end": STAFF(OFFICER, ADMIN),
    # Staff.
    "staff.home": STAFF(),
    "staff.citizens": STAFF(OFFICER, ADMIN),
    "staff.citizen_detail": STAFF(OFFICER, ADMIN),
    "staff.staff_list": STAFF(ADMIN),
    "staff.invite": STAFF(ADMIN),
    "staff.send_invitation": STAFF(ADMIN),
    "staff.lock": STAFF(ADMIN),
    "staff.reset_sign_in": STAFF(ADMIN),
    "staff.communes": STAFF(ADMIN),
    "staff.change_communes": STAFF(ADMIN),
    "audit.log_page": STAFF(ADMIN),
    # The citizen's rights over her data: the notice is public, her data hers alone, requests
    # handled by province administrators.
    # Reports: the start page, following a report (code and phone, or the reporter's or a
    # follower's session), its photos (the view's own rule) and the public page for everyone;
    # writing and sending one needs a phone confirmed with a code.
    "reports.start": PUBLIC,
    "reports.lookup": PUBLIC,
    "reports.status": PUBLIC,
    "reports.rate": PUBLIC,
    "reports.reopen": PUBLIC,
    "reports.photo": PUBLIC,
    "reports.public_list": PUBLIC,
    # "Is it still fixed?": a signed link for one report, from the message to her phone.
    "reports.still_fixed_page": PUBLIC,
    "reports.begin": CITIZEN,
    "reports.question": CITIZEN,
    "reports.join": CITIZEN,
    "reports.photos": CITIZEN,
    "reports.upload_photos": CITIZEN,
    "reports.remove_photo": CITIZEN,
    "reports.check": CITIZEN,
    "reports.send": CITIZEN,
    "reports.receipt": CITIZEN,
    "reports.mine": CITIZEN,
    "privacy.notice": PUBLIC,
    "privacy.my_data": CITIZEN,
    "privacy.download": CITIZEN,
    "privacy.ask": CITIZEN,
    "privacy.requests_page": STAFF(ADMIN),
    "privacy.request_detail": STAFF(ADMIN),
    "privacy.complete": STAFF(ADMIN),
    "privacy.refuse": STAFF(ADMIN),
    # News: read by everyone (a targeted article is listed for its communes, its page public
    # by link); written by officers for their communes and administrators for the province.
    "news.index": PUBLIC,
    "news.choose_commune": PUBLIC,
    "news.article": PUBLIC,
    "news.photo": PUBLIC,
    "news.audio_file": PUBLIC,
    "news.province_feed": PUBLIC,
    "news.topic_feed": PUBLIC,
    "news.commune_feed": PUBLIC,
    "news.search_results": PUBLIC,
    "news.staff_list": STAFF(OFFICER, ADMIN),
    "news.staff_new": STAFF(OFFICER, ADMIN),
    "news.staff_edit": STAFF(OFFICER, ADMIN),
    "news.staff_photo": STAFF(OFFICER, ADMIN),
    # Booking a time at the one-stop shop: the signed-in citizen, her own bookings only; the
    # day's bookings and the timetable: officers of the commune and administrators.
    "bookings.index": CITIZEN,
    "bookings.days": CITIZEN,
    "bookings.slots": CITIZEN,
    "bookings.detail": CITIZEN,
    "bookings.cancel": CITIZEN,
    "bookings.move_days": CITIZEN,
    "bookings.move_slots": CITIZEN,
    "staff_bookings.day_page": STAFF(OFFICER, ADMIN),
    "staff_bookings.mark": STAFF(OFFICER, ADMIN),
    "staff_bookings.slot": STAFF(OFFICER, ADMIN),
    "staff_bookings.settings_page": STAFF(OFFICER, ADMIN),
    "staff_bookings.closed_day": STAFF(OFFICER, ADMIN),
    "kiosk.admin": STAFF(ADMIN),
    "kiosk.make": STAFF(ADMIN),
    "kiosk.revoke": STAFF(ADMIN),
    "kiosk.start_again": PUBLIC,
    "kiosk.timed_out": PUBLIC,
    # The one-stop shop's back office: officers and administrators, never volunteers.
    "backoffice.queue_page": STAFF(OFFICER, ADMIN),
    "backoffice.dossier_detail": STAFF(OFFICER, ADMIN),
    "backoffice.paper": STAFF(OFFICER, ADMIN),
    "backoffice.attachment_file": STAFF(OFFICER, ADMIN),
    "backoffice.receive": STAFF(OFFICER, ADMIN),
    "backoffice.request_papers": STAFF(OFFICER, ADMIN),
    "backoffice.refuse": STAFF(OFFICER, ADMIN),
    "backoffice.approve": STAFF(OFFICER, ADMIN),
    "backoffice.hand_over": STAFF(OFFICER, ADMIN),
    "backoffice.add_note": STAFF(OFFICER, ADMIN),
    "backoffice.figures_page": STAFF(OFFICER, ADMIN),
    "backoffice.figures_csv": STAFF(OFFICER, ADMIN),
    "backoffice.counter_intake": STAFF(OFFICER, ADMIN),
    # Consultations: read by everyone; made by administrators (province) and officers (their
    # communes, checked per consultation).
    "consultations.index": PUBLIC,
    "consultations.page": PUBLIC,
    "consultations.document": PUBLIC,
    # Answering: the signed-in citizen, whose phone confirmed a code, answers for that phone.
    "consultations.answer_start": CITIZEN,
    "consultations.answer_about": CITIZEN,
    "consultations.answer_question": CITIZEN,
    "consultations.answer_save": CITIZEN,
    "consultations.answer_review": CITIZEN,
    "consultations.answer_send": CITIZEN,
    "consultations.answer_sent": CITIZEN,
    # Results after closing only (a 404 before), public; the answers written and the decision
    # for administrators.
    "consultations.results_csv": PUBLIC,
    "consultations_staff.staff_results": STAFF(ADMIN),
    "consultations_staff.free_texts": STAFF(ADMIN),
    "consultations_staff.write_outcome": STAFF(ADMIN),
    "consultations_staff.index": STAFF(OFFICER, ADMIN),
    "consultations_staff.new": STAFF(OFFICER, ADMIN),
    "consultations_staff.create": STAFF(OFFICER, ADMIN),
    "consultations_staff.edit": STAFF(OFFICER, ADMIN),
    "consultations_staff.update": STAFF(OFFICER, ADMIN),
    "consultations_staff.detail": STAFF(OFFICER, ADMIN),
    "consultations_staff.add_question": STAFF(OFFICER, ADMIN),
    "consultations_staff.remove_question": STAFF(OFFICER, ADMIN),
    "consultations_staff.publish": STAFF(OFFICER, ADMIN),
    # Reports' triage (webapp/reports/office_views.py): the commune's officers and administrators.
    "reports.office_queue": STAFF(OFFICER, ADMIN),
    "reports.office_report": STAFF(OFFICER, ADMIN),
    "reports.office_photo": STAFF(OFFICER, ADMIN),
    "reports.office_receive": STAFF(OFFICER, ADMIN),
    "reports.office_forward": STAFF(OFFICER, ADMIN),
    "reports.office_merge": STAFF(OFFICER, ADMIN),
    "reports.office_answer": STAFF(OFFICER, ADMIN),
    "reports.office_note": STAFF(OFFICER, ADMIN),
    "reports.office_hide": STAFF(OFFICER, ADMIN),
    "reports.office_broken_again_looked": STAFF(OFFICER, ADMIN),
    "backoffice.mandate_paper": STAFF(OFFICER, ADMIN),
    # Assisted mode: the volunteer's own pages. Each mandate request is the asking volunteer's
    # alone; the wizard's pages above let a volunteer in only for a draft under a live mandate
    # naming her (tests/assisted), and a dossier's page only through that mandate's grant.
    "assisted.home": STAFF(VOLUNTEER),
    "assisted.ask": STAFF(VOLUNTEER),
    "assisted.code": STAFF(VOLUNTEER),
    "assisted.resend": STAFF(VOLUNTEER),
    "assisted.paper": STAFF(VOLUNTEER),
    "assisted.paper_form": STAFF(VOLUNTEER),
    "assisted.new_draft": STAFF(VOLUNTEER),
    "assisted.dossier": STAFF(VOLUNTEER),
    # Booking a time for her under a live mandate of hers naming the volunteer, and seeing that
    # booking while it lasts (tests/assisted/test_bookings.py, tests/test_object_access.py).
    "assisted.book_days": STAFF(VOLUNTEER),
    "assisted.book_slots": STAFF(VOLUNTEER),
    "assisted.booking": STAFF(VOLUNTEER),
    # "Tôi cần người giúp": anyone asks; the volunteers of the commune take and close them.
    "help_requests.ask": PUBLIC,
    "help_requests.sent": PUBLIC,
    "assisted.help_queue": STAFF(VOLUNTEER),
    "assisted.take_help": STAFF(VOLUNTEER),
    "assisted.help_detail": STAFF(VOLUNTEER),
    "assisted.reach_help": STAFF(VOLUNTEER),
    "assisted.close_help": STAFF(VOLUNTEER),
    # The figures of helping: the province office.
    "help_requests.figures_page": STAFF(ADMIN),
    "help_requests.figures_csv": STAFF(ADMIN),
}

# A value for each URL argument: ids that exist nowhere, so that an allowed POST changes nothing.
SAMPLE_INT, SAMPLE_TEXT = 987654321, "khong-co"


def _requests(app, endpoint: str):
    """(method, url) for every method of every rule of `endpoint`."""
    rules = list(app.url_map.iter_rules(endpoint))
    assert rules, f"{endpoint} is in ROUTES but not in the app"
    for rule in rules:
        values = {name: SAMPLE_INT if isinstance(converter, IntegerConverter) else SAMPLE_TEXT
                  for name, converter in rule._converters.items()}
        url = rule.build(values)[1] if values else rule.rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def _open(client, method: str, url: str):
    """Request as a browser would, with the visitor's CSRF token on a POST."""
    if method == "GET":
        return client.get(url)
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf_token"]
    return client.open(url, method=method, data={"csrf_token": token})


def _sent_to_sign_in(response, sign_in_path: str) -> bool:
    """The access gates redirect to the sign-in page with `next`, and nothing else does."""
    location = response.headers.get("Location", "")
    return response.status_code in (302, 303) and location.startswith(f"{sign_in_path}?next=")


def test_every_route_has_an_access_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTES)) == [], "add these routes to ROUTES with a decision"
    assert sorted(set(ROUTES) - endpoints) == [], "these routes no longer exist"


def _endpoints(kind: str) -> list[str]:
    return [endpoint for endpoint, access in ROUTES.items() if access.kind == kind]


@pytest.mark.parametrize("endpoint", _endpoints("public"))
def test_public_routes_open_without_an_account(app, client, endpoint):
    for method, url in _requests(app, endpoint):
        response = _open(client, method, url)
        assert response.status_code not in (401, 403), (method, url)
        assert not _sent_to_sign_in(response, "/dang-nhap"), (method, url)
        assert not _sent_to_sign_in(response, "/can-bo/dang-nhap"), (method, url)


@pytest.mark.parametrize("endpoint", _endpoints("citizen"))
def test_citizen_routes_send_visitors_to_sign_in_and_let_citizens_in(app, endpoint):
    visitor, citizen, officer = app.test_client(), app.test_client(), app.test_client()
    sign_in_citizen(citizen)
    sign_in_staff(officer, role=OFFICER)
    for method, url in _requests(app, endpoint):
        assert _sent_to_sign_in(_open(visitor, method, url), "/dang-nhap"), (method, url)
        assert _sent_to_sign_in(_open(officer, method, url), "/dang-nhap"), (method, url)
        response = _open(citizen, method, url)
        # The sample ids and tokens in a URL name nothing, so such a route may answer 404.
        missing = response.status_code == 404 and (SAMPLE_TEXT in url or str(SAMPLE_INT) in url)
        assert (response.status_code < 400 or missing), (method, url, response.status_code)
        assert not _sent_to_sign_in(response, "/dang-nhap"), (method, url)


@pytest.mark.parametrize("endpoint", _endpoints("staff"))
def test_staff_routes_are_closed_to_visitors_and_citizens(app, endpoint):
    visitor, citizen = app.test_client(), app.test_client()
    sign_in_citizen(citizen)
    for method, url in _requests(app, endpoint):
        assert _sent_to_sign_in(_open(visitor, method, url), "/can-bo/dang-nhap"), (method, url)
        assert _sent_to_sign_in(_open(citizen, method, url), "/can-bo/dang-nhap"), (method, url)


@pytest.mark.parametrize("role", [OFFICER, ADMIN, VOLUNTEER])
@pytest.mark.parametrize("endpoint", _endpoints("staff"))
def test_staff_routes_answer_only_the_roles_they_are_for(app, endpoint, role):
    client = app.test_client()
    sign_in_staff(client, role=role)
    allowed = role in ROUTES[endpoint].roles
    for method, url in _requests(app, endpoint):
        response = _open(client, method, url)
        assert not _sent_to_sign_in(response, "/can-bo/dang-nhap"), (method, url)
        if allowed:
            assert response.status_code != 403, (method, url, role)
        else:
            assert response.status_code == 403, (method, url, role)
