"""Reads about the interpreter pool: the staff list and an interpreter's own agenda."""

from django.db.models import Count, Q

from exhibitions.meetings.services import languages_of
from exhibitions.models import BuyerRegistration, ExhibitorApplication, Interpreter, Meeting

LANGUAGE_ORDER = ("ja", "en")  # an interpreter's pages: the exhibition's main language first


def pool_for(exhibition):
    """The exhibition's interpreters with the number of booked meetings of each (one query)."""
    return (
        Interpreter.objects.filter(exhibition=exhibition)
        .select_related("exhibition")
        .annotate(booked=Count("meetings", filter=Q(meetings__status=Meeting.Status.ACCEPTED)))
    )


def page_language(interpreter, requested):
    """?lang= when it is a language of the site, else the first of the exhibition's language
    order that the interpreter speaks, else English."""
    if requested in ("en", "ko", "ja"):
        return requested
    spoken = interpreter.language_list()
    return next((code for code in LANGUAGE_ORDER if code in spoken), "en")


def agenda_for(interpreter):
    """The interpreter's booked meetings, each with `languages_needed`: (the buyer side's
    languages the interpreter speaks, the exhibitor side's). Three queries in all."""
    meetings = list(
        Meeting.objects.filter(interpreter=interpreter, status__in=Meeting.BOOKED)
        .select_related("exhibition", "buyer", "exhibitor", "representative", "booth", "table")
        .order_by("starts_at", "id")
    )
    exhibition = interpreter.exhibition
    registrations = {
        r.company_id: r
        for r in BuyerRegistration.objects.filter(exhibition=exhibition, company_id__in={m.buyer_id for m in meetings})
    }
    applications = {
        a.company_id: a
        for a in ExhibitorApplication.objects.filter(
            exhibition=exhibition, company_id__in={m.exhibitor_id for m in meetings}
        )
    }
    spoken = set(interpreter.language_list())
    for meeting in meetings:
        registration = registrations.get(meeting.buyer_id)
        application = applications.get(meeting.exhibitor_id)
        buyer = languages_of(meeting.buyer.languages, registration.languages if registration else "")
        if meeting.representative_id and meeting.representative.languages:
            exhibitor = languages_of(meeting.representative.languages)
        else:
            exhibitor = languages_of(meeting.exhibitor.languages, application.stand_languages if application else "")
        meeting.languages_needed = (sorted(buyer & spoken), sorted(exhibitor & spoken))
    return meetings


def interpreters_for_meeting(meeting):
    """Interpreters of the meeting's exhibition, for the assign form (one query)."""
    return Interpreter.objects.filter(exhibition_id=meeting.exhibition_id).order_by("name")
