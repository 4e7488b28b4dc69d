"""The day-before reminder: one email per person with their agenda for the next day (in the
exhibition's time zone) and an .ics of those meetings, in the person's language.

Beat runs `exhibitions.send_day_before_reminders` every 15 minutes; from `REMINDER_HOUR`
local time on the day before, everyone with booked meetings the next day gets a notice keyed
`day-reminder:<exhibition>:<day>:<person>`. The key is unique in the database, so a person
never gets the same day's reminder twice, whatever the runs and workers do. The notices go
out with `notify_many` (one task a batch of emails, through the outbox). The agenda is read
when the email is written, so a meeting cancelled in the meantime is not in it. A meeting
booked after the reminder went is in the one-hour-before reminder only.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Membership
from companies.notifications import attach_to, context_from, notify_many
from exhibitions.models import Exhibition, Meeting

from . import selectors

TEMPLATE = "meetings_day_reminder"
# From this local hour on the day before (09:00 in the exhibition's zone), not at midnight.
REMINDER_HOUR = 9


def _day_bounds(day, tz):
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def due_days(*, now=None):
    """[(exhibition, day)]: exhibitions with booked meetings tomorrow in their own time zone,
    where it is past REMINDER_HOUR today."""
    now = now or timezone.now()
    soon = Meeting.objects.filter(
        status=Meeting.Status.ACCEPTED, starts_at__gt=now, starts_at__lt=now + datetime.timedelta(days=2)
    ).values("exhibition_id")
    due = []
    for exhibition in Exhibition.objects.filter(pk__in=soon).order_by("pk"):
        local = now.astimezone(exhibition.tzinfo)
        if local.hour >= REMINDER_HOUR:
            due.append((exhibition, local.date() + datetime.timedelta(days=1)))
    return due


def recipients(exhibition, day):
    """{person: [meeting ids]} of the booked meetings on `day`: the buyer person (or the buyer
    company's members when no person was named) and the exhibitor company's members, as the
    one-hour reminder tells them."""
    start, end = _day_bounds(day, exhibition.tzinfo)
    meetings = list(
        Meeting.objects.filter(
            exhibition=exhibition, status=Meeting.Status.ACCEPTED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("buyer_person")
        .order_by("starts_at", "pk")
    )
    companies = {m.exhibitor_id for m in meetings} | {m.buyer_id for m in meetings if not m.buyer_person_id}
    members = {}
    for membership in Membership.objects.filter(company_id__in=companies).select_related("user"):
        members.setdefault(membership.company_id, []).append(membership.user)
    agenda = {}
    for meeting in meetings:
        people = [meeting.buyer_person] if meeting.buyer_person_id else members.get(meeting.buyer_id, [])
        for person in [*people, *members.get(meeting.exhibitor_id, [])]:
            agenda.setdefault(person, []).append(meeting.pk)
    return agenda


def remind_day_before(*, exhibition, day):
    """Queue the reminders of `day` at `exhibition`; returns how many notices are new.

    Side effects: Notification rows (once per person and day: unique key) and their email
    tasks through the outbox."""
    url = reverse("exhibitions:meetings_agenda", kwargs={"slug": exhibition.slug})
    return notify_many(
        (
            person,
            f"day-reminder:{exhibition.pk}:{day.isoformat()}:{person.pk}",
            TEMPLATE,
            {"exhibition": exhibition, "day": day.isoformat(), "meeting_ids": meeting_ids},
            url,
        )
        for person, meeting_ids in recipients(exhibition, day).items()
    )


def send_day_before_reminders(*, now=None):
    """Every due exhibition's reminders for tomorrow; returns how many notices are new."""
    return sum(remind_day_before(exhibition=exhibition, day=day) for exhibition, day in due_days(now=now))


def _meetings(notification):
    """The notice's meetings still booked, in time order (read when the email is written)."""
    return list(
        Meeting.objects.filter(pk__in=notification.context.get("meeting_ids", []), status=Meeting.Status.ACCEPTED)
        .select_related(*selectors.MEETING_RELATED)
        .order_by("starts_at", "pk")
    )


@context_from(TEMPLATE)
def agenda_context(notification):
    """`agenda`: one line a meeting (local time, the other side, the place), in the active
    language; `day`: the date."""
    company = notification.user.company
    lines = []
    for meeting in _meetings(notification):
        tz = meeting.exhibition.tzinfo
        other = meeting.exhibitor if company is not None and company.pk == meeting.buyer_id else meeting.buyer
        line = f"{meeting.starts_at.astimezone(tz):%H:%M}–{meeting.ends_at.astimezone(tz):%H:%M}  {other.name}"
        if meeting.place:
            line += f" — {meeting.place}"
        if meeting.interpreter_needed:
            line += f" ({_('An interpreter is needed.')})"
        lines.append(line)
    return {"agenda": lines, "day": notification.context.get("day", "")}


@attach_to(TEMPLATE)
def agenda_ics(notification, language):
    """The day's meetings as one .ics (same UIDs as the feed), in the reader's language."""
    from .calendar import meetings_ics

    meetings = _meetings(notification)
    if not meetings:
        return []
    day = notification.context.get("day", "")
    return [(f"fairlink-{day}.ics", meetings_ics(meetings, notification.user, language=language), "text/calendar")]
