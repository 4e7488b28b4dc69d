"""Every write about business meetings: slot set-up and each state change of a meeting.

Each state change is one keyword-only function. It locks the contended rows
(`select_for_update()` on the slot, then the meeting), checks the rules, writes, records a
`MeetingEvent` and notifies the people concerned (`companies.notifications.notify`, emailed
after commit). The partial unique constraints on `Meeting` are the backstop: an
`IntegrityError`, or on PostgreSQL a deadlock (`OperationalError`), becomes `MeetingConflict`.

Lifecycle: requested -> accepted | declined | proposed | cancelled | expired;
proposed -> accepted | declined | cancelled | expired; accepted -> held | no_show | cancelled
(and accepted -> accepted when rescheduled).
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, Membership, new_calendar_token
from companies.notifications import notify
from companies.rules import runs_exhibition
from companies.webhooks import events as webhook_events
from exhibitions.models import (
    BuyerRegistration,
    ExchangeRate,
    Exhibition,
    ExhibitorApplication,
    Meeting,
    MeetingBreak,
    MeetingEvent,
    MeetingHours,
    MeetingOutcome,
    MeetingTable,
    Slot,
)

BOOKED = list(Meeting.BOOKED)
PENDING = list(Meeting.PENDING)
# Stages of a business relationship, weakest first: the meeting's summary is the furthest one.
OUTCOME_RANK = [
    Meeting.Outcome.NO_INTEREST,
    Meeting.Outcome.FOLLOW_UP,
    Meeting.Outcome.QUOTATION,
    Meeting.Outcome.DEAL,
]


class MeetingError(Exception):
    """A rule forbids this change; `message` is shown to the person as is (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class MeetingConflict(MeetingError):
    """Somebody or some place is already booked in that slot (often by a request answered a moment earlier)."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "This time is no longer free: the buyer, the representative or the place already has a meeting "
                "then. Please choose another time."
            )
        )


# ---------------------------------------------------------------------------------------
# Set-up: hours, breaks, tables and slots (staff)


def meeting_settings_update(*, exhibition, slot_minutes, request_ttl_hours, pending_cap):
    """Change the slot length, request expiry and pending cap of an exhibition.

    Side effects: saves the exhibition. Slots are not regenerated here (see `slots_generate`).
    """
    if slot_minutes not in (15, 20, 30, 45, 60):
        raise MeetingError(_("Meetings last 15, 20, 30, 45 or 60 minutes."))
    exhibition.meeting_slot_minutes = slot_minutes
    exhibition.meeting_request_ttl_hours = request_ttl_hours
    exhibition.meeting_pending_cap = pending_cap
    exhibition.save(update_fields=["meeting_slot_minutes", "meeting_request_ttl_hours", "meeting_pending_cap"])
    return exhibition


def meeting_hours_set(*, exhibition, day, starts=None, ends=None):
    """Set (or, with no times, remove) the meeting hours of one exhibition day.

    Side effects: creates, updates or deletes a MeetingHours row.
    """
    if day not in exhibition.days:
        raise MeetingError(_("That day is not a day of the exhibition."))
    if starts is None or ends is None:
        MeetingHours.objects.filter(exhibition=exhibition, day=day).delete()
        return None
    if ends <= starts:
        raise MeetingError(_("Meeting hours must end after they start."))
    hours, _created = MeetingHours.objects.update_or_create(
        exhibition=exhibition, day=day, defaults={"starts": starts, "ends": ends}
    )
    return hours


def meeting_hours_set_all(*, exhibition, hours):
    """Set the meeting hours of several days at once (`hours`: [(day, starts, ends)], no
    times for a day without meetings); all or nothing.

    Refuses hours that would leave a break outside them. Side effects: as
    `meeting_hours_set` for each day.
    """
    breaks = list(MeetingBreak.objects.filter(exhibition=exhibition))
    with transaction.atomic():
        for day, starts, ends in hours:
            for b in breaks:
                if b.day == day and (starts is None or ends is None or b.starts < starts or b.ends > ends):
                    raise MeetingError(
                        _("The break %(starts)s–%(ends)s falls outside the new hours; remove it first.")
                        % {"starts": f"{b.starts:%H:%M}", "ends": f"{b.ends:%H:%M}"}
                    )
            meeting_hours_set(exhibition=exhibition, day=day, starts=starts, ends=ends)


def meeting_break_add(*, exhibition, day, starts, ends, label=""):
    """Add a break with no meetings, within the day's meeting hours.

    Side effects: creates a MeetingBreak row.
    """
    if day not in exhibition.days:
        raise MeetingError(_("That day is not a day of the exhibition."))
    if ends <= starts:
        raise MeetingError(_("A break must end after it starts."))
    hours = MeetingHours.objects.filter(exhibition=exhibition, day=day).first()
    if hours is None or starts < hours.starts or ends > hours.ends:
        raise MeetingError(_("A break must fall within that day's meeting hours."))
    return MeetingBreak.objects.create(exhibition=exhibition, day=day, starts=starts, ends=ends, label=label)


def meeting_break_remove(*, meeting_break):
    """Remove a break. Side effects: deletes the MeetingBreak row."""
    meeting_break.delete()


def meeting_tables_set(*, exhibition, count):
    """Number the meeting tables 1..count, adding or removing tables at the end.

    Refuses to remove a table that holds a booked meeting. Side effects: creates or deletes
    MeetingTable rows.
    """
    if count < 0 or count > 500:
        raise MeetingError(_("Give between 0 and 500 tables."))
    with transaction.atomic():
        existing = set(MeetingTable.objects.filter(exhibition=exhibition).values_list("number", flat=True))
        surplus = MeetingTable.objects.filter(exhibition=exhibition, number__gt=count)
        if Meeting.objects.filter(table__in=surplus, status__in=BOOKED).exists():
            raise MeetingError(_("Some of the tables to remove hold meetings; move or cancel those meetings first."))
        surplus.delete()
        MeetingTable.objects.bulk_create(
            [MeetingTable(exhibition=exhibition, number=n) for n in range(1, count + 1) if n not in existing]
        )
    return count


def slot_times(exhibition):
    """The (start, end) datetimes, in UTC, that the exhibition's hours, breaks and slot length give."""
    return slot_times_from(
        tz=exhibition.tzinfo,
        slot_minutes=exhibition.meeting_slot_minutes,
        hours=MeetingHours.objects.filter(exhibition=exhibition).values_list("day", "starts", "ends"),
        breaks=MeetingBreak.objects.filter(exhibition=exhibition).values_list("day", "starts", "ends"),
    )


def slot_times_from(*, tz, slot_minutes, hours, breaks):
    """The (start, end) datetimes, in UTC, for (day, starts, ends) hours and breaks; pure, so
    that an import can check a file's hours before writing them.

    Hours and breaks are wall-clock times in the exhibition's time zone; the stepping is done
    in UTC, so a slot lasts its length in real time even across a daylight-saving change
    (aware arithmetic within one zone is wall-clock arithmetic and would make slots collide).
    """

    def utc(day, time):
        return datetime.datetime.combine(day, time, tz).astimezone(datetime.UTC)

    length = datetime.timedelta(minutes=slot_minutes)
    pauses = {}
    for day, starts, ends in breaks:
        pauses.setdefault(day, []).append((utc(day, starts), utc(day, ends)))
    times = []
    for day, starts, ends in sorted(hours):
        start = utc(day, starts)
        end_of_day = utc(day, ends)
        while start + length <= end_of_day:
            end = start + length
            clash = next((b for b in pauses.get(day, []) if start < b[1] and b[0] < end), None)
            if clash:
                # Restart right after the break, so slots line up with its end.
                start = max(clash[1], start + datetime.timedelta(minutes=1))
                continue
            times.append((start, end))
            start = end
    return times


def slots_generate(*, exhibition):
    """Make the Slot rows match the hours, breaks and slot length; idempotent.

    Creates missing slots, deletes slots no longer wanted, and refuses (changing nothing)
    when a slot to delete holds a booked meeting. Returns (created, deleted).
    Side effects: creates and deletes Slot rows; pending requests lose deleted slots from
    their acceptable times.
    """
    wanted = slot_times(exhibition)
    with transaction.atomic():
        Exhibition.objects.select_for_update().filter(pk=exhibition.pk).first()
        current = {s.starts_at: s for s in Slot.objects.filter(exhibition=exhibition)}
        wanted_by_start = dict(wanted)
        doomed = [s for start, s in current.items() if wanted_by_start.get(start) != s.ends_at]
        held = Meeting.objects.filter(slot__in=doomed, status__in=BOOKED).select_related("slot")
        if held.exists():
            times = sorted({str(m.slot) for m in held})
            raise MeetingError(
                _("These slots hold meetings and cannot be removed: %(times)s. Move or cancel those meetings first.")
                % {"times": ", ".join(times)}
            )
        Meeting.objects.filter(slot__in=doomed).update(slot=None)
        deleted = len(doomed)
        Slot.objects.filter(pk__in=[s.pk for s in doomed]).delete()
        keep = {start for start, s in current.items() if s not in doomed}
        new = [Slot(exhibition=exhibition, starts_at=s, ends_at=e) for s, e in wanted if s not in keep]
        Slot.objects.bulk_create(new)
    return len(new), deleted


# ---------------------------------------------------------------------------------------
# Who is who


def side_of(user, meeting):
    """ "buyer", "exhibitor" or None: which side of the meeting the person is on."""
    company_id = user.company.pk if user.is_authenticated and user.company else None
    if company_id is None:
        return None
    if company_id == meeting.buyer_id:
        return MeetingOutcome.Side.BUYER
    if company_id == meeting.exhibitor_id:
        return MeetingOutcome.Side.EXHIBITOR
    return None


def may_act(user, meeting, action):
    """Whether the person's side may ever take `action` on the meeting (pages and API answer
    404 otherwise). `action` names the form: accept, propose, accept_proposal, decline,
    cancel, reschedule, move_answer, move_accept, outcome, no_show.

    The meeting's state is the service's business: a side that may act but comes too late
    (a colleague answered a moment earlier) gets the service's message instead.
    """
    side = side_of(user, meeting)
    organiser = runs_exhibition(user, meeting.exhibition)
    if action in ("accept", "propose"):
        return side == "exhibitor"
    if action == "accept_proposal":
        return side == "buyer"
    if action == "decline":
        if meeting.status == "requested":
            return side == "exhibitor"
        if meeting.status == "proposed":
            return side == "buyer"
        return side is not None
    if action in ("cancel", "reschedule"):
        return side is not None or organiser
    if action == "move_answer":
        return side is not None
    if action == "move_accept":  # only the side that did not propose the move
        return side is not None and bool(meeting.move_side) and side != meeting.move_side
    if action == "outcome":
        return side is not None
    if action == "no_show":
        return organiser
    return False


def approved_application(exhibition, company):
    return (
        ExhibitorApplication.objects.select_related("booth")
        .filter(exhibition=exhibition, company=company, status=ExhibitorApplication.Status.APPROVED)
        .first()
    )


def approved_registration(exhibition, company):
    return BuyerRegistration.objects.filter(
        exhibition=exhibition, company=company, status=BuyerRegistration.Status.APPROVED
    ).first()


def languages_of(*codes):
    found = set()
    for text in codes:
        found.update((text or "").split())
    return found


def interpreter_needed_for(*, buyer, exhibitor, registration=None, application=None, representative=None):
    """True when the two sides share no spoken language.

    Buyer side: the company's languages and those given at registration. Exhibitor side: the
    chosen representative's languages when known, otherwise the company's and the stand's.
    """
    buyer_langs = languages_of(buyer.languages, registration.languages if registration else "")
    if representative is not None and representative.languages:
        exhibitor_langs = languages_of(representative.languages)
    else:
        exhibitor_langs = languages_of(exhibitor.languages, application.stand_languages if application else "")
    return not (buyer_langs & exhibitor_langs)


def meeting_needs_interpreter(meeting, *, registration=None, application=None):
    """Whether the people actually in the meeting share no language: the buyer company's and
    registration's languages against the representative's (when one is named and gives
    languages), else the exhibitor company's and its stand's. Recomputed whenever the
    representative, the people or the languages change, never frozen at request time.
    Pass the registration and application when already loaded, to spare their queries."""
    registration = registration or approved_registration(meeting.exhibition, meeting.buyer_id)
    application = application or approved_application(meeting.exhibition, meeting.exhibitor_id)
    return interpreter_needed_for(
        buyer=meeting.buyer,
        exhibitor=meeting.exhibitor,
        registration=registration,
        application=application,
        representative=meeting.representative if meeting.representative_id else None,
    )


def meetings_refresh_interpreter_need(*, exhibition, company):
    """Languages of a company, its stand or its people changed: recompute the interpreter
    flag of its open and upcoming meetings. Side effects: `interpreter_needed` of those
    meetings (no notice: the meeting itself does not change)."""
    side = "exhibitor" if company.kind == Company.Kind.EXHIBITOR else "buyer"
    meetings = Meeting.objects.filter(
        Q(status__in=PENDING) | Q(status=Meeting.Status.ACCEPTED),
        exhibition=exhibition,
        **{side: company},
    ).select_related("exhibition", "buyer", "exhibitor", "representative")
    registrations = {
        r.company_id: r
        for r in BuyerRegistration.objects.filter(exhibition=exhibition, status=BuyerRegistration.Status.APPROVED)
    }
    applications = {a.company_id: a for a in ExhibitorApplication.objects.approved().filter(exhibition=exhibition)}
    changed = 0
    for meeting in meetings:
        needed = meeting_needs_interpreter(
            meeting,
            registration=registrations.get(meeting.buyer_id),
            application=applications.get(meeting.exhibitor_id),
        )
        if needed != meeting.interpreter_needed:
            Meeting.objects.filter(pk=meeting.pk).update(interpreter_needed=needed)
            changed += 1
    return changed


def _members(company_id):
    return [m.user for m in Membership.objects.select_related("user").filter(company_id=company_id)]


def _people(meeting, side):
    """Who hears about the meeting on one side: the buyer person (or the buyer company's
    members), or the exhibitor company's members."""
    if side == MeetingOutcome.Side.BUYER and meeting.buyer_person_id:
        return [meeting.buyer_person]
    return _members(meeting.buyer_id if side == MeetingOutcome.Side.BUYER else meeting.exhibitor_id)


def _when(meeting):
    if not meeting.starts_at:
        return ""
    local = meeting.starts_at.astimezone(meeting.exhibition.tzinfo)
    return f"{local:%Y-%m-%d %H:%M} ({meeting.exhibition.timezone})"


def _tell(meeting, side, template, key, *, skip=None, **extra):
    """Notify one side of a change; `key` makes it once per change and person."""
    url = reverse("exhibitions:meetings_detail", kwargs={"slug": meeting.exhibition.slug, "pk": meeting.pk})
    context = {
        "meeting_id": meeting.pk,
        # Objects, not strings: each recipient reads the names in their own language.
        "exhibition": meeting.exhibition,
        "buyer": meeting.buyer,
        "exhibitor": meeting.exhibitor,
        "when": _when(meeting),
        "place": meeting.place or "",
        "interpreter_needed": meeting.interpreter_needed,
        **extra,
    }
    for person in _people(meeting, side):
        if skip is not None and person.pk == skip.pk:
            continue
        notify(user=person, key=f"meeting:{meeting.pk}:{key}:{person.pk}", template=template, context=context, url=url)


def _other(side):
    return MeetingOutcome.Side.EXHIBITOR if side == MeetingOutcome.Side.BUYER else MeetingOutcome.Side.BUYER


def _record(meeting, *, action, actor, from_status, details=None):
    return MeetingEvent.objects.create(
        meeting=meeting,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=meeting.status,
        details=details or {},
    )


def _lock_meeting(meeting):
    return Meeting.objects.select_for_update().select_related("exhibition", "buyer", "exhibitor").get(pk=meeting.pk)


def _require_side(by, meeting, side, message=None):
    if side_of(by, meeting) != side:
        raise MeetingError(message or _("You cannot change this meeting."))


def _require_status(meeting, statuses):
    if meeting.status not in statuses:
        raise MeetingError(
            _("This meeting is %(status)s; that is no longer possible.") % {"status": meeting.get_status_display()}
        )


def _require_not_overdue(meeting):
    """A pending request past `expires_at` is expired (the periodic task only records it)."""
    if meeting.status in PENDING and meeting.expires_at is not None and meeting.expires_at <= timezone.now():
        raise MeetingError(_("This request has expired and can no longer be answered."))


def _check_future(slot):
    if slot.starts_at <= timezone.now():
        raise MeetingError(_("That time has passed."))


def _free_table(exhibition, slot):
    busy = Meeting.objects.filter(slot=slot, status__in=BOOKED, table__isnull=False).values("table")
    return MeetingTable.objects.filter(exhibition=exhibition).exclude(pk__in=busy).order_by("number").first()


def _seat_and_place(meeting, slot, table, application):
    """The exhibitor's first free seat in `slot` (it holds at most `parallel_meetings` at
    once), and the place: the given table, else its booth while no other meeting of its holds
    the booth, else a free table."""
    held = list(
        Meeting.objects.filter(slot=slot, exhibitor_id=meeting.exhibitor_id, status__in=BOOKED)
        .exclude(pk=meeting.pk)
        .values_list("exhibitor_seat", "booth_id")
    )
    seats_taken = {seat for seat, _booth in held}
    free_seats = [n for n in range(1, application.parallel_meetings + 1) if n not in seats_taken]
    if not free_seats:
        raise MeetingConflict(_("The exhibitor already has as many meetings as it can hold at that time."))
    if table is not None:
        if table.exhibition_id != meeting.exhibition_id:
            raise MeetingError(_("That table is not at this exhibition."))
        return free_seats[0], None, table
    if application.booth_id and all(booth != application.booth_id for _seat, booth in held):
        return free_seats[0], application.booth, None
    free = _free_table(meeting.exhibition, slot)
    if free is None:
        raise MeetingConflict(_("Every meeting table is taken at that time."))
    return free_seats[0], None, free


def _book(meeting, *, slot, table=None, representative=None):
    """Put the (locked) meeting in a slot after checking nobody and no place is taken.

    The caller holds the lock on `slot`, so checks and write are not interleaved with another
    booking of the same slot; the partial unique constraints still guard the write.
    """
    if slot.exhibition_id != meeting.exhibition_id:
        raise MeetingError(_("That time is not at this exhibition."))
    application = approved_application(meeting.exhibition, meeting.exhibitor_id)
    registration = approved_registration(meeting.exhibition, meeting.buyer_id)
    if registration is None or application is None:
        raise MeetingError(_("Both companies must take part in this exhibition."))
    if representative is not None:
        if representative.application.company_id != meeting.exhibitor_id:
            raise MeetingError(_("That person does not represent this exhibitor."))
        meeting.representative = representative
    others = Meeting.objects.filter(slot=slot, status__in=BOOKED).exclude(pk=meeting.pk)
    if others.filter(buyer_id=meeting.buyer_id).exists():
        raise MeetingConflict(_("The buyer already has a meeting at that time."))
    if meeting.representative_id and others.filter(representative_id=meeting.representative_id).exists():
        raise MeetingConflict(_("The representative already has a meeting at that time."))
    if meeting.interpreter_id and others.filter(interpreter_id=meeting.interpreter_id).exists():
        raise MeetingConflict(_("The interpreter already has a meeting at that time."))
    seat, booth, table = _seat_and_place(meeting, slot, table, application)
    if booth is not None and others.filter(booth=booth).exists():
        raise MeetingConflict(_("The booth already has a meeting at that time."))
    if table is not None and others.filter(table=table).exists():
        raise MeetingConflict(_("That table is already taken at that time."))
    meeting.slot = slot
    meeting.starts_at = slot.starts_at
    meeting.ends_at = slot.ends_at
    meeting.exhibitor_seat = seat
    meeting.booth = booth
    meeting.table = table
    # The people may have changed (a representative picked): the need follows them.
    meeting.interpreter_needed = meeting_needs_interpreter(meeting, registration=registration, application=application)


def _save(meeting):
    """Save in a savepoint so a lost race becomes MeetingConflict, not a broken transaction."""
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise MeetingConflict()


def _atomic_conflicts(func):
    """Run a service in a transaction; a deadlock or serialisation failure is a conflict too."""

    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except IntegrityError:
            raise MeetingConflict()
        except OperationalError as error:
            if "deadlock" in str(error).lower() or "could not serialize" in str(error).lower():
                raise MeetingConflict()
            raise

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    wrapper.__wrapped__ = func
    return wrapper


def _lock_slot(slot):
    return Slot.objects.select_for_update().get(pk=slot.pk)


# ---------------------------------------------------------------------------------------
# Requests and answers


@_atomic_conflicts
def meeting_request(*, exhibition, buyer_person, exhibitor, slots, message="", representative=None):
    """A buyer member asks a participating exhibitor for a meeting in one of `slots`.

    Rules: both companies take part in the exhibition; the buyer company has fewer open
    requests than the exhibition's cap (its registration row is locked while counting); no
    open or booked meeting with that exhibitor already; the slots are future slots of the
    exhibition, and the buyer person has no meeting in them yet. The interpreter need is set from the two sides' languages; the request
    expires after `meeting_request_ttl_hours` (or at its last acceptable time).
    Side effects: a Meeting (requested), a MeetingEvent, notices to the exhibitor's members.
    """
    buyer = buyer_person.company
    if buyer is None or buyer.kind != Company.Kind.BUYER:
        raise MeetingError(_("Only buyers can request meetings."))
    registration = (
        BuyerRegistration.objects.select_for_update()
        .filter(exhibition=exhibition, company=buyer, status=BuyerRegistration.Status.APPROVED)
        .first()
    )
    if registration is None:
        raise MeetingError(_("Your company is not a registered buyer of this exhibition."))
    if exhibitor.kind != Company.Kind.EXHIBITOR:
        raise MeetingError(_("Meetings are requested with exhibitors."))
    application = approved_application(exhibition, exhibitor)
    if application is None:
        raise MeetingError(_("This company does not exhibit at this exhibition."))
    if representative is not None and representative.application_id != application.pk:
        raise MeetingError(_("That person does not represent this exhibitor."))
    if representative is None:
        reps = list(application.representatives.all()[:2])
        if len(reps) == 1:
            representative = reps[0]
    slots = list(slots)
    if not slots:
        raise MeetingError(_("Choose at least one time."))
    for slot in slots:
        if slot.exhibition_id != exhibition.pk:
            raise MeetingError(_("That time is not at this exhibition."))
        _check_future(slot)
    busy = Meeting.objects.filter(slot__in=slots, buyer_person=buyer_person, status__in=BOOKED).select_related("slot")
    if busy.exists():
        raise MeetingError(
            _("You already have a meeting at %(time)s; choose other times.") % {"time": busy.first().slot}
        )
    now = timezone.now()
    # Overdue requests no longer hold anything, even before the periodic task marks them expired.
    open_meetings = Meeting.objects.filter(exhibition=exhibition, buyer=buyer).exclude(
        status__in=PENDING, expires_at__lte=now
    )
    pending = open_meetings.filter(status__in=PENDING).count()
    if pending >= exhibition.meeting_pending_cap:
        raise MeetingError(
            _(
                "Your company already has %(count)s open requests, the most this exhibition allows. Wait for "
                "answers or withdraw a request first."
            )
            % {"count": pending}
        )
    if open_meetings.filter(exhibitor=exhibitor, status__in=PENDING + ["accepted"]).exists():
        raise MeetingError(_("You already have an open request or a meeting with this exhibitor."))
    expires_at = min(
        now + datetime.timedelta(hours=exhibition.meeting_request_ttl_hours), max(s.starts_at for s in slots)
    )
    meeting = Meeting(
        exhibition=exhibition,
        buyer=buyer,
        exhibitor=exhibitor,
        buyer_person=buyer_person,
        representative=representative,
        status=Meeting.Status.REQUESTED,
        message=message,
        expires_at=expires_at,
        requested_by=buyer_person,
    )
    meeting.interpreter_needed = meeting_needs_interpreter(meeting, registration=registration, application=application)
    meeting.save()
    meeting.proposed_slots.set(slots)
    _record(
        meeting,
        action="requested",
        actor=buyer_person,
        from_status="",
        details={"slots": [s.starts_at.isoformat() for s in slots]},
    )
    _tell(meeting, MeetingOutcome.Side.EXHIBITOR, "meeting_requested", "requested", message=message)
    return meeting


@_atomic_conflicts
def meeting_accept(*, meeting, slot, by, table=None, representative=None):
    """The exhibitor accepts a request in one of the buyer's acceptable slots.

    The place is the exhibitor's booth, or `table` when given (or a free table when the
    exhibitor has no booth). Locks the slot row, then the meeting, then checks that the buyer
    person, the representative and the place are free in that slot.
    Side effects: the meeting becomes accepted (sequence bumped), a MeetingEvent, notices to
    the buyer side.
    """
    slot = _lock_slot(slot)
    meeting = _lock_meeting(meeting)
    _require_side(by, meeting, MeetingOutcome.Side.EXHIBITOR)
    _require_status(meeting, [Meeting.Status.REQUESTED])
    _require_not_overdue(meeting)
    if not meeting.proposed_slots.filter(pk=slot.pk).exists():
        raise MeetingError(_("Choose one of the times the buyer offered."))
    _check_future(slot)
    return _confirm(
        meeting, slot, by, action="accepted", tell=MeetingOutcome.Side.BUYER, table=table, representative=representative
    )


def _confirm(meeting, slot, by, *, action, tell, table=None, representative=None):
    """Book a pending meeting into `slot` (already locked and checked by the caller): it
    becomes accepted, its calendar sequence moves on, the change is recorded and side `tell`
    is notified."""
    before = meeting.status
    _book(meeting, slot=slot, table=table, representative=representative)
    meeting.status = Meeting.Status.ACCEPTED
    meeting.sequence += 1
    meeting.expires_at = None
    _save(meeting)
    _record(meeting, action=action, actor=by, from_status=before, details={"slot": slot.starts_at.isoformat()})
    _tell(meeting, tell, "meeting_accepted", f"accepted:{meeting.sequence}")
    webhook_events.meeting_confirmed(meeting)
    return meeting


@_atomic_conflicts
def meeting_decline(*, meeting, by, reason=""):
    """The exhibitor declines a request (a reason is required), or the buyer declines the
    exhibitor's proposed times.

    Side effects: the meeting becomes declined, a MeetingEvent, notices to the other side.
    """
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side == MeetingOutcome.Side.EXHIBITOR:
        _require_status(meeting, [Meeting.Status.REQUESTED])
        if not reason.strip():
            raise MeetingError(_("Please give the buyer a reason."))
    elif side == MeetingOutcome.Side.BUYER:
        _require_status(meeting, [Meeting.Status.PROPOSED])
    else:
        raise MeetingError(_("You cannot change this meeting."))
    before = meeting.status
    meeting.status = Meeting.Status.DECLINED
    meeting.answer_reason = reason.strip()
    meeting.expires_at = None
    meeting.save()
    _record(meeting, action="declined", actor=by, from_status=before, details={"reason": meeting.answer_reason})
    _tell(meeting, _other(side), "meeting_declined", "declined", reason=meeting.answer_reason)
    return meeting


@_atomic_conflicts
def meeting_propose(*, meeting, by, slots, message=""):
    """The exhibitor answers a request with other times; the buyer then accepts or declines.

    Side effects: the acceptable times are replaced, the meeting becomes proposed with a new
    expiry, a MeetingEvent, notices to the buyer side.
    """
    meeting = _lock_meeting(meeting)
    _require_side(by, meeting, MeetingOutcome.Side.EXHIBITOR)
    _require_status(meeting, [Meeting.Status.REQUESTED])
    _require_not_overdue(meeting)
    slots = list(slots)
    if not slots:
        raise MeetingError(_("Choose at least one time."))
    for slot in slots:
        if slot.exhibition_id != meeting.exhibition_id:
            raise MeetingError(_("That time is not at this exhibition."))
        _check_future(slot)
    before = meeting.status
    meeting.status = Meeting.Status.PROPOSED
    meeting.answer_reason = message.strip()
    meeting.expires_at = min(
        timezone.now() + datetime.timedelta(hours=meeting.exhibition.meeting_request_ttl_hours),
        max(s.starts_at for s in slots),
    )
    meeting.save()
    meeting.proposed_slots.set(slots)
    _record(
        meeting,
        action="proposed",
        actor=by,
        from_status=before,
        details={"slots": [s.starts_at.isoformat() for s in slots], "message": meeting.answer_reason},
    )
    _tell(meeting, MeetingOutcome.Side.BUYER, "meeting_proposed", "proposed", message=meeting.answer_reason)
    return meeting


@_atomic_conflicts
def meeting_accept_proposal(*, meeting, slot, by):
    """The buyer accepts one of the times the exhibitor proposed.

    Same locking and checks as `meeting_accept`; the place is the exhibitor's booth or a free
    table. Side effects: the meeting becomes accepted (sequence bumped), a MeetingEvent,
    notices to the exhibitor side.
    """
    slot = _lock_slot(slot)
    meeting = _lock_meeting(meeting)
    _require_side(by, meeting, MeetingOutcome.Side.BUYER)
    _require_status(meeting, [Meeting.Status.PROPOSED])
    _require_not_overdue(meeting)
    if not meeting.proposed_slots.filter(pk=slot.pk).exists():
        raise MeetingError(_("Choose one of the times the exhibitor proposed."))
    _check_future(slot)
    if meeting.buyer_person_id is None:
        meeting.buyer_person = by
    return _confirm(meeting, slot, by, action="proposal_accepted", tell=MeetingOutcome.Side.EXHIBITOR)


@_atomic_conflicts
def meeting_cancel(*, meeting, by, reason):
    """The buyer withdraws a request, or either side (or staff) cancels a booked meeting that
    has not started (the exhibitor declines requests rather than cancelling them).

    A reason is required; it is kept in `cancel_reason` (the exhibitor's earlier answer in
    `answer_reason` stays) and shown to the other side. The meeting keeps its time (for
    calendars, which show it as cancelled) but frees its slot; a pending move is dropped.
    Side effects: the meeting becomes cancelled (sequence bumped), a MeetingEvent with the
    reason, notices to the other side (both sides when staff cancel).
    """
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side is None and not runs_exhibition(by, meeting.exhibition):
        raise MeetingError(_("You cannot change this meeting."))
    _require_status(meeting, PENDING + [Meeting.Status.ACCEPTED])
    if meeting.status in PENDING and side == MeetingOutcome.Side.EXHIBITOR:
        raise MeetingError(_("Decline the request instead, with a reason for the buyer."))
    if meeting.status == Meeting.Status.ACCEPTED and meeting.starts_at <= timezone.now():
        raise MeetingError(_("This meeting has started; it can no longer be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise MeetingError(_("Please give a reason; the other side will read it."))
    before = meeting.status
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.slot = None
    meeting.expires_at = None
    meeting.sequence += 1
    _clear_move(meeting)
    meeting.save()
    _record(meeting, action="cancelled", actor=by, from_status=before, details={"reason": reason})
    sides = [_other(side)] if side else [MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR]
    for each in sides:
        _tell(meeting, each, "meeting_cancelled", "cancelled", reason=reason)
    webhook_events.meeting_cancelled(meeting)
    return meeting


# ---------------------------------------------------------------------------------------
# Moving a booked meeting: staff move it; a side proposes, the other side accepts.


def _clear_move(meeting):
    meeting.move_slot = None
    meeting.move_table = None
    meeting.move_to_booth = False
    meeting.move_side = ""
    meeting.move_message = ""


def _require_movable(meeting):
    _require_status(meeting, [Meeting.Status.ACCEPTED])
    if meeting.starts_at <= timezone.now():
        raise MeetingError(_("This meeting has started; it can no longer be moved."))


def _place_into(meeting, slot, *, table, to_booth):
    """Book the (locked, unsaved) meeting into `slot` at the chosen place.

    The place is `table`, else the exhibitor's booth with `to_booth`, else the place the
    meeting has now (its table, or its booth): a move never changes the place by itself.
    """
    keep_booth = table is None and not to_booth and meeting.table_id is None and meeting.booth_id is not None
    if table is None and not to_booth:
        table = meeting.table
    _book(meeting, slot=slot, table=table)
    if (to_booth or keep_booth) and meeting.booth_id is None:
        raise MeetingConflict(_("The exhibitor's booth is not free at that time; choose a table."))


def _place_label(meeting):
    return str(meeting.place or "")


def _move(meeting, slot, by, *, table=None, to_booth=False, proposed_by=""):
    """Move the locked, booked meeting to `slot` and place; record it and tell both sides."""
    old_start, old_place = meeting.starts_at, _place_label(meeting)
    old_slot_id, old_table_id, old_booth_id = meeting.slot_id, meeting.table_id, meeting.booth_id
    _place_into(meeting, slot, table=table, to_booth=to_booth)
    if (meeting.slot_id, meeting.table_id, meeting.booth_id) == (old_slot_id, old_table_id, old_booth_id):
        raise MeetingError(_("The meeting is already at that time and place."))
    # The calendar event changes (time or place), so calendar apps must replace it.
    meeting.sequence += 1
    _clear_move(meeting)
    _save(meeting)
    details = {"from": old_start.isoformat(), "to": slot.starts_at.isoformat()}
    if _place_label(meeting) != old_place:
        details.update(place_from=old_place, place_to=_place_label(meeting))
    if proposed_by:
        details["proposed_by"] = proposed_by
    _record(meeting, action="rescheduled", actor=by, from_status=Meeting.Status.ACCEPTED, details=details)
    for each in (MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR):
        _tell(meeting, each, "meeting_rescheduled", f"rescheduled:{meeting.sequence}", skip=by)
    return meeting


@_atomic_conflicts
def meeting_reschedule(*, meeting, slot, by, table=None, to_booth=False):
    """Staff move a booked meeting to another free slot (and place) directly.

    The two sides cannot move a meeting alone: they propose a move (`meeting_move_propose`)
    that the other side accepts. Same meeting, same UID: its history keeps the old time and
    the calendar event is updated (sequence bumped). The place stays unless `table` or
    `to_booth` changes it. Side effects: the meeting's slot, time and place change, a pending
    move is dropped, a MeetingEvent, notices to both sides.
    """
    if not runs_exhibition(by, meeting.exhibition) or side_of(by, meeting) is not None:
        raise MeetingError(_("Propose the new time to the other side; the meeting moves once they accept."))
    slot = _lock_slot(slot)
    meeting = _lock_meeting(meeting)
    _require_movable(meeting)
    _check_future(slot)
    return _move(meeting, slot, by, table=table, to_booth=to_booth)


@_atomic_conflicts
def meeting_move_propose(*, meeting, slot, by, table=None, to_booth=False, message=""):
    """One side of a booked meeting proposes another time (and place); the meeting stays
    where it is until the other side accepts.

    The new time and place must be free now (checked as a booking would be, without
    holding them). A new proposal replaces a pending one, whoever made it.
    Side effects: the meeting's pending move, a MeetingEvent, notices to the other side.
    """
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side is None:
        raise MeetingError(_("You cannot change this meeting."))
    _require_movable(meeting)
    if slot.exhibition_id != meeting.exhibition_id:
        raise MeetingError(_("That time is not at this exhibition."))
    _check_future(slot)
    probe = Meeting.objects.select_related("exhibition", "table", "booth").get(pk=meeting.pk)
    _place_into(probe, slot, table=table, to_booth=to_booth)  # raises when not free; never saved
    if (probe.slot_id, probe.table_id, probe.booth_id) == (meeting.slot_id, meeting.table_id, meeting.booth_id):
        raise MeetingError(_("The meeting is already at that time and place."))
    meeting.move_slot = slot
    meeting.move_table = table
    meeting.move_to_booth = bool(to_booth) and table is None
    meeting.move_side = side
    meeting.move_message = message.strip()
    meeting.save()
    event = _record(
        meeting,
        action="move_proposed",
        actor=by,
        from_status=meeting.status,
        details={"to": slot.starts_at.isoformat(), "place": _place_label(probe), "message": meeting.move_message},
    )
    _tell(
        meeting,
        _other(side),
        "meeting_move_proposed",
        f"move_proposed:{event.pk}",
        new_when=_when(probe),
        new_place=probe.place or "",  # an object: read in the recipient's language
        message=meeting.move_message,
    )
    return meeting


@_atomic_conflicts
def meeting_move_accept(*, meeting, by):
    """The other side accepts the proposed move: the meeting moves, as when staff move it.

    Side effects: the meeting's slot, time, place and sequence, a MeetingEvent, notices to
    both sides (not to the person who accepted).
    """
    pending = Meeting.objects.filter(pk=meeting.pk).values_list("move_slot", flat=True).first()
    if pending is None:
        raise MeetingError(_("No move is waiting for an answer."))
    slot = _lock_slot(Slot(pk=pending))
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side is None:
        raise MeetingError(_("You cannot change this meeting."))
    if meeting.move_slot_id != slot.pk or not meeting.move_side:
        raise MeetingError(_("No move is waiting for an answer."))
    if side == meeting.move_side:
        raise MeetingError(_("The other side has to accept the move you proposed."))
    _require_movable(meeting)
    _check_future(slot)
    return _move(
        meeting,
        slot,
        by,
        table=meeting.move_table,
        to_booth=meeting.move_to_booth,
        proposed_by=meeting.move_side,
    )


@_atomic_conflicts
def meeting_move_decline(*, meeting, by, reason=""):
    """The other side declines a proposed move, or the side that proposed it withdraws it;
    the meeting stays at its time and place.

    Side effects: the pending move is dropped, a MeetingEvent, a notice to the other side.
    """
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side is None:
        raise MeetingError(_("You cannot change this meeting."))
    if not meeting.move_side:
        raise MeetingError(_("No move is waiting for an answer."))
    withdrawn = side == meeting.move_side
    _clear_move(meeting)
    meeting.save()
    action = "move_withdrawn" if withdrawn else "move_declined"
    event = _record(meeting, action=action, actor=by, from_status=meeting.status, details={"reason": reason.strip()})
    _tell(
        meeting,
        _other(side),
        "meeting_move_declined",
        f"{action}:{event.pk}",
        withdrawn=withdrawn,
        reason=reason.strip(),
    )
    return meeting


def meetings_cancel_for_company(*, exhibition, company, by, reason):
    """Staff took a company out of the exhibition (application rejected or waitlisted,
    registration rejected): its requests and the booked meetings that have not started are
    cancelled, so they hold no slot, person or place. Meetings already held stay on record.
    Side effects: each such meeting cancelled as by `meeting_cancel` (notices to both sides).
    """
    side = "exhibitor" if company.kind == company.Kind.EXHIBITOR else "buyer"
    open_meetings = Meeting.objects.filter(
        Q(status__in=PENDING) | Q(status=Meeting.Status.ACCEPTED, starts_at__gt=timezone.now()),
        exhibition=exhibition,
        **{side: company},
    )
    for meeting in open_meetings:
        meeting_cancel(meeting=meeting, by=by, reason=reason)


def meetings_follow_booth(*, exhibitor, exhibition, old_booth, new_booth, by):
    """The exhibitor moved to another booth: its booked meetings at the old booth that have
    not started move with it (same time; the calendar event is updated).
    Side effects: each meeting's place and sequence, a MeetingEvent, notices to both sides.
    """
    moving = Meeting.objects.select_for_update().filter(
        exhibition=exhibition,
        exhibitor=exhibitor,
        booth=old_booth,
        status=Meeting.Status.ACCEPTED,
        starts_at__gt=timezone.now(),
    )
    for meeting in moving:
        meeting.booth = new_booth
        meeting.sequence += 1
        _save(meeting)
        _record(
            meeting,
            action="moved",
            actor=by,
            from_status=meeting.status,
            details={"from": old_booth.code, "to": new_booth.code if new_booth else ""},
        )
        for each in (MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR):
            _tell(meeting, each, "meeting_rescheduled", f"moved:{meeting.sequence}")


@_atomic_conflicts
def meeting_book_by_staff(
    *, exhibition, exhibitor, slot, by, buyer=None, buyer_person=None, representative=None, table=None, message=""
):
    """Staff book a meeting for both sides at once (e.g. at the business-matching desk).

    The buyer is a company (`buyer`), with or without people on Fairlink: many buyers never
    make an account. `buyer_person` is optional; given alone, its company is the buyer. Both
    companies must take part; the same conflict checks as an acceptance apply (a buyer
    company is in one meeting per slot).
    Side effects: an accepted Meeting (sequence 1, origin staff), a MeetingEvent, notices to
    both sides (the buyer side: the person, else the company's members, if any).
    """
    if not runs_exhibition(by, exhibition):
        raise MeetingError(_("Only the organisers can book meetings for both sides."))
    if buyer is None and buyer_person is not None:
        buyer = buyer_person.company
    if buyer is None or buyer.kind != Company.Kind.BUYER:
        raise MeetingError(_("Choose a buyer company."))
    if buyer_person is not None and buyer_person.company != buyer:
        raise MeetingError(_("That person is not in the buyer company."))
    registration = approved_registration(exhibition, buyer)
    application = approved_application(exhibition, exhibitor)
    if registration is None or application is None:
        raise MeetingError(_("Both companies must take part in this exhibition."))
    slot = _lock_slot(slot)
    if slot.exhibition_id != exhibition.pk:
        raise MeetingError(_("That time is not at this exhibition."))
    if representative is None:
        reps = list(application.representatives.all()[:2])
        if len(reps) == 1:
            representative = reps[0]
    meeting = Meeting(
        exhibition=exhibition,
        buyer=buyer,
        exhibitor=exhibitor,
        buyer_person=buyer_person,
        message=message,
        requested_by=by,
        origin=Meeting.Origin.STAFF,
    )
    _book(meeting, slot=slot, table=table, representative=representative)
    meeting.status = Meeting.Status.ACCEPTED
    meeting.sequence = 1
    _save(meeting)
    _record(meeting, action="booked_by_staff", actor=by, from_status="", details={"slot": slot.starts_at.isoformat()})
    for each in (MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR):
        _tell(meeting, each, "meeting_booked", "booked")
    webhook_events.meeting_confirmed(meeting)
    return meeting


@_atomic_conflicts
def meeting_book_from_schedule(*, draft, by):
    """Book one draft of the scheduler as an accepted meeting, exactly where the draft says.

    Same locking, checks and constraints as a hand booking (`_book`): the slot row is locked,
    the buyer, the exhibitor's seats, the place and the interpreter must be free, and a draft
    whose place is no longer free (the exhibitor's booth changed, someone booked by hand) is a
    conflict, not moved elsewhere. A pending request of the same pair becomes this meeting;
    a pair that already has a booked meeting is a conflict. The buyer person and the
    representative are named when there is only one candidate (and the exhibitor holds one
    meeting at a time). Side effects: an accepted Meeting (origin scheduler), a MeetingEvent;
    no notice (the publisher sends each person one agenda).
    """
    exhibition = draft.exhibition
    slot = _lock_slot(draft.slot)
    _check_future(slot)
    pair = Meeting.objects.filter(exhibition=exhibition, buyer_id=draft.buyer_id, exhibitor_id=draft.exhibitor_id)
    if pair.filter(status__in=BOOKED).exists():
        raise MeetingConflict(_("These two companies already have a meeting."))
    registration = approved_registration(exhibition, draft.buyer_id)
    application = approved_application(exhibition, draft.exhibitor_id)
    if registration is None or application is None:
        raise MeetingError(_("Both companies must take part in this exhibition."))
    meeting = pair.select_for_update().filter(status__in=PENDING).order_by("pk").first()
    before = meeting.status if meeting else ""
    if meeting is None:
        meeting = Meeting(
            exhibition=exhibition,
            buyer_id=draft.buyer_id,
            exhibitor_id=draft.exhibitor_id,
            requested_by=by,
            origin=Meeting.Origin.SCHEDULER,
        )
        members = list(Membership.objects.filter(company_id=draft.buyer_id).values_list("user_id", flat=True)[:2])
        if len(members) == 1:
            meeting.buyer_person_id = members[0]
    representative = meeting.representative
    if representative is None and application.parallel_meetings == 1:
        reps = list(application.representatives.all()[:2])
        representative = reps[0] if len(reps) == 1 else None
    meeting.interpreter = draft.interpreter
    _book(meeting, slot=slot, table=draft.table, representative=representative)
    if (meeting.booth_id, meeting.table_id) != (draft.booth_id, draft.table_id):
        raise MeetingConflict(_("The place of this meeting is no longer free at that time."))
    meeting.interpreter_needed = draft.interpreter_id is not None or interpreter_needed_for(
        buyer=draft.buyer,
        exhibitor=draft.exhibitor,
        registration=registration,
        application=application,
        representative=meeting.representative,
    )
    meeting.status = Meeting.Status.ACCEPTED
    meeting.sequence += 1
    meeting.expires_at = None
    _save(meeting)
    _record(meeting, action="scheduled", actor=by, from_status=before, details={"slot": slot.starts_at.isoformat()})
    webhook_events.meeting_confirmed(meeting)
    return meeting


@_atomic_conflicts
def meeting_mark_no_show(*, meeting, by, absent=""):
    """Staff record that a booked meeting did not take place (`absent`: buyer, exhibitor or both).

    Only once the meeting has started. Side effects: the meeting becomes no_show, a
    MeetingEvent; no notice (staff tell people in person).
    """
    if not runs_exhibition(by, meeting.exhibition):
        raise MeetingError(_("Only the organisers mark no-shows."))
    meeting = _lock_meeting(meeting)
    _require_status(meeting, [Meeting.Status.ACCEPTED])
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("This meeting has not started yet."))
    before = meeting.status
    meeting.status = Meeting.Status.NO_SHOW
    meeting.save()
    _record(meeting, action="no_show", actor=by, from_status=before, details={"absent": absent})
    return meeting


def to_usd(value, currency, rate):
    """`value` in `currency` as US dollars at the show's ExchangeRate `rate` (None when there
    is no value, or no rate yet for a JPY or KRW value)."""
    if value is None:
        return None
    if currency == MeetingOutcome.Currency.USD:
        return Decimal(value).quantize(Decimal("0.01"))
    if rate is None:
        return None
    return (Decimal(value) / rate.per_usd(currency)).quantize(Decimal("0.01"))


def summarise_outcomes(outcomes, rate=None):
    """(outcome, value in USD) of a meeting from its sides' outcomes.

    The outcome is the furthest stage either side reports (deal > quotation > follow-up >
    no interest); the value is the larger of the two estimates, converted at the show's
    exchange rate `rate` (see ExchangeRate), so one meeting's business is counted once.
    """
    if not outcomes:
        return "", None
    outcome = max((o.outcome for o in outcomes), key=OUTCOME_RANK.index)
    values = [v for v in (to_usd(o.estimated_value, o.currency, rate) for o in outcomes) if v is not None]
    return outcome, (max(values) if values else None)


@_atomic_conflicts
def meeting_record_outcome(*, meeting, by, outcome, estimated_value=None, currency="JPY", note=""):
    """One side says what came of the meeting, once it has started; recording again updates it.

    The first outcome marks an accepted meeting as held. The note is private to the side
    that writes it. Side effects: a MeetingOutcome row (created or updated), the meeting's
    status, outcome and deal_value_usd summary, a MeetingEvent (without the note or value).
    """
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side is None:
        raise MeetingError(_("Only the two sides of a meeting record its outcome."))
    _require_status(meeting, [Meeting.Status.ACCEPTED, Meeting.Status.HELD])
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("You can record the outcome once the meeting has started."))
    if outcome not in Meeting.Outcome.values:
        raise MeetingError(_("Choose an outcome."))
    if currency not in MeetingOutcome.Currency.values:
        raise MeetingError(_("Choose JPY, KRW or USD."))
    if estimated_value is not None and estimated_value < 0:
        raise MeetingError(_("The value cannot be negative."))
    MeetingOutcome.objects.update_or_create(
        meeting=meeting,
        side=side,
        defaults={
            "outcome": outcome,
            "estimated_value": estimated_value,
            "currency": currency,
            "note": note,
            "recorded_by": by,
        },
    )
    before = meeting.status
    meeting.status = Meeting.Status.HELD
    rate = ExchangeRate.objects.filter(exhibition_id=meeting.exhibition_id).first()
    meeting.outcome, meeting.deal_value_usd = summarise_outcomes(list(meeting.outcomes.all()), rate)
    meeting.save()
    _record(meeting, action="outcome_recorded", actor=by, from_status=before, details={"side": side})
    return meeting


@_atomic_conflicts
def meeting_expire(*, meeting, now=None):
    """A request (or proposal) nobody answered in time expires, so it no longer holds times.

    Does nothing unless the meeting is still pending and past `expires_at`. Side effects: the
    meeting becomes expired, a MeetingEvent; a notice to the buyer side when its request got
    no answer, or to both sides when the exhibitor's proposed times got none.
    """
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    if meeting.status not in PENDING or meeting.expires_at is None or meeting.expires_at > now:
        return None
    before = meeting.status
    meeting.status = Meeting.Status.EXPIRED
    meeting.save()
    _record(meeting, action="expired", actor=None, from_status=before)
    if before == Meeting.Status.PROPOSED:  # the buyer did not answer the exhibitor's times
        for side in (MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR):
            _tell(meeting, side, "meeting_proposal_expired", "expired")
    else:
        _tell(meeting, MeetingOutcome.Side.BUYER, "meeting_expired", "expired")
    return meeting


def meeting_remind(*, meeting):
    """Remind both sides of a booked meeting shortly before it starts; once per meeting time.

    Side effects: notices to both sides (keyed by the start time, so a moved meeting is
    reminded again, and a repeated run sends nothing).
    """
    if meeting.status != Meeting.Status.ACCEPTED or not meeting.starts_at:
        return
    stamp = meeting.starts_at.strftime("%Y%m%d%H%M")
    for each in (MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR):
        _tell(meeting, each, "meeting_reminder", f"reminder:{stamp}")


def meeting_prompt_outcome(*, meeting):
    """Ask each side that has not recorded an outcome what came of the meeting; once per side.

    Side effects: notices to the sides without an outcome.
    """
    if meeting.status not in (Meeting.Status.ACCEPTED, Meeting.Status.HELD):
        return
    recorded = set(meeting.outcomes.values_list("side", flat=True))
    for each in (MeetingOutcome.Side.BUYER, MeetingOutcome.Side.EXHIBITOR):
        if each not in recorded:
            _tell(meeting, each, "meeting_outcome_prompt", "outcome_prompt")


def calendar_link_reset(*, user):
    """Give the person a new secret calendar address; the old one stops working at once.

    Side effects: saves `User.calendar_token` (every exhibition's feed of this person moves).
    """
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
