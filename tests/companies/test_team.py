"""Invitations, joining, removing and promoting people."""

import pytest
from django.urls import reverse

from companies.models import Invitation, Membership, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def invite(client, company, email, role="member", capture=None):
    return client.post(reverse("companies:invite", kwargs={"ref": company.ref}), {"email": email, "role": role})


def test_invite_a_new_person_by_email_who_signs_up_and_joins(
    client, exhibitor_owner, mailoutbox, django_capture_on_commit_callbacks
):
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, company, "Jiwoo@Daehan.example")
    assert response.status_code == 302
    invitation = Invitation.objects.get(company=company)
    assert invitation.email == "jiwoo@daehan.example"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["jiwoo@daehan.example"]
    link = reverse("companies:invitation_accept", kwargs={"token": invitation.token})
    assert link in mailoutbox[0].body
    assert company.name in mailoutbox[0].subject

    client.logout()
    assert client.get(link)["Location"].startswith(reverse("account_login"))
    jiwoo = factories.UserFactory(email="jiwoo@daehan.example")
    client.force_login(jiwoo)
    page = client.get(reverse("companies:onboarding")).content.decode()
    assert link in page  # the pending invitation is offered
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == company.get_absolute_url()
    assert Membership.objects.get(user=jiwoo).company == company
    assert Membership.objects.get(user=jiwoo).role == "member"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(link).status_code == 404  # used


def test_inviting_someone_with_an_account_notifies_in_app(
    client, exhibitor_owner, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(exhibitor_owner)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, exhibitor_owner.company, outsider.email, role="owner")
    notice = Notification.objects.get(user=outsider)
    assert notice.template == "invitation_received"
    assert len(mailoutbox) == 1 and notice.url in mailoutbox[0].body
    client.force_login(outsider)
    client.post(notice.url)
    assert Membership.objects.get(user=outsider).role == "owner"


def test_invitation_is_only_for_the_invited_address(client, exhibitor_owner, outsider, other_buyer):
    invitation = factories.InvitationFactory(company=exhibitor_owner.company, email="someone@else.example")
    client.force_login(outsider)
    link = reverse("companies:invitation_accept", kwargs={"token": invitation.token})
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_a_person_already_in_a_company_cannot_join_another(client, exhibitor_owner, other_buyer):
    invitation = factories.InvitationFactory(company=exhibitor_owner.company, email=other_buyer.email)
    link = reverse("companies:invitation_accept", kwargs={"token": invitation.token})
    client.force_login(other_buyer)
    page = client.get(link).content.decode()
    assert "A person can be in one company only" in page
    response = client.post(link, follow=True)
    assert "A person can be in one company only" in response.content.decode()
    assert Membership.objects.get(user=other_buyer).company == other_buyer.company
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_duplicate_and_bad_invitations_are_refused_clearly(client, exhibitor_owner, exhibitor_colleague):
    client.force_login(exhibitor_owner)
    company = exhibitor_owner.company
    invite(client, company, "new@example.com")
    response = invite(client, company, "NEW@example.com")
    assert "new@example.com has already been invited." in client.get(response["Location"]).content.decode()
    response = invite(client, company, exhibitor_colleague.email)
    assert "is already in your team" in client.get(response["Location"]).content.decode()
    response = invite(client, company, "not-an-email")
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert Invitation.objects.filter(company=company).count() == 1


def test_owner_promotes_removes_and_keeps_one_owner(client, exhibitor_owner, exhibitor_colleague):
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    mine = Membership.objects.get(user=exhibitor_owner)
    theirs = Membership.objects.get(user=exhibitor_colleague)
    role_url = reverse("companies:member_role", kwargs={"ref": company.ref, "pk": mine.pk})
    response = client.post(role_url, {"role": "member"}, follow=True)
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(pk=mine.pk).role == "owner"
    client.post(reverse("companies:member_role", kwargs={"ref": company.ref, "pk": theirs.pk}), {"role": "owner"})
    assert Membership.objects.get(pk=theirs.pk).role == "owner"
    client.post(role_url, {"role": "member"})
    assert Membership.objects.get(pk=mine.pk).role == "member"
    # Now a plain member: may not manage the team any more, but may leave.
    assert (
        client.post(reverse("companies:member_remove", kwargs={"ref": company.ref, "pk": theirs.pk})).status_code == 404
    )
    response = client.post(reverse("companies:member_remove", kwargs={"ref": company.ref, "pk": mine.pk}))
    assert response["Location"] == reverse("companies:onboarding")
    assert not Membership.objects.filter(user=exhibitor_owner).exists()


def test_team_page_shows_controls_to_owners_only(client, exhibitor_owner, exhibitor_colleague):
    url = reverse("companies:team", kwargs={"ref": exhibitor_owner.company.ref})
    client.force_login(exhibitor_owner)
    assert "Invite a colleague" in client.get(url).content.decode()
    client.force_login(exhibitor_colleague)
    html = client.get(url).content.decode()
    assert "Invite a colleague" not in html and "Make owner" not in html
    assert exhibitor_owner.email in html


def test_invitation_email_links_to_the_site(
    client, exhibitor_owner, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://fair.example"
    client.force_login(exhibitor_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("companies:invite", kwargs={"ref": exhibitor_owner.company.ref}),
            {"email": "x@example.com", "role": "member"},
        )
    token = Invitation.objects.get(email="x@example.com").token
    assert f"https://fair.example/companies/invitations/{token}/" in mailoutbox[0].body


def test_a_company_can_send_only_so_many_invitations_a_day(
    client, exhibitor_owner, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Anyone can sign up and make a company; it must not become a way to mail strangers in bulk,
    and withdrawing an invitation does not give the allowance back."""
    settings.COMPANY_INVITATIONS_PER_DAY = 2
    company = exhibitor_owner.company
    client.force_login(exhibitor_owner)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, company, "one@example.com")
        first = Invitation.objects.get(email="one@example.com")
        client.post(reverse("companies:invitation_cancel", kwargs={"ref": company.ref, "pk": first.pk}))
        invite(client, company, "two@example.com")
        response = invite(client, company, "three@example.com")
    assert response.status_code == 302
    assert "most invitations allowed in a day" in client.get(response["Location"]).content.decode()
    assert not Invitation.objects.filter(email="three@example.com").exists()
    assert [m.to for m in mailoutbox] == [["two@example.com"]]  # the withdrawn one is not mailed


def test_cooperative_staff_cannot_join_a_company_through_an_invitation(client, exhibitor_owner, staff):
    invitation = Invitation.objects.create(
        company=exhibitor_owner.company, email=staff.email, invited_by=exhibitor_owner
    )
    link = reverse("companies:invitation_accept", kwargs={"token": invitation.token})
    client.force_login(staff)
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert not Membership.objects.filter(user=staff).exists()
