"""Webhook endpoints of a cooperative, the events that happened, and one delivery per event
and endpoint (a database constraint), with a row per HTTP attempt for the delivery log."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    MEETING_CONFIRMED = "meeting.confirmed", _("A meeting is confirmed")
    MEETING_CANCELLED = "meeting.cancelled", _("A meeting is cancelled")
    APPLICATION_DECIDED = "application.decided", _("An exhibitor application is decided")
    RUN_FINISHED = "run.finished", _("A matcher or scheduler run finishes")


# Sent by the "send test event" button only; nobody subscribes to it.
PING = "ping"


class WebhookEndpoint(models.Model):
    """An HTTPS URL of a cooperative's own system and the events it wants.

    The secret is stored as it is (not hashed): Fairlink needs it to sign every delivery
    with HMAC-SHA256. It is shown once, when the endpoint is made; later pages show its
    first characters only."""

    cooperative = models.ForeignKey(
        "companies.Cooperative", verbose_name=_("cooperative"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url

    @property
    def secret_hint(self):
        return f"{self.secret[:10]}…"

    def event_labels(self):
        labels = dict(EventType.choices)
        return [labels.get(event, event) for event in self.events]


class WebhookEvent(models.Model):
    """Something that happened in a cooperative's exhibition, as the payload says it.
    Written in the same transaction as the change itself."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cooperative = models.ForeignKey("companies.Cooperative", on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.type} {self.public_id}"

    @property
    def event_id(self):
        return f"evt_{self.public_id.hex}"


class WebhookDelivery(models.Model):
    """One event for one endpoint: sent until it succeeds or MAX_ATTEMPTS are spent.

    A worker claims it with a conditional UPDATE (status pending and due -> sending), so two
    workers given the same task (the outbox delivers at least once) send it once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker that dies while sending leaves the row `sending`; after this it may be retaken.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_one_delivery_per_event_endpoint"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="webhook_delivery_due", condition=Q(status__in=["pending", "sending"])
            ),
        ]

    def __str__(self):
        return f"{self.event} -> {self.endpoint}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what came back and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_one_attempt_per_number"),
        ]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
