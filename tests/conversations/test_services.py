"""Posting messages: one conversation per meeting and per mutual pair, the limits against
spam, closed threads, read state."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from exhibitions.conversations import services
from exhibitions.conversations.services import MessageRefused
from exhibitions.meetings import services as meeting_services
from exhibitions.models import Conversation, ConversationRead, Message

from .conftest import make_mutual

pytestmark = pytest.mark.django_db


def post(meeting, author, body="Hello"):
    return services.message_post(author=author, body=body, meeting=meeting)


def test_first_message_creates_the_meeting_conversation_once(meeting, world):
    first = post(meeting, world.buyer_user)
    second = post(meeting, world.exhibitor_user, "Welcome")
    assert first.conversation_id == second.conversation_id
    conversation = Conversation.objects.get()
    assert (conversation.meeting, conversation.buyer, conversation.exhibitor) == (meeting, world.buyer, world.exhibitor)
    assert conversation.last_message_at == second.created_at


def test_author_has_read_their_own_message(meeting, world):
    message = post(meeting, world.buyer_user)
    assert ConversationRead.objects.get(user=world.buyer_user).last_read_id == message.pk


def test_read_state_never_moves_backwards(meeting, world):
    first = post(meeting, world.buyer_user)
    second = post(meeting, world.buyer_user)
    services.mark_read(conversation=first.conversation, user=world.buyer_user, up_to=first.pk)
    assert ConversationRead.objects.get(user=world.buyer_user).last_read_id == second.pk


def test_database_refuses_a_second_wish_conversation_for_a_pair(world):
    Conversation.objects.create(exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor)


def test_database_refuses_an_empty_or_too_long_body(meeting, world):
    conversation = Conversation.objects.create(
        exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor, meeting=meeting
    )
    for body in ("", "x" * (Message.MAX_LENGTH + 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Message.objects.create(conversation=conversation, author=world.buyer_user, body=body)


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 2001])
def test_empty_or_too_long_message_is_refused(meeting, world, body):
    with pytest.raises(MessageRefused):
        post(meeting, world.buyer_user, body)
    assert not Message.objects.exists()
    assert not Conversation.objects.exists()


def test_a_message_of_exactly_the_limit_is_fine(meeting, world):
    assert len(post(meeting, world.buyer_user, "x" * 2000).body) == 2000


def test_eleventh_message_in_a_minute_is_refused_and_allowed_a_minute_later(meeting, world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for n in range(services.PER_MINUTE):
        post(meeting, world.buyer_user, f"message {n}")
    with pytest.raises(MessageRefused, match="at most 10 messages a minute"):
        post(meeting, world.buyer_user)
    # A colleague is not held back by someone else's pace.
    post(meeting, world.exhibitor_user)
    time_machine.shift(datetime.timedelta(seconds=61))
    post(meeting, world.buyer_user, "later")
    assert Message.objects.filter(author=world.buyer_user).count() == services.PER_MINUTE + 1


def test_per_minute_limit_counts_every_conversation(meeting, world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_mutual(world)
    for n in range(services.PER_MINUTE):
        post(meeting, world.buyer_user, f"message {n}")
    with pytest.raises(MessageRefused):
        services.message_post(
            author=world.buyer_user,
            body="Hi",
            exhibition=world.exhibition,
            buyer=world.buyer,
            exhibitor=world.exhibitor,
        )


def test_daily_limit_per_conversation(meeting, world, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    for n in range(services.PER_DAY_PER_CONVERSATION):
        time_machine.move_to(start + datetime.timedelta(minutes=n), tick=False)
        post(meeting, world.buyer_user, f"message {n}")
    time_machine.move_to(start + datetime.timedelta(hours=2), tick=False)
    with pytest.raises(MessageRefused, match="50 messages a day in one conversation"):
        post(meeting, world.buyer_user)
    # The other side still talks; the pair's wish conversation has its own count.
    post(meeting, world.exhibitor_user, "Noted")
    make_mutual(world)
    services.message_post(
        author=world.buyer_user, body="Hi", exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor
    )
    time_machine.move_to(start + datetime.timedelta(days=1, minutes=1), tick=False)
    post(meeting, world.buyer_user, "next day")


@pytest.mark.parametrize("close", ["decline", "cancel"])
def test_no_new_message_after_the_meeting_is_declined_or_cancelled(meeting, world, close):
    post(meeting, world.buyer_user)
    if close == "decline":
        meeting_services.meeting_decline(meeting=meeting, by=world.exhibitor_user, reason="Fully booked")
    else:
        meeting_services.meeting_cancel(meeting=meeting, by=world.buyer_user, reason="Changed plans")
    with pytest.raises(MessageRefused, match="closed"):
        post(meeting, world.exhibitor_user, "But wait")
    assert Message.objects.count() == 1


def test_accepted_meeting_takes_messages(meeting, world):
    meeting_services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    assert post(meeting, world.buyer_user, "See you at A-01")


def test_wish_conversation_needs_a_mutual_wish(world):
    with pytest.raises(MessageRefused, match="no longer mutual"):
        services.message_post(
            author=world.buyer_user,
            body="Hi",
            exhibition=world.exhibition,
            buyer=world.buyer,
            exhibitor=world.exhibitor,
        )
    make_mutual(world)
    message = services.message_post(
        author=world.buyer_user, body="Hi", exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor
    )
    assert message.conversation.meeting is None
