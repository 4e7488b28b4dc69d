"""At-the-show writes."""

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitions.meetings.services import MeetingError, _lock_meeting, _record, _require_status, side_of
from exhibitions.models import CheckIn, Lead, Meeting, MeetingEvent


def check_in(*, exhibition, person, by):
    """Record `person`'s arrival today (the exhibition's day). Returns (check_in, created).

    Side effects: one CheckIn row per exhibition, person and day (a database constraint); a
    second scan the same day, even a racing one, returns the first row with created=False.
    """
    day = timezone.localtime(timezone.now(), exhibition.tzinfo).date()
    try:
        with transaction.atomic():
            return CheckIn.objects.get_or_create(exhibition=exhibition, person=person, day=day, defaults={"by": by})
    except IntegrityError:
        return CheckIn.objects.get(exhibition=exhibition, person=person, day=day), False


@transaction.atomic
def meeting_mark_met(*, meeting, by, recorded_by=None):
    """One side of a meeting says "we met", once it has started: an accepted meeting becomes
    held. Idempotent: marking again (or after the other side) changes nothing. Staff at a
    table who scanned `by`'s badge mark it for `by`'s side, as `recorded_by`.

    Side effects: the meeting's status (accepted -> held), one MeetingEvent "met" per side
    (its actor is `recorded_by` when given).
    """
    meeting = _lock_meeting(meeting)
    side = side_of(by, meeting)
    if side is None:
        raise MeetingError(_("Only the two sides of a meeting mark that they met."))
    _require_status(meeting, [Meeting.Status.ACCEPTED, Meeting.Status.HELD])
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("This meeting has not started yet."))
    if MeetingEvent.objects.filter(meeting=meeting, action="met", details__side=side).exists():
        return meeting
    before = meeting.status
    meeting.status = Meeting.Status.HELD
    meeting.save()
    _record(meeting, action="met", actor=recorded_by or by, from_status=before, details={"side": side})
    return meeting


# --- Leads: walk-up contacts an exhibitor records at its booth ------------------------


def lead_capture_buyer(*, exhibition, exhibitor, person, source, by, interest="", note=""):
    """Record that `person` (a buyer participant, with `badge_company`) visited `exhibitor`'s
    booth. Returns (lead, created).

    One lead per exhibitor and buyer company (the constraint one_lead_per_exhibitor_and_buyer):
    a second scan or pick updates the first lead (the person, the source, who captured it; a
    given interest replaces the old one, a given note is added below the old one). Two people
    of the booth capturing at once both end on the same row, never an error.
    """
    buyer = person.badge_company
    created = False
    with transaction.atomic():
        lead = Lead.objects.select_for_update().filter(exhibition=exhibition, exhibitor=exhibitor, buyer=buyer).first()
        if lead is None:
            try:
                with transaction.atomic():
                    lead = Lead.objects.create(
                        exhibition=exhibition,
                        exhibitor=exhibitor,
                        buyer=buyer,
                        person=person,
                        source=source,
                        captured_by=by,
                        interest=interest or Lead.Interest.MEDIUM,
                        note=note.strip(),
                    )
                    return lead, True
            except IntegrityError:  # a colleague's capture of the same buyer committed first
                lead = Lead.objects.select_for_update().get(exhibition=exhibition, exhibitor=exhibitor, buyer=buyer)
        lead.person, lead.source, lead.captured_by = person, source, by
        if interest:
            lead.interest = interest
        if note.strip():
            lead.note = f"{lead.note}\n{note.strip()}".strip()[: Lead._meta.get_field("note").max_length]
        lead.save()
    return lead, created


def lead_capture_card(*, exhibition, exhibitor, by, visitor_name, visitor_company="", visitor_email="", **fields):
    """A visitor who is not in Fairlink, typed from a business card (each card is a new lead)."""
    return Lead.objects.create(
        exhibition=exhibition,
        exhibitor=exhibitor,
        captured_by=by,
        source=Lead.Source.CARD,
        visitor_name=visitor_name,
        visitor_company=visitor_company,
        visitor_email=visitor_email,
        **fields,
    )


def lead_update(*, lead, **fields):
    """Change a lead's interest, note or (for a business card) the visitor's details."""
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.save()
    return lead


def lead_delete(*, lead):
    lead.delete()


# --- "We met" by scanning the other side's badge --------------------------------------


def meeting_met_by_scan(*, exhibition, scanned, by, other=None):
    """Mark as met the booked meeting between the scanned person's company and `by`'s company
    (or, for staff at a table, `other`'s: the second badge) that is the nearest to now today,
    in the exhibition's time zone. Returns the meeting.

    Side effects: those of `meeting_mark_met`, once for `by` (a side) or, when staff scan both
    badges, once for each scanned person. MeetingError when there is no such meeting.
    """
    first = other if other is not None else by
    first_company = getattr(first, "badge_company", None) or first.company
    if first_company is None or first_company.pk == scanned.badge_company.pk:
        raise MeetingError(_("Scan the badge of the other side of the meeting."))
    meeting = _nearest_meeting_today(exhibition, first_company, scanned.badge_company)
    if meeting is None:
        raise MeetingError(
            _("No confirmed meeting today between %(first)s and %(second)s.")
            % {"first": first_company.name, "second": scanned.badge_company.name}
        )
    if other is None:
        return meeting_mark_met(meeting=meeting, by=by)
    meeting_mark_met(meeting=meeting, by=other, recorded_by=by)
    return meeting_mark_met(meeting=meeting, by=scanned, recorded_by=by)


def _nearest_meeting_today(exhibition, one, two):
    now = timezone.now()
    tz = exhibition.tzinfo
    today = timezone.localtime(now, tz).date()
    pair = models.Q(buyer=one, exhibitor=two) | models.Q(buyer=two, exhibitor=one)
    meetings = [
        m
        for m in Meeting.objects.filter(pair, exhibition=exhibition, status__in=["accepted", "held"]).exclude(
            starts_at=None
        )
        if timezone.localtime(m.starts_at, tz).date() == today
    ]
    return min(meetings, key=lambda m: (abs(m.starts_at - now), m.pk), default=None)
