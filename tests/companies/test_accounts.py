"""Sign-up, email verification, onboarding and the login rate limit, through allauth's pages."""

import re

import pytest
from django.urls import reverse

from companies.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_sign_up_verify_email_then_onboarding(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "Mina@Example.KR", "password1": "molds-and-dies-42", "password2": "molds-and-dies-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="mina@example.kr").exists()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert b'class="card allauth-form"' in page.content  # our styled form element
    response = client.post("/" + path)
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:onboarding")
    onboarding = client.get(response["Location"])
    assert onboarding.status_code == 200
    assert reverse("companies:create") + "?kind=exhibitor" in onboarding.content.decode()


def test_unverified_person_cannot_log_in(client):
    from allauth.account.models import EmailAddress

    user = factories.UserFactory(email="new@example.com")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_page_has_labels_field_errors_and_big_buttons(client):
    factories.UserFactory(email="kim@example.com")
    response = client.post(reverse("account_login"), {"login": "kim@example.com", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_login"' in html
    assert 'class="errorlist nonfield"' in html
    assert 'class="button prominent"' in html
    assert re.search(r"<title>\s*Sign In\s*· Fairlink</title>", html)


def test_login_rate_limit_refuses_even_the_right_password(client, settings):
    factories.UserFactory(email="lee@example.com")
    limit = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per 5 minutes per account
    assert f"{limit}/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    for _ in range(limit):
        response = client.post(reverse("account_login"), {"login": "lee@example.com", "password": "nope"})
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(reverse("account_login"), {"login": "lee@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_below_the_limit(client):
    factories.UserFactory(email="park@example.com")
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "park@example.com", "password": "nope"})
    response = client.post(reverse("account_login"), {"login": "park@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(("language", "expected"), [("ja", "ログイン"), ("ko", "로그인")])
def test_account_pages_are_translated(client, language, expected):
    client.cookies["django_language"] = language
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_email", "account_change_password"],
)
def test_account_pages_render_in_our_layout(client, outsider, name):
    if name in ("account_email", "account_change_password"):
        client.force_login(outsider)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="topbar"' in html  # base.html around it
    assert 'class="card allauth-form"' in html


def test_password_reset_sends_a_working_link(client, mailoutbox):
    factories.UserFactory(email="yoon@example.com")
    client.post(reverse("account_reset_password"), {"email": "yoon@example.com"})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/", mailoutbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    done = client.post(form_url, {"password1": "new-secret-mould-7", "password2": "new-secret-mould-7"})
    assert done.status_code == 302
    assert User.objects.get(email="yoon@example.com").check_password("new-secret-mould-7")
