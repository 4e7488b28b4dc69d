"""Writes about who wants to meet whom and when people are free: wishes from both sides,
buyers' visit days, blocked times, and what an exhibitor can hold at once.

A wish is one side's word about a buyer-exhibitor pair (must meet, would like to meet, not
interested). Wishes feed the scheduler; a `no` only stops the scheduler from placing the
pair, it never cancels a meeting already requested or booked.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from companies.models import SPOKEN_LANGUAGES, Company, Membership
from companies.notifications import notify
from companies.rules import runs_exhibition
from exhibitions.meetings.services import (
    approved_application,
    approved_registration,
    meetings_refresh_interpreter_need,
)
from exhibitions.models import Meeting, Unavailability, Wish

SPOKEN_CODES = {code for code, _label in SPOKEN_LANGUAGES}
MAX_PARALLEL_MEETINGS = 10


class WishError(Exception):
    """A rule forbids this change; `message` is shown as is (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _check_pair(*, exhibition, buyer, exhibitor, by, person):
    if by not in Wish.By.values:
        raise WishError(_("Say which side the wish is from."))
    if buyer.kind != Company.Kind.BUYER or exhibitor.kind != Company.Kind.EXHIBITOR:
        raise WishError(_("A wish is between a buyer and an exhibitor."))
    speaker = buyer if by == Wish.By.BUYER else exhibitor
    if person.company != speaker:
        raise WishError(_("Only people of the company can say whom it wants to meet."))
    if approved_registration(exhibition, buyer) is None or approved_application(exhibition, exhibitor) is None:
        raise WishError(_("Both companies must take part in this exhibition."))


def wish_set(*, exhibition, buyer, exhibitor, by, priority, person):
    """One side says whether it wants to meet the other ("must", "want" or "no").

    `by` is "buyer" or "exhibitor"; `person` must belong to that side's company and both
    companies must take part. Setting it again changes the priority.
    Side effects: a Wish row (created or updated). When an exhibitor reaches out (must or
    want), each member of the buyer company is notified once per exhibitor, in their own
    language.
    """
    _check_pair(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, by=by, person=person)
    if priority not in Wish.Priority.values:
        raise WishError(_("Choose must meet, would like to meet or not interested."))
    with transaction.atomic():
        wish, _created = Wish.objects.update_or_create(
            exhibition=exhibition,
            buyer=buyer,
            exhibitor=exhibitor,
            by=by,
            defaults={"priority": priority, "created_by": person},
        )
        if by == Wish.By.EXHIBITOR and priority != Wish.Priority.NO:
            _tell_buyer(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor)
    return wish


def _tell_buyer(*, exhibition, buyer, exhibitor):
    """An exhibitor would like to meet the buyer: its people hear about it once (the key),
    with the names in each reader's language."""
    url = reverse("exhibitions:wishes", kwargs={"slug": exhibition.slug})
    for membership in Membership.objects.select_related("user").filter(company=buyer):
        person = membership.user
        with translation.override(person.preferred_language or "en"):
            context = {"exhibition": str(exhibition), "exhibitor": str(exhibitor), "buyer": str(buyer)}
        notify(
            user=person,
            key=f"wish:{exhibition.pk}:{exhibitor.pk}:{buyer.pk}:{person.pk}",
            template="wish_from_exhibitor",
            context=context,
            url=url,
        )


def wish_clear(*, exhibition, buyer, exhibitor, by, person):
    """One side takes back its wish about the pair. Side effects: deletes the Wish row."""
    _check_pair(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, by=by, person=person)
    Wish.objects.filter(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, by=by).delete()


# ---------------------------------------------------------------------------------------
# Availability


def _iso_days(exhibition, days):
    allowed = set(exhibition.days)
    chosen = set()
    for day in days:
        if isinstance(day, str):
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                raise WishError(_("That is not a date."))
        if day not in allowed:
            raise WishError(_("Choose days of the exhibition."))
        chosen.add(day)
    return [d.isoformat() for d in sorted(chosen)]


def visit_days_set(*, registration, days, by):
    """A buyer says which exhibition days it visits (empty: every day).

    Side effects: the registration's `visit_days` (ISO dates, sorted).
    """
    if not by.is_authenticated or by.company != registration.company:
        raise WishError(_("Only people of the company can change its visit days."))
    if not days:
        raise WishError(_("Choose at least one day."))
    registration.visit_days = _iso_days(registration.exhibition, days)
    registration.save(update_fields=["visit_days", "updated_at"])
    return registration


def unavailability_add(*, exhibition, company, starts_at, ends_at, by, person=None, note=""):
    """Block a time when the company (or one of its people) cannot meet.

    The time must end after it starts and fall within the exhibition's days (in its time
    zone); the person, when given, belongs to the company. Meetings already booked then
    stay (the scheduler avoids the time). Side effects: an Unavailability row.
    """
    if by.company != company:
        raise WishError(_("Only people of the company can block its times."))
    if ends_at <= starts_at:
        raise WishError(_("A blocked time must end after it starts."))
    tz = exhibition.tzinfo
    days = set(exhibition.days)
    if (
        starts_at.astimezone(tz).date() not in days
        or (ends_at - datetime.timedelta(seconds=1)).astimezone(tz).date() not in days
    ):
        raise WishError(_("A blocked time must fall within the days of the exhibition."))
    if person is not None and person.company != company:
        raise WishError(_("That person is not in your company."))
    return Unavailability.objects.create(
        exhibition=exhibition, company=company, person=person, starts_at=starts_at, ends_at=ends_at, note=note
    )


def unavailability_remove(*, unavailability, by):
    """Remove a blocked time. Side effects: deletes the row."""
    if by.company is None or by.company.pk != unavailability.company_id:
        raise WishError(_("Only people of the company can remove its blocked times."))
    unavailability.delete()


def parallel_meetings_limit(application, *, by):
    """How many meetings at once the company may set: one per representative plus one (at
    most 10); staff may set up to 10."""
    if runs_exhibition(by, application.exhibition):
        return MAX_PARALLEL_MEETINGS
    return max(1, min(MAX_PARALLEL_MEETINGS, application.representatives.count() + 1))


def parallel_meetings_set(*, application, count, by):
    """An exhibitor (or staff) sets how many meetings it holds at once: the first at its
    booth, the others at meeting tables.

    Refuses a number above the limit, or below the seats its upcoming booked meetings use.
    Side effects: the application's `parallel_meetings`.
    """
    if not (
        runs_exhibition(by, application.exhibition)
        or (by.company is not None and by.company.pk == application.company_id)
    ):
        raise WishError(_("Only people of the company can change this."))
    limit = parallel_meetings_limit(application, by=by)
    if count < 1 or count > limit:
        raise WishError(_("Choose between 1 and %(limit)s meetings at once.") % {"limit": limit})
    with transaction.atomic():
        application = type(application).objects.select_for_update().get(pk=application.pk)
        in_use = (
            Meeting.objects.filter(
                exhibition_id=application.exhibition_id,
                exhibitor_id=application.company_id,
                status=Meeting.Status.ACCEPTED,
                exhibitor_seat__gt=count,
            )
            .order_by()
            .exists()
        )
        if in_use:
            raise WishError(
                _(
                    "Some of your booked meetings run at the same time as others; move or cancel them before lowering this."
                )
            )
        application.parallel_meetings = count
        application.save(update_fields=["parallel_meetings", "updated_at"])
    return application


def stand_languages_set(*, application, languages, by):
    """The exhibitor changes the languages spoken at its stand (also after approval).

    Side effects: the application's `stand_languages`; the interpreter flag of its open and
    upcoming meetings is recomputed.
    """
    if by.company is None or by.company.pk != application.company_id:
        raise WishError(_("Only people of the company can change this."))
    codes = [code for code in languages if code in SPOKEN_CODES]
    if len(codes) != len(set(languages)):
        raise WishError(_("Choose languages from the list."))
    application.stand_languages = " ".join(sorted(set(codes)))
    application.save(update_fields=["stand_languages", "updated_at"])
    meetings_refresh_interpreter_need(exhibition=application.exhibition, company=application.company)
    return application
