"""At-the-show reads shared by the check-in page and the staff dashboard."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from companies.models import Company
from exhibitions.models import CheckIn, Lead, Meeting
from exhibitions.selectors import participating_buyers, participating_exhibitors

from .badges import participants

SEARCH_LIMIT = 20


def arrivals_by_day(exhibition):
    """[(day, people checked in)] for each day of the exhibition, in one query."""
    counts = dict(
        CheckIn.objects.filter(exhibition=exhibition).values_list("day").annotate(n=Count("id")).values_list("day", "n")
    )
    return [(day, counts.get(day, 0)) for day in exhibition.days]


def search_participants(exhibition, query, *, kind=None):
    """Participants whose name, email or company name contains `query` (any case), at most
    SEARCH_LIMIT; people of companies not taking part are never found. `kind` keeps only the
    people of buyer (or exhibitor) companies."""
    needle = (query or "").strip().casefold()
    if len(needle) < 2:
        return []
    found = []
    for person in participants(exhibition):
        if kind and person.badge_company.kind != kind:
            continue
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


# --- Leads -----------------------------------------------------------------------------


def exhibitor_taking_part(user, exhibition):
    """The person's exhibitor company if its application to the exhibition is approved, else
    None: only such people capture and read leads (staff included, who get 404)."""
    company = user.company if user.is_authenticated else None
    if company is None or company.kind != Company.Kind.EXHIBITOR:
        return None
    return company if participating_exhibitors(exhibition).filter(pk=company.pk).exists() else None


def participant_company(user, exhibition):
    """The person's company if it takes part in the exhibition (an approved exhibitor or
    buyer), else None."""
    company = user.company if user.is_authenticated else None
    if company is None:
        return None
    if company.kind == Company.Kind.EXHIBITOR:
        return exhibitor_taking_part(user, exhibition)
    return company if participating_buyers(exhibition).filter(pk=company.pk).exists() else None


def leads_of(*, exhibition, exhibitor):
    """The exhibitor's leads at the exhibition, newest first; one query whatever their number."""
    return (
        Lead.objects.filter(exhibition=exhibition, exhibitor=exhibitor)
        .select_related("buyer", "person", "captured_by")
        .order_by("-created_at", "-pk")
    )


def lead_of(*, exhibition, exhibitor, pk):
    """One lead of the exhibitor, or None (another exhibitor's lead is nobody's business)."""
    return leads_of(exhibition=exhibition, exhibitor=exhibitor).filter(pk=pk).first()


def lead_counts(exhibition):
    """For staff and the show report: {"total": n, "by_exhibitor": {company id: n}}, one query.
    Counts only: staff never read the leads themselves."""
    by_exhibitor = dict(
        Lead.objects.filter(exhibition=exhibition)
        .order_by()
        .values_list("exhibitor")
        .annotate(n=Count("id"))
        .values_list("exhibitor", "n")
    )
    return {"total": sum(by_exhibitor.values()), "by_exhibitor": by_exhibitor}
