"""The rough edges of issue 9 around meetings: moves are proposals the other side accepts
(staff move directly), cancelling asks for a reason kept apart, per-meeting calendar files,
the calendar address reset, one form for every day's hours, time-zone changes, the request
form's slot picker, phone-friendly agenda and localized dates."""

import datetime
import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from companies.models import Notification
from exhibitions import services as exhibition_services
from exhibitions.meetings import calendar, services
from exhibitions.meetings.services import MeetingConflict, MeetingError
from exhibitions.models import Meeting, MeetingBreak, MeetingHours, Slot
from tests import factories

from .conftest import add_buyer, add_exhibitor, make_world

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"exhibitions:{name}", kwargs={"slug": world.exhibition.slug, **kwargs})


def booked(world, slot=None, table=None, buyer_person=None, exhibitor=None, by=None):
    meeting = services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=buyer_person or world.buyer_user,
        exhibitor=exhibitor or world.exhibitor,
        slots=[slot or world.slots[0]],
    )
    return services.meeting_accept(
        meeting=meeting, slot=slot or world.slots[0], by=by or world.exhibitor_user, table=table
    )


def notices(user, template):
    return Notification.objects.filter(user=user, template=template).count()


# ----- moving: a proposal the other side accepts ---------------------------------------


def test_buyer_cannot_move_a_meeting_without_the_exhibitor(world):
    meeting = booked(world)
    with pytest.raises(MeetingError, match="Propose"):
        services.meeting_reschedule(meeting=meeting, slot=world.slots[2], by=world.buyer_user)
    services.meeting_move_propose(meeting=meeting, slot=world.slots[2], by=world.buyer_user, message="Flight moved")
    meeting.refresh_from_db()
    # Nothing moved yet: same slot, same calendar sequence; the proposal waits.
    assert meeting.slot == world.slots[0] and meeting.sequence == 1 and meeting.status == "accepted"
    assert meeting.move_slot == world.slots[2] and meeting.move_side == "buyer"
    assert notices(world.exhibitor_user, "meeting_move_proposed") == 1
    # The place goes to the notice as a reference, so each reader gets its name in their language.
    context = Notification.objects.get(user=world.exhibitor_user, template="meeting_move_proposed").context
    assert context["new_place"] == {"$model": "exhibitions.booth", "pk": world.booth.pk}
    with pytest.raises(MeetingError, match="other side"):
        services.meeting_move_accept(meeting=meeting, by=world.buyer_user)
    moved = services.meeting_move_accept(meeting=meeting, by=world.exhibitor_user)
    assert moved.pk == meeting.pk and moved.uid == meeting.uid
    assert moved.slot == world.slots[2] and moved.starts_at == world.slots[2].starts_at and moved.sequence == 2
    assert moved.move_slot is None and moved.move_side == ""
    assert moved.booth == world.booth  # it was at the booth and stays there
    assert notices(world.buyer_user, "meeting_rescheduled") == 1
    assert notices(world.exhibitor_user, "meeting_rescheduled") == 0  # the person who accepted knows


def test_a_table_meeting_keeps_its_table_when_moved(world, staff):
    meeting = booked(world, table=world.tables[1])
    assert meeting.table == world.tables[1] and meeting.booth is None
    moved = services.meeting_reschedule(meeting=meeting, slot=world.slots[2], by=staff)
    assert moved.table == world.tables[1] and moved.booth is None
    assert {notices(world.buyer_user, "meeting_rescheduled"), notices(world.exhibitor_user, "meeting_rescheduled")} == {
        1
    }


def test_a_move_can_change_only_the_place(world, staff):
    meeting = booked(world, table=world.tables[0])
    moved = services.meeting_reschedule(meeting=meeting, slot=world.slots[0], by=staff, to_booth=True)
    assert moved.booth == world.booth and moved.table is None and moved.sequence == 2
    assert moved.events.last().details["place_to"] == "A-01"
    with pytest.raises(MeetingError, match="already at that time and place"):
        services.meeting_reschedule(meeting=moved, slot=world.slots[0], by=staff)


