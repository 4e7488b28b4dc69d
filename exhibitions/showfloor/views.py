"""At the show: badge PDFs (staff of the exhibition's cooperative print everyone's or one
person's; a participant prints their own), the staff check-in page, an exhibitor's leads,
"we met" by scanning a badge, and printed agendas. HTTP only."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.models import Company
from companies.rules import runs_exhibition
from exhibitions import exports
from exhibitions.meetings import selectors as meeting_selectors
from exhibitions.meetings.services import MeetingError, side_of
from exhibitions.models import Exhibition, Lead
from exhibitions.staff import runs_this_exhibition

from . import agendas, badges, forms, selectors, services
from .exports import lead_table

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


@runs_this_exhibition
@require_GET
def arrivals(request, exhibition):
    """The arrivals per day alone: the dashboard and the check-in page poll it (htmx) so the
    counts move while people come in."""
    context = {"exhibition": exhibition, "arrivals": selectors.arrivals_by_day(exhibition)}
    return render(request, "showfloor/_arrivals.html", context)


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


# --- Leads (an exhibitor's people; everyone else gets 404) ------------------------------


def _exhibitor_at(request, slug):
    exhibition = get_object_or_404(Exhibition, slug=slug)
    company = selectors.exhibitor_taking_part(request.user, exhibition)
    if company is None:
        raise Http404
    return exhibition, company


def _lead(request, slug, pk):
    exhibition, company = _exhibitor_at(request, slug)
    lead = selectors.lead_of(exhibition=exhibition, exhibitor=company, pk=pk)
    if lead is None:
        raise Http404
    return exhibition, company, lead


@login_required
@require_GET
def leads(request, slug):
    exhibition, company = _exhibitor_at(request, slug)
    context = {
        "exhibition": exhibition,
        "company": company,
        "leads": list(selectors.leads_of(exhibition=exhibition, exhibitor=company)),
    }
    return render(request, "showfloor/leads.html", context)


@login_required
def lead_capture(request, slug):
    """Scan a buyer's badge, pick a registered buyer, or type a business card."""
    exhibition, company = _exhibitor_at(request, slug)
    card_form = forms.LeadForm(prefix="card")
    extras = forms.CaptureExtrasForm(request.POST or None)
    status = 200
    if request.method == "POST":
        via = request.POST.get("via")
        if via == "card":
            card_form = forms.LeadForm(request.POST, prefix="card")
            if card_form.is_valid():
                lead = services.lead_capture_card(
                    exhibition=exhibition, exhibitor=company, by=request.user, **card_form.cleaned_data
                )
                messages.success(request, _("Lead saved: %(name)s.") % {"name": lead.visitor_name})
                return redirect("exhibitions:leads", slug=exhibition.slug)
            status = 400
        else:
            person = _buyer_to_capture(request, exhibition)
            if person is not None:
                data = extras.cleaned_data if extras.is_valid() else {}
                lead, created = services.lead_capture_buyer(
                    exhibition=exhibition,
                    exhibitor=company,
                    person=person,
                    source=Lead.Source.SCAN if via == "token" else Lead.Source.PICK,
                    by=request.user,
                    interest=data.get("interest", ""),
                    note=data.get("note", ""),
                )
                names = {"name": person.display_name, "company": person.badge_company.name}
                if created:
                    messages.success(request, _("Lead saved: %(name)s (%(company)s).") % names)
                else:
                    messages.info(request, _("%(name)s (%(company)s) was already a lead: updated.") % names)
                return redirect("exhibitions:lead_edit", slug=exhibition.slug, pk=lead.pk)
            return redirect("exhibitions:lead_capture", slug=exhibition.slug)
    query = request.GET.get("q", "")
    context = {
        "exhibition": exhibition,
        "company": company,
        "query": query,
        "found": selectors.search_participants(exhibition, query, kind=Company.Kind.BUYER),
        "card_form": card_form,
        "extras": extras if request.method == "POST" else forms.CaptureExtrasForm(),
    }
    return render(request, "showfloor/lead_capture.html", context, status=status)


def _buyer_to_capture(request, exhibition):
    """The buyer participant named by the POSTed badge token or person id; None, with a message
    that names nobody, for anything else (a forged code, another show, an exhibitor's badge)."""
    if request.POST.get("via") == "token":
        try:
            person = badges.person_for_token(exhibition=exhibition, token=request.POST.get("token", ""))
        except badges.BadTokenError as error:
            messages.error(request, str(error))
            return None
    else:
        try:
            person = badges.person_in(exhibition, int(request.POST.get("person", "")))
        except ValueError:
            person = None
    if person is None or person.badge_company.kind != Company.Kind.BUYER:
        messages.error(request, _("This is not a buyer of this exhibition. Scan again, search, or type the card."))
        return None
    return person


