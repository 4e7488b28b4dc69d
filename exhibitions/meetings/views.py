"""Meeting pages: HTTP only. Permission on every object (anonymous -> login, not allowed -> 404);
writes go through `services`, reads through `selectors`."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.models import Company, User
from companies.rules import organiser_required, runs_exhibition
from exhibitions.conversations.views import meeting_thread
from exhibitions.exports import _safe_cell
from exhibitions.interpreters.forms import AssignInterpreterForm
from exhibitions.interpreters.selectors import interpreters_for_meeting
from exhibitions.models import Exhibition, Meeting, MeetingBreak
from exhibitions.selectors import participating_exhibitors
from exhibitions.staff import staff_exhibition
from exhibitions.wishes.selectors import my_wishes_about

from . import calendar, forms, selectors, services


def _exhibition(request, slug):
    return get_object_or_404(Exhibition.objects.visible_to(request.user), slug=slug)


class NotTakingPart(Exception):
    """The person's company does not take part in the exhibition (404, with a helpful page)."""


def _company_in(request, exhibition):
    """The person's company if it takes part in the exhibition (staff pass with None).

    No company: 404. A company that does not take part: `NotTakingPart`, which the views turn
    into a 404 page that says so (the exhibition itself is public, so this leaks nothing).
    """
    company = request.user.company
    if company is None:
        if runs_exhibition(request.user, exhibition):
            return None
        raise Http404
    if company.kind == Company.Kind.EXHIBITOR:
        ok = participating_exhibitors(exhibition).filter(pk=company.pk).exists()
    else:
        ok = services.approved_registration(exhibition, company) is not None
    if not ok and not runs_exhibition(request.user, exhibition):
        raise NotTakingPart
    return company


def _not_taking_part(request, exhibition):
    context = {"exhibition": exhibition, "company": request.user.company}
    return render(request, "meetings/not_participating.html", context, status=404)


@login_required
@require_GET
def agenda(request, slug):
    exhibition = _exhibition(request, slug)
    try:
        company = _company_in(request, exhibition)
    except NotTakingPart:
        return _not_taking_part(request, exhibition)
    if company is None:
        return redirect("exhibitions:meetings_board", slug=slug)
    company_wide = request.GET.get("all") == "1"
    meetings = list(selectors.agenda_for(user=request.user, exhibition=exhibition, company_wide=company_wide))
    context = {
        "exhibition": exhibition,
        "company": company,
        "is_buyer": company.kind == Company.Kind.BUYER,
        "company_wide": company_wide,
        "days": selectors.group_by_day(meetings, exhibition.tzinfo),
        "open_requests": selectors.requests_for(company=company, exhibition=exhibition),
        "closed_requests": selectors.recent_closed_for(company=company, exhibition=exhibition),
        "calendar_url": request.build_absolute_uri(calendar.feed_url(request.user, exhibition)),
        "now": timezone.now(),  # started accepted meetings offer "we met"
    }
    return render(request, "meetings/agenda.html", context)