def test_a_move_keeps_the_booth_or_says_it_is_taken(world, staff):
    world.application.parallel_meetings = 2
    world.application.save()
    second_rep = factories.RepresentativeFactory(application=world.application, name="Lee Seo-yeon")
    meeting = booked(world)  # at the booth, slot 0, no particular representative
    request = services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=add_buyer(world),
        exhibitor=world.exhibitor,
        slots=[world.slots[1]],
        representative=second_rep,
    )
    other = services.meeting_accept(meeting=request, slot=world.slots[1], by=world.exhibitor_user)  # booth, slot 1
    assert other.booth == world.booth
    with pytest.raises(MeetingConflict, match="booth"):
        services.meeting_reschedule(meeting=meeting, slot=world.slots[1], by=staff)
    meeting.refresh_from_db()
    assert meeting.slot == world.slots[0] and meeting.booth == world.booth
    moved = services.meeting_reschedule(meeting=meeting, slot=world.slots[1], by=staff, table=world.tables[0])
    assert moved.table == world.tables[0] and moved.exhibitor_seat == 2


def test_a_proposal_into_a_taken_time_is_refused_at_once(world):
    meeting = booked(world)
    booked(world, slot=world.slots[1], buyer_person=add_buyer(world))
    with pytest.raises(MeetingConflict):
        services.meeting_move_propose(meeting=meeting, slot=world.slots[1], by=world.exhibitor_user)
    meeting.refresh_from_db()
    assert meeting.move_slot is None


def test_declining_or_withdrawing_a_move_keeps_the_meeting(world):
    meeting = booked(world)
    services.meeting_move_propose(meeting=meeting, slot=world.slots[2], by=world.exhibitor_user)
    services.meeting_move_decline(meeting=meeting, by=world.buyer_user, reason="We fly home then")
    meeting.refresh_from_db()
    assert meeting.move_side == "" and meeting.slot == world.slots[0] and meeting.sequence == 1
    assert meeting.events.last().action == "move_declined"
    assert notices(world.exhibitor_user, "meeting_move_declined") == 1
    services.meeting_move_propose(meeting=meeting, slot=world.slots[3], by=world.exhibitor_user)
    services.meeting_move_decline(meeting=meeting, by=world.exhibitor_user)
    meeting.refresh_from_db()
    assert meeting.move_side == "" and meeting.events.last().action == "move_withdrawn"
    assert notices(world.buyer_user, "meeting_move_declined") == 1
    with pytest.raises(MeetingError, match="No move"):
        services.meeting_move_accept(meeting=meeting, by=world.buyer_user)


def test_a_move_accepted_after_its_time_was_taken_is_a_conflict(world):
    meeting = booked(world)
    services.meeting_move_propose(meeting=meeting, slot=world.slots[2], by=world.buyer_user)
    booked(world, slot=world.slots[2], buyer_person=add_buyer(world))
    with pytest.raises(MeetingConflict):
        services.meeting_move_accept(meeting=meeting, by=world.exhibitor_user)
    meeting.refresh_from_db()
    assert meeting.slot == world.slots[0] and meeting.sequence == 1


def test_outsiders_cannot_propose_or_answer_moves(world, other_buyer):
    meeting = booked(world)
    with pytest.raises(MeetingError):
        services.meeting_move_propose(meeting=meeting, slot=world.slots[2], by=other_buyer)
    services.meeting_move_propose(meeting=meeting, slot=world.slots[2], by=world.buyer_user)
    for answer in (services.meeting_move_accept, services.meeting_move_decline):
        with pytest.raises(MeetingError):
            answer(meeting=meeting, by=other_buyer)


