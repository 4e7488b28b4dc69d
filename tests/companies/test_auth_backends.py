"""Signed-in people are loaded with their membership and company in one query, and the
checks Django's backends make (inactive people are refused) still hold."""

import pytest
from django.urls import reverse

from companies.auth_backends import MembershipAuthenticationBackend, MembershipModelBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [MembershipModelBackend, MembershipAuthenticationBackend])
def test_a_member_comes_with_membership_and_company_in_one_query(backend, buyer_owner, django_assert_num_queries):
    company = buyer_owner.company
    with django_assert_num_queries(1):
        user = backend().get_user(buyer_owner.pk)
        assert user == buyer_owner
        assert user.company == company and user.company.kind == "buyer"
        assert user.membership.is_owner


@pytest.mark.parametrize("backend", [MembershipModelBackend, MembershipAuthenticationBackend])
def test_staff_without_a_company_and_unknown_or_inactive_people(backend, staff, buyer_owner, django_assert_num_queries):
    with django_assert_num_queries(2):  # no membership, then the user
        user = backend().get_user(staff.pk)
        assert user == staff and user.company is None
    assert backend().get_user(10**9) is None
    buyer_owner.is_active = False
    buyer_owner.save()
    assert backend().get_user(buyer_owner.pk) is None


def test_a_deactivated_members_session_ends(client, buyer_owner):
    client.force_login(buyer_owner)
    url = reverse("companies:profile")
    assert client.get(url).status_code == 200
    buyer_owner.is_active = False
    buyer_owner.save()
    assert client.get(url).status_code == 302  # to the login page
