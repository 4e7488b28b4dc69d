from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sends a newly signed-up person on to create or join a company."""

    def get_signup_redirect_url(self, request):
        return reverse("companies:onboarding")

    def get_email_verification_redirect_url(self, email_address):
        return reverse("companies:onboarding")