def test_move_pages_by_persona(client, world, staff, other_buyer):
    meeting = booked(world)
    detail = url(world, "meetings_detail", pk=meeting.pk)
    client.force_login(world.buyer_user)
    page = client.get(detail).content.decode()
    assert "Propose another time" in page
    response = client.post(
        url(world, "meetings_reschedule", pk=meeting.pk), {"slot": world.slots[2].pk, "place": "keep"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot == world.slots[0] and meeting.move_slot == world.slots[2]
    assert "Withdraw the proposal" in client.get(detail).content.decode()
    # The buyer may not accept its own proposal: 404, as for anything it may never do.
    assert client.post(url(world, "meetings_move_accept", pk=meeting.pk)).status_code == 404
    client.force_login(other_buyer)
    for name in ("meetings_move_accept", "meetings_move_decline"):
        assert client.post(url(world, name, pk=meeting.pk)).status_code == 404
    client.force_login(world.exhibitor_user)
    page = client.get(detail).content.decode()
    assert "The buyer proposes a new time" in page and "Accept the new time" in page
    assert client.post(url(world, "meetings_move_accept", pk=meeting.pk)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot == world.slots[2] and meeting.sequence == 2
    # Staff move it directly, to a table.
    client.force_login(staff)
    response = client.post(
        url(world, "meetings_reschedule", pk=meeting.pk), {"slot": world.slots[3].pk, "place": str(world.tables[0].pk)}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot == world.slots[3] and meeting.table == world.tables[0] and meeting.sequence == 3


# ----- cancelling: confirmed, with a reason kept apart ---------------------------------


def test_cancel_needs_a_reason_and_keeps_the_exhibitors_answer(world):
    meeting = services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=[world.slots[0]]
    )
    meeting = services.meeting_propose(
        meeting=meeting, by=world.exhibitor_user, slots=[world.slots[1]], message="Morning is full; 10:30?"
    )
    meeting = services.meeting_accept_proposal(meeting=meeting, slot=world.slots[1], by=world.buyer_user)
    services.meeting_move_propose(meeting=meeting, slot=world.slots[3], by=world.buyer_user)
    with pytest.raises(MeetingError, match="reason"):
        services.meeting_cancel(meeting=meeting, by=world.buyer_user, reason="   ")
    cancelled = services.meeting_cancel(meeting=meeting, by=world.buyer_user, reason="Our visit is shortened.")
    assert cancelled.cancel_reason == "Our visit is shortened."
    assert cancelled.answer_reason == "Morning is full; 10:30?"
    assert cancelled.move_slot is None and cancelled.move_side == ""
    assert cancelled.events.last().details == {"reason": "Our visit is shortened."}
    notice = Notification.objects.get(user=world.exhibitor_user, template="meeting_cancelled")
    assert notice.context["reason"] == "Our visit is shortened."


def test_cancel_page_confirms_and_requires_a_reason(client, world, other_buyer):
    meeting = booked(world)
    cancel = url(world, "meetings_cancel", pk=meeting.pk)
    client.force_login(world.exhibitor_user)
    detail = client.get(url(world, "meetings_detail", pk=meeting.pk)).content.decode()
    assert cancel in detail and 'action="' + cancel not in detail  # a link to a confirmation, not a one-click form
    page = client.get(cancel)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    response = client.post(cancel, {"reason": ""})
    assert response.status_code == 400 and "Please give a reason" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "accepted"
    assert client.post(cancel, {"reason": "The press broke down."}).status_code == 302
    client.force_login(world.buyer_user)
    body = client.get(url(world, "meetings_detail", pk=meeting.pk)).content.decode()
    assert "Reason for cancelling" in body and "The press broke down." in body
    client.force_login(other_buyer)
    assert client.get(cancel).status_code == 404


# ----- calendar: per-meeting .ics, attached to confirmations; reset link ----------------


def test_meeting_ics_download_in_the_exhibitions_time_zone(client, world, other_buyer):
    meeting = booked(world)
    client.force_login(world.buyer_user)
    assert url(world, "meetings_ics", pk=meeting.pk) in client.get(url(world, "meetings_agenda")).content.decode()
    response = client.get(url(world, "meetings_ics", pk=meeting.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@fairlink" and int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    client.force_login(other_buyer)
    assert client.get(url(world, "meetings_ics", pk=meeting.pk)).status_code == 404


def test_confirmation_email_carries_the_ics_in_the_recipients_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.buyer_user.preferred_language = "ja"
    world.buyer_user.save()
    meeting = services.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=[world.slots[0]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    [mail] = [m for m in mailoutbox if m.to == [world.buyer_user.email]]
    [(filename, content, mimetype)] = mail.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@fairlink"
    with translation.override("ja"):
        assert str(event["SUMMARY"]) == translation.gettext("Meeting: %(company)s") % {"company": world.exhibitor.name}
    assert "Meeting:" not in str(event["SUMMARY"])


def test_calendar_reset_revokes_the_old_address(client, world, outsider):
    old = world.buyer_user.calendar_token
    old_feed = url(world, "meetings_calendar", token=old)
    client.force_login(world.buyer_user)
    agenda = client.get(url(world, "meetings_agenda")).content.decode()
    assert url(world, "meetings_calendar_reset") in agenda and "js/copy.js" in agenda and "onfocus" not in agenda
    assert "data-copy" in agenda
    assert client.get(url(world, "meetings_calendar_reset")).status_code == 200
    world.buyer_user.refresh_from_db()
    assert world.buyer_user.calendar_token == old  # the page only asks
    assert client.post(url(world, "meetings_calendar_reset")).status_code == 302
    world.buyer_user.refresh_from_db()
    assert world.buyer_user.calendar_token != old
    assert client.get(old_feed).status_code == 404
    assert client.get(url(world, "meetings_calendar", token=world.buyer_user.calendar_token)).status_code == 200
    client.force_login(outsider)
    assert client.post(url(world, "meetings_calendar_reset")).status_code == 404


# ----- set-up: hours for every day in one form; breaks within them; time zones ----------


def hours_data(world, hours):
    days = world.exhibition.days
    data = {"action": "hours", "hours-TOTAL_FORMS": str(len(days)), "hours-INITIAL_FORMS": str(len(days))}
    for n, day in enumerate(days):
        starts, ends = hours.get(day, ("", ""))
        data.update({f"hours-{n}-day": day.isoformat(), f"hours-{n}-starts": starts, f"hours-{n}-ends": ends})
    return data


def test_one_save_keeps_the_hours_of_every_day(client, world, staff):
    days = world.exhibition.days
    client.force_login(staff)
    page = client.get(url(world, "meetings_setup")).content.decode()
    assert page.count('name="action" value="hours"') == 1
    wanted = {days[0]: ("10:00", "17:00"), days[1]: ("10:00", "16:00"), days[2]: ("09:30", "12:00")}
    assert client.post(url(world, "meetings_setup"), hours_data(world, wanted)).status_code == 302
    saved = {
        h.day: (f"{h.starts:%H:%M}", f"{h.ends:%H:%M}")
        for h in MeetingHours.objects.filter(exhibition=world.exhibition)
    }
    assert saved == wanted
    # One bad day: nothing is saved, the day says why.
    bad = dict(wanted)
    bad[days[1]] = ("16:00", "10:00")
    bad[days[2]] = ("08:00", "09:00")
    response = client.post(url(world, "meetings_setup"), hours_data(world, bad))
    assert response.status_code == 400 and "must end after they start" in response.content.decode()
    assert MeetingHours.objects.get(exhibition=world.exhibition, day=days[2]).starts == datetime.time(9, 30)


def test_a_break_outside_the_hours_is_refused(client, world, staff):
    day = world.exhibition.days[0]
    client.force_login(staff)
    client.post(url(world, "meetings_setup"), hours_data(world, {day: ("10:00", "17:00")}))
    response = client.post(
        url(world, "meetings_setup"), {"action": "break", "day": day.isoformat(), "starts": "18:00", "ends": "19:00"}
    )
    assert response.status_code == 400
    assert "within that day" in response.content.decode() and "10:00–17:00" in response.content.decode()
    other_day = world.exhibition.days[1]
    response = client.post(
        url(world, "meetings_setup"),
        {"action": "break", "day": other_day.isoformat(), "starts": "12:00", "ends": "13:00"},
    )
    assert response.status_code == 400 and "no meeting hours" in response.content.decode()
    assert not MeetingBreak.objects.exists()
    with pytest.raises(MeetingError):
        services.meeting_break_add(
            exhibition=world.exhibition, day=day, starts=datetime.time(9), ends=datetime.time(10, 30)
        )
    # Hours that would leave an existing break outside are refused too.
    services.meeting_break_add(exhibition=world.exhibition, day=day, starts=datetime.time(12), ends=datetime.time(13))
    response = client.post(url(world, "meetings_setup"), hours_data(world, {day: ("13:00", "17:00")}))
    assert response.status_code == 400 and "12:00–13:00" in response.content.decode()


def exhibition_post(exhibition, **changes):
    data = model_to_dict(exhibition)
    data.update(changes)
    data["cooperative"] = exhibition.cooperative_id
    return {k: ("" if v is None else v) for k, v in data.items() if k in data}


def test_time_zone_change_converts_slots_to_the_same_local_hours(client, staff):
    exhibition = factories.ExhibitionFactory()
    day = exhibition.days[0]
    services.meeting_hours_set(exhibition=exhibition, day=day, starts=datetime.time(10), ends=datetime.time(12))
    services.slots_generate(exhibition=exhibition)
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:edit", kwargs={"slug": exhibition.slug}),
        exhibition_post(exhibition, timezone="Asia/Seoul"),
        follow=True,
    )
    assert response.status_code == 200
    assert "4 meeting slots were made again in Asia/Seoul" in response.content.decode()
    exhibition.refresh_from_db()
    tz = exhibition.tzinfo
    assert [s.starts_at.astimezone(tz).strftime("%H:%M") for s in Slot.objects.filter(exhibition=exhibition)] == [
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]


def test_time_zone_change_is_refused_while_meetings_hold_its_times(client, world, staff):
    booked(world)
    services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=add_buyer(world),
        exhibitor=world.exhibitor,
        slots=[world.slots[1]],
    )
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:edit", kwargs={"slug": world.exhibition.slug}),
        exhibition_post(world.exhibition, timezone="Europe/London"),
    )
    assert response.status_code == 200 and response.context["form"].errors["timezone"]
    assert "2 meetings are booked or requested" in response.content.decode()
    world.exhibition.refresh_from_db()
    assert world.exhibition.timezone == "Asia/Tokyo"
    world.exhibition.timezone = "Europe/London"
    with pytest.raises(exhibition_services.ExhibitionError):
        exhibition_services.exhibition_save(exhibition=world.exhibition, by=staff)


# ----- the request form's slot picker ----------------------------------------------------


def test_slot_picker_groups_days_and_disables_times_not_free_for_both(client, world):
    rival_exhibitor = add_exhibitor(world, "B-01")
    booked(world, slot=world.slots[0], exhibitor=rival_exhibitor.company, by=rival_exhibitor)  # buyer busy at 0
    booked(world, slot=world.slots[1], buyer_person=add_buyer(world))  # exhibitor full at 1 (one at a time)
    client.force_login(world.buyer_user)
    response = client.get(url(world, "meetings_request") + f"?exhibitor={world.exhibitor.ref}")
    body = response.content.decode()
    assert body.count('class="slot-day"') == 1
    assert 'class="slot buyer_busy"' in body and 'class="slot exhibitor_full"' in body
    assert body.count(" disabled>") == 2 and body.count('class="slot free"') == 2
    response = client.post(
        url(world, "meetings_request"),
        {"exhibitor": world.exhibitor.ref, "slots": [world.slots[1].pk], "message": ""},
    )
    assert response.status_code == 400 and "no longer free for both sides" in response.content.decode()
    assert not Meeting.objects.filter(buyer=world.buyer, exhibitor=world.exhibitor).exists()


# ----- phones and dates -----------------------------------------------------------------


def test_agenda_cells_are_labelled_for_the_phone_layout(client, world):
    booked(world)
    client.force_login(world.buyer_user)
    body = client.get(url(world, "meetings_agenda")).content.decode()
    assert 'data-label="Interpreter"' in body and 'data-label="Status"' in body


@pytest.mark.parametrize(
    ("language", "pattern"),
    [("ja", "{y}年{m}月{d}日({w})"), ("ko", "{y}년 {m}월 {d}일 ({w})")],
)
def test_pages_write_dates_the_readers_way(client, world, language, pattern):
    meeting = booked(world)
    local = meeting.starts_at.astimezone(world.exhibition.tzinfo)
    weekday = ("月火水木金土日" if language == "ja" else "월화수목금토일")[local.weekday()]
    expected = pattern.format(y=local.year, m=local.month, d=local.day, w=weekday)
    client.force_login(world.buyer_user)
    client.cookies["django_language"] = language
    for page in ("meetings_agenda", "meetings_detail"):
        kwargs = {"pk": meeting.pk} if page == "meetings_detail" else {}
        body = client.get(url(world, page, **kwargs), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert expected in body, page
        # What the reader sees: not the ISO date (links may carry it, e.g. ?day= of a PDF).
        text = re.sub(r'(href|action)="[^"]*"', "", body)
        assert local.strftime("%Y-%m-%d") not in text, page
    first = world.exhibition.starts_on
    body = client.get(world.exhibition.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert (
        pattern.format(
            y=first.year,
            m=first.month,
            d=first.day,
            w=("月火水木金土日" if language == "ja" else "월화수목금토일")[first.weekday()],
        )
        in body
    )


def test_ics_summary_follows_the_page_language(world):
    meeting = booked(world)
    body = calendar.meeting_ics(meeting, world.buyer_user, language="ko")
    [event] = Calendar.from_ical(body).walk("VEVENT")
    with translation.override("ko"):
        assert str(event["SUMMARY"]) == translation.gettext("Meeting: %(company)s") % {"company": world.exhibitor.name}


def count_request_page_queries(client, world):
    client.force_login(world.buyer_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world, "meetings_request") + f"?exhibitor={world.exhibitor.ref}")
    assert response.status_code == 200
    return len(queries)


def test_slot_picker_query_count_does_not_grow_with_slots(client, exhibitor_owner, buyer_owner):
    small = make_world(exhibitor_user=exhibitor_owner, buyer_user=buyer_owner, slots=5)
    booked(small, slot=small.slots[0])
    few = count_request_page_queries(client, small)
    buyer = factories.MembershipFactory(company=factories.BuyerFactory(), role="owner").user
    exhibitor = factories.MembershipFactory(company=factories.ExhibitorFactory(), role="owner").user
    large = make_world(exhibitor_user=exhibitor, buyer_user=buyer, slots=200)
    booked(large, slot=large.slots[0])
    booked(large, slot=large.slots[5], buyer_person=add_buyer(large))
    assert count_request_page_queries(client, large) == few
