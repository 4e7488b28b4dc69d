"""Email digests of unread messages: one email per person per beat run, never one per message.

`build_digests` (beat, every `DIGEST_EVERY` seconds) finds each person's new messages that they
have neither read nor been sent, and records them as one MessageDigest with its items, in one
transaction per person. `MessageDigestItem`'s unique (user, message) makes a second run, or
two runs at once, unable to include a message twice: the loser's transaction rolls back.
The email itself goes out through the outbox (`conversations.send_digest_email`), claimed
like a notice (companies/mailing.py) and rendered in the recipient's language when it is
sent, with the messages they read in the meantime left out (all read: it is skipped).

Who gets a digest of a conversation: every person of the buyer and exhibitor companies and
the organisers who wrote in it, except a message's author. Interpreters read along by their
link and get no email.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from companies import mailing, outbox
from companies.models import Membership, User
from exhibitions.models import ConversationRead, Message, MessageDigest, MessageDigestItem

DIGEST_EVERY = 600  # seconds, in CELERY_BEAT_SCHEDULE
# Messages older than this never go out by email (a person away for a week reads them online).
LOOKBACK = timedelta(days=3)
# Quoted in the email up to this many characters; the rest is on the page.
QUOTE_LENGTH = 500


def _recipients(conversations):
    """{conversation id: {user id}}: the two companies' people and the organisers who wrote."""
    companies = defaultdict(set)
    for c in conversations:
        companies[c.buyer_id].add(c.pk)
        companies[c.exhibitor_id].add(c.pk)
    people = defaultdict(set)
    for user_id, company_id in Membership.objects.filter(
        company_id__in=list(companies), user__is_active=True
    ).values_list("user_id", "company_id"):
        for conversation_id in companies[company_id]:
            people[conversation_id].add(user_id)
    staff_authors = (
        Message.objects.filter(conversation_id__in=[c.pk for c in conversations], author__is_active=True)
        .filter(Q(author__cooperative__isnull=False) | Q(author__is_superuser=True))
        .values_list("conversation_id", "author_id")
        .distinct()
    )
    for conversation_id, user_id in staff_authors:
        people[conversation_id].add(user_id)
    return people


def pending(now=None):
    """{user id: [message ids]}: the messages of the last `LOOKBACK` that each person has not
    written, read, nor been sent. Five queries, whatever the numbers."""
    now = now or timezone.now()
    messages = list(
        Message.objects.filter(created_at__gt=now - LOOKBACK, created_at__lte=now)
        .select_related("conversation")
        .only("pk", "author_id", "conversation__buyer_id", "conversation__exhibitor_id")
        .order_by("pk")
    )
    if not messages:
        return {}
    conversations = {m.conversation_id: m.conversation for m in messages}
    people = _recipients(list(conversations.values()))
    read = {
        (conversation_id, user_id): last
        for conversation_id, user_id, last in ConversationRead.objects.filter(
            conversation_id__in=list(conversations)
        ).values_list("conversation_id", "user_id", "last_read_id")
    }
    sent = set(
        MessageDigestItem.objects.filter(message_id__in=[m.pk for m in messages]).values_list("user_id", "message_id")
    )
    due = defaultdict(list)
    for message in messages:
        for user_id in people.get(message.conversation_id, ()):
            if user_id == message.author_id or (user_id, message.pk) in sent:
                continue
            if read.get((message.conversation_id, user_id), 0) >= message.pk:
                continue
            due[user_id].append(message.pk)
    return dict(due)


def build_digests(now=None):
    """Record one digest per person with unread, unsent messages and queue its email.

    Side effects: per person, a MessageDigest, its MessageDigestItems and an outbox task
    `conversations.send_digest_email`, in one transaction (all or nothing). Returns how many
    digests were made."""
    made = 0
    for user_id, message_ids in pending(now).items():
        try:
            with transaction.atomic():
                digest = MessageDigest.objects.create(user_id=user_id)
                MessageDigestItem.objects.bulk_create(
                    [MessageDigestItem(digest=digest, user_id=user_id, message_id=pk) for pk in message_ids]
                )
                outbox.enqueue("conversations.send_digest_email", args=[digest.pk])
        except IntegrityError:
            continue  # another run took (some of) these messages for this person at the same moment
        made += 1
    return made


