"""Publishing the draft schedule: drafts become accepted meetings through the same booking
code and database constraints as hand-made ones, and each person hears once, with their agenda.

A large show's publish books well over a thousand meetings (about 18 queries each), longer
than a web request may last: the page queues `scheduling.publish_schedule`
(`schedule_publish_start`), and the result is kept on the latest run (`stats["publish"]`)
for the page to show. Publishing is idempotent, so a double click or a redelivered task
publishes nothing twice."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from companies import outbox
from companies.models import Membership
from companies.notifications import notify
from exhibitions.meetings.services import MeetingError, meeting_book_from_schedule
from exhibitions.models import DraftMeeting, Exhibition, ScheduleRun


@dataclass
class PublishResult:
    published: list = field(default_factory=list)  # Meetings
    conflicts: list = field(default_factory=list)  # (DraftMeeting, message)
    notified: int = 0


def enqueue_publish(exhibition_id, user_id):
    """Queue the publish task through the outbox: the one place that does."""
    outbox.enqueue("scheduling.publish_schedule", args=[exhibition_id, user_id])


def schedule_publish_start(*, exhibition, by):
    """Ask for the exhibition's draft to be published in the background.
    Side effects: `scheduling.publish_schedule` queued after commit (see schedule_publish)."""
    enqueue_publish(exhibition.pk, by.pk)


def schedule_publish(*, exhibition, by):
    """Turn every draft of the exhibition into an accepted meeting (origin scheduler).

    One transaction with the exhibition row locked (publishes, reruns' saves and hand moves
    take turns; a second publish finds no drafts left). Each draft is booked by
    `meeting_book_from_schedule` in its own savepoint: a draft that now conflicts (someone
    booked by hand meanwhile, a slot has passed) is reported and stays a draft.
    Side effects: Meetings and their MeetingEvents; the published drafts deleted; the latest
    finished run marked published and its `stats["publish"]` report (counts, and each draft
    not published with the reason, in the active language); ONE notice per person of either side listing their new
    meetings, in their language (emailed after commit)."""
    result = PublishResult()
    with transaction.atomic():
        Exhibition.objects.select_for_update().filter(pk=exhibition.pk).first()
        drafts = list(
            DraftMeeting.objects.select_for_update(of=("self",))
            .filter(exhibition=exhibition)
            .select_related("exhibition", "buyer", "exhibitor", "slot", "booth", "table", "interpreter")
            .order_by("slot__starts_at", "pk")
        )
        for draft in drafts:
            try:
                meeting = meeting_book_from_schedule(draft=draft, by=by)
            except MeetingError as error:
                result.conflicts.append((draft, error.message))
                continue
            result.published.append(meeting)
        DraftMeeting.objects.filter(pk__in=[d.pk for d in drafts if d not in {c[0] for c in result.conflicts}]).delete()
        stamp = timezone.now()
        if result.published:
            result.notified = _tell_agendas(exhibition, result.published, stamp)
        _report(exhibition, result, by, stamp)
    return result


def _report(exhibition, result, by, stamp):
    """Keep what the publish did on the latest finished run, for the scheduler page."""
    run = ScheduleRun.objects.filter(exhibition=exhibition, status=ScheduleRun.Status.DONE).order_by("-pk").first()
    if run is None:
        return
    run.stats = dict(
        run.stats,
        publish={
            "at": stamp.isoformat(),
            "by": str(by),
            "published": len(result.published),
            "notified": result.notified,
            "conflicts": [
                {"buyer": str(d.buyer), "exhibitor": str(d.exhibitor), "time": str(d.slot), "reason": message}
                for d, message in result.conflicts
            ],
        },
    )
    fields = ["stats"]
    if result.published:
        run.published_at, run.published_by = stamp, by
        fields += ["published_at", "published_by"]
    run.save(update_fields=fields)


def _people(meetings):
    """[(person, [(meeting, the other company)])]: the buyer person (or the buyer company's people) and
    the exhibitor company's people, like every other meeting notice."""
    company_ids = {m.buyer_id for m in meetings} | {m.exhibitor_id for m in meetings}
    members = defaultdict(list)
    for membership in Membership.objects.filter(company_id__in=company_ids).select_related("user"):
        members[membership.company_id].append(membership.user)
    users = {}
    agenda = defaultdict(list)
    for meeting in meetings:
        buyer_side = [meeting.buyer_person] if meeting.buyer_person_id else members[meeting.buyer_id]
        for person, other in [(p, meeting.exhibitor) for p in buyer_side] + [
            (p, meeting.buyer) for p in members[meeting.exhibitor_id]
        ]:
            users[person.pk] = person
            agenda[person.pk].append((meeting, other))
    return [(users[pk], agenda[pk]) for pk in sorted(agenda)]


def _tell_agendas(exhibition, meetings, stamp):
    """One notice per person with their new meetings, written in their language and time zone
    of the exhibition (the notice keeps strings: it is rendered later)."""
    tz = exhibition.tzinfo
    url = reverse("exhibitions:meetings_agenda", kwargs={"slug": exhibition.slug})
    sent = 0
    for person, theirs in _people(meetings):
        with translation.override(person.preferred_language or "en"):
            lines = []
            for meeting, other in sorted(theirs, key=lambda pair: pair[0].starts_at):
                lines.append(
                    {
                        "when": f"{meeting.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
                        "with": str(other),
                        "place": str(meeting.place or ""),
                        "interpreter": meeting.interpreter.name if meeting.interpreter_id else "",
                    }
                )
            context = {"exhibition": str(exhibition), "timezone": exhibition.timezone, "meetings": lines}
        key = f"schedule:{exhibition.pk}:{stamp:%Y%m%d%H%M%S%f}:{person.pk}"
        if notify(user=person, key=key, template="schedule_published", context=context, url=url):
            sent += 1
    return sent
