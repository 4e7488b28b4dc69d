"""An exhibitor company applies for a booth, views, changes and withdraws its application."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from exhibitions import services
from exhibitions.models import ExhibitorApplication
from tests import factories

pytestmark = pytest.mark.django_db


def application_post(**overrides):
    data = {
        "booth_kind": "corner",
        "preferred_booths": "b-07, B-08",
        "products": ["848071"],
        "stand_languages": ["ko", "ja"],
        "needs_interpreter": "on",
        "needs_power": "on",
        "notes": "Two tables, please.",
        "reps-TOTAL_FORMS": "2",
        "reps-INITIAL_FORMS": "0",
        "reps-MIN_NUM_FORMS": "0",
        "reps-MAX_NUM_FORMS": "20",
        "reps-0-name": "Kim Min-jun",
        "reps-0-role": "CEO",
        "reps-0-email": "kim@mold.example",
        "reps-0-languages": ["ko", "en"],
        "reps-1-name": "Sato Yui",
        "reps-1-role": "Interpreter",
        "reps-1-languages": ["ja", "ko"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def exhibitor(exhibitor_owner):
    exhibitor_owner.company.hs_codes.set(["848071", "848041"])
    return exhibitor_owner


def apply_url(exhibition):
    return reverse("exhibitions:apply", kwargs={"slug": exhibition.slug})


def test_exhibitor_applies_with_representatives(client, exhibition, booths, exhibitor):
    client.force_login(exhibitor)
    page = client.get(apply_url(exhibition))
    # Products come from the company's own HS codes only.
    assert [c.code for c in page.context["form"].fields["products"].queryset] == ["848041", "848071"]
    response = client.post(apply_url(exhibition), application_post())
    assert response.status_code == 302
    application = ExhibitorApplication.objects.get(exhibition=exhibition, company=exhibitor.company)
    assert application.status == "submitted"
    assert application.booth_kind == "corner"
    assert application.stand_languages == "ko ja"
    assert application.needs_interpreter and application.needs_power and not application.needs_furniture
    assert sorted(b.code for b in application.preferred_booths.all()) == ["B-07", "B-08"]
    assert [c.code for c in application.products.all()] == ["848071"]
    reps = list(application.representatives.values_list("name", "role", "languages"))
    assert reps == [("Kim Min-jun", "CEO", "ko en"), ("Sato Yui", "Interpreter", "ja ko")]
    assert application.submitted_by == exhibitor


def test_products_outside_the_company_codes_are_refused(client, exhibition, booths, exhibitor):
    client.force_login(exhibitor)
    response = client.post(apply_url(exhibition), application_post(products=["010121"]))
    assert "products" in response.context["form"].errors
    assert not ExhibitorApplication.objects.exists()


def test_bad_input_is_named_and_kept(client, exhibition, booths, exhibitor):
    client.force_login(exhibitor)
    data = application_post(
        preferred_booths="B-07, Q-99", **{"reps-0-name": "", "reps-1-name": "", "reps-0-email": "not-an-email"}
    )
    response = client.post(apply_url(exhibition), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No such booth in this exhibition: Q-99" in html
    assert "Enter a valid email address" in html
    assert "Two tables, please." in html
    assert not ExhibitorApplication.objects.exists()


def test_at_least_one_representative(client, exhibition, booths, exhibitor):
    client.force_login(exhibitor)
    data = application_post(
        **{
            "reps-0-name": "",
            "reps-0-role": "",
            "reps-0-email": "",
            "reps-0-languages": [],
            "reps-1-name": "",
            "reps-1-role": "",
            "reps-1-languages": [],
        }
    )
    response = client.post(apply_url(exhibition), data)
    assert "at least one representative" in response.content.decode()
    assert not ExhibitorApplication.objects.exists()


def test_one_application_per_company(client, exhibition, booths, exhibitor, exhibitor_colleague):
    client.force_login(exhibitor)
    client.post(apply_url(exhibition), application_post())
    # The colleague is sent to the existing application.
    client.force_login(exhibitor_colleague)
    response = client.get(apply_url(exhibition))
    assert response.status_code == 302
    assert response["Location"] == reverse("exhibitions:application", kwargs={"slug": exhibition.slug})
    # A racing second submission hits the constraint; the service says so clearly.
    with pytest.raises(services.ExhibitionError) as caught:
        services.application_submit(
            exhibition=exhibition,
            company=exhibitor.company,
            by=exhibitor_colleague,
            data={},
            representatives=[{"name": "X"}],
        )
    assert "already applied" in str(caught.value.message)
    assert ExhibitorApplication.objects.count() == 1


def test_database_refuses_two_applications():
    application = factories.ApplicationFactory()
    with pytest.raises(IntegrityError):
        factories.ApplicationFactory(exhibition=application.exhibition, company=application.company)


def test_buyers_cannot_apply(client, exhibition, buyer_owner, outsider):
    for person in (buyer_owner, outsider):
        client.force_login(person)
        assert client.get(apply_url(exhibition)).status_code == 404
        assert client.post(apply_url(exhibition), application_post()).status_code == 404
    with pytest.raises(services.ExhibitionError):
        services.application_submit(exhibition=exhibition, company=buyer_owner.company, by=buyer_owner, data={})
    assert not ExhibitorApplication.objects.exists()


def test_anonymous_is_asked_to_log_in(client, exhibition):
    response = client.get(apply_url(exhibition))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_no_application_after_the_deadline(client, exhibition, booths, exhibitor):
    after = datetime.datetime.combine(exhibition.application_deadline + datetime.timedelta(days=1), datetime.time(12))
    with time_machine.travel(after.replace(tzinfo=datetime.UTC), tick=False):
        client.force_login(exhibitor)
        response = client.post(apply_url(exhibition), application_post())
        assert "does not accept applications" in response.content.decode()
    assert not ExhibitorApplication.objects.exists()


def test_no_application_when_not_open(client, exhibition, booths, exhibitor):
    exhibition.status = "closed"
    exhibition.save()
    client.force_login(exhibitor)
    response = client.post(apply_url(exhibition), application_post())
    assert "does not accept applications" in response.content.decode()
    assert not ExhibitorApplication.objects.exists()


def test_pending_company_cannot_apply(client, exhibition, booths, exhibitor):
    exhibitor.company.status = "pending"
    exhibitor.company.save()
    client.force_login(exhibitor)
    assert "must be approved" in client.get(apply_url(exhibition)).content.decode()
    response = client.post(apply_url(exhibition), application_post(products=[]))
    assert "must be approved" in response.content.decode()
    assert not ExhibitorApplication.objects.exists()


@pytest.fixture
def application(exhibition, booths, exhibitor):
    application = services.application_submit(
        exhibition=exhibition,
        company=exhibitor.company,
        by=exhibitor,
        data={"booth_kind": "standard", "stand_languages": "ko"},
        representatives=[{"name": "Kim Min-jun", "role": "CEO", "languages": "ko"}],
    )
    return application


def test_colleague_sees_and_edits_application(client, exhibition, application, exhibitor_colleague):
    client.force_login(exhibitor_colleague)
    page = client.get(reverse("exhibitions:application", kwargs={"slug": exhibition.slug}))
    assert "Kim Min-jun" in page.content.decode()
    edit_url = reverse("exhibitions:application_edit", kwargs={"slug": exhibition.slug})
    form_page = client.get(edit_url)
    assert form_page.context["formset"].forms[0].initial["name"] == "Kim Min-jun"
    data = application_post(
        booth_kind="premium", products=[], **{"reps-TOTAL_FORMS": "1", "reps-0-name": "Lee Seo-yeon"}
    )
    assert client.post(edit_url, data).status_code == 302
    application.refresh_from_db()
    assert application.booth_kind == "premium"
    assert list(application.representatives.values_list("name", flat=True)) == ["Lee Seo-yeon"]


def test_other_exhibitor_never_sees_the_application(client, exhibition, application, other_exhibitor):
    client.force_login(other_exhibitor)
    page = client.get(reverse("exhibitions:application", kwargs={"slug": exhibition.slug}))
    # Their own (missing) application: sent to apply, never shown someone else's.
    assert page.status_code == 302
    assert client.get(reverse("exhibitions:application_edit", kwargs={"slug": exhibition.slug})).status_code == 404
    assert client.post(reverse("exhibitions:application_withdraw", kwargs={"slug": exhibition.slug})).status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"
    review = reverse("exhibitions:application_review", kwargs={"slug": exhibition.slug, "pk": application.pk})
    assert client.get(review).status_code == 404


def test_withdraw_while_submitted_only(client, exhibition, application, exhibitor, staff):
    client.force_login(exhibitor)
    url = reverse("exhibitions:application_withdraw", kwargs={"slug": exhibition.slug})
    client.post(url)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    decided = factories.ApplicationFactory(exhibition=exhibition, status="approved")
    with pytest.raises(services.ExhibitionError):
        services.application_withdraw(application=decided, by=staff)


def test_decided_application_cannot_be_edited(client, exhibition, application, exhibitor, staff):
    services.application_decide(application=application, status="approved", by=staff)
    client.force_login(exhibitor)
    edit_url = reverse("exhibitions:application_edit", kwargs={"slug": exhibition.slug})
    response = client.post(edit_url, application_post(products=[]))
    assert "can no longer be changed" in response.content.decode()
    application.refresh_from_db()
    assert application.booth_kind == "standard"


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_products_are_named_in_the_readers_language_on_form_page_and_staff_review(
    client, exhibition, booths, exhibitor, staff, language
):
    from django.utils.html import escape

    from companies.models import HSCode

    mould = HSCode.objects.get(code="848071")
    label = escape(mould.label(language))
    assert mould.name_in(language) != mould.description
    client.force_login(exhibitor)
    assert label in client.get(apply_url(exhibition), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    client.post(apply_url(exhibition), application_post())
    page = client.get(
        reverse("exhibitions:application", kwargs={"slug": exhibition.slug}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert label in page.content.decode()
    application = ExhibitorApplication.objects.get(exhibition=exhibition, company=exhibitor.company)
    client.force_login(staff)
    review = reverse("exhibitions:application_review", kwargs={"slug": exhibition.slug, "pk": application.pk})
    assert label in client.get(review, HTTP_ACCEPT_LANGUAGE=language).content.decode()