def unsent_digest_ids(older_than=timedelta(minutes=2)):
    """Digests whose email task was lost (like notifications.unsent_notification_ids)."""
    now = timezone.now()
    return list(
        MessageDigest.objects.filter(
            emailed_at__isnull=True,
            skipped_at__isnull=True,
            created_at__lt=now - older_than,
            email_attempts__lt=mailing.MAX_EMAIL_ATTEMPTS,
        )
        .exclude(email_claimed_at__gt=now - mailing.CLAIM_EXPIRES)
        .values_list("pk", flat=True)[:500]
    )


def conversation_url(conversation):
    """Where a conversation is read: the meeting page, or the pair's wish conversation page."""
    slug = conversation.exhibition.slug
    if conversation.meeting_id:
        return (
            reverse("exhibitions:meetings_detail", kwargs={"slug": slug, "pk": conversation.meeting_id})
            + "#conversation"
        )
    return reverse(
        "exhibitions:wish_conversation",
        kwargs={"slug": slug, "buyer": conversation.buyer.ref, "exhibitor": conversation.exhibitor.ref},
    )


def unread_items(digest):
    """The digest's messages the person still has not read, oldest first, with their conversations."""
    messages = list(
        Message.objects.filter(pk__in=MessageDigestItem.objects.filter(digest=digest).values("message_id"))
        .select_related("author", "conversation__exhibition", "conversation__buyer", "conversation__exhibitor")
        .order_by("conversation_id", "created_at", "pk")
    )
    read = dict(
        ConversationRead.objects.filter(
            user_id=digest.user_id, conversation_id__in={m.conversation_id for m in messages}
        ).values_list("conversation_id", "last_read_id")
    )
    return [m for m in messages if read.get(m.conversation_id, 0) < m.pk]


def digest_context(messages, base_url=""):
    """Template context: `conversations` [{title parts, url, messages: [{author, when, body}]}]
    with times in each exhibition's time zone. Call inside the reader's language."""
    groups = {}
    for message in messages:
        conversation = message.conversation
        group = groups.get(conversation.pk)
        if group is None:
            exhibition = conversation.exhibition
            group = groups[conversation.pk] = {
                "kind": "meeting" if conversation.meeting_id else "wish",
                "buyer": conversation.buyer.name,
                "exhibitor": conversation.exhibitor.name,
                "exhibition": exhibition.title,
                "timezone": exhibition.timezone,
                "url": (base_url or "").rstrip("/") + conversation_url(conversation),
                "messages": [],
            }
        when = timezone.localtime(message.created_at, conversation.exhibition.tzinfo)
        body = message.body if len(message.body) <= QUOTE_LENGTH else message.body[:QUOTE_LENGTH] + "…"
        group["messages"].append(
            {
                "author": message.author.display_name if message.author else "—",
                "when": when.strftime("%Y-%m-%d %H:%M"),
                "body": body,
            }
        )
    return {"conversations": list(groups.values()), "messages": messages}


def render_digest(digest, messages, base_url=""):
    """(subject, body) in the recipient's language."""
    language = digest.user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = digest_context(messages, base_url)
        subject = render_to_string("notifications/conversation_digest_subject.txt", context).strip()
        body = render_to_string("notifications/conversation_digest_body.txt", context).strip()
    return " ".join(subject.split()), body


def send_digest(digest_id, *, base_url=""):
    """Email one digest unless it was sent, skipped or is being sent (claim, then send).

    Side effects: one email, or `skipped_at` when the person has read every message in it
    since; the claim fields as for notices. Raises mailing.EmailNotSent so the task retries."""
    digest = mailing.claim(MessageDigest, digest_id)
    if digest is None:
        return False
    if digest.skipped_at is not None:
        return False
    messages = unread_items(digest)
    if not messages:
        MessageDigest.objects.filter(pk=digest.pk).update(skipped_at=timezone.now(), email_claimed_at=None)
        return False
    user = User.objects.get(pk=digest.user_id)
    digest.user = user
    subject, body = render_digest(digest, messages, base_url)
    return mailing.send(MessageDigest, digest, subject=subject, body=body, to=user.email, kind="digest")
