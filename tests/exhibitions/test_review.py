"""Staff review applications and registrations; each change notifies the company once."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import Notification
from exhibitions import services
from exhibitions.models import ExhibitorApplication
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(exhibition, exhibitor_owner, exhibitor_colleague):
    exhibitor_colleague.preferred_language = "ko"
    exhibitor_colleague.save()
    return factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_owner.company)


def review_url(application):
    return reverse("exhibitions:application_review", kwargs={"slug": application.exhibition.slug, "pk": application.pk})


def assign_url(application):
    return reverse("exhibitions:application_assign", kwargs={"slug": application.exhibition.slug, "pk": application.pk})


def test_staff_list_applications_by_status(client, staff, exhibition, application):
    factories.ApplicationFactory(exhibition=exhibition, status="approved", company__name_en="Approved Mould Co")
    client.force_login(staff)
    url = reverse("exhibitions:applications", kwargs={"slug": exhibition.slug})
    html = client.get(url).content.decode()
    assert application.company.name in html and "Approved Mould Co" in html
    html = client.get(url + "?status=approved").content.decode()
    assert "Approved Mould Co" in html and application.company.name not in html


def test_approve_emails_each_member_once_in_their_language(
    client, staff, application, exhibitor_owner, exhibitor_colleague, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(application), {"status": "approved", "reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([exhibitor_owner.email, exhibitor_colleague.email])
    english = next(m for m in mail.outbox if m.to == [exhibitor_owner.email])
    assert "approved" in english.subject and application.exhibition.title_en in english.subject
    korean = next(m for m in mail.outbox if m.to == [exhibitor_colleague.email])
    assert application.exhibition.title_ko in korean.subject  # the title in the reader's language
    # The same decision again: no change, no email.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(application), {"status": "approved", "reason": ""})
        services.application_decide(application=application, status="approved", by=staff)
    assert mail.outbox == []
    assert Notification.objects.filter(key__startswith=f"application:{application.pk}:").count() == 2


def test_notify_is_idempotent_per_change(staff, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, status="waitlisted", by=staff)
    assert len(mail.outbox) == 2
    keys = list(Notification.objects.values_list("key", flat=True))
    # Replaying the notices of that change sends nothing more.
    from companies.notifications import notify
    from companies.tasks import send_notification_email

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for notification in Notification.objects.all():
            assert notify(user=notification.user, key=notification.key, template="application_status") is None
            send_notification_email.delay(notification.pk)
    assert mail.outbox == []
    assert sorted(Notification.objects.values_list("key", flat=True)) == sorted(keys)
    # A later, different change notifies again.
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=application, status="approved", by=staff)
    assert len(mail.outbox) == 2


def test_reject_needs_a_reason_and_the_company_sees_it(client, staff, application, exhibitor_owner):
    client.force_login(staff)
    response = client.post(review_url(application), {"status": "rejected", "reason": ""})
    assert "Give a reason" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    client.post(review_url(application), {"status": "rejected", "reason": "Hall is full of injection moulds."})
    application.refresh_from_db()
    assert application.status == "rejected"
    client.force_login(exhibitor_owner)
    html = client.get(reverse("exhibitions:application", kwargs={"slug": application.exhibition.slug})).content.decode()
    assert "Hall is full of injection moulds." in html


def test_assign_booth_and_notify(client, staff, application, booths, django_capture_on_commit_callbacks):
    services.application_decide(application=application, status="approved", by=staff)
    b07 = next(b for b in booths if b.code == "B-07")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(assign_url(application), {"booth": b07.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.booth == b07
    assert any("B-07" in m.subject for m in mail.outbox)


def test_a_booth_never_holds_two_exhibitors(client, staff, exhibition, application, booths):
    services.application_decide(application=application, status="approved", by=staff)
    services.booth_assign(application=application, booth=booths[0], by=staff)
    rival = factories.ApplicationFactory(exhibition=exhibition, status="approved")
    client.force_login(staff)
    response = client.post(assign_url(rival), {"booth": booths[0].pk})
    assert response.status_code == 409
    assert "was just given to another exhibitor" in response.content.decode()
    rival.refresh_from_db()
    assert rival.booth is None


def test_booth_needs_an_approved_application_of_the_same_exhibition(staff, application, booths):
    with pytest.raises(services.ExhibitionError, match="Approve the application"):
        services.booth_assign(application=application, booth=booths[0], by=staff)
    services.application_decide(application=application, status="approved", by=staff)
    elsewhere = factories.BoothFactory()
    with pytest.raises(services.ExhibitionError, match="another exhibition"):
        services.booth_assign(application=application, booth=elsewhere, by=staff)


def test_waitlisting_frees_the_booth(staff, application, booths):
    services.application_decide(application=application, status="approved", by=staff)
    services.booth_assign(application=application, booth=booths[0], by=staff)
    services.application_decide(application=application, status="waitlisted", by=staff)
    application.refresh_from_db()
    assert application.booth is None and application.status == "waitlisted"


def test_withdrawn_application_cannot_be_decided(staff, application):
    services.application_withdraw(application=application, by=staff)
    with pytest.raises(services.ExhibitionError, match="withdrawn"):
        services.application_decide(application=application, status="approved", by=staff)


def test_review_query_count_fixed(client, staff, exhibition, assert_fixed_queries):
    client.force_login(staff)
    url = reverse("exhibitions:applications", kwargs={"slug": exhibition.slug})
    factories.ApplicationFactory.create_batch(5, exhibition=exhibition)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_fixed_queries(
        fetch, lambda: factories.ApplicationFactory.create_batch(195, exhibition=exhibition), at_most=8
    )
    assert fetch().context["page"].paginator.count == 200


def test_registration_list_query_count_fixed(client, staff, exhibition, assert_fixed_queries):
    client.force_login(staff)
    url = reverse("exhibitions:registrations", kwargs={"slug": exhibition.slug})
    factories.BuyerRegistrationFactory.create_batch(5, exhibition=exhibition)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_fixed_queries(
        fetch, lambda: factories.BuyerRegistrationFactory.create_batch(195, exhibition=exhibition), at_most=8
    )
    assert fetch().context["page"].paginator.count == 200


def test_exhibitor_cannot_review(client, exhibitor_owner, application):
    client.force_login(exhibitor_owner)
    assert client.post(review_url(application), {"status": "approved"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ExhibitorApplication.Status.SUBMITTED


def test_review_suggests_the_first_free_preferred_booth(client, staff, application, booths):
    by_code = {b.code: b for b in booths}
    application.preferred_booths.set([by_code["B-07"], by_code["B-08"]])
    services.application_decide(application=application, status="approved", by=staff)
    rival = factories.ApplicationFactory(exhibition=application.exhibition, status="approved", booth=by_code["B-07"])
    client.force_login(staff)
    response = client.get(review_url(application))
    assert response.context["assign_form"].initial["booth"] == by_code["B-08"].pk
    assert "taken" in response.content.decode()
    assert rival.booth == by_code["B-07"]


def test_a_booth_of_another_type_needs_a_tick(client, staff, exhibition, application):
    application.status = "approved"
    application.booth_kind = "corner"
    application.save()
    standard = factories.BoothFactory(exhibition=exhibition, code="S-01", kind="standard")
    client.force_login(staff)
    response = client.post(assign_url(application), {"booth": standard.pk})
    assert response.status_code == 409
    assert "asked for a Corner booth and S-01 is Standard" in response.content.decode()
    application.refresh_from_db()
    assert application.booth is None
    response = client.post(assign_url(application), {"booth": standard.pk, "other_type": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.booth == standard
