"""At-the-show reads shared by the check-in page and the staff dashboard."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from exhibitions.models import CheckIn, Meeting

from .badges import participants

SEARCH_LIMIT = 20


def arrivals_by_day(exhibition):
    """[(day, people checked in)] for each day of the exhibition, in one query."""
    counts = dict(
        CheckIn.objects.filter(exhibition=exhibition).values_list("day").annotate(n=Count("id")).values_list("day", "n")
    )
    return [(day, counts.get(day, 0)) for day in exhibition.days]


def search_participants(exhibition, query):
    """Participants whose name, email or company name contains `query` (any case), at most
    SEARCH_LIMIT; people of companies not taking part are never found."""
    needle = (query or "").strip().casefold()
    if len(needle) < 2:
        return []
    found = []
    for person in participants(exhibition):
        company = person.badge_company
        haystack = " ".join(
            [person.full_name, person.email, company.name_en, company.name_ko, company.name_ja]
        ).casefold()
        if needle in haystack:
            found.append(person)
            if len(found) == SEARCH_LIMIT:
                break
    return found


def no_show_candidates(exhibition, *, now=None):
    """Accepted meetings that ended FAIRLINK_NO_SHOW_AFTER_MINUTES ago or more and that
    nobody marked as met (marking makes them held): for staff to confirm or mark as no-show.
    One query, earliest first."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.FAIRLINK_NO_SHOW_AFTER_MINUTES)
    return list(
        Meeting.objects.filter(exhibition=exhibition, status=Meeting.Status.ACCEPTED, ends_at__lte=cutoff)
        .select_related("buyer", "exhibitor")
        .order_by("starts_at", "pk")
    )
