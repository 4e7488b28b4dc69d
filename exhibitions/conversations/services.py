"""Writes about conversations: posting a message (with its limits) and marking read.

Limits against spam, per person (docs/conversations.md says why these numbers):
- a message is 1 to `Message.MAX_LENGTH` characters (a database constraint too);
- at most `PER_MINUTE` messages a minute, across all conversations;
- at most `PER_DAY_PER_CONVERSATION` messages in one conversation in any 24 hours;
- nothing new in the conversation of a declined, cancelled or expired meeting, nor in a
  wish conversation once the wish is no longer mutual (the messages stay readable).
The author's user row is locked while posting, so two tabs cannot both slip under a limit.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import User
from exhibitions.models import Conversation, ConversationRead, Meeting, Message, Wish
from exhibitions.wishes.selectors import MUTUAL

PER_MINUTE = 10
PER_DAY_PER_CONVERSATION = 50
# A meeting in one of these states is over before it happened: its thread is read-only.
CLOSED_MEETING_STATES = ("declined", "cancelled", "expired")


class MessageRefused(Exception):
    """Why a message was not posted, as a sentence for the form."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def is_mutual(*, exhibition, buyer, exhibitor):
    """Both sides wish to meet (must or want), now."""
    wishes = Wish.objects.filter(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor).values_list("by", "priority")
    found = dict(wishes)
    return found.get(Wish.By.BUYER) in MUTUAL and found.get(Wish.By.EXHIBITOR) in MUTUAL


def closed_reason(*, meeting=None, exhibition=None, buyer=None, exhibitor=None):
    """Why no message may be posted now ("" when it may)."""
    if meeting is not None:
        if meeting.status in CLOSED_MEETING_STATES:
            return _("The meeting is closed (%(status)s): the messages stay readable, but no new ones can be sent.") % {
                "status": meeting.get_status_display()
            }
        return ""
    if not is_mutual(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor):
        return _("The wish to meet is no longer mutual: the messages stay readable, but no new ones can be sent.")
    return ""


def _check_limits(author, conversation_id, now):
    recent = Message.objects.filter(author=author, created_at__gt=now - timedelta(minutes=1)).count()
    if recent >= PER_MINUTE:
        raise MessageRefused(
            ngettext(
                "You can send at most %(count)d message a minute. Please wait a moment.",
                "You can send at most %(count)d messages a minute. Please wait a moment.",
                PER_MINUTE,
            )
            % {"count": PER_MINUTE}
        )
    if conversation_id is None:
        return
    today = Message.objects.filter(
        author=author, conversation_id=conversation_id, created_at__gt=now - timedelta(days=1)
    ).count()
    if today >= PER_DAY_PER_CONVERSATION:
        raise MessageRefused(
            ngettext(
                "You can send at most %(count)d message a day in one conversation.",
                "You can send at most %(count)d messages a day in one conversation.",
                PER_DAY_PER_CONVERSATION,
            )
            % {"count": PER_DAY_PER_CONVERSATION}
        )


def _conversation_for(*, meeting, exhibition, buyer, exhibitor):
    """The pair's or meeting's conversation, created if it is the first message. Two first
    messages at once: the unique constraints let one insert win; the other reads it."""
    if meeting is not None:
        conversation, _created = Conversation.objects.get_or_create(
            meeting=meeting,
            defaults={
                "exhibition_id": meeting.exhibition_id,
                "buyer_id": meeting.buyer_id,
                "exhibitor_id": meeting.exhibitor_id,
            },
        )
        return conversation
    conversation, _created = Conversation.objects.get_or_create(
        exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, meeting=None
    )
    return conversation


def message_post(*, author, body, meeting=None, exhibition=None, buyer=None, exhibitor=None):
    """Post `body` by `author` in a meeting's conversation (`meeting`) or in the mutual-wish
    conversation of `buyer` and `exhibitor` at `exhibition`. The caller checked permission.

    Side effects: the conversation (first message only); a Message; the conversation's
    `last_message_at`; the author's read state moves to the new message. No email here: the
    other people hear of it in their next digest (`digest.build_digests`), unless they read it
    first. Raises MessageRefused (empty, too long, over a limit, closed)."""
    body = (body or "").strip()
    if not body:
        raise MessageRefused(_("Write a message first."))
    if len(body) > Message.MAX_LENGTH:
        raise MessageRefused(
            _("A message can be at most %(limit)d characters (this one has %(length)d).")
            % {"limit": Message.MAX_LENGTH, "length": len(body)}
        )
    if meeting is not None:
        meeting = Meeting.objects.get(pk=meeting.pk)  # the state now, not when the page loaded
    reason = closed_reason(meeting=meeting, exhibition=exhibition, buyer=buyer, exhibitor=exhibitor)
    if reason:
        raise MessageRefused(reason)
    now = timezone.now()
    with transaction.atomic():
        # One post at a time per person, so the counts below cannot be raced past.
        User.objects.select_for_update().filter(pk=author.pk).first()
        conversation = _conversation_for(meeting=meeting, exhibition=exhibition, buyer=buyer, exhibitor=exhibitor)
        _check_limits(author, conversation.pk, now)
        message = Message.objects.create(conversation=conversation, author=author, body=body, created_at=now)
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        mark_read(conversation=conversation, user=author, up_to=message.pk)
    return message


def mark_read(*, conversation, user, up_to):
    """The person has read `conversation` up to message id `up_to` (never moves backwards).
    Side effects: the person's ConversationRead row (created on first read)."""
    if not up_to or not user.is_authenticated:
        return
    ConversationRead.objects.bulk_create(
        [ConversationRead(conversation=conversation, user=user, last_read_id=up_to)], ignore_conflicts=True
    )
    ConversationRead.objects.filter(conversation=conversation, user=user, last_read_id__lt=up_to).update(
        last_read_id=up_to, updated_at=timezone.now()
    )
