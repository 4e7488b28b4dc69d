"""Races between people acting at the same moment (PostgreSQL only: SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

from companies import services
from companies.models import Company, Membership
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's row locks and concurrency"),
]


def run_together(actions):
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def worker(index, action):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_people_creating_companies_at_once_get_distinct_refs():
    assert connection.vendor == "postgresql"
    people = [factories.UserFactory() for _ in range(6)]
    results = run_together(
        [
            (lambda p=p: services.company_create(by=p, kind="exhibitor", name_en=f"Firm {p.pk}", country="KR"))
            for p in people
        ]
    )
    assert all(isinstance(r, Company) for r in results), results
    refs = sorted(Company.objects.values_list("ref", flat=True))
    assert refs == [f"KR-{n:04d}" for n in range(1, 7)]
    assert Membership.objects.filter(role="owner").count() == 6


def test_two_owners_stepping_down_at_once_leave_one_owner():
    company = factories.ExhibitorFactory()
    first, second = (factories.MembershipFactory(company=company, role="owner") for _ in range(2))
    results = run_together(
        [
            lambda: services.membership_set_role(membership=first, role="member", by=first.user),
            lambda: services.membership_set_role(membership=second, role="member", by=second.user),
        ]
    )
    assert Membership.objects.filter(company=company, role="owner").count() == 1
    assert sum(isinstance(r, services.CompanyError) for r in results) == 1


def test_one_person_accepting_two_invitations_at_once_joins_one_company():
    person = factories.UserFactory()
    invitations = [factories.InvitationFactory(email=person.email) for _ in range(2)]
    results = run_together([lambda i=i: services.invitation_accept(invitation=i, user=person) for i in invitations])
    assert Membership.objects.filter(user=person).count() == 1
    assert sum(isinstance(r, services.CompanyError) for r in results) == 1
