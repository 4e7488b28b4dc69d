"""List pages cost a fixed number of SQL queries whatever the number of rows."""

import pytest
from django.urls import reverse

from companies.notifications import notify
from tests import factories

pytestmark = pytest.mark.django_db


def make_companies(count):
    for n in range(count):
        company = factories.ExhibitorFactory(name_en=f"Firm {n:03d}", hs=["848071", "8480"])
        company.certifications.create(name=f"Cert {n}")


@pytest.mark.parametrize("rows", [5, 200])
def test_company_list_query_count(client, django_assert_num_queries, rows):
    make_companies(rows)
    # count, page of companies, their HS codes (anonymous: no session or user queries)
    with django_assert_num_queries(3):
        response = client.get(reverse("companies:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_company_list_search_query_count(client, django_assert_num_queries, rows, outsider):
    make_companies(rows)
    client.force_login(outsider)
    # session, user, membership (nav), count, page, HS codes
    with django_assert_num_queries(6):
        response = client.get(reverse("companies:list"), {"q": "firm 848071", "kind": "exhibitor"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_review_list_query_count(client, django_assert_num_queries, staff, rows):
    for n in range(rows):
        company = factories.ExhibitorFactory(name_en=f"Pending {n}", status="pending")
        factories.MembershipFactory(company=company)
    client.force_login(staff)
    # session, user, membership (nav), count, page, owners with their users
    with django_assert_num_queries(6):
        response = client.get(reverse("companies:review"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_notification_list_query_count(client, django_assert_num_queries, outsider, rows):
    for n in range(rows):
        notify(user=outsider, key=f"k{n}", template="company_approved", context={"company_name": f"C{n}", "ref": "X"})
    client.force_login(outsider)
    # session, user, membership (nav), count, page of notices with their user
    with django_assert_num_queries(5):
        response = client.get(reverse("companies:notifications"))
    assert response.status_code == 200
