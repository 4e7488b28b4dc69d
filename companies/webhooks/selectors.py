"""Reads of the webhook pages and API: a person's endpoints and an endpoint's delivery log."""

from .models import WebhookAttempt, WebhookEndpoint


def endpoints_for(user):
    """The endpoints `user` manages: their cooperative's; every cooperative's for admins."""
    endpoints = WebhookEndpoint.objects.select_related("cooperative").order_by("pk")
    if user.is_superuser:
        return endpoints
    return endpoints.filter(cooperative_id=user.cooperative_id) if user.cooperative_id else endpoints.none()


def attempts_of(endpoint):
    """The endpoint's delivery log, newest first: every HTTP attempt with its event."""
    return (
        WebhookAttempt.objects.filter(delivery__endpoint=endpoint)
        .select_related("delivery__event")
        .order_by("-started_at", "-pk")
    )
