"""Buyers register to visit; staff approve or reject; one registration per buyer."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from exhibitions import services
from exhibitions.models import BuyerRegistration
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(buyer_owner):
    buyer_owner.company.hs_codes.set(["848071", "8480"])
    buyer_owner.preferred_language = "ja"
    buyer_owner.save()
    return buyer_owner


def register_url(exhibition):
    return reverse("exhibitions:register", kwargs={"slug": exhibition.slug})


def registration_post(exhibition, **overrides):
    data = {
        "visit_days": [exhibition.days[0].isoformat(), exhibition.days[2].isoformat()],
        "sourcing": ["848071"],
        "sourcing_notes": "Injection moulds for car lamps",
        "languages": ["ja", "en"],
        "visitors": "3",
    }
    data.update(overrides)
    return data


def test_buyer_registers(client, exhibition, buyer):
    client.force_login(buyer)
    page = client.get(register_url(exhibition))
    assert len(page.context["form"].fields["visit_days"].choices) == 3
    response = client.post(register_url(exhibition), registration_post(exhibition))
    assert response.status_code == 302
    registration = BuyerRegistration.objects.get(exhibition=exhibition, company=buyer.company)
    assert registration.status == "pending"
    assert registration.visit_days == [exhibition.days[0].isoformat(), exhibition.days[2].isoformat()]
    assert [c.code for c in registration.sourcing.all()] == ["848071"]
    assert (registration.languages, registration.visitors) == ("ja en", 3)


def test_bad_registration_is_named(client, exhibition, buyer):
    client.force_login(buyer)
    response = client.post(
        register_url(exhibition),
        registration_post(exhibition, visit_days=["1999-01-01"], visitors="0", sourcing=[], sourcing_notes=""),
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"visit_days", "visitors", "sourcing_notes"}
    assert not BuyerRegistration.objects.exists()


def test_one_registration_per_buyer(client, exhibition, buyer):
    services.registration_submit(exhibition=exhibition, company=buyer.company, by=buyer, data={"visitors": 1})
    client.force_login(buyer)
    assert client.get(register_url(exhibition)).status_code == 302
    with pytest.raises(services.ExhibitionError, match="already registered"):
        services.registration_submit(exhibition=exhibition, company=buyer.company, by=buyer, data={})
    with pytest.raises(IntegrityError):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer.company)


def test_exhibitors_and_outsiders_cannot_register(client, exhibition, exhibitor_owner, outsider):
    for person in (exhibitor_owner, outsider):
        client.force_login(person)
        assert client.get(register_url(exhibition)).status_code == 404
        assert client.get(reverse("exhibitions:registration", kwargs={"slug": exhibition.slug})).status_code == 404


def test_buyer_edits_while_pending_only(client, exhibition, buyer, staff):
    registration = services.registration_submit(
        exhibition=exhibition, company=buyer.company, by=buyer, data={"visitors": 1, "languages": "ja"}
    )
    client.force_login(buyer)
    url = reverse("exhibitions:registration", kwargs={"slug": exhibition.slug})
    assert client.post(url, registration_post(exhibition, visitors="5")).status_code == 302
    registration.refresh_from_db()
    assert registration.visitors == 5
    services.registration_decide(registration=registration, status="approved", by=staff)
    client.post(url, registration_post(exhibition, visitors="9"))
    registration.refresh_from_db()
    assert registration.visitors == 5


def test_other_buyer_sees_only_its_own(client, exhibition, buyer, other_buyer):
    services.registration_submit(
        exhibition=exhibition, company=buyer.company, by=buyer, data={"sourcing_notes": "Secret sourcing plan"}
    )
    client.force_login(other_buyer)
    response = client.get(reverse("exhibitions:registration", kwargs={"slug": exhibition.slug}))
    assert response.status_code == 302  # to its own registration form
    assert "Secret sourcing plan" not in client.get(response["Location"]).content.decode()


def test_staff_approve_and_reject_with_email(client, staff, exhibition, buyer, django_capture_on_commit_callbacks):
    registration = services.registration_submit(exhibition=exhibition, company=buyer.company, by=buyer, data={})
    client.force_login(staff)
    url = reverse("exhibitions:registration_review", kwargs={"slug": exhibition.slug, "pk": registration.pk})
    response = client.post(url, {"status": "rejected", "reason": ""})
    assert "Give a reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"status": "approved"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert len(mail.outbox) == 1
    assert exhibition.title_ja in mail.outbox[0].subject  # the buyer reads Japanese
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(registration=registration, status="approved", by=staff)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "rejected", "reason": "Not a mould buyer"})
    assert len(mail.outbox) == 2
    assert "Not a mould buyer" in mail.outbox[1].body


def test_buyer_cannot_review(client, exhibition, buyer):
    registration = factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer.company, status="pending")
    client.force_login(buyer)
    url = reverse("exhibitions:registration_review", kwargs={"slug": exhibition.slug, "pk": registration.pk})
    assert client.post(url, {"status": "approved"}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "pending"


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_sourcing_is_named_in_the_readers_language_on_form_page_and_staff_review(
    client, exhibition, buyer, staff, language
):
    from django.utils.html import escape

    from companies.models import HSCode

    label = escape(HSCode.objects.get(code="848071").label(language))
    client.force_login(buyer)
    assert label in client.get(register_url(exhibition), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    client.post(register_url(exhibition), registration_post(exhibition))
    page = client.get(
        reverse("exhibitions:registration", kwargs={"slug": exhibition.slug}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert label in page.content.decode()
    registration = BuyerRegistration.objects.get(exhibition=exhibition, company=buyer.company)
    client.force_login(staff)
    review = reverse("exhibitions:registration_review", kwargs={"slug": exhibition.slug, "pk": registration.pk})
    assert label in client.get(review, HTTP_ACCEPT_LANGUAGE=language).content.decode()
