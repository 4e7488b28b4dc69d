"""The day-before reminder (issue 13): one email per person with the next day's agenda (in
the exhibition's time zone) and an .ics of those meetings, in the person's language, once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from icalendar import Calendar

from companies.models import Notification
from exhibitions.meetings import day_reminders
from exhibitions.meetings.tasks import send_day_before_reminders
from exhibitions.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def booked(exhibition, buyer_user, exhibitor_user, starts_at, **extra):
    slot = exhibition.slots.filter(starts_at=starts_at).first() or factories.SlotFactory(
        exhibition=exhibition, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=30)
    )
    return factories.MeetingFactory(
        slot=slot,
        exhibition=exhibition,
        buyer=buyer_user.company,
        exhibitor=exhibitor_user.company,
        buyer_person=buyer_user,
        status=Meeting.Status.ACCEPTED,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=30),
        **extra,
    )


@pytest.fixture
def show(exhibitor_owner, buyer_owner, other_exhibitor):
    """Tokyo (UTC+9). Meetings on 15 April local time: 09:00 and 14:00 with the first exhibitor,
    10:00 with another; one on 16 April; one cancelled on the 15th."""
    exhibition = factories.ExhibitionFactory(timezone="Asia/Tokyo")
    buyer_owner.preferred_language = "ja"
    buyer_owner.save()
    exhibitor_owner.preferred_language = "ko"
    exhibitor_owner.save()
    day = datetime.datetime(2030, 4, 15, tzinfo=exhibition.tzinfo)
    meetings = [
        booked(exhibition, buyer_owner, exhibitor_owner, day.replace(hour=14)),
        booked(exhibition, buyer_owner, exhibitor_owner, day.replace(hour=9)),
        booked(exhibition, buyer_owner, other_exhibitor, day.replace(hour=10)),
        booked(exhibition, buyer_owner, exhibitor_owner, day.replace(hour=9) + datetime.timedelta(days=1)),
    ]
    cancelled = booked(exhibition, buyer_owner, exhibitor_owner, day.replace(hour=11))
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    return exhibition, meetings


def reminders():
    return Notification.objects.filter(template="meetings_day_reminder")


def test_nothing_before_nine_in_the_exhibitions_zone_the_day_before(show, django_capture_on_commit_callbacks):
    # 14 April 08:59 in Tokyo is 23:59 UTC on the 13th.
    with (
        time_machine.travel(datetime.datetime(2030, 4, 13, 23, 59, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_day_before_reminders.delay().get() == 0
    assert not reminders().exists() and mail.outbox == []


def test_each_person_gets_one_email_with_their_agenda_and_ics_in_their_language(
    show, buyer_owner, exhibitor_owner, other_exhibitor, django_capture_on_commit_callbacks
):
    exhibition, meetings = show
    # 14 April 09:00 in Tokyo (00:00 UTC): tomorrow there is the 15th, though it is still the 14th in UTC.
    with (
        time_machine.travel(datetime.datetime(2030, 4, 14, 0, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_day_before_reminders.delay().get() == 3
    assert len(mail.outbox) == 3
    by_person = {m.to[0]: m for m in mail.outbox}
    buyer_mail = by_person[buyer_owner.email]
    # Japanese, local times, the day's three meetings in time order, not the cancelled or next day's.
    assert "2030-04-15" in buyer_mail.subject and "明日" in buyer_mail.subject
    lines = [line for line in buyer_mail.body.splitlines() if line.startswith("- ")]
    assert [line[2:13] for line in lines] == ["09:00–09:30", "10:00–10:30", "14:00–14:30"]
    assert exhibitor_owner.company.name in lines[0] and other_exhibitor.company.name in lines[1]
    (filename, content, mimetype) = buyer_mail.attachments[0]
    assert filename == "fairlink-2030-04-15.ics" and mimetype == "text/calendar"
    events = list(Calendar.from_ical(content).walk("VEVENT"))
    assert sorted(str(e["uid"]) for e in events) == sorted(f"{m.uid}@fairlink" for m in meetings[:3])
    assert all("商談" in str(e["summary"]) for e in events)
    # The exhibitor's owner: Korean, their own two meetings only.
    exhibitor_mail = by_person[exhibitor_owner.email]
    assert "내일" in exhibitor_mail.subject
    assert len([line for line in exhibitor_mail.body.splitlines() if line.startswith("- ")]) == 2
    assert len(Calendar.from_ical(exhibitor_mail.attachments[0][1]).walk("VEVENT")) == 2
    assert len([line for line in by_person[other_exhibitor.email].body.splitlines() if line.startswith("- ")]) == 1


def test_repeated_runs_never_send_the_same_days_reminder_twice(show, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for minute in (0, 15, 30):
            with time_machine.travel(datetime.datetime(2030, 4, 14, 3, minute, tzinfo=UTC), tick=False):
                send_day_before_reminders.delay()
    assert reminders().count() == 3 and len(mail.outbox) == 3
    # The next day's run reminds of the 16th: a new reminder for the buyer and the exhibitor.
    with (
        time_machine.travel(datetime.datetime(2030, 4, 15, 3, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_day_before_reminders.delay().get() == 2
    assert len(mail.outbox) == 5


def test_the_database_refuses_a_second_reminder_for_the_same_day(show, buyer_owner):
    exhibition, _ = show
    key = f"day-reminder:{exhibition.pk}:2030-04-15:{buyer_owner.pk}"
    Notification.objects.create(user=buyer_owner, key=key, template="meetings_day_reminder")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=buyer_owner, key=key, template="meetings_day_reminder")


def test_a_person_who_turned_reminders_off_gets_the_notice_but_no_email(
    show, buyer_owner, django_capture_on_commit_callbacks
):
    buyer_owner.email_opt_outs = ["reminders"]
    buyer_owner.save()
    with (
        time_machine.travel(datetime.datetime(2030, 4, 14, 0, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_day_before_reminders.delay()
    assert reminders().filter(user=buyer_owner, email_skipped=True).exists()
    assert buyer_owner.email not in [m.to[0] for m in mail.outbox]


def test_the_one_hour_reminder_still_goes(show, django_capture_on_commit_callbacks):
    from exhibitions.meetings.tasks import send_meeting_reminders

    at_0830_tokyo = time_machine.travel(datetime.datetime(2030, 4, 14, 23, 30, tzinfo=UTC), tick=False)
    with at_0830_tokyo, django_capture_on_commit_callbacks(execute=True):
        assert send_meeting_reminders.delay().get() == 1
    assert Notification.objects.filter(template="meeting_reminder").exists()


def test_recipients_are_grouped_per_person(show, buyer_owner, exhibitor_owner):
    exhibition, meetings = show
    agenda = day_reminders.recipients(exhibition, datetime.date(2030, 4, 15))
    assert sorted(agenda[buyer_owner]) == sorted(m.pk for m in meetings[:3])
    assert sorted(agenda[exhibitor_owner]) == sorted([meetings[0].pk, meetings[1].pk])
