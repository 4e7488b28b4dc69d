"""Wishes, availability and the interpreter flag: the services and their rules."""

import datetime

import pytest
from django.core import mail

from companies.models import Notification
from exhibitions.meetings import services as meetings
from exhibitions.models import Meeting, Unavailability, Wish
from exhibitions.wishes import services
from exhibitions.wishes.services import WishError
from tests import factories

from .conftest import add_buyer, add_exhibitor

pytestmark = pytest.mark.django_db


def set_wish(world, by="buyer", priority="must", person=None):
    person = person or (world.buyer_user if by == "buyer" else world.exhibitor_user)
    return services.wish_set(
        exhibition=world.exhibition,
        buyer=world.buyer,
        exhibitor=world.exhibitor,
        by=by,
        priority=priority,
        person=person,
    )


def test_each_side_sets_its_own_wish_once_and_can_change_it(world):
    set_wish(world, "buyer", "want")
    set_wish(world, "buyer", "must")
    set_wish(world, "exhibitor", "no")
    wishes = {w.by: w.priority for w in Wish.objects.filter(exhibition=world.exhibition)}
    assert wishes == {"buyer": "must", "exhibitor": "no"}


def test_only_the_sides_people_speak_for_it(world, other_buyer, outsider):
    with pytest.raises(WishError, match="Only people of the company"):
        set_wish(world, "buyer", person=world.exhibitor_user)
    with pytest.raises(WishError, match="Only people of the company"):
        set_wish(world, "exhibitor", person=world.buyer_user)
    with pytest.raises(WishError):
        set_wish(world, "buyer", person=other_buyer)
    assert not Wish.objects.exists()


def test_both_companies_must_take_part(world):
    world.registration.status = "rejected"
    world.registration.save()
    with pytest.raises(WishError, match="take part"):
        set_wish(world)


def test_a_bad_priority_is_refused(world):
    with pytest.raises(WishError):
        set_wish(world, priority="maybe")


def test_clear_removes_only_that_sides_wish(world):
    set_wish(world, "buyer")
    set_wish(world, "exhibitor", "want")
    services.wish_clear(
        exhibition=world.exhibition, buyer=world.buyer, exhibitor=world.exhibitor, by="buyer", person=world.buyer_user
    )
    assert list(Wish.objects.values_list("by", flat=True)) == ["exhibitor"]


def test_an_exhibitor_reaching_out_tells_the_buyers_people_once_in_their_language(
    world, django_capture_on_commit_callbacks
):
    world.exhibition.title_ja = "韓国金型展"
    world.exhibition.save()
    world.buyer_user.preferred_language = "ja"
    world.buyer_user.save()
    colleague = factories.MembershipFactory(company=world.buyer, role="member").user
    colleague.preferred_language = "en"
    colleague.save()
    with django_capture_on_commit_callbacks(execute=True):
        set_wish(world, "exhibitor", "want")
        set_wish(world, "exhibitor", "must")
    notices = {n.user_id: n for n in Notification.objects.filter(template="wish_from_exhibitor")}
    assert set(notices) == {world.buyer_user.pk, colleague.pk}
    assert notices[world.buyer_user.pk].context["exhibition"] == "韓国金型展"
    assert notices[colleague.pk].context["exhibition"] == world.exhibition.title_en
    assert len(mail.outbox) == 2
    assert any(world.exhibitor.name in m.subject and "would like to meet you" in m.subject for m in mail.outbox)


def test_a_buyers_wish_and_an_exhibitors_no_tell_nobody(world):
    set_wish(world, "buyer", "must")
    set_wish(world, "exhibitor", "no")
    assert not Notification.objects.filter(template="wish_from_exhibitor").exists()


def test_not_interested_does_not_cancel_an_open_request(world):
    meeting = meetings.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    set_wish(world, "exhibitor", "no")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REQUESTED


# ---------------------------------------------------------------------------------------
# Availability


def test_visit_days_are_days_of_the_exhibition(world):
    days = world.exhibition.days
    services.visit_days_set(registration=world.registration, days=[days[1].isoformat()], by=world.buyer_user)
    world.registration.refresh_from_db()
    assert world.registration.visit_days == [days[1].isoformat()]
    with pytest.raises(WishError, match="days of the exhibition"):
        services.visit_days_set(
            registration=world.registration,
            days=[(days[-1] + datetime.timedelta(days=1)).isoformat()],
            by=world.buyer_user,
        )
    with pytest.raises(WishError):
        services.visit_days_set(registration=world.registration, days=[days[0]], by=world.exhibitor_user)
    world.registration.refresh_from_db()
    assert world.registration.visit_days == [days[1].isoformat()]


def blocked(world, start_hour, end_hour, *, company=None, by=None, day=0, person=None):
    tz = world.exhibition.tzinfo
    date = world.exhibition.days[day]
    return services.unavailability_add(
        exhibition=world.exhibition,
        company=company or world.exhibitor,
        by=by or world.exhibitor_user,
        starts_at=datetime.datetime.combine(date, datetime.time(start_hour), tz),
        ends_at=datetime.datetime.combine(date, datetime.time(end_hour), tz),
        person=person,
    )


