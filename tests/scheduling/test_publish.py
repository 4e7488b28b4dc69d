"""Publishing the draft: drafts become accepted meetings through the booking code, conflicts
stay drafts, each person hears once with their agenda in their language, calendars follow."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from companies.models import Notification
from companies.notifications import render_notification
from exhibitions.meetings import services as meeting_services
from exhibitions.models import DraftMeeting, Meeting, MeetingEvent, ScheduleRun
from exhibitions.scheduling import services, tasks
from exhibitions.scheduling.publishing import schedule_publish
from tests import factories

from .conftest import interpreter, wish

pytestmark = pytest.mark.django_db


def draft(show, buyer, exhibitor, slot, *, table=None, interpreter=None):
    booth = None if table else show.applications[exhibitor.pk].booth
    return DraftMeeting.objects.create(
        exhibition=show.exhibition,
        buyer=buyer,
        exhibitor=exhibitor,
        slot=slot,
        booth=booth,
        table=table,
        interpreter=interpreter,
        weight=1,
    )


def test_publish_books_every_draft_where_it_is(show, staff):
    b0, b1 = show.buyers[:2]
    e0, e1 = show.exhibitors[:2]
    person = interpreter(show, "INT-01")
    draft(show, b0, e0, show.slots[0])
    draft(show, b1, e0, show.slots[1], table=show.tables[1], interpreter=person)
    draft(show, b0, e1, show.slots[2])
    result = schedule_publish(exhibition=show.exhibition, by=staff)
    assert len(result.published) == 3 and result.conflicts == []
    assert not DraftMeeting.objects.exists()
    meetings = {(m.buyer, m.exhibitor): m for m in Meeting.objects.all()}
    first = meetings[(b0, e0)]
    assert (first.status, first.origin, first.slot, first.booth) == (
        "accepted",
        "scheduler",
        show.slots[0],
        show.applications[e0.pk].booth,
    )
    assert first.starts_at == show.slots[0].starts_at and first.sequence == 1
    assert first.buyer_person == show.owners[b0.pk]  # the buyer's only person
    assert first.representative.user == show.owners[e0.pk]  # the exhibitor's only representative
    second = meetings[(b1, e0)]
    assert (second.table, second.booth, second.interpreter) == (show.tables[1], None, person)
    assert second.interpreter_needed
    assert MeetingEvent.objects.filter(action="scheduled").count() == 3


def test_each_person_gets_one_agenda_in_their_language(show, staff, mailoutbox, django_capture_on_commit_callbacks):
    b0, b1 = show.buyers[:2]
    e0, e1 = show.exhibitors[:2]
    show.owners[b0.pk].preferred_language = "ja"
    show.owners[b0.pk].save()
    colleague = factories.MembershipFactory(company=e0, role="member").user
    draft(show, b0, e0, show.slots[0])
    draft(show, b0, e1, show.slots[1])
    draft(show, b1, e0, show.slots[2])
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(exhibition=show.exhibition, by=staff)
    notices = Notification.objects.filter(template="schedule_published")
    per_person = {n.user_id: n for n in notices}
    assert len(per_person) == notices.count()  # one each
    assert set(per_person) == {
        show.owners[b0.pk].pk,
        show.owners[b1.pk].pk,
        show.owners[e0.pk].pk,
        colleague.pk,
        show.owners[e1.pk].pk,
    }
    assert len(per_person[show.owners[b0.pk].pk].context["meetings"]) == 2
    assert len(per_person[colleague.pk].context["meetings"]) == 2
    assert Notification.objects.exclude(template="schedule_published").count() == 0  # not one per meeting
    subject, body = render_notification(per_person[show.owners[e0.pk].pk])
    assert subject == f"Your 2 meetings at {show.exhibition} are scheduled"
    local = show.slots[0].starts_at.astimezone(show.exhibition.tzinfo)
    assert f"{local:%Y-%m-%d %H:%M}: with {b0.name}" in body and "Asia/Tokyo" in body
    assert len(mailoutbox) == 5
    japanese = next(m for m in mailoutbox if m.to == [show.owners[b0.pk].email])
    assert japanese.subject == f"{show.exhibition}の商談2件が決まりました"
    assert f"{local:%Y-%m-%d %H:%M}：{e0.name}と" in japanese.body


def test_publishing_twice_publishes_nothing_new(show, staff):
    draft(show, show.buyers[0], show.exhibitors[0], show.slots[0])
    schedule_publish(exhibition=show.exhibition, by=staff)
    again = schedule_publish(exhibition=show.exhibition, by=staff)
    assert again.published == [] and again.notified == 0
    assert Meeting.objects.count() == 1
    assert Notification.objects.filter(template="schedule_published").count() == 2


def test_a_draft_that_now_conflicts_stays_a_draft(show, staff):
    b0, b1 = show.buyers[:2]
    e0, e1 = show.exhibitors[:2]
    clash = draft(show, b0, e0, show.slots[0])
    fine = draft(show, b1, e1, show.slots[0])
    meeting_services.meeting_book_by_staff(  # someone booked the buyer by hand meanwhile
        exhibition=show.exhibition, buyer_person=show.owners[b0.pk], exhibitor=e1, slot=show.slots[0], by=staff
    )
    # b1 x e1 clashes too: e1's booth is taken by the hand booking now
    result = schedule_publish(exhibition=show.exhibition, by=staff)
    assert {d.pk for d, _message in result.conflicts} == {clash.pk, fine.pk}
    assert "already has a meeting" in {d.pk: m for d, m in result.conflicts}[clash.pk]
    assert set(DraftMeeting.objects.values_list("pk", flat=True)) == {clash.pk, fine.pk}
    assert Meeting.objects.filter(status="accepted").count() == 1


def test_a_pending_request_of_the_pair_becomes_the_scheduled_meeting(show, staff):
    b0, e0 = show.buyers[0], show.exhibitors[0]
    request = meeting_services.meeting_request(
        exhibition=show.exhibition, buyer_person=show.owners[b0.pk], exhibitor=e0, slots=[show.slots[3]]
    )
    draft(show, b0, e0, show.slots[1])
    schedule_publish(exhibition=show.exhibition, by=staff)
    request.refresh_from_db()
    assert request.status == "accepted" and request.slot == show.slots[1]
    assert Meeting.objects.count() == 1


def test_published_meetings_reach_agendas_and_calendar_feeds(client, show, staff):
    b0, e0 = show.buyers[0], show.exhibitors[0]
    draft(show, b0, e0, show.slots[0])
    schedule_publish(exhibition=show.exhibition, by=staff)
    person = show.owners[b0.pk]
    feed = client.get(
        reverse("exhibitions:meetings_calendar", kwargs={"slug": show.exhibition.slug, "token": person.calendar_token})
    )
    events = [c for c in Calendar.from_ical(feed.content).walk() if c.name == "VEVENT"]
    assert len(events) == 1
    client.force_login(person)
    agenda = client.get(reverse("exhibitions:meetings_agenda", kwargs={"slug": show.exhibition.slug}))
    assert e0.name in agenda.content.decode()


def test_publish_view_queues_the_publish_and_shows_its_report(client, show, django_capture_on_commit_callbacks):
    coop_staff = factories.StaffFactory(cooperative=show.exhibition.cooperative)
    b0, b1 = show.buyers[:2]
    e0, e1 = show.exhibitors[:2]
    wish(show, b0, e0, "must")
    wish(show, b1, e1, "must")
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    tasks.run_schedule(run.pk)
    clash = DraftMeeting.objects.get(buyer=b1)
    meeting_services.meeting_book_by_staff(  # a hand booking takes b1's time meanwhile
        exhibition=show.exhibition,
        buyer_person=show.owners[b1.pk],
        exhibitor=show.exhibitors[2],
        slot=clash.slot,
        by=coop_staff,
    )
    client.force_login(coop_staff)
    publish = reverse("exhibitions:schedule_publish", kwargs={"slug": show.exhibition.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish)
    assert response.status_code == 302
    run = ScheduleRun.objects.get(pk=run.pk)
    assert run.published_at is not None and run.published_by == coop_staff
    report = run.stats["publish"]
    assert (report["published"], len(report["conflicts"])) == (1, 1)
    assert report["conflicts"][0]["reason"] == "The buyer already has a meeting at that time."
    page = client.get(reverse("exhibitions:schedule", kwargs={"slug": show.exhibition.slug})).content.decode()
    assert "published 1 meeting" in page and "1 draft was not published" in page and b1.name in page
    assert DraftMeeting.objects.get() == clash  # it stays a draft
    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish)  # again: nothing new
    assert ScheduleRun.objects.get(pk=run.pk).stats["publish"]["published"] == 0
    assert Meeting.objects.filter(origin="scheduler").count() == 1


def test_publish_task_writes_reasons_in_the_publishers_language(show):
    coop_staff = factories.StaffFactory(cooperative=show.exhibition.cooperative, preferred_language="ko")
    b0, e0 = show.buyers[0], show.exhibitors[0]
    wish(show, b0, e0, "must")
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    tasks.run_schedule(run.pk)
    clash = DraftMeeting.objects.get()
    meeting_services.meeting_book_by_staff(
        exhibition=show.exhibition,
        buyer_person=show.owners[b0.pk],
        exhibitor=show.exhibitors[1],
        slot=clash.slot,
        by=coop_staff,
    )
    assert tasks.publish_schedule(show.exhibition.pk, coop_staff.pk) == 0
    reason = ScheduleRun.objects.get(pk=run.pk).stats["publish"]["conflicts"][0]["reason"]
    assert reason != "The buyer already has a meeting at that time." and reason
    assert tasks.publish_schedule(999999, coop_staff.pk) is None


def test_rerun_after_publish_keeps_the_published_meetings(show, staff):
    for buyer in show.buyers[:2]:
        wish(show, buyer, show.exhibitors[0], "want")
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    tasks.run_schedule(run.pk)
    schedule_publish(exhibition=show.exhibition, by=staff)
    slots = dict(Meeting.objects.values_list("pk", "slot_id"))
    rerun = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=1, queue=False)
    tasks.run_schedule(rerun.pk)
    rerun.refresh_from_db()
    assert rerun.placed == 2 and rerun.value == 2 and not DraftMeeting.objects.exists()
    assert dict(Meeting.objects.values_list("pk", "slot_id")) == slots
