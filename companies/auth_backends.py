"""Authentication backends that load a signed-in person with their membership and company in
one query: every page for a company member reads `user.company` (navigation, permissions),
and Django's own backends would fetch the user and then, lazily, the membership."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from .models import Membership


class MembershipLoadingMixin:
    def get_user(self, user_id):
        """The user with `membership` already loaded (None for someone in no company):
        one query for a member, two for staff and admins, who have no membership."""
        membership = Membership.objects.select_related("user", "company").filter(user_id=user_id).first()
        if membership is None:
            user = super().get_user(user_id)
            if user is not None:
                user._membership_cache = None
            return user
        user = membership.user
        user._membership_cache = membership
        return user if self.user_can_authenticate(user) else None


class MembershipModelBackend(MembershipLoadingMixin, ModelBackend):
    """django.contrib.auth's ModelBackend (password logins, force_login)."""


class MembershipAuthenticationBackend(MembershipLoadingMixin, AuthenticationBackend):
    """allauth's backend (email logins)."""
