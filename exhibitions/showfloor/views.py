"""At the show: badge PDFs (staff of the exhibition's cooperative print everyone's or one
person's; a participant prints their own) and the staff check-in page. HTTP only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exhibitions.interpreters.views import runs_this_exhibition
from exhibitions.meetings import selectors as meeting_selectors
from exhibitions.meetings.services import MeetingError, side_of
from exhibitions.models import Exhibition

from . import badges, selectors, services

LAYOUTS = ("a6", "sheet")


def _pdf(exhibition, people, request, filename):
    layout = request.GET.get("layout", "a6")
    if layout not in LAYOUTS:
        layout = "a6"
    response = HttpResponse(badges.badges_pdf(exhibition=exhibition, people=people, layout=layout))
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}-{layout}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@runs_this_exhibition
@require_GET
def badges_all(request, exhibition):
    return _pdf(exhibition, badges.participants(exhibition), request, f"badges-{exhibition.slug}")


@runs_this_exhibition
@require_GET
def badge_person(request, exhibition, pk):
    person = badges.person_in(exhibition, pk)
    if person is None:
        raise Http404
    return _pdf(exhibition, [person], request, f"badge-{exhibition.slug}-{pk}")


@login_required
@require_GET
def my_badge(request, slug):
    """Only people of a company taking part have a badge; anyone else gets 404."""
    exhibition = get_object_or_404(Exhibition, slug=slug)
    person = badges.person_in(exhibition, request.user.pk)
    if person is None:
        raise Http404
    return _pdf(exhibition, [person], request, f"badge-{exhibition.slug}")


@runs_this_exhibition
def checkin(request, exhibition):
    """The entrance page (phone-sized): scan a badge or find a person, then check them in."""
    if request.method == "POST":
        person = _person_to_check_in(request, exhibition)
        if person is not None:
            record, created = services.check_in(exhibition=exhibition, person=person, by=request.user)
            name, company = person.display_name, person.badge_company.name
            if created:
                messages.success(request, _("%(name)s (%(company)s) checked in.") % {"name": name, "company": company})
            else:
                messages.info(
                    request,
                    _("%(name)s (%(company)s) was already checked in today at %(time)s.")
                    % {"name": name, "company": company, "time": _local_time(record.at, exhibition)},
                )
        return redirect("exhibitions:checkin", slug=exhibition.slug)
    query = request.GET.get("q", "")
    context = {
        "exhibition": exhibition,
        "query": query,
        "found": selectors.search_participants(exhibition, query),
        "arrivals": selectors.arrivals_by_day(exhibition),
    }
    return render(request, "showfloor/checkin.html", context)


def _person_to_check_in(request, exhibition):
    """The participant named by the POSTed badge token or person id; None (with an error
    message naming no one) when neither finds a participant of this exhibition."""
    if request.POST.get("token"):
        try:
            return badges.person_for_token(exhibition=exhibition, token=request.POST["token"])
        except badges.BadTokenError as error:
            messages.error(request, str(error))
            return None
    try:
        person = badges.person_in(exhibition, int(request.POST.get("person", "")))
    except ValueError:
        person = None
    if person is None:
        messages.error(request, _("Nobody of this exhibition was found. Scan again or search by name."))
    return person


def _local_time(moment, exhibition):
    return date_format(timezone.localtime(moment, exhibition.tzinfo), "TIME_FORMAT")


@login_required
@require_POST
def meeting_met(request, slug, pk):
    """A side of the meeting marks "we met" from the agenda; back to the agenda."""
    exhibition = get_object_or_404(Exhibition, slug=slug)
    meeting = meeting_selectors.meeting_for(request.user, exhibition, pk)
    if meeting is None or side_of(request.user, meeting) is None:  # staff see it but take no side
        raise Http404
    try:
        services.meeting_mark_met(meeting=meeting, by=request.user)
    except MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as met."))
    return redirect("exhibitions:meetings_agenda", slug=exhibition.slug)
