"""A person's profile and language: set at sign-up, followed by the switcher, editable; the
optional emails a person turned off stay in the app and are not mailed."""

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from companies.models import Notification, User
from companies.notifications import notify
from tests import factories

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "mina@example.kr", "password1": "molds-and-dies-42", "password2": "molds-and-dies-42"}


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_sign_up_keeps_the_language_in_use(client, language):
    client.cookies["django_language"] = language
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.get(email="mina@example.kr").preferred_language == language


def test_switching_language_when_signed_in_changes_the_preferred_language(client):
    user = factories.UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "ja"


def test_switching_language_anonymously_still_works(client):
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "ko"


def test_profile_saves_name_title_phone_language_and_emails(client):
    user = factories.UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post(
        reverse("companies:profile"),
        {
            "full_name": "Tanaka Hiroshi",
            "job_title": "Purchasing manager",
            "phone": "+81 3-1234-5678",
            "preferred_language": "ja",
            "emails": ["suggestions"],
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.job_title, user.phone, user.preferred_language) == (
        "Tanaka Hiroshi",
        "Purchasing manager",
        "+81 3-1234-5678",
        "ja",
    )
    assert user.email_opt_outs == ["reminders"]
    assert response.cookies["django_language"].value == "ja"


def test_profile_refuses_a_bad_phone_and_keeps_the_rest(client):
    user = factories.UserFactory(full_name="Kim")
    client.force_login(user)
    data = {"full_name": "Kim Min-jun", "job_title": "CEO", "phone": "call me maybe", "preferred_language": "ko"}
    response = client.post(reverse("companies:profile"), data)
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert 'value="Kim Min-jun"' in response.content.decode()  # nothing typed is lost
    user.refresh_from_db()
    assert user.full_name == "Kim"


def test_opted_out_email_stays_in_the_app_but_is_not_mailed(mailoutbox, django_capture_on_commit_callbacks):
    user = factories.UserFactory(email_opt_outs=["reminders"])
    with django_capture_on_commit_callbacks(execute=True):
        kept = notify(user=user, key="k1", template="meeting_reminder", context={}, url="")
        always = notify(user=user, key="k2", template="meeting_cancelled", context={}, url="")
    assert kept.email_skipped and not Notification.objects.get(pk=always.pk).email_skipped
    assert Notification.objects.filter(user=user).count() == 2
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_site_is_named_from_settings(settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain != "example.com" and site.name == settings.SITE_NAME