@login_required
def lead_edit(request, slug, pk):
    exhibition, company, lead = _lead(request, slug, pk)
    form = forms.LeadForm(request.POST or None, instance=lead, card=lead.buyer_id is None)
    if request.method == "POST" and form.is_valid():
        services.lead_update(lead=lead, **form.cleaned_data)
        messages.success(request, _("Lead saved."))
        return redirect("exhibitions:leads", slug=exhibition.slug)
    context = {"exhibition": exhibition, "company": company, "lead": lead, "form": form}
    return render(request, "showfloor/lead_edit.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def lead_delete(request, slug, pk):
    exhibition, _company, lead = _lead(request, slug, pk)
    services.lead_delete(lead=lead)
    messages.success(request, _("Lead deleted."))
    return redirect("exhibitions:leads", slug=exhibition.slug)


@login_required
@require_GET
def leads_export(request, slug, fmt):
    """The exhibitor's leads as CSV or Excel, in the reader's language."""
    exhibition, company = _exhibitor_at(request, slug)
    with translation.override(request.user.preferred_language or "en"):
        header, rows = lead_table(selectors.leads_of(exhibition=exhibition, exhibitor=company), exhibition)
        title = _("Leads")
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(header, rows, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="leads-{exhibition.slug}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- "We met" by scanning the other side's badge ------------------------------------------


@login_required
def met_scan(request, slug):
    """A side of a meeting scans the other side's badge; staff at a table scan both badges."""
    exhibition = get_object_or_404(Exhibition.objects.select_related("cooperative"), slug=slug)
    is_staff = runs_exhibition(request.user, exhibition)
    if not is_staff and selectors.participant_company(request.user, exhibition) is None:
        raise Http404
    if request.method == "POST":
        try:
            scanned = badges.person_for_token(exhibition=exhibition, token=request.POST.get("token", ""))
            other = None
            if is_staff:
                other = badges.person_for_token(exhibition=exhibition, token=request.POST.get("token2", ""))
            meeting = services.meeting_met_by_scan(exhibition=exhibition, scanned=scanned, by=request.user, other=other)
        except (badges.BadTokenError, MeetingError) as error:
            messages.error(request, getattr(error, "message", None) or str(error))
        else:
            messages.success(
                request,
                _("Marked as met: %(buyer)s and %(exhibitor)s at %(time)s.")
                % {
                    "buyer": meeting.buyer.name,
                    "exhibitor": meeting.exhibitor.name,
                    "time": _local_time(meeting.starts_at, exhibition),
                },
            )
        return redirect("exhibitions:meetings_met_scan", slug=exhibition.slug)
    return render(request, "showfloor/met_scan.html", {"exhibition": exhibition, "is_staff": is_staff})


# --- Printed agendas ----------------------------------------------------------------------


def _day(request, exhibition):
    """The ?day= of the exhibition (default: today while it runs, else its first day); 404 for
    a malformed date or one outside the exhibition."""
    raw = request.GET.get("day")
    if not raw:
        return agendas.default_day(exhibition)
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError as error:
        raise Http404 from error
    if day not in exhibition.days:
        raise Http404
    return day


def _agenda_response(request, exhibition, day, sections, filename):
    language = request.user.preferred_language or "en"
    with translation.override(language):
        sections = [(str(title), company_id, meetings) for title, company_id, meetings in sections]
        content = agendas.agenda_pdf(exhibition=exhibition, day=day, sections=sections, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}-{day.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _booth_title(company):
    if company.booth_code:
        return _("%(company)s · booth %(code)s") % {"company": company.name, "code": company.booth_code}
    return company.name


@login_required
@require_GET
def agenda_pdf(request, slug):
    """A person's own meetings of a day."""
    exhibition = get_object_or_404(Exhibition, slug=slug)
    company = selectors.participant_company(request.user, exhibition)
    if company is None:
        raise Http404
    day = _day(request, exhibition)
    meetings = agendas.person_meetings(user=request.user, exhibition=exhibition, day=day)
    with translation.override(request.user.preferred_language or "en"):
        title = f"{request.user.display_name} · {company.name}"
    return _agenda_response(request, exhibition, day, [(title, company.pk, meetings)], f"agenda-{exhibition.slug}")


@login_required
@require_GET
def booth_agenda_pdf(request, slug):
    """Every meeting of the reader's exhibitor company of a day, at its booth and tables."""
    exhibition, company = _exhibitor_at(request, slug)
    day = _day(request, exhibition)
    booths = agendas.booth_meetings(exhibition=exhibition, day=day, exhibitor=company)
    with translation.override(request.user.preferred_language or "en"):
        sections = [(_booth_title(c), c.pk, meetings) for c, meetings in booths]
    return _agenda_response(request, exhibition, day, sections, f"booth-agenda-{exhibition.slug}")


@runs_this_exhibition
@require_GET
def agendas_all_pdf(request, exhibition):
    """Staff: every booth's agenda of a day, one booth a page."""
    day = _day(request, exhibition)
    booths = agendas.booth_meetings(exhibition=exhibition, day=day)
    with translation.override(request.user.preferred_language or "en"):
        sections = [(_booth_title(c), c.pk, meetings) for c, meetings in booths]
    return _agenda_response(request, exhibition, day, sections, f"agendas-{exhibition.slug}")