@login_required
def request_meeting(request, slug):
    exhibition = _exhibition(request, slug)
    company = request.user.company
    if company is None or company.kind != Company.Kind.BUYER:
        raise Http404
    try:
        _company_in(request, exhibition)
    except NotTakingPart:
        return _not_taking_part(request, exhibition)
    exhibitors = selectors.exhibitors_with_booths(exhibition)
    ref = request.GET.get("exhibitor") or request.POST.get("exhibitor")
    if not ref:
        return render(request, "meetings/request_choose.html", {"exhibition": exhibition, "exhibitors": exhibitors})
    exhibitor = exhibitors.filter(ref=ref).first()
    if exhibitor is None:
        raise Http404
    form = forms.MeetingRequestForm(
        request.POST or None, exhibition=exhibition, buyer_person=request.user, exhibitor=exhibitor
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_request(
                exhibition=exhibition,
                buyer_person=request.user,
                exhibitor=exhibitor,
                slots=form.cleaned_data["slots"],
                message=form.cleaned_data["message"],
                representative=form.cleaned_data.get("representative"),
            )
        except services.MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your request was sent to %(company)s.") % {"company": exhibitor.name})
            return redirect("exhibitions:meetings_detail", slug=slug, pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    my_wish = my_wishes_about(exhibition, company, [exhibitor.pk]).get(exhibitor.pk, "")
    context = {"exhibition": exhibition, "exhibitor": exhibitor, "form": form, "my_wish": my_wish}
    return render(request, "meetings/request.html", context, status=status)


def _meeting(request, slug, pk):
    exhibition = _exhibition(request, slug)
    meeting = selectors.meeting_for(request.user, exhibition, pk)
    if meeting is None:
        raise Http404
    return exhibition, meeting


def _detail_context(request, meeting, **bound):
    user = request.user
    side = services.side_of(user, meeting)
    status = meeting.status
    forms_ = {}
    started = meeting.starts_at is not None and meeting.starts_at <= timezone.now()
    if side == "exhibitor" and status == "requested":
        forms_["accept"] = bound.get("accept") or forms.AcceptForm(meeting=meeting)
        forms_["decline"] = bound.get("decline") or forms.DeclineForm()
        forms_["propose"] = bound.get("propose") or forms.ProposeForm(meeting=meeting)
    if side == "buyer" and status == "proposed":
        forms_["accept_proposal"] = bound.get("accept_proposal") or forms.AcceptProposalForm(meeting=meeting)
        forms_["decline"] = bound.get("decline") or forms.DeclineProposalForm()
    runs = runs_exhibition(user, meeting.exhibition)
    may_cancel = side == "buyer" or runs if status in Meeting.PENDING else side or runs
    if may_cancel and (status in Meeting.PENDING or (status == "accepted" and not started)):
        forms_["cancel"] = bound.get("cancel") or forms.CancelForm()
    if (side or runs) and status == "accepted" and not started:
        staff_moves = side is None
        forms_["reschedule"] = bound.get("reschedule") or forms.RescheduleForm(meeting=meeting, staff=staff_moves)
        if side and meeting.move_side:
            forms_["move_answer"] = bound.get("move_answer") or forms.MoveAnswerForm()
    if side and status in ("accepted", "held") and started:
        own = meeting.outcomes.filter(side=side).first()
        forms_["outcome"] = bound.get("outcome") or forms.OutcomeForm(instance=own)
    if runs and status == "accepted" and started:
        forms_["no_show"] = bound.get("no_show") or forms.NoShowForm()
    interpreter_form = None
    if status == "accepted" and not started and runs:
        interpreter_form = AssignInterpreterForm(
            interpreters=interpreters_for_meeting(meeting), initial={"interpreter": meeting.interpreter_id}
        )
    return {
        "exhibition": meeting.exhibition,
        "meeting": meeting,
        "side": side,
        "interpreter_form": interpreter_form,
        "forms": forms_,
        "proposed_slots": list(meeting.proposed_slots.order_by("starts_at")) if status in Meeting.PENDING else [],
        "events": selectors.events_for(meeting),
        "outcomes": selectors.outcomes_visible_to(user, meeting),
        "move": selectors.pending_move(meeting, side),
        "thread": meeting_thread(request, meeting, form=bound.get("message")),
    }


@login_required
@require_GET
def detail(request, slug, pk):
    _exhibition_, meeting = _meeting(request, slug, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


def _act(request, slug, pk, form_name, form_factory, action, template="meetings/detail.html"):
    """POST handler shared by the answer buttons: validate, call the service, or show errors."""
    _exhibition_, meeting = _meeting(request, slug, pk)
    if not services.may_act(request.user, meeting, form_name):
        raise Http404
    form = form_factory(request.POST, meeting)
    if form.is_valid():
        try:
            action(meeting, form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, error.message)
        else:
            back = request.POST.get("next", "")
            # A path on this site only; redirect() would read any other word as a URL name.
            if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return HttpResponseRedirect(back)
            return redirect("exhibitions:meetings_detail", slug=slug, pk=pk)
    context = _detail_context(request, meeting, **{form_name: form})
    context["forms"].setdefault(form_name, form)
    context["error_form"] = form_name
    return render(request, template, context, status=400)


@login_required
@require_POST
def accept(request, slug, pk):
    def action(meeting, data):
        services.meeting_accept(
            meeting=meeting,
            slot=data["slot"],
            by=request.user,
            table=data.get("table"),
            representative=data.get("representative"),
        )
        messages.success(request, _("Meeting accepted."))

    return _act(request, slug, pk, "accept", lambda post, m: forms.AcceptForm(post, meeting=m), action)


@login_required
@require_POST
def decline(request, slug, pk):
    def make(post, meeting):
        if services.side_of(request.user, meeting) == "buyer":
            return forms.DeclineProposalForm(post)
        return forms.DeclineForm(post)

    def action(meeting, data):
        services.meeting_decline(meeting=meeting, by=request.user, reason=data["reason"])
        messages.success(request, _("Meeting declined."))

    return _act(request, slug, pk, "decline", make, action)


@login_required
@require_POST
def propose(request, slug, pk):
    def action(meeting, data):
        services.meeting_propose(meeting=meeting, by=request.user, slots=data["slots"], message=data["message"])
        messages.success(request, _("Other times proposed to the buyer."))

    return _act(request, slug, pk, "propose", lambda post, m: forms.ProposeForm(post, meeting=m), action)


@login_required
@require_POST
def accept_proposal(request, slug, pk):
    def action(meeting, data):
        services.meeting_accept_proposal(meeting=meeting, slot=data["slot"], by=request.user)
        messages.success(request, _("Meeting accepted."))

    return _act(request, slug, pk, "accept_proposal", lambda post, m: forms.AcceptProposalForm(post, meeting=m), action)


@login_required
def cancel(request, slug, pk):
    """GET: the confirmation page, with the reason the other side will read; POST: cancel."""
    if request.method == "GET":
        _exhibition_, meeting = _meeting(request, slug, pk)
        if not services.may_act(request.user, meeting, "cancel"):
            raise Http404
        context = _detail_context(request, meeting)
        if "cancel" not in context["forms"]:
            return redirect("exhibitions:meetings_detail", slug=slug, pk=pk)
        return render(request, "meetings/cancel.html", context)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])

    def action(meeting, data):
        services.meeting_cancel(meeting=meeting, by=request.user, reason=data["reason"])
        messages.success(request, _("Meeting cancelled."))

    return _act(
        request, slug, pk, "cancel", lambda post, m: forms.CancelForm(post), action, template="meetings/cancel.html"
    )


@login_required
@require_POST
def reschedule(request, slug, pk):
    """Staff move the meeting at once; either side proposes the move to the other."""

    def make(post, meeting):
        return forms.RescheduleForm(post, meeting=meeting, staff=services.side_of(request.user, meeting) is None)

    def action(meeting, data):
        place = {"table": data["table"], "to_booth": data["to_booth"]}
        if services.side_of(request.user, meeting) is None:
            services.meeting_reschedule(meeting=meeting, slot=data["slot"], by=request.user, **place)
            messages.success(request, _("Meeting moved. Both sides were told."))
        else:
            services.meeting_move_propose(
                meeting=meeting, slot=data["slot"], by=request.user, message=data.get("message", ""), **place
            )
            messages.success(request, _("New time proposed. The meeting moves once the other side accepts."))

    return _act(request, slug, pk, "reschedule", make, action)


@login_required
@require_POST
def move_accept(request, slug, pk):
    def action(meeting, data):
        services.meeting_move_accept(meeting=meeting, by=request.user)
        messages.success(request, _("Meeting moved. Both sides were told."))

    return _act(request, slug, pk, "move_accept", lambda post, m: forms.MoveAnswerForm(post), action)


@login_required
@require_POST
def move_decline(request, slug, pk):
    def action(meeting, data):
        services.meeting_move_decline(meeting=meeting, by=request.user, reason=data["reason"])
        messages.success(request, _("The meeting stays at its time and place."))

    return _act(request, slug, pk, "move_answer", lambda post, m: forms.MoveAnswerForm(post), action)


@login_required
@require_GET
def meeting_ics(request, slug, pk):
    """One meeting as an .ics file for "add to my calendar", in the page's language."""
    _exhibition_, meeting = _meeting(request, slug, pk)
    if meeting.starts_at is None:
        raise Http404
    body = calendar.meeting_ics(meeting, request.user, language=translation.get_language())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar.meeting_filename(meeting)}"'
    return response


