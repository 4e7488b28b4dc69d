"""Races through the API on PostgreSQL: several staff start the matcher or the scheduler at
the same moment, or assign one booth to several applications at once. The database's
constraints decide, and the losers get a 409 with a stable code, never a 500."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from companies import outbox
from exhibitions.models import ExhibitorApplication, ScheduleRun
from matching.models import MatchRun
from tests import factories
from tests.api.conftest import bearer

THREADS = 6

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers, so it cannot show a race (set DATABASE_URL)",
    ),
]


def race(requests):
    """POST each (url, body, headers) at once from its own client; returns the responses."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(i, url, body, headers):
        try:
            client = Client(raise_request_exception=False)
            barrier.wait(timeout=30)
            responses[i] = client.post(url, body, content_type="application/json", **headers)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture
def show(db):
    exhibition = factories.ExhibitionFactory()
    factories.HallFactory(exhibition=exhibition)
    return exhibition


def staff_headers(show):
    return [bearer(factories.StaffFactory(cooperative=show.cooperative), "write") for _ in range(THREADS)]


@pytest.mark.parametrize(
    ("name", "body", "model"),
    [("staff_match_runs", {}, MatchRun), ("staff_schedule_runs", {"seconds": 5}, ScheduleRun)],
)
def test_one_run_starts_when_staff_start_at_once(show, name, body, model, monkeypatch):
    # The runs stay queued: with eager tasks the winner's run (no buyers) could finish
    # before a slow loser's request, which may then rightly start the next run.
    monkeypatch.setattr(outbox, "publish", lambda *args, **kwargs: None)
    url = reverse(f"api:{name}", kwargs={"slug": show.slug})
    responses = race([(url, body, headers) for headers in staff_headers(show)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [202] + [409] * (THREADS - 1), [r.content[:200] for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"run_busy"}
    assert model.objects.filter(exhibition=show).count() == 1


def test_one_application_gets_a_booth_that_staff_assign_twice_at_once(show):
    booth = factories.BoothFactory(hall=show.halls.first(), exhibition=show)
    applications = [
        factories.ApplicationFactory(exhibition=show, status="approved", booth_kind=booth.kind) for _ in range(THREADS)
    ]
    requests = [
        (reverse("api:staff_booth_assign", kwargs={"slug": show.slug, "pk": a.pk}), {"booth": booth.pk}, headers)
        for a, headers in zip(applications, staff_headers(show), strict=True)
    ]
    responses = race(requests)
    assert sorted(r.status_code for r in responses)[0] == 200
    assert [r.status_code for r in responses].count(200) == 1, [r.content[:200] for r in responses]
    assert all(r.status_code in {200, 409} for r in responses), [r.content[:200] for r in responses]
    assert ExhibitorApplication.objects.filter(booth=booth).count() == 1
