"""The staff API of one exhibition: only organisers of its cooperative (and admins); the
staff pages' selectors and services do the work (decisions notify, booths are unique, the
import is all or nothing, runs are queued through the outbox)."""

import json

import pytest
from django.urls import reverse

from companies.models import OutboxMessage
from exhibitions.interchange import dump_exhibition_data, export_exhibition_data
from exhibitions.models import DraftMeeting, ExhibitorApplication, ScheduleRun
from matching.models import MatchRun, Suggestion
from tests import factories
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


@pytest.fixture
def show(db):
    exhibition = factories.ExhibitionFactory()
    factories.HallFactory(exhibition=exhibition)
    return exhibition


@pytest.fixture
def staff(show):
    return factories.StaffFactory(cooperative=show.cooperative)


def url(name, show, **kwargs):
    return reverse(f"api:{name}", kwargs={"slug": show.slug, **kwargs})


def test_staff_of_another_cooperative_get_404_and_anonymous_401(client, show):
    stranger = factories.StaffFactory()  # an organiser, but of another cooperative
    for name in ("staff_applications", "staff_booths", "staff_data", "staff_report", "staff_schedule_runs"):
        response = client.get(url(name, show), **bearer(stranger))
        assert response.status_code == 404 and response.json()["code"] == "not_found", name
        assert client.get(url(name, show)).status_code == 401, name
    admin = factories.AdminFactory()
    assert client.get(url("staff_report", show), **bearer(admin)).status_code == 200


# --- Applications, registrations, booths ------------------------------------------------------


def test_applications_filter_by_status_and_refuse_an_unknown_one(client, show, staff):
    submitted = factories.ApplicationFactory(exhibition=show)
    factories.ApplicationFactory(exhibition=show, status="approved")
    body = client.get(url("staff_applications", show), {"status": "submitted"}, **bearer(staff)).json()
    assert [a["id"] for a in body["results"]] == [submitted.pk]
    response = client.get(url("staff_applications", show), {"status": "lost"}, **bearer(staff))
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_a_decision_is_saved_and_a_rejection_needs_a_reason(client, show, staff):
    application = factories.ApplicationFactory(exhibition=show)
    decide = url("staff_application_decide", show, pk=application.pk)
    response = client.post(decide, {"status": "rejected"}, **JSON, **bearer(staff, "write"))
    assert response.status_code == 409 and response.json()["code"] == "exhibition_rule"
    response = client.post(decide, {"status": "maybe"}, **JSON, **bearer(staff, "write"))
    assert response.status_code == 400 and "status" in response.json()["fields"]
    response = client.post(decide, {"status": "approved"}, **JSON, **bearer(staff, "write"))
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_a_booth_is_assigned_once_and_released(client, show, staff):
    first = factories.ApplicationFactory(exhibition=show, status="approved")
    second = factories.ApplicationFactory(exhibition=show, status="approved")
    booth = factories.BoothFactory(hall=show.halls.first(), exhibition=show, kind=first.booth_kind)
    headers = bearer(staff, "write")
    response = client.post(url("staff_booth_assign", show, pk=first.pk), {"booth": booth.pk}, **JSON, **headers)
    assert response.status_code == 200 and response.json()["booth"] == booth.code
    response = client.post(url("staff_booth_assign", show, pk=second.pk), {"booth": booth.pk}, **JSON, **headers)
    assert response.status_code in {400, 409}
    assert ExhibitorApplication.objects.get(pk=second.pk).booth is None
    response = client.post(url("staff_booth_assign", show, pk=first.pk), {"release": True}, **JSON, **headers)
    assert response.json()["booth"] is None
    other_show_booth = factories.BoothFactory()
    response = client.post(
        url("staff_booth_assign", show, pk=first.pk), {"booth": other_show_booth.pk}, **JSON, **headers
    )
    assert response.status_code == 400 and "booth" in response.json()["fields"]


def test_a_registration_decision(client, show, staff):
    registration = factories.BuyerRegistrationFactory(exhibition=show, status="pending")
    decide = url("staff_registration_decide", show, pk=registration.pk)
    response = client.post(decide, {"status": "approved"}, **JSON, **bearer(staff, "write"))
    assert response.status_code == 200 and response.json()["status"] == "approved"