def test_blocked_times_are_checked(world, other_exhibitor):
    row = blocked(world, 10, 12)
    assert row.company == world.exhibitor
    with pytest.raises(WishError, match="end after it starts"):
        blocked(world, 12, 10)
    with pytest.raises(WishError, match="Only people of the company"):
        blocked(world, 10, 11, by=other_exhibitor)
    with pytest.raises(WishError, match="not in your company"):
        blocked(world, 10, 11, person=other_exhibitor)
    before = world.exhibition.starts_on - datetime.timedelta(days=1)
    with pytest.raises(WishError, match="within the days"):
        services.unavailability_add(
            exhibition=world.exhibition,
            company=world.exhibitor,
            by=world.exhibitor_user,
            starts_at=datetime.datetime.combine(before, datetime.time(10), world.exhibition.tzinfo),
            ends_at=datetime.datetime.combine(before, datetime.time(11), world.exhibition.tzinfo),
        )
    assert Unavailability.objects.count() == 1
    with pytest.raises(WishError):
        services.unavailability_remove(unavailability=row, by=other_exhibitor)
    services.unavailability_remove(unavailability=row, by=world.exhibitor_user)
    assert not Unavailability.objects.exists()


def test_parallel_meetings_up_to_representatives_plus_one_staff_up_to_ten(world, staff):
    services.parallel_meetings_set(application=world.application, count=2, by=world.exhibitor_user)
    with pytest.raises(WishError, match="between 1 and 2"):
        services.parallel_meetings_set(application=world.application, count=3, by=world.exhibitor_user)
    services.parallel_meetings_set(application=world.application, count=10, by=staff)
    world.application.refresh_from_db()
    assert world.application.parallel_meetings == 10
    with pytest.raises(WishError):
        services.parallel_meetings_set(application=world.application, count=11, by=staff)


def test_lowering_parallel_meetings_below_seats_in_use_is_refused(world, staff):
    world.application.representatives.all().delete()
    services.parallel_meetings_set(application=world.application, count=2, by=staff)
    for _ in range(2):
        buyer = add_buyer(world)
        meeting = meetings.meeting_request(
            exhibition=world.exhibition, buyer_person=buyer, exhibitor=world.exhibitor, slots=world.slots[:1]
        )
        meetings.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    with pytest.raises(WishError, match="move or cancel"):
        services.parallel_meetings_set(application=world.application, count=1, by=staff)
    world.application.refresh_from_db()
    assert world.application.parallel_meetings == 2


# ---------------------------------------------------------------------------------------
# The interpreter flag follows the people in the meeting


def test_the_flag_follows_the_representative_picked_on_acceptance(world):
    """Issue 8: the buyer speaks Japanese only; the exhibitor's stand speaks Korean."""
    world.exhibitor.languages = "ko"
    world.exhibitor.save()
    world.rep.languages = "ko"
    world.rep.save()
    speaker = factories.RepresentativeFactory(application=world.application, name="Park Ji-eun", languages="ko ja")
    first = meetings.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    assert first.representative is None and first.interpreter_needed is True
    first = meetings.meeting_accept(meeting=first, slot=world.slots[0], by=world.exhibitor_user, representative=speaker)
    assert first.interpreter_needed is False  # the representative who speaks Japanese: the flag clears

    # The buyer asked for the Japanese speaker; the exhibitor sends one who does not: it sets.
    second = meetings.meeting_request(
        exhibition=world.exhibition,
        buyer_person=add_buyer(world),
        exhibitor=world.exhibitor,
        slots=world.slots[1:2],
        representative=speaker,
    )
    assert second.interpreter_needed is False
    second = meetings.meeting_accept(
        meeting=second, slot=world.slots[1], by=world.exhibitor_user, representative=world.rep
    )
    assert second.interpreter_needed is True
    assert Meeting.objects.get(pk=second.pk).interpreter_needed is True


def test_stand_languages_change_recomputes_open_meetings(world):
    world.exhibitor.languages = "ko"
    world.exhibitor.save()
    world.rep.languages = ""
    world.rep.save()
    meeting = meetings.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    assert meeting.interpreter_needed is True
    services.stand_languages_set(application=world.application, languages=["ko", "ja"], by=world.exhibitor_user)
    meeting.refresh_from_db()
    assert meeting.interpreter_needed is False
    with pytest.raises(WishError):
        services.stand_languages_set(application=world.application, languages=["xx"], by=world.exhibitor_user)


def test_staff_book_for_a_buyer_company_without_people(world, staff):
    silent = factories.BuyerFactory(name_en="Chubu Press Works")
    factories.BuyerRegistrationFactory(exhibition=world.exhibition, company=silent)
    meeting = meetings.meeting_book_by_staff(
        exhibition=world.exhibition, buyer=silent, exhibitor=world.exhibitor, slot=world.slots[0], by=staff
    )
    assert meeting.status == "accepted" and meeting.buyer == silent and meeting.buyer_person is None
    assert meeting.origin == Meeting.Origin.STAFF
    other_exhibitor = add_exhibitor(world, "A-02")
    with pytest.raises(meetings.MeetingConflict):
        meetings.meeting_book_by_staff(
            exhibition=world.exhibition,
            buyer=silent,
            exhibitor=other_exhibitor.company,
            slot=world.slots[0],
            by=staff,
        )
    with pytest.raises(meetings.MeetingError, match="not in the buyer company"):
        meetings.meeting_book_by_staff(
            exhibition=world.exhibition,
            buyer=silent,
            buyer_person=world.buyer_user,
            exhibitor=other_exhibitor.company,
            slot=world.slots[1],
            by=staff,
        )


def test_a_company_that_starts_speaking_japanese_needs_no_interpreter_any_more(world):
    from companies.services import company_update

    world.exhibitor.languages = "ko"
    world.exhibitor.save()
    world.rep.languages = ""
    world.rep.save()
    world.application.stand_languages = ""
    world.application.save()
    meeting = meetings.meeting_request(
        exhibition=world.exhibition, buyer_person=world.buyer_user, exhibitor=world.exhibitor, slots=world.slots[:1]
    )
    assert meeting.interpreter_needed is True
    company_update(company=world.exhibitor, by=world.exhibitor_user, fields={"languages": "ko ja"})
    meeting.refresh_from_db()
    assert meeting.interpreter_needed is False
