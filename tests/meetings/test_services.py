"""Every rule and transition of a meeting, through the service functions."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from companies.models import Notification
from exhibitions.meetings import services, tasks
from exhibitions.meetings.services import MeetingConflict, MeetingError
from exhibitions.models import ExchangeRate, Meeting, MeetingEvent, MeetingOutcome
from tests import factories

from .conftest import add_buyer, add_exhibitor, move, past

pytestmark = pytest.mark.django_db


def request(world, slots=None, **kwargs):
    return services.meeting_request(
        exhibition=world.exhibition,
        buyer_person=kwargs.pop("buyer_person", world.buyer_user),
        exhibitor=kwargs.pop("exhibitor", world.exhibitor),
        slots=slots if slots is not None else world.slots[:2],
        message=kwargs.pop("message", "We source hot-runner moulds."),
        **kwargs,
    )


def accepted(world, slot=None, **kwargs):
    meeting = request(world, **kwargs)
    return services.meeting_accept(meeting=meeting, slot=slot or world.slots[0], by=world.exhibitor_user)


# ----- request -------------------------------------------------------------------------


def test_request_records_event_notifies_exhibitor_and_sets_expiry(world, exhibitor_colleague):
    meeting = request(world)
    assert meeting.status == "requested"
    assert set(meeting.proposed_slots.all()) == set(world.slots[:2])
    assert meeting.representative == world.rep  # the only representative is chosen
    assert meeting.requested_by == world.buyer_user
    ttl = datetime.timedelta(hours=world.exhibition.meeting_request_ttl_hours)
    assert abs(meeting.expires_at - (timezone.now() + ttl)) < datetime.timedelta(minutes=1)
    event = meeting.events.get()
    assert (event.action, event.from_status, event.to_status) == ("requested", "", "requested")
    notified = set(Notification.objects.filter(template="meeting_requested").values_list("user", flat=True))
    assert notified == {world.exhibitor_user.pk, exhibitor_colleague.pk}


def test_request_expiry_is_capped_at_the_last_acceptable_time(world):
    world.exhibition.meeting_request_ttl_hours = 24 * 30
    world.exhibition.save()
    meeting = request(world)
    assert meeting.expires_at == world.slots[1].starts_at


def test_interpreter_flag_when_no_shared_language(world):
    # Buyer speaks ja only; exhibitor ko/en, stand ko, representative ko/en.
    assert request(world).interpreter_needed is True


def test_no_interpreter_when_registration_adds_a_shared_language(world):
    world.registration.languages = "ja en"
    world.registration.save()
    assert request(world).interpreter_needed is False


def test_interpreter_follows_the_chosen_representative(world):
    japanese_speaker = factories.RepresentativeFactory(application=world.application, languages="ja")
    meeting = request(world, representative=japanese_speaker)
    assert meeting.interpreter_needed is False
    assert services.interpreter_needed_for(
        buyer=world.buyer, exhibitor=world.exhibitor, representative=world.rep
    )  # ko/en vs ja


def test_no_representative_chosen_when_there_are_several(world):
    factories.RepresentativeFactory(application=world.application)
    assert request(world).representative is None


def test_pending_cap(world):
    world.exhibition.meeting_pending_cap = 2
    world.exhibition.save()
    request(world)
    request(world, exhibitor=add_exhibitor(world, "B-01").company)
    with pytest.raises(MeetingError, match="open requests"):
        request(world, exhibitor=add_exhibitor(world, "C-01").company)
    assert Meeting.objects.count() == 2


def test_answered_requests_free_the_cap(world):
    world.exhibition.meeting_pending_cap = 1
    world.exhibition.save()
    first = request(world)
    services.meeting_decline(meeting=first, by=world.exhibitor_user, reason="Fully booked")
    request(world, exhibitor=add_exhibitor(world, "B-01").company)


def test_one_open_request_per_pair(world):
    request(world)
    with pytest.raises(MeetingError, match="already"):
        request(world)


def test_request_refuses_non_participants(world, other_exhibitor, other_buyer):
    with pytest.raises(MeetingError, match="does not exhibit"):
        request(world, exhibitor=other_exhibitor.company)
    with pytest.raises(MeetingError, match="not a registered buyer"):
        request(world, buyer_person=other_buyer)
    with pytest.raises(MeetingError, match="Only buyers"):
        request(world, buyer_person=world.exhibitor_user)


def test_request_refuses_times_the_buyer_person_is_booked(world):
    accepted(world)
    other = add_exhibitor(world, "B-01")
    with pytest.raises(MeetingError, match="already have a meeting"):
        request(world, exhibitor=other.company, slots=[world.slots[0], world.slots[2]])


def test_request_refuses_past_and_foreign_slots(world):
    foreign = factories.SlotFactory()
    with pytest.raises(MeetingError, match="not at this exhibition"):
        request(world, slots=[foreign])
    old = factories.SlotFactory(
        exhibition=world.exhibition,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1, minutes=30),
    )
    with pytest.raises(MeetingError, match="passed"):
        request(world, slots=[old])
    with pytest.raises(MeetingError, match="at least one"):
        request(world, slots=[])


# ----- accept / decline / propose ----------------------------------------------------------


def test_accept_books_the_booth_and_notifies_the_buyer(world):
    meeting = accepted(world, slot=None)
    assert meeting.status == "accepted"
    assert meeting.slot == world.slots[0]
    assert (meeting.starts_at, meeting.ends_at) == (world.slots[0].starts_at, world.slots[0].ends_at)
    assert meeting.booth == world.booth and meeting.table is None
    assert meeting.sequence == 1 and meeting.expires_at is None
    assert [e.action for e in meeting.events.all()] == ["requested", "accepted"]
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_accepted").count() == 1


def test_accept_at_a_table(world):
    meeting = request(world)
    meeting = services.meeting_accept(
        meeting=meeting, slot=world.slots[1], by=world.exhibitor_user, table=world.tables[1]
    )
    assert meeting.table == world.tables[1] and meeting.booth is None


def test_accept_only_an_offered_slot(world):
    meeting = request(world)
    with pytest.raises(MeetingError, match="offered"):
        services.meeting_accept(meeting=meeting, slot=world.slots[3], by=world.exhibitor_user)


def test_only_the_exhibitor_accepts(world, other_exhibitor, staff):
    meeting = request(world)
    for person in (world.buyer_user, other_exhibitor, staff):
        with pytest.raises(MeetingError):
            services.meeting_accept(meeting=meeting, slot=world.slots[0], by=person)
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_accept_twice_is_forbidden(world):
    meeting = accepted(world)
    with pytest.raises(MeetingError, match="Accepted"):
        services.meeting_accept(meeting=meeting, slot=world.slots[1], by=world.exhibitor_user)


def test_accept_conflicts_with_the_buyer_persons_other_meeting(world):
    other = add_exhibitor(world, "B-01")
    second = request(world, exhibitor=other.company, slots=[world.slots[0], world.slots[1]])
    accepted(world)  # the first exhibitor answers first
    with pytest.raises(MeetingConflict, match="buyer already"):
        services.meeting_accept(meeting=second, slot=world.slots[0], by=other)
    second.refresh_from_db()
    assert second.status == "requested"
    # Another offered time still works.
    services.meeting_accept(meeting=second, slot=world.slots[1], by=other)


def test_accept_conflicts_on_the_booth(world):
    accepted(world)
    other_buyer = add_buyer(world)
    second = request(world, buyer_person=other_buyer)
    with pytest.raises(MeetingConflict):
        services.meeting_accept(meeting=second, slot=world.slots[0], by=world.exhibitor_user)


def test_accept_conflicts_on_the_representative_even_at_a_table(world):
    accepted(world)
    second = request(world, buyer_person=add_buyer(world))
    with pytest.raises(MeetingConflict, match="representative"):
        services.meeting_accept(meeting=second, slot=world.slots[0], by=world.exhibitor_user, table=world.tables[0])


def test_accept_conflicts_on_the_table(world):
    meeting = request(world)
    services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user, table=world.tables[0])
    other = add_exhibitor(world, "B-01")
    second = request(world, buyer_person=add_buyer(world), exhibitor=other.company)
    with pytest.raises(MeetingConflict, match="table"):
        services.meeting_accept(meeting=second, slot=world.slots[0], by=other, table=world.tables[0])


def test_constraint_is_the_backstop_and_becomes_meeting_conflict(world):
    """Even if the checks were skipped, the partial unique constraint refuses a double booking."""
    accepted(world)
    twin = factories.MeetingFactory(
        exhibition=world.exhibition, buyer=world.buyer, exhibitor=add_exhibitor(world, "B-01").company
    )
    twin.buyer_person = world.buyer_user
    twin.status = "accepted"
    twin.slot = world.slots[0]
    with pytest.raises(MeetingConflict):
        services._save(twin)


def test_exhibitor_without_booth_gets_a_free_table(world):
    world.application.booth = None
    world.application.save()
    meeting = accepted(world)
    assert meeting.table == world.tables[0] and meeting.booth is None


def test_decline_needs_a_reason_and_notifies_the_buyer(world):
    meeting = request(world)
    with pytest.raises(MeetingError, match="reason"):
        services.meeting_decline(meeting=meeting, by=world.exhibitor_user, reason="  ")
    meeting = services.meeting_decline(meeting=meeting, by=world.exhibitor_user, reason="We do not make that.")
    assert meeting.status == "declined" and meeting.answer_reason == "We do not make that."
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_declined").exists()
    with pytest.raises(MeetingError):
        services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)


def test_buyer_cannot_decline_its_own_request(world):
    with pytest.raises(MeetingError):
        services.meeting_decline(meeting=request(world), by=world.buyer_user, reason="no")


def test_propose_then_buyer_accepts(world):
    meeting = request(world)
    meeting = services.meeting_propose(
        meeting=meeting, by=world.exhibitor_user, slots=[world.slots[2], world.slots[3]], message="Afternoon?"
    )
    assert meeting.status == "proposed"
    assert set(meeting.proposed_slots.all()) == {world.slots[2], world.slots[3]}
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_proposed").exists()
    with pytest.raises(MeetingError, match="proposed"):
        services.meeting_accept_proposal(meeting=meeting, slot=world.slots[0], by=world.buyer_user)
    with pytest.raises(MeetingError):
        services.meeting_accept_proposal(meeting=meeting, slot=world.slots[2], by=world.exhibitor_user)
    meeting = services.meeting_accept_proposal(meeting=meeting, slot=world.slots[3], by=world.buyer_user)
    assert meeting.status == "accepted" and meeting.slot == world.slots[3] and meeting.booth == world.booth
    assert [e.action for e in meeting.events.all()] == ["requested", "proposed", "proposal_accepted"]
    assert Notification.objects.filter(user=world.exhibitor_user, template="meeting_accepted").exists()


def test_buyer_declines_a_proposal(world):
    meeting = services.meeting_propose(meeting=request(world), by=world.exhibitor_user, slots=[world.slots[3]])
    with pytest.raises(MeetingError):
        services.meeting_decline(meeting=meeting, by=world.exhibitor_user, reason="x")
    meeting = services.meeting_decline(meeting=meeting, by=world.buyer_user)
    assert meeting.status == "declined"
    assert Notification.objects.filter(user=world.exhibitor_user, template="meeting_declined").exists()


def test_exhibitor_cannot_accept_its_own_proposal_nor_propose_twice(world):
    meeting = services.meeting_propose(meeting=request(world), by=world.exhibitor_user, slots=[world.slots[3]])
    with pytest.raises(MeetingError):
        services.meeting_accept(meeting=meeting, slot=world.slots[3], by=world.exhibitor_user)
    with pytest.raises(MeetingError):
        services.meeting_propose(meeting=meeting, by=world.exhibitor_user, slots=[world.slots[2]])


# ----- cancel / reschedule -----------------------------------------------------------------


def test_buyer_withdraws_a_request(world):
    meeting = services.meeting_cancel(meeting=request(world), by=world.buyer_user, reason="Plans changed")
    assert meeting.status == "cancelled" and meeting.starts_at is None
    assert Notification.objects.filter(user=world.exhibitor_user, template="meeting_cancelled").exists()


def test_cancel_a_booked_meeting_frees_the_slot_and_bumps_the_sequence(world):
    meeting = accepted(world)
    meeting = services.meeting_cancel(meeting=meeting, by=world.exhibitor_user, reason="Sick")
    assert meeting.status == "cancelled" and meeting.slot is None
    assert meeting.starts_at == world.slots[0].starts_at  # kept for calendars
    assert meeting.sequence == 2
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_cancelled").exists()
    # The buyer and the booth are free again in that slot.
    again = request(world, slots=[world.slots[0]])
    services.meeting_accept(meeting=again, slot=world.slots[0], by=world.exhibitor_user)
    with pytest.raises(MeetingError):
        services.meeting_cancel(meeting=meeting, by=world.buyer_user, reason="Plans changed")


def test_exhibitor_declines_rather_than_cancels_a_request(world):
    meeting = request(world)
    with pytest.raises(MeetingError, match="Decline"):
        services.meeting_cancel(meeting=meeting, by=world.exhibitor_user, reason="Plans changed")


def test_outsiders_cannot_cancel(world, other_buyer):
    meeting = accepted(world)
    with pytest.raises(MeetingError):
        services.meeting_cancel(meeting=meeting, by=other_buyer, reason="Plans changed")


def test_staff_cancel_notifies_both_sides(world, staff):
    services.meeting_cancel(meeting=accepted(world), by=staff, reason="Hall closed")
    templates = Notification.objects.filter(template="meeting_cancelled").values_list("user", flat=True)
    assert set(templates) == {world.buyer_user.pk, world.exhibitor_user.pk}


def test_started_meeting_cannot_be_cancelled_or_moved(world):
    meeting = past(accepted(world))
    with pytest.raises(MeetingError, match="started"):
        services.meeting_cancel(meeting=meeting, by=world.buyer_user, reason="Plans changed")
    with pytest.raises(MeetingError, match="started"):
        services.meeting_move_propose(meeting=meeting, slot=world.slots[2], by=world.buyer_user)


def test_reschedule_keeps_the_meeting_and_its_history(world):
    meeting = accepted(world)
    uid = meeting.uid
    moved = move(meeting, world.slots[2], by=world.buyer_user, accepted_by=world.exhibitor_user)
    assert moved.pk == meeting.pk and moved.uid == uid
    assert moved.slot == world.slots[2] and moved.starts_at == world.slots[2].starts_at
    assert moved.sequence == 2 and moved.status == "accepted"
    event = moved.events.last()
    assert event.action == "rescheduled"
    assert event.details == {
        "from": world.slots[0].starts_at.isoformat(),
        "to": world.slots[2].starts_at.isoformat(),
        "proposed_by": "buyer",
    }
    assert [e.action for e in moved.events.all()] == ["requested", "accepted", "move_proposed", "rescheduled"]
    assert Meeting.objects.count() == 1
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_rescheduled").exists()


def test_reschedule_into_a_busy_slot_is_a_conflict(world, staff):
    first = accepted(world)
    second = request(world, buyer_person=add_buyer(world), slots=[world.slots[1]])
    services.meeting_accept(meeting=second, slot=world.slots[1], by=world.exhibitor_user)
    with pytest.raises(MeetingConflict):
        services.meeting_reschedule(meeting=first, slot=world.slots[1], by=staff)
    first.refresh_from_db()
    assert first.slot == world.slots[0] and first.sequence == 1


def test_reschedule_only_booked_meetings(world, staff):
    with pytest.raises(MeetingError):
        services.meeting_reschedule(meeting=request(world), slot=world.slots[2], by=staff)


# ----- staff -------------------------------------------------------------------------------


def test_staff_book_for_both_sides(world, staff):
    meeting = services.meeting_book_by_staff(
        exhibition=world.exhibition,
        buyer_person=world.buyer_user,
        exhibitor=world.exhibitor,
        slot=world.slots[1],
        by=staff,
    )
    assert meeting.status == "accepted" and meeting.booth == world.booth and meeting.representative == world.rep
    assert meeting.interpreter_needed is True and meeting.sequence == 1
    assert meeting.events.get().action == "booked_by_staff"
    assert set(Notification.objects.filter(template="meeting_booked").values_list("user", flat=True)) == {
        world.buyer_user.pk,
        world.exhibitor_user.pk,
    }
    with pytest.raises(MeetingConflict):
        services.meeting_book_by_staff(
            exhibition=world.exhibition,
            buyer_person=world.buyer_user,
            exhibitor=add_exhibitor(world, "B-01").company,
            slot=world.slots[1],
            by=staff,
        )


def test_only_staff_book_for_both_sides(world):
    with pytest.raises(MeetingError):
        services.meeting_book_by_staff(
            exhibition=world.exhibition,
            buyer_person=world.buyer_user,
            exhibitor=world.exhibitor,
            slot=world.slots[1],
            by=world.exhibitor_user,
        )


def test_no_show_by_staff_after_start_only(world, staff):
    meeting = accepted(world)
    with pytest.raises(MeetingError, match="not started"):
        services.meeting_mark_no_show(meeting=meeting, by=staff)
    past(meeting)
    with pytest.raises(MeetingError):
        services.meeting_mark_no_show(meeting=meeting, by=world.buyer_user)
    meeting = services.meeting_mark_no_show(meeting=meeting, by=staff, absent="buyer")
    assert meeting.status == "no_show"
    assert meeting.events.last().details == {"absent": "buyer"}
    with pytest.raises(MeetingError):
        services.meeting_record_outcome(meeting=meeting, by=world.buyer_user, outcome="deal")


# ----- outcomes ----------------------------------------------------------------------------


def test_outcome_only_after_the_meeting_started(world):
    meeting = accepted(world)
    with pytest.raises(MeetingError, match="started"):
        services.meeting_record_outcome(meeting=meeting, by=world.buyer_user, outcome="follow_up")


def test_outcomes_summarise_to_furthest_stage_and_largest_value(world):
    ExchangeRate.objects.create(exhibition=world.exhibition, jpy_per_usd=150, krw_per_usd=1400)
    meeting = past(accepted(world))
    meeting = services.meeting_record_outcome(
        meeting=meeting,
        by=world.buyer_user,
        outcome="quotation",
        estimated_value=Decimal("3000000"),
        currency="JPY",
        note="Price too high",
    )
    assert meeting.status == "held" and meeting.outcome == "quotation"
    assert meeting.deal_value_usd == Decimal("20000.00")
    meeting = services.meeting_record_outcome(
        meeting=meeting, by=world.exhibitor_user, outcome="deal", estimated_value=Decimal("15000"), currency="USD"
    )
    assert meeting.outcome == "deal" and meeting.deal_value_usd == Decimal("20000.00")
    # Recording again updates the side's row.
    meeting = services.meeting_record_outcome(
        meeting=meeting, by=world.exhibitor_user, outcome="deal", estimated_value=Decimal("50000"), currency="USD"
    )
    assert MeetingOutcome.objects.filter(meeting=meeting).count() == 2
    assert meeting.deal_value_usd == Decimal("50000.00")
    # The history does not leak the private note or the value.
    for event in MeetingEvent.objects.filter(meeting=meeting, action="outcome_recorded"):
        assert "Price" not in str(event.details) and "3000000" not in str(event.details)


def test_outcome_by_outsider_or_staff_is_refused(world, staff, other_buyer):
    meeting = past(accepted(world))
    for person in (staff, other_buyer):
        with pytest.raises(MeetingError):
            services.meeting_record_outcome(meeting=meeting, by=person, outcome="deal")


def test_summary_helpers():
    class Said:
        def __init__(self, outcome, value, currency):
            self.outcome, self.estimated_value, self.currency = outcome, value, currency

    assert services.summarise_outcomes([]) == ("", None)
    assert services.summarise_outcomes([Said("no_interest", None, "JPY"), Said("follow_up", None, "JPY")]) == (
        "follow_up",
        None,
    )


# ----- expiry, reminders, prompts ----------------------------------------------------------


def test_expire_task_expires_only_overdue_pending_requests(world, time_machine):
    overdue = request(world)
    fresh = request(world, exhibitor=add_exhibitor(world, "B-01").company)
    fresh.expires_at = timezone.now() + datetime.timedelta(days=10)
    fresh.save()
    third = add_exhibitor(world, "C-01")
    booked = request(world, exhibitor=third.company, slots=[world.slots[3]])
    booked = services.meeting_accept(meeting=booked, slot=world.slots[3], by=third)
    time_machine.move_to(overdue.expires_at + datetime.timedelta(minutes=1))
    assert tasks.expire_meeting_requests() == 1
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    booked.refresh_from_db()
    assert (overdue.status, fresh.status, booked.status) == ("expired", "requested", "accepted")
    assert overdue.events.last().action == "expired"
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_expired").count() == 1
    assert tasks.expire_meeting_requests() == 0  # idempotent
    with pytest.raises(MeetingError):
        services.meeting_accept(meeting=overdue, slot=world.slots[0], by=world.exhibitor_user)


def test_meeting_expire_ignores_meetings_not_due(world):
    meeting = request(world)
    assert services.meeting_expire(meeting=meeting) is None
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_reminders_once_per_meeting_time(world, time_machine):
    meeting = accepted(world)
    time_machine.move_to(meeting.starts_at - datetime.timedelta(minutes=50))
    assert tasks.send_meeting_reminders() == 1
    tasks.send_meeting_reminders()
    reminders = Notification.objects.filter(template="meeting_reminder")
    assert set(reminders.values_list("user", flat=True)) == {world.buyer_user.pk, world.exhibitor_user.pk}
    assert reminders.count() == 2


def test_no_reminder_too_early(world):
    accepted(world)
    assert tasks.send_meeting_reminders() == 0


def test_outcome_prompts_go_to_sides_without_an_outcome(world, time_machine):
    meeting = past(accepted(world), minutes=45)
    services.meeting_record_outcome(meeting=meeting, by=world.buyer_user, outcome="follow_up")
    tasks.send_meeting_outcome_prompts()
    tasks.send_meeting_outcome_prompts()
    prompts = Notification.objects.filter(template="meeting_outcome_prompt")
    assert list(prompts.values_list("user", flat=True)) == [world.exhibitor_user.pk]


def test_notifications_render_in_the_recipients_language(world, mailoutbox):
    world.exhibitor_user.preferred_language = "en"
    world.exhibitor_user.save()
    request(world)
    from companies.notifications import render_notification

    notice = Notification.objects.filter(template="meeting_requested", user=world.exhibitor_user).get()
    subject, body = render_notification(notice)
    assert world.buyer.name in subject
    assert "interpreter" in body


def test_deadlocks_become_meeting_conflict_and_other_database_errors_do_not():
    from django.db import OperationalError

    def deadlocked():
        raise OperationalError("deadlock detected")

    def broken():
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(MeetingConflict):
        services._atomic_conflicts(deadlocked)()
    with pytest.raises(OperationalError):
        services._atomic_conflicts(broken)()


def test_a_moved_meeting_is_reminded_again(world, time_machine):
    meeting = accepted(world)
    time_machine.move_to(meeting.starts_at - datetime.timedelta(minutes=30))
    tasks.send_meeting_reminders()
    time_machine.move_to(meeting.starts_at - datetime.timedelta(hours=2))
    move(meeting, world.slots[3], by=world.buyer_user, accepted_by=world.exhibitor_user)
    meeting.refresh_from_db()
    time_machine.move_to(meeting.starts_at - datetime.timedelta(minutes=30))
    tasks.send_meeting_reminders()
    assert Notification.objects.filter(user=world.buyer_user, template="meeting_reminder").count() == 2


def test_beat_schedule_names_registered_tasks(settings):
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "exhibitions.expire_meeting_requests",
        "exhibitions.send_meeting_reminders",
        "exhibitions.send_meeting_outcome_prompts",
    } <= names
    assert tasks.expire_meeting_requests.name == "exhibitions.expire_meeting_requests"
    assert tasks.send_meeting_reminders.name == "exhibitions.send_meeting_reminders"
    assert tasks.send_meeting_outcome_prompts.name == "exhibitions.send_meeting_outcome_prompts"


def _overdue(meeting):
    """Past its expiry, but the periodic task has not run yet (it runs every few minutes)."""
    meeting.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save(update_fields=["expires_at"])
    return meeting


def test_overdue_request_cannot_be_answered_before_the_task_expires_it(world):
    meeting = _overdue(request(world))
    with pytest.raises(MeetingError, match="expired"):
        services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    with pytest.raises(MeetingError, match="expired"):
        services.meeting_propose(meeting=meeting, by=world.exhibitor_user, slots=[world.slots[2]])
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot_id) == ("requested", None)


def test_overdue_proposal_cannot_be_accepted(world):
    meeting = request(world)
    services.meeting_propose(meeting=meeting, by=world.exhibitor_user, slots=[world.slots[2]])
    _overdue(meeting)
    with pytest.raises(MeetingError, match="expired"):
        services.meeting_accept_proposal(meeting=meeting, slot=world.slots[2], by=world.buyer_user)
    assert Meeting.objects.get(pk=meeting.pk).status == "proposed"


def test_overdue_requests_do_not_hold_the_cap_or_the_pair(world):
    world.exhibition.meeting_pending_cap = 1
    world.exhibition.save()
    _overdue(request(world))
    again = request(world)  # same exhibitor, and the cap of one is not used up by the overdue request
    assert again.status == "requested"


def test_no_booking_once_a_side_no_longer_takes_part(world):
    """Staff revoke a buyer's registration (or an exhibitor's application): its open requests
    can no longer be booked, by either side."""
    meeting = request(world)
    world.registration.status = "rejected"
    world.registration.save()
    with pytest.raises(MeetingError, match="take part"):
        services.meeting_accept(meeting=meeting, slot=world.slots[0], by=world.exhibitor_user)
    world.registration.status = "approved"
    world.registration.save()
    services.meeting_propose(meeting=meeting, by=world.exhibitor_user, slots=[world.slots[2]])
    world.application.status, world.application.booth = "waitlisted", None
    world.application.save()
    with pytest.raises(MeetingError, match="take part"):
        services.meeting_accept_proposal(meeting=meeting, slot=world.slots[2], by=world.buyer_user)
    assert Meeting.objects.get(pk=meeting.pk).status == "proposed"


def test_an_unanswered_proposal_expires_and_both_sides_are_told(world, time_machine):
    meeting = request(world)
    meeting = services.meeting_propose(meeting=meeting, slots=world.slots[2:4], by=world.exhibitor_user)
    time_machine.move_to(meeting.expires_at + datetime.timedelta(minutes=1))
    assert tasks.expire_meeting_requests() == 1
    for person in (world.buyer_user, world.exhibitor_user):
        notice = Notification.objects.get(user=person, template="meeting_proposal_expired")
        assert "no answer in time" in services_render(notice)
    assert not Notification.objects.filter(template="meeting_expired").exists()


def services_render(notice):
    from companies.notifications import render_notification

    return render_notification(notice, language="en")[1]