def fill(show, what, rows):
    hall = show.halls.first()
    for n in range(rows):
        if what == "staff_applications":
            factories.ApplicationFactory(exhibition=show)
        elif what == "staff_registrations":
            factories.BuyerRegistrationFactory(exhibition=show)
        else:
            booth = factories.BoothFactory(hall=hall, exhibition=show, code=f"Q-{n:03d}")
            if n % 2:
                factories.ApplicationFactory(exhibition=show, status="approved", booth=booth)


# token and user, last use, exhibition with cooperative, the page (with companies; booths with
# hall, application and company)
@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize("name", ["staff_applications", "staff_registrations", "staff_booths"])
def test_staff_lists_cost_fixed_queries(client, django_assert_num_queries, show, staff, name, rows):
    fill(show, name, rows)
    headers = bearer(staff)
    with django_assert_num_queries(4):
        response = client.get(url(name, show), **headers)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(rows, 50 if name != "staff_booths" else 100)


# --- exhibition-data/2 -----------------------------------------------------------------------


def test_export_then_import_changes_nothing(client, show, staff):
    factories.ApplicationFactory(exhibition=show, status="approved")
    exported = client.get(url("staff_data", show), **bearer(staff)).json()
    assert exported["format"].startswith("exhibition-data/") and exported["exhibitions"][0]["slug"] == show.slug
    response = client.post(url("staff_data", show), exported, **JSON, **bearer(staff, "write"))
    assert response.status_code == 200, response.content
    counts = response.json()["counts"]
    assert all(c["create"] == 0 and c["update"] == 0 for c in counts.values()), counts


