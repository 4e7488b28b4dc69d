import pytest
from django.urls import reverse

from companies import services
from companies.models import Company, Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db):
    company = factories.ExhibitorFactory(name_en="Newcomer Mold", status="pending")
    owners = [factories.MembershipFactory(company=company, role="owner").user for _ in range(2)]
    factories.MembershipFactory(company=company, role="member")
    return company, owners


def test_review_lists_pending_companies_and_filters_by_status(client, staff, pending):
    factories.ExhibitorFactory(name_en="Old Approved")
    factories.BuyerFactory(name_en="Refused Buyer", status="rejected")
    client.force_login(staff)
    html = client.get(reverse("companies:review")).content.decode()
    assert "Newcomer Mold" in html and "Old Approved" not in html
    assert pending[1][0].email in html  # owners shown for vetting
    rejected = client.get(reverse("companies:review"), {"status": "rejected"}).content.decode()
    assert "Refused Buyer" in rejected and "Newcomer Mold" not in rejected
    everything = client.get(reverse("companies:review"), {"status": "all"}).content.decode()
    assert all(name in everything for name in ("Newcomer Mold", "Old Approved", "Refused Buyer"))


def test_approve_publishes_and_emails_each_owner(
    client, staff, pending, mailoutbox, django_capture_on_commit_callbacks
):
    company, owners = pending
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("companies:review_decide", kwargs={"ref": company.ref}), {"decision": "approve"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.status == "approved" and company.reviewed_by == staff and company.reviewed_at
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.email for o in owners)
    assert all("Newcomer Mold is approved" in m.subject for m in mailoutbox)
    client.logout()
    assert client.get(company.get_absolute_url()).status_code == 200
    assert "Newcomer Mold" in client.get(reverse("companies:list")).content.decode()


def test_reject_needs_a_reason_and_sends_it(client, staff, pending, mailoutbox, django_capture_on_commit_callbacks):
    company, owners = pending
    client.force_login(staff)
    url = reverse("companies:review_decide", kwargs={"ref": company.ref})
    response = client.post(url, {"decision": "reject", "reason": "  "}, follow=True)
    assert "Please say why the company is rejected." in response.content.decode()
    company.refresh_from_db()
    assert company.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "We could not verify the business registration."})
    company.refresh_from_db()
    assert company.status == "rejected"
    assert company.review_reason == "We could not verify the business registration."
    assert len(mailoutbox) == 2
    assert "We could not verify the business registration." in mailoutbox[0].body
    client.force_login(owners[0])
    assert "We could not verify" in client.get(company.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(company.get_absolute_url()).status_code == 404


def test_each_decision_notifies_once_and_a_later_decision_again(staff, pending):
    company, owners = pending
    services.company_reject(company=company, by=staff, reason="Missing details")
    with pytest.raises(services.CompanyError):
        services.company_reject(company=company, by=staff, reason="Again")
    services.company_approve(company=Company.objects.get(pk=company.pk), by=staff)
    assert Notification.objects.filter(template="company_rejected").count() == 2
    assert Notification.objects.filter(template="company_approved").count() == 2


def test_review_is_for_organisers_only(client, exhibitor_owner, pending):
    company, _owners = pending
    client.force_login(exhibitor_owner)
    assert client.get(reverse("companies:review")).status_code == 404
    url = reverse("companies:review_decide", kwargs={"ref": company.ref})
    assert client.post(url, {"decision": "approve"}).status_code == 404
    company.refresh_from_db()
    assert company.status == "pending"
