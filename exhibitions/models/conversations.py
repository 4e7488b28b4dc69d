"""Conversations: short messages between a buyer and an exhibitor (any of their people) and
the staff of the show's cooperative, one per meeting and one per mutual-wish pair.

Read state is kept per person (`ConversationRead`); emails go out as digests
(`MessageDigest`), each recording the messages it included, so that no message is ever
mailed twice to the same person (`MessageDigestItem`'s constraint). See docs/conversations.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company

from .exhibitions import Exhibition
from .meetings import Meeting


class Conversation(models.Model):
    """One thread between two companies at a show. `meeting` set: the meeting's conversation
    (one per meeting); empty: the pair's mutual-wish conversation (one per pair and show).
    Created with the first message, never on a page view."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="conversations")
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    exhibitor = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            # The meeting's own is unique through the one-to-one field.
            models.UniqueConstraint(
                fields=["exhibition", "buyer", "exhibitor"],
                condition=Q(meeting__isnull=True),
                name="one_wish_conversation_per_pair",
            ),
            models.CheckConstraint(name="conversation_between_two_companies", condition=~Q(buyer=F("exhibitor"))),
        ]

    def __str__(self):
        return f"{self.buyer} × {self.exhibitor}" + (f" (meeting {self.meeting_id})" if self.meeting_id else "")


class Message(models.Model):
    """One short message. The body limit is a constraint too, so no path can store a longer one."""

    MAX_LENGTH = 2000

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"]),
            # The rate limits count a person's recent messages.
            models.Index(fields=["author", "created_at"]),
            # The digest reads the last days' messages.
            models.Index(fields=["created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="message_body_length",
                condition=Q(GreaterThan(Length("body"), 0)) & Q(LessThanOrEqual(Length("body"), 2000)),
            ),
        ]

    def __str__(self):
        return f"{self.conversation_id}: {self.body[:40]}"


class ConversationRead(models.Model):
    """How far one person has read a conversation: every message up to `last_read_id`."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_read_state_per_person")]

    def __str__(self):
        return f"{self.user_id} read {self.conversation_id} to {self.last_read_id}"


class MessageDigest(models.Model):
    """One digest email to one person, listing the unread messages in `items`. Sent like a
    notice (companies/mailing.py: claim, then send); `skipped_at` when everything in it was
    read before it went out."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("message digest")
        verbose_name_plural = _("message digests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"digest {self.pk} to {self.user_id}"


class MessageDigestItem(models.Model):
    """A message included in a person's digest: at most once per person, whatever runs twice."""

    digest = models.ForeignKey(MessageDigest, on_delete=models.CASCADE, related_name="items")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="message_digested_once_per_person")]

    def __str__(self):
        return f"{self.message_id} → {self.user_id}"
