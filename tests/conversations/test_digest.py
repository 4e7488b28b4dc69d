"""Digest emails: one per person per run, grouped by conversation, in the reader's language,
never the same message twice, nothing that was read, through the outbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from companies.models import OutboxMessage
from exhibitions.conversations import digest, services
from exhibitions.conversations.tasks import send_digests as send_digests_task
from exhibitions.models import MessageDigest, MessageDigestItem
from tests import factories

from .conftest import make_mutual

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 29, 1, 0, tzinfo=datetime.UTC)


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def send_digests(django_capture_on_commit_callbacks):
    """The beat job, with the outbox's after-commit publishing run (eager Celery sends)."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return send_digests_task()

    return run


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_one_digest_per_person_groups_conversations(send_digests, clock, meeting, world, exhibitor_colleague):
    make_mutual(world)
    services.message_post(author=world.buyer_user, body="About the meeting", meeting=meeting)
    services.message_post(author=world.buyer_user, body="And a second thing", meeting=meeting)
    services.message_post(
        author=world.buyer_user,
        body="About our wish",
        exhibition=world.exhibition,
        buyer=world.buyer,
        exhibitor=world.exhibitor,
    )
    clock.shift(datetime.timedelta(minutes=10))
    assert send_digests() == 2  # the exhibitor's two people; not the author
    for person in (world.exhibitor_user, exhibitor_colleague):
        [email] = to(person)
        assert email.subject == "3 new messages on Fairlink"
        assert "About the meeting" in email.body and "About our wish" in email.body
        assert "Meeting " in email.body and "Mutual wish " in email.body
        # Times in the show's time zone (Asia/Tokyo is UTC+9).
        assert "2026-11-29 10:00" in email.body and "Asia/Tokyo" in email.body
        assert f"/meetings/{meeting.pk}/#conversation" in email.body
    assert not to(world.buyer_user)
    assert OutboxMessage.objects.filter(task="conversations.send_digest_email").count() == 2


def test_never_the_same_message_twice(send_digests, clock, meeting, world):
    services.message_post(author=world.buyer_user, body="First", meeting=meeting)
    send_digests()
    clock.shift(datetime.timedelta(minutes=10))
    assert send_digests() == 0
    services.message_post(author=world.buyer_user, body="Second", meeting=meeting)
    clock.shift(datetime.timedelta(minutes=10))
    send_digests()
    first, second = to(world.exhibitor_user)
    assert "First" in first.body and "Second" not in first.body
    assert "Second" in second.body and "First" not in second.body
    assert MessageDigestItem.objects.filter(user=world.exhibitor_user).count() == 2


def test_a_second_build_of_the_same_moment_adds_nothing(clock, meeting, world):
    """Two beat runs racing: the pending list computed before the first run committed still
    names the messages, and the (user, message) constraint keeps them out of a second digest."""
    services.message_post(author=world.buyer_user, body="Once", meeting=meeting)
    stale = digest.pending()
    assert digest.build_digests() == 1
    original = digest.pending
    digest.pending = lambda now=None: stale
    try:
        assert digest.build_digests() == 0
    finally:
        digest.pending = original
    assert MessageDigest.objects.count() == 1
    assert MessageDigestItem.objects.filter(user=world.exhibitor_user).count() == 1


def test_read_messages_are_not_sent(send_digests, clock, client, meeting, world):
    services.message_post(author=world.buyer_user, body="Read me online", meeting=meeting)
    client.force_login(world.exhibitor_user)
    client.get(f"/exhibitions/{world.exhibition.slug}/meetings/{meeting.pk}/")
    send_digests()
    assert not to(world.exhibitor_user)


def test_messages_read_between_building_and_sending_are_left_out(clock, meeting, world, settings):
    services.message_post(author=world.buyer_user, body="Seen in time", meeting=meeting)
    assert digest.build_digests() == 1  # its email task runs after commit, not here
    d = MessageDigest.objects.get()
    conversation = meeting.conversation
    services.mark_read(conversation=conversation, user=world.exhibitor_user, up_to=conversation.messages.last().pk)
    assert digest.send_digest(d.pk) is False
    d.refresh_from_db()
    assert d.skipped_at is not None and d.emailed_at is None
    assert not mail.outbox


def test_digest_in_the_recipients_language(send_digests, clock, meeting, world):
    world.exhibitor_user.preferred_language = "ko"
    world.exhibitor_user.save()
    world.buyer_user.preferred_language = "ja"
    world.buyer_user.save()
    make_mutual(world)
    services.message_post(author=world.buyer_user, body="納期は？", meeting=meeting)
    # Posting counts as having read the thread, so the exhibitor answers in the other one.
    services.message_post(
        author=world.exhibitor_user,
        body="4주입니다",
        exhibition=world.exhibition,
        buyer=world.buyer,
        exhibitor=world.exhibitor,
    )
    send_digests()
    [ko] = to(world.exhibitor_user)
    [ja] = to(world.buyer_user)
    assert "새 메시지" in ko.subject and "納期は？" in ko.body
    assert "新しいメッセージ" in ja.subject and "4주입니다" in ja.body


def test_organisers_who_wrote_get_digests_others_do_not(send_digests, clock, meeting, world, organiser):
    bystander = factories.StaffFactory(cooperative=world.exhibition.cooperative)
    services.message_post(author=organiser, body="Lounge opens at 9", meeting=meeting)
    services.message_post(author=world.buyer_user, body="Thanks", meeting=meeting)
    send_digests()
    [email] = to(organiser)
    assert "Thanks" in email.body and "Lounge" not in email.body
    assert not to(bystander)


def test_old_messages_are_not_mailed(send_digests, clock, meeting, world):
    services.message_post(author=world.buyer_user, body="Long ago", meeting=meeting)
    clock.shift(digest.LOOKBACK + datetime.timedelta(minutes=1))
    assert send_digests() == 0


def test_beat_schedule_runs_the_digest(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-conversation-digests"]
    assert entry["task"] == "conversations.send_digests"
    assert 600 <= entry["schedule"] <= 900


def test_lost_digest_email_is_requeued(send_digests, clock, meeting, world):
    services.message_post(author=world.buyer_user, body="Lost", meeting=meeting)
    digest.build_digests()  # its task is lost: the after-commit publish never runs here
    d = MessageDigest.objects.get()
    clock.shift(datetime.timedelta(minutes=3))
    assert d.pk in digest.unsent_digest_ids()
    send_digests()
    assert len(to(world.exhibitor_user)) == 1
    assert timezone.now() == MessageDigest.objects.get().emailed_at
