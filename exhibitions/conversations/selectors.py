"""Reads about conversations: the thread shown on a page, who may see it, unread counts.

A thread is a fixed number of queries whatever its length (tests/conversations/test_queries.py):
the conversation, its last `SHOWN` messages with their authors, and the authors' companies.
"""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from companies.models import Company, Membership
from companies.rules import can_join_conversation
from exhibitions.models import Conversation, ConversationRead, Message

from . import services

# The newest messages shown on a page; older ones stay in the database (and in digests).
SHOWN = 200


def may_join(user, *, exhibition, buyer_id, exhibitor_id):
    return can_join_conversation(user, exhibition=exhibition, buyer_id=buyer_id, exhibitor_id=exhibitor_id)


def meeting_conversation(meeting):
    return Conversation.objects.filter(meeting=meeting).first()


def wish_conversation(*, exhibition, buyer, exhibitor):
    return Conversation.objects.filter(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, meeting=None).first()


def thread(conversation, *, buyer_id, exhibitor_id):
    """The newest `SHOWN` messages, oldest first, each with `side`: "buyer", "exhibitor" or
    "organiser" (the author's company at the time of reading; "" if the author is gone)."""
    if conversation is None:
        return []
    messages = list(
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    messages.reverse()
    author_ids = {m.author_id for m in messages if m.author_id}
    companies = dict(
        Membership.objects.filter(user_id__in=author_ids, company_id__in=[buyer_id, exhibitor_id]).values_list(
            "user_id", "company_id"
        )
    )
    for message in messages:
        company_id = companies.get(message.author_id)
        if message.author_id is None:
            message.side = ""
        elif company_id == buyer_id:
            message.side = Company.Kind.BUYER
        elif company_id == exhibitor_id:
            message.side = Company.Kind.EXHIBITOR
        else:
            message.side = "organiser"
    return messages


def conversation_context(*, exhibition, buyer, exhibitor, meeting=None, read_only=False):
    """What the conversation block of a page needs: the thread, whether the person may post
    (and if not, why), and the newest message id (to mark read)."""
    conversation = (
        meeting_conversation(meeting)
        if meeting is not None
        else wish_conversation(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor)
    )
    messages = thread(conversation, buyer_id=buyer.pk, exhibitor_id=exhibitor.pk)
    closed = (
        ""
        if read_only
        else services.closed_reason(meeting=meeting, exhibition=exhibition, buyer=buyer, exhibitor=exhibitor)
    )
    return {
        "conversation": conversation,
        "conversation_messages": messages,
        "conversation_closed": closed,
        "conversation_read_only": read_only,
        "newest_id": messages[-1].pk if messages else 0,
        "timezone": exhibition.timezone,
    }


def unread_wish_conversations(*, user, exhibition, company):
    """{other company id: messages the person has not read} of the company's mutual-wish
    conversations at the show (one query)."""
    own = "buyer" if company.kind == Company.Kind.BUYER else "exhibitor"
    other = "exhibitor" if own == "buyer" else "buyer"
    read_to = ConversationRead.objects.filter(conversation=OuterRef("pk"), user=user).values("last_read_id")[:1]
    rows = (
        Conversation.objects.filter(exhibition=exhibition, meeting=None, **{own: company})
        .annotate(read_to=Coalesce(Subquery(read_to), 0))
        .annotate(unread=Count("messages", filter=Q(messages__id__gt=F("read_to")) & ~Q(messages__author=user)))
        .values_list(f"{other}_id", "unread")
    )
    return dict(rows)
