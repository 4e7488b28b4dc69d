"""Two staff assign the same booth at the same moment: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from exhibitions import services
from exhibitions.models import ExhibitorApplication
from tests import factories


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("contenders", [2, 8])
def test_concurrent_assignments_of_one_booth(contenders):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with a file lock; row locks need PostgreSQL (DATABASE_URL).")
    booth = factories.BoothFactory(code="B-07")
    staff = factories.StaffFactory(cooperative=booth.exhibition.cooperative)
    applications = [
        factories.ApplicationFactory(exhibition=booth.exhibition, status="approved") for _ in range(contenders)
    ]
    barrier = threading.Barrier(contenders)
    outcomes = []

    def assign(application):
        try:
            barrier.wait(timeout=10)
            services.booth_assign(application=application, booth=booth, by=staff)
            outcomes.append(("won", application.pk, ""))
        except services.ExhibitionError as exc:
            outcomes.append(("lost", application.pk, str(exc.message)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [pk for result, pk, _message in outcomes if result == "won"]
    losers = [message for result, _pk, message in outcomes if result == "lost"]
    assert len(outcomes) == contenders
    assert len(winners) == 1
    assert len(losers) == contenders - 1
    assert all("B-07 was just given to another exhibitor" in message for message in losers)
    assert ExhibitorApplication.objects.filter(booth=booth).count() == 1
    assert ExhibitorApplication.objects.get(booth=booth).pk == winners[0]


@pytest.mark.django_db(transaction=True)
def test_colleagues_applying_at_once_make_one_application():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with a file lock; the race needs PostgreSQL (DATABASE_URL).")
    company = factories.ExhibitorFactory()
    people = [factories.MembershipFactory(company=company, role="member").user for _ in range(6)]
    exhibition = factories.ExhibitionFactory()
    barrier = threading.Barrier(len(people))
    outcomes = []

    def apply(person):
        try:
            barrier.wait(timeout=10)
            services.application_submit(
                exhibition=exhibition,
                company=company,
                by=person,
                data={"stand_languages": "ko"},
                representatives=[{"name": person.full_name or "Rep"}],
            )
            outcomes.append("applied")
        except services.ExhibitionError as exc:
            outcomes.append(str(exc.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("applied") == 1
    assert len(outcomes) == len(people)
    assert all("already applied" in outcome for outcome in outcomes if outcome != "applied")
    application = ExhibitorApplication.objects.get(exhibition=exhibition, company=company)
    assert application.representatives.count() == 1