@login_required
@require_POST
def outcome(request, slug, pk):
    def make(post, meeting):
        side = services.side_of(request.user, meeting)
        return forms.OutcomeForm(post, instance=meeting.outcomes.filter(side=side).first() if side else None)

    def action(meeting, data):
        services.meeting_record_outcome(
            meeting=meeting,
            by=request.user,
            outcome=data["outcome"],
            estimated_value=data.get("estimated_value"),
            currency=data["currency"],
            note=data.get("note", ""),
        )
        messages.success(request, _("Outcome saved."))

    return _act(request, slug, pk, "outcome", make, action)


@organiser_required
@require_POST
def no_show(request, slug, pk):
    def action(meeting, data):
        services.meeting_mark_no_show(meeting=meeting, by=request.user, absent=data["absent"])
        messages.success(request, _("Marked as no-show."))

    return _act(request, slug, pk, "no_show", lambda post, m: forms.NoShowForm(post), action)


BOARD_EXHIBITORS_PER_PAGE = 50


@organiser_required
@require_GET
def board(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    paginator = Paginator(selectors.exhibitors_with_booths(exhibition), BOARD_EXHIBITORS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    try:
        day = parse_date(request.GET.get("day") or "")
    except ValueError:  # well formed but not a date (9999-99-99): show the first day
        day = None
    grid = selectors.board_for(exhibition=exhibition, day=day, page_exhibitors=list(page.object_list))
    context = {"exhibition": exhibition, "page": page, "now": timezone.now(), **grid}
    return render(request, "meetings/board.html", context)


@organiser_required
def book(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    initial = {
        "slot": request.GET.get("slot"),
        "exhibitor": request.GET.get("exhibitor"),
        "buyer": request.GET.get("buyer"),
    }
    form = forms.StaffBookForm(request.POST or None, exhibition=exhibition, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_book_by_staff(
                exhibition=exhibition,
                buyer=data["buyer"],
                buyer_person=data.get("buyer_person"),
                exhibitor=data["exhibitor"],
                slot=data["slot"],
                by=request.user,
                table=data.get("table"),
                message=data["message"],
            )
        except services.MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Meeting booked for both sides."))
            return redirect("exhibitions:meetings_detail", slug=slug, pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/book.html", {"exhibition": exhibition, "form": form}, status=status)


@organiser_required
@require_GET
def report(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    figures = selectors.report_for(exhibition=exhibition)
    context = {"exhibition": exhibition, "figures": figures}
    return render(request, "meetings/report.html", context)


@organiser_required
@require_GET
def report_csv(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetings-{exhibition.slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Korean, Japanese names) correctly with a BOM.
    writer = csv.writer(response)
    figures = selectors.report_for(exhibition=exhibition)
    writer.writerow(["figure", "value"])
    for key in ("requested", "accepted", "held", "no_show", "pending", "declined", "cancelled", "expired"):
        writer.writerow([key, figures[key]])
    for kind, _label, count in figures["outcomes"]:
        writer.writerow([f"outcome_{kind}", count])
    writer.writerow(["total_value_usd", figures["total_value_usd"]])
    writer.writerow([])
    writer.writerow(
        [
            "meeting",
            "starts_at_local",
            "status",
            "buyer_ref",
            "buyer",
            "exhibitor_ref",
            "exhibitor",
            "place",
            "interpreter_needed",
            "buyer_outcome",
            "buyer_value",
            "buyer_currency",
            "exhibitor_outcome",
            "exhibitor_value",
            "exhibitor_currency",
            "outcome",
            "value_usd",
        ]
    )
    tz = exhibition.tzinfo
    for meeting in selectors.report_meetings(exhibition=exhibition):
        sides = {o.side: o for o in meeting.outcomes.all()}
        row = [
            meeting.pk,
            meeting.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if meeting.starts_at else "",
            meeting.status,
            meeting.buyer.ref,
            meeting.buyer.name,
            meeting.exhibitor.ref,
            meeting.exhibitor.name,
            str(meeting.place or ""),
            "yes" if meeting.interpreter_needed else "no",
        ]
        for side in ("buyer", "exhibitor"):
            o = sides.get(side)
            row += (
                [o.outcome, o.estimated_value if o.estimated_value is not None else "", o.currency]
                if o
                else ["", "", ""]
            )
        row += [meeting.outcome, meeting.deal_value_usd if meeting.deal_value_usd is not None else ""]
        writer.writerow([_safe_cell(value) for value in row])  # names are user input: no formulas
    return response


@organiser_required
def setup(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    action = request.POST.get("action") if request.method == "POST" else None
    settings_form = forms.MeetingSettingsForm(
        request.POST if action == "settings" else None, instance=Exhibition.objects.get(pk=exhibition.pk)
    )
    hours_formset = forms.HoursFormSet(request.POST if action == "hours" else None, exhibition=exhibition)
    break_form = forms.BreakForm(request.POST if action == "break" else None, exhibition=exhibition)
    tables_form = forms.TablesForm(
        request.POST if action == "tables" else None, initial={"count": exhibition.meeting_tables.count()}
    )
    errors = []
    if request.method == "POST":
        try:
            done = _setup_action(request, exhibition, action, settings_form, hours_formset, break_form, tables_form)
        except services.MeetingError as error:
            errors.append(error.message)
            done = False
        if done:
            return redirect("exhibitions:meetings_setup", slug=slug)
    context = {
        "exhibition": exhibition,
        "settings_form": settings_form,
        "hours_formset": hours_formset,
        "breaks": exhibition.meeting_breaks.all(),
        "break_form": break_form,
        "tables_form": tables_form,
        "slot_count": exhibition.slots.count(),
        "days_with_slots": selectors.days_with_slots(exhibition),
        "errors": errors,
    }
    return render(request, "meetings/setup.html", context, status=400 if request.method == "POST" else 200)


def _setup_action(request, exhibition, action, settings_form, hours_formset, break_form, tables_form):
    """Run one set-up form's action; True when done (then the page reloads)."""
    if action == "settings" and settings_form.is_valid():
        data = settings_form.cleaned_data
        services.meeting_settings_update(
            exhibition=exhibition,
            slot_minutes=int(data["meeting_slot_minutes"]),
            request_ttl_hours=data["meeting_request_ttl_hours"],
            pending_cap=data["meeting_pending_cap"],
        )
        messages.success(request, _("Meeting settings saved. Generate the slots again to apply a new length."))
        return True
    if action == "hours" and hours_formset.is_valid():
        rows = [(f.cleaned_data["day"], f.cleaned_data["starts"], f.cleaned_data["ends"]) for f in hours_formset]
        services.meeting_hours_set_all(exhibition=exhibition, hours=rows)
        messages.success(request, _("Meeting hours saved for every day. Generate the slots again to apply them."))
        return True
    if action == "break" and break_form.is_valid():
        services.meeting_break_add(exhibition=exhibition, **break_form.cleaned_data)
        messages.success(request, _("Break added."))
        return True
    if action == "remove-break":
        meeting_break = get_object_or_404(MeetingBreak, exhibition=exhibition, pk=request.POST.get("break"))
        services.meeting_break_remove(meeting_break=meeting_break)
        messages.success(request, _("Break removed."))
        return True
    if action == "tables" and tables_form.is_valid():
        services.meeting_tables_set(exhibition=exhibition, count=tables_form.cleaned_data["count"])
        messages.success(request, _("Meeting tables saved."))
        return True
    if action == "generate":
        created, deleted = services.slots_generate(exhibition=exhibition)
        messages.success(
            request,
            _("Slots generated: %(created)s added, %(deleted)s removed.") % {"created": created, "deleted": deleted},
        )
        return True
    return False


@require_GET
def calendar_feed(request, slug, token):
    """The person's iCalendar feed; the secret token in the URL is the only credential."""
    exhibition = get_object_or_404(Exhibition.objects.exclude(status=Exhibition.Status.DRAFT), slug=slug)
    person = get_object_or_404(User, calendar_token=token, is_active=True)
    body = calendar.feed_for(person, exhibition)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="fairlink-{exhibition.slug}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def calendar_reset(request, slug):
    """GET: confirm; POST: give the person a new calendar address (the old one stops working)."""
    exhibition = _exhibition(request, slug)
    try:
        _company_in(request, exhibition)
    except NotTakingPart:
        return _not_taking_part(request, exhibition)
    if request.method == "POST":
        services.calendar_link_reset(user=request.user)
        messages.success(
            request,
            _("Your calendar address was changed. Add the new one to your calendar app; the old one no longer works."),
        )
        return redirect("exhibitions:meetings_agenda", slug=slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "meetings/calendar_reset.html", {"exhibition": exhibition})
