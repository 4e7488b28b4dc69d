"""Personal iCalendar feeds (RFC 5545) of booked meetings, one per person and exhibition.

One event per meeting for its whole life: UID is `Meeting.uid`, SEQUENCE is
`Meeting.sequence` (bumped on every acceptance, move and cancellation), so a calendar app
updates the same event when a meeting moves and marks it STATUS:CANCELLED when it is
cancelled; nothing is ever duplicated.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from companies.notifications import attach_to
from exhibitions.models import Meeting

from . import selectors


def feed_url(user, exhibition):
    return reverse("exhibitions:meetings_calendar", kwargs={"slug": exhibition.slug, "token": user.calendar_token})


def _event(meeting, user, site):
    company = user.company
    is_buyer = company is not None and company.pk == meeting.buyer_id
    counterpart = meeting.exhibitor if is_buyer else meeting.buyer
    event = Event()
    event.add("uid", f"{meeting.uid}@fairlink")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    # Local times with their zone (a VTIMEZONE is added to the calendar), so a calendar app
    # shows the exhibition's wall-clock time even on a phone still set to another zone.
    tz = meeting.exhibition.tzinfo
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("summary", _("Meeting: %(company)s") % {"company": counterpart.name})
    place = str(meeting.place or "")
    venue = meeting.exhibition.venue
    event.add("location", ", ".join(p for p in (place, venue) if p))
    lines = [f"{_('Buyer')}: {meeting.buyer.name}", f"{_('Exhibitor')}: {meeting.exhibitor.name}"]
    if meeting.representative_id:
        lines.append(f"{_('Representative')}: {meeting.representative.name}")
    if meeting.interpreter_id:
        lines.append(f"{_('Interpreter')}: {meeting.interpreter.name}")
    elif meeting.interpreter_needed:
        lines.append(_("An interpreter is needed."))
    url = site + reverse("exhibitions:meetings_detail", kwargs={"slug": meeting.exhibition.slug, "pk": meeting.pk})
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    return event


def _calendar(name, exhibition):
    cal = Calendar()
    cal.add("prodid", "-//Fairlink//Business meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", exhibition.timezone)
    return cal


def meeting_ics(meeting, user, *, language=None):
    """One meeting as an .ics file (same UID and SEQUENCE as in the feed), in `language`
    (else the person's preferred language), times in the exhibition's time zone."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(language or user.preferred_language or settings.LANGUAGE_CODE):
        cal = _calendar(f"{meeting.exhibition.title} — Fairlink", meeting.exhibition)
        cal.add_component(_event(meeting, user, site))
        cal.add_missing_timezones()
        return cal.to_ical()


def meetings_ics(meetings, user, *, language=None):
    """Several meetings of one exhibition as one .ics file (each with its feed UID and
    SEQUENCE), in `language`, times in the exhibition's time zone."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    exhibition = meetings[0].exhibition
    with translation.override(language or user.preferred_language or settings.LANGUAGE_CODE):
        cal = _calendar(f"{exhibition.title} — Fairlink", exhibition)
        for meeting in meetings:
            cal.add_component(_event(meeting, user, site))
        cal.add_missing_timezones()
        return cal.to_ical()


def meeting_filename(meeting):
    return f"fairlink-meeting-{meeting.pk}.ics"


@attach_to("meeting_accepted")
@attach_to("meeting_booked")
@attach_to("meeting_rescheduled")
def confirmation_attachments(notification, language):
    """The .ics of the booked meeting, for the confirmation emails (in the reader's language)."""
    meeting = (
        Meeting.objects.select_related(*selectors.MEETING_RELATED)
        .filter(pk=notification.context.get("meeting_id"), status=Meeting.Status.ACCEPTED)
        .first()
    )
    if meeting is None or meeting.starts_at is None:
        return []
    return [(meeting_filename(meeting), meeting_ics(meeting, notification.user, language=language), "text/calendar")]


def feed_for(user, exhibition):
    """The feed as bytes, in the person's preferred language."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        cal = _calendar(f"{exhibition.title} — Fairlink", exhibition)
        for meeting in selectors.calendar_meetings(user=user, exhibition=exhibition):
            cal.add_component(_event(meeting, user, site))
        cal.add_missing_timezones()
        return cal.to_ical()


def interpreter_feed_url(interpreter):
    return reverse(
        "exhibitions:interpreter_calendar", kwargs={"slug": interpreter.exhibition.slug, "token": interpreter.token}
    )


def interpreter_feed_for(interpreter, meetings, language):
    """An interpreter's feed as bytes, in `language`: one event per meeting they interpret
    (same UID as the participants' events, so it is the same meeting everywhere)."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    exhibition = interpreter.exhibition
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", "-//Fairlink//Business meetings//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", f"{exhibition.title} — {interpreter.name}")
        cal.add("x-wr-timezone", exhibition.timezone)
        agenda = site + reverse(
            "exhibitions:interpreter_agenda", kwargs={"slug": exhibition.slug, "token": interpreter.token}
        )
        for meeting in meetings:
            event = Event()
            event.add("uid", f"{meeting.uid}@fairlink")
            event.add("sequence", meeting.sequence)
            event.add("dtstamp", meeting.updated_at or timezone.now())
            event.add("dtstart", meeting.starts_at)
            event.add("dtend", meeting.ends_at)
            event.add(
                "summary",
                _("Interpreting: %(buyer)s × %(exhibitor)s")
                % {"buyer": meeting.buyer.name, "exhibitor": meeting.exhibitor.name},
            )
            place = str(meeting.place or "")
            event.add("location", ", ".join(p for p in (place, exhibition.venue) if p))
            buyer_langs, exhibitor_langs = getattr(meeting, "languages_needed", ([], []))
            event.add(
                "description",
                "\n".join(
                    [
                        f"{_('Buyer')}: {meeting.buyer.name} ({' '.join(buyer_langs)})",
                        f"{_('Exhibitor')}: {meeting.exhibitor.name} ({' '.join(exhibitor_langs)})",
                        agenda,
                    ]
                ),
            )
            event.add("status", "CONFIRMED")
            cal.add_component(event)
        return cal.to_ical()
