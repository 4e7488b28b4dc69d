"""At-the-show writes."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitions.meetings.services import MeetingError, _lock_meeting, _record, _require_status, side_of
from exhibitions.models import CheckIn, Meeting, MeetingEvent


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
def meeting_mark_met(*, meeting, by):
    """One side of a meeting says "we met", once it has started: an accepted meeting becomes
    held. Idempotent: marking again (or after the other side) changes nothing.

    Side effects: the meeting's status (accepted -> held), one MeetingEvent "met" per side.
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
    _record(meeting, action="met", actor=by, from_status=before, details={"side": side})
    return meeting
