"""Personal API tokens: create, authenticate, revoke. The secret is random, shown once, and
only its sha256 is stored, so a leaked database does not leak working tokens."""

import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "flk_"  # noqa: S105 -- a public marker that tells a Fairlink token apart, not a secret
# A token's last use is written at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user, name, scope):
    """Make a token for `user`; returns (token, secret). Side effects: one ApiToken row. The
    secret is not stored and cannot be shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, prefix=secret[: len(TOKEN_PREFIX) + 6], key_hash=hash_secret(secret)
    )
    return token, secret


def api_token_revoke(*, token):
    """Revoke a token at once. Side effects: sets revoked_at; the token stops working."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(secret):
    """The active token for `secret` with its user, or None. Side effects: records the last use
    (at most once a minute per token)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user)
