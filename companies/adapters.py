from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sends a newly signed-up person on to create or join a company."""

    def get_signup_redirect_url(self, request):
        return reverse("companies:onboarding")

    def get_email_verification_redirect_url(self, email_address):
        return reverse("companies:onboarding")

    def save_user(self, request, user, form, commit=True):
        """A new person speaks the language they signed up in (emails and calendars follow)."""
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)
