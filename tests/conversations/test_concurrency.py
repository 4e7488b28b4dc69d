"""Real concurrency on PostgreSQL: the first messages of a thread, sent at the same moment by
several people, make one conversation and keep every message; a person racing their own
rate limit from several tabs cannot get past it."""

from django.utils import timezone

from exhibitions.conversations import services
from exhibitions.models import Conversation, Message
from tests import factories, races
from tests.races import POSTGRES_ONLY

from .conftest import make_mutual

THREADS = 8

pytestmark = POSTGRES_ONLY


def race(calls):
    """Run the calls at once; returns [("ok", result) | ("refused", message) | ("error", repr)]."""
    return races.race(calls, refusal=services.MessageRefused, refused="refused")


def people(world, n):
    """n people, alternating between the two companies."""
    found = []
    for i in range(n):
        company = world.buyer if i % 2 == 0 else world.exhibitor
        found.append(factories.MembershipFactory(company=company, role="member").user)
    return found


def test_first_messages_at_once_make_one_meeting_conversation(meeting, world):
    calls = [
        lambda p=p: services.message_post(author=p, body=f"Hello from {p.pk}", meeting=meeting)
        for p in people(world, THREADS)
    ]
    results = race(calls)
    assert [r[0] for r in results] == ["ok"] * THREADS, results
    assert Conversation.objects.count() == 1
    assert Message.objects.filter(conversation__meeting=meeting).count() == THREADS


def test_first_messages_at_once_make_one_wish_conversation(world):
    make_mutual(world)
    pair = {"exhibition": world.exhibition, "buyer": world.buyer, "exhibitor": world.exhibitor}
    calls = [lambda p=p: services.message_post(author=p, body="Hi", **pair) for p in people(world, THREADS)]
    results = race(calls)
    assert [r[0] for r in results] == ["ok"] * THREADS, results
    assert Conversation.objects.filter(meeting=None).count() == 1
    assert Message.objects.count() == THREADS


def test_one_person_in_many_tabs_cannot_pass_the_minute_limit(meeting, world):
    for n in range(services.PER_MINUTE - 2):
        services.message_post(author=world.buyer_user, body=f"warm-up {n}", meeting=meeting)
    start = timezone.now()
    calls = [lambda: services.message_post(author=world.buyer_user, body="tab", meeting=meeting)] * THREADS
    results = race(calls)
    assert sorted(r[0] for r in results) == ["ok"] * 2 + ["refused"] * (THREADS - 2), results
    assert Message.objects.filter(author=world.buyer_user, created_at__gte=start).count() == 2