def test_an_import_names_every_problem_and_writes_nothing(client, show, staff):
    data = json.loads(dump_exhibition_data(export_exhibition_data(exhibition=show)))
    other = factories.ExhibitionFactory()
    data["companies"].append({"ref": "KR-NEW-1", "role": "exhibitor", "name": {"en": "New Mold"}, "country": "KR"})
    data["companies"][-1]["hs_codes"] = ["770000"]
    data["participations"].append({"exhibition": other.slug, "company": "KR-NEW-1"})
    response = client.post(url("staff_data", show), data, **JSON, **bearer(staff, "write"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import_rejected"
    paths = {p["path"] for p in body["problems"]}
    assert "participations[0].exhibition" in paths  # another exhibition
    assert any(p.startswith("companies[") and "hs_codes" in p for p in paths)  # the unknown code
    assert not factories.Company.objects.filter(ref="KR-NEW-1").exists()


def test_an_import_that_is_not_json_is_one_problem(client, show, staff):
    response = client.post(url("staff_data", show), "{not json", **JSON, **bearer(staff, "write"))
    assert response.status_code == 400
    assert response.json()["problems"][0]["path"] == "(file)"


# --- Matcher and scheduler runs --------------------------------------------------------------


def test_a_matcher_run_is_queued_through_the_outbox_once(client, show, staff):
    headers = bearer(staff, "write")
    response = client.post(url("staff_match_runs", show), **headers)
    assert response.status_code == 202, response.content
    run = MatchRun.objects.get(pk=response.json()["id"])
    assert OutboxMessage.objects.filter(task="matching.run_matcher", args=[run.pk]).exists()
    again = client.post(url("staff_match_runs", show), **headers)
    assert again.status_code == 409 and again.json()["code"] == "run_busy"
    progress = client.get(url("staff_match_run", show, pk=run.pk), **headers).json()
    assert progress["status"] == "queued" and progress["chunks_done"] == 0


@pytest.mark.parametrize("rows", [5, 200])
def test_matcher_results_cost_fixed_queries(client, django_assert_num_queries, show, staff, rows):
    run = MatchRun.objects.create(exhibition=show, status="done")
    buyer = factories.BuyerFactory()
    for n in range(rows):
        Suggestion.objects.create(
            exhibition=show, run=run, buyer=buyer, exhibitor=factories.ExhibitorFactory(), score=n, rank=n + 1
        )
    Suggestion.objects.create(exhibition=show, buyer=buyer, exhibitor=factories.ExhibitorFactory(), score=1, rank=1)
    headers = bearer(staff)
    # token and user, last use, exhibition, the run, a page of suggestions with both companies
    with django_assert_num_queries(5):
        response = client.get(url("staff_match_run_results", show, pk=run.pk), **headers)
    results = response.json()["results"]
    assert len(results) == min(rows, 100) and results[0]["score"] == rows - 1


def test_a_scheduler_run_is_queued_and_validated(client, show, staff):
    headers = bearer(staff, "write")
    response = client.post(url("staff_schedule_runs", show), {"seconds": 0}, **JSON, **headers)
    assert response.status_code == 400 and "seconds" in response.json()["fields"]
    response = client.post(url("staff_schedule_runs", show), {"seconds": 5}, **JSON, **headers)
    assert response.status_code == 202, response.content
    run = ScheduleRun.objects.get(pk=response.json()["id"])
    assert OutboxMessage.objects.filter(task="scheduling.run_schedule", args=[run.pk]).exists()
    again = client.post(url("staff_schedule_runs", show), {"seconds": 5}, **JSON, **headers)
    assert again.status_code == 409 and again.json()["code"] == "run_busy"
    progress = client.get(url("staff_schedule_run", show, pk=run.pk), **headers).json()
    assert (progress["status"], progress["seconds"]) == ("queued", 5.0)


@pytest.mark.parametrize("rows", [5, 200])
def test_scheduler_results_cost_fixed_queries(client, django_assert_num_queries, show, staff, rows):
    run = ScheduleRun.objects.create(exhibition=show, status="done")
    buyer = factories.BuyerFactory()
    table = factories.MeetingTableFactory(exhibition=show, number=1)
    for _ in range(rows):
        slot = factories.SlotFactory(exhibition=show)
        exhibitor = factories.ExhibitorFactory()
        DraftMeeting.objects.create(
            exhibition=show, run=run, buyer=buyer, exhibitor=exhibitor, slot=slot, table=table, weight=2
        )
    headers = bearer(staff)
    # token and user, last use, exhibition, the run, a page of drafts with companies, slot and place
    with django_assert_num_queries(5):
        response = client.get(url("staff_schedule_run_results", show, pk=run.pk), **headers)
    assert len(response.json()["results"]) == min(rows, 100)


# --- The report ------------------------------------------------------------------------------


def test_the_report_has_the_report_pages_figures(client, show, staff):
    slot = factories.SlotFactory(exhibition=show)
    factories.MeetingFactory(exhibition=show, status="held", slot=slot, starts_at=slot.starts_at, outcome="deal")
    factories.MeetingFactory(exhibition=show, status="requested")
    figures = client.get(url("staff_report", show), **bearer(staff)).json()
    assert (figures["requested"], figures["held"], figures["pending"]) == (2, 1, 1)
    assert {"outcome": "deal", "label": "Deal", "meetings": 1} in figures["outcomes"]


def test_the_report_carries_the_cooperatives_figures_at_the_shows_rates(client, show, staff):
    from decimal import Decimal

    from exhibitions.models import ExchangeRate, Lead

    ExchangeRate.objects.create(exhibition=show, jpy_per_usd=Decimal("150"), krw_per_usd=Decimal("1400"))
    exhibitor, buyer = factories.ExhibitorFactory(), factories.BuyerFactory()
    factories.ApplicationFactory(exhibition=show, company=exhibitor, status="approved")
    first, second = factories.SlotFactory(exhibition=show), factories.SlotFactory(exhibition=show)

    def at(slot):
        return {
            "exhibition": show,
            "exhibitor": exhibitor,
            "slot": slot,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
        }

    factories.MeetingFactory(buyer=buyer, status="held", outcome="deal", deal_value_usd=Decimal("1000"), **at(first))
    factories.MeetingFactory(buyer=factories.BuyerFactory(), status="no_show", **at(second))
    Lead.objects.create(exhibition=show, exhibitor=exhibitor, buyer=buyer, interest="high")

    report = client.get(url("staff_report", show), **bearer(staff)).json()["cooperative"]

    assert (report["consultations"], report["no_shows"], report["leads"]) == (1, 1, 1)
    assert report["no_show_rate"] == 0.5
    assert report["deal_value"] == {"USD": "1000.00", "JPY": "150000", "KRW": "1400000"}
    assert report["rate"]["jpy_per_usd"] == "150.0000"
    assert [line["ref"] for line in report["by_exhibitor"]] == [exhibitor.ref]
    assert report["by_exhibitor"][0]["deals"] == 1
