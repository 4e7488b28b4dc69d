"""The scheduler's staff pages: runs and their progress, the draft schedule, a company's agenda
preview, the unplaced wishes, and the edits (lock, move, delete, publish). HTTP only: the
rule is `companies.rules.can_schedule` (others get 404, anonymous people a login page)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.models import Company
from companies.rules import can_schedule
from exhibitions.models import DraftMeeting, Exhibition, ScheduleRun

from . import forms, publishing, selectors, services

UNPLACED_PAGE = 50


def scheduler_view(view):
    """Login required; the exhibition (by slug) passed on when the person may schedule it, else 404."""

    @wraps(view)
    @login_required
    def wrapper(request, slug, *args, **kwargs):
        exhibition = get_object_or_404(Exhibition.objects.select_related("cooperative"), slug=slug)
        if not can_schedule(request.user, exhibition):
            raise Http404
        return view(request, exhibition, *args, **kwargs)

    return wrapper


def _page_url(exhibition, day=None):
    url = reverse("exhibitions:schedule", kwargs={"slug": exhibition.slug})
    return f"{url}?day={day}" if day else url


def _draft(exhibition, pk):
    return get_object_or_404(
        DraftMeeting.objects.select_related("exhibition", "buyer", "exhibitor", "slot"), exhibition=exhibition, pk=pk
    )


@scheduler_view
@require_GET
def schedule(request, exhibition):
    services.runs_sweep_stale(exhibition=exhibition)  # a stuck run shows as failed, not forever "running"
    try:
        day = parse_date(request.GET.get("day") or "")
    except ValueError:  # well formed but not a date (9999-99-99): show the first day
        day = None
    run = selectors.latest_done_run(exhibition)
    context = {
        "exhibition": exhibition,
        "active_run": services.active_run(exhibition),
        "run": run,
        "runs": selectors.runs_of(exhibition),
        "start_form": forms.RunStartForm(),
        "schedule": selectors.draft_schedule(exhibition, day),
        "unplaced": selectors.unplaced_of(run, limit=10) if run else [],
    }
    return render(request, "scheduling/schedule.html", context)


@scheduler_view
@require_POST
def start(request, exhibition):
    form = forms.RunStartForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_run_start(exhibition=exhibition, by=request.user, seconds=form.cleaned_data["seconds"])
            messages.success(request, _("The scheduler has started."))
            return redirect(_page_url(exhibition))
        except services.ScheduleError as exc:
            form.add_error(exc.field, exc.message)
    context = {
        "exhibition": exhibition,
        "active_run": services.active_run(exhibition),
        "run": selectors.latest_done_run(exhibition),
        "runs": selectors.runs_of(exhibition),
        "start_form": form,
        "schedule": selectors.draft_schedule(exhibition),
        "unplaced": [],
    }
    return render(request, "scheduling/schedule.html", context, status=400)


@scheduler_view
@require_GET
def run_progress(request, exhibition, pk):
    run = get_object_or_404(ScheduleRun, exhibition=exhibition, pk=pk)
    response = render(request, "scheduling/_run_progress.html", {"exhibition": exhibition, "run": run})
    if request.htmx and not run.is_active:
        response["HX-Refresh"] = "true"  # the run ended: show its drafts and figures
    return response


@scheduler_view
@require_GET
def unplaced(request, exhibition):
    run = selectors.latest_done_run(exhibition)
    rows = selectors.unplaced_of(run) if run else []
    page = Paginator(rows, UNPLACED_PAGE).get_page(request.GET.get("page"))
    return render(request, "scheduling/unplaced.html", {"exhibition": exhibition, "run": run, "page": page})


@scheduler_view
@require_GET
def agenda(request, exhibition):
    buyers, exhibitors = selectors.preview_companies(exhibition)
    company = None
    company_id = request.GET.get("company", "")
    if company_id.isdigit():
        company = next((c for c in buyers + exhibitors if c.pk == int(company_id)), None)
        if company is None:
            raise Http404
    context = {
        "exhibition": exhibition,
        "buyers": buyers,
        "exhibitors": exhibitors,
        "company": company,
        "is_buyer": company is not None and company.kind == Company.Kind.BUYER,
        "rows": selectors.agenda_preview(exhibition, company) if company else [],
    }
    return render(request, "scheduling/agenda.html", context)


@scheduler_view
@require_POST
def draft_lock(request, exhibition, pk):
    draft = _draft(exhibition, pk)
    locked = request.POST.get("locked") == "1"
    services.draft_set_locked(draft=draft, locked=locked, by=request.user)
    messages.success(request, _("Locked: reruns keep this meeting.") if locked else _("Unlocked."))
    return redirect(_page_url(exhibition, request.POST.get("day")))


@scheduler_view
@require_POST
def draft_delete(request, exhibition, pk):
    draft = _draft(exhibition, pk)
    services.draft_delete(draft=draft, by=request.user)
    messages.success(request, _("The draft meeting was removed."))
    return redirect(_page_url(exhibition, request.POST.get("day")))


@scheduler_view
def draft_move(request, exhibition, pk):
    draft = _draft(exhibition, pk)
    if request.method == "POST":
        form = forms.DraftMoveForm(request.POST, exhibition=exhibition)
        if form.is_valid():
            try:
                services.draft_move(draft=draft, slot=form.cleaned_data["slot"], table=form.table(), by=request.user)
                messages.success(request, _("The draft meeting was moved and locked."))
                day = form.cleaned_data["slot"].starts_at.astimezone(exhibition.tzinfo).date()
                return redirect(_page_url(exhibition, day.isoformat()))
            except services.ScheduleError as exc:
                form.add_error(exc.field, exc.message)
        status = 400
    else:
        place = f"table-{draft.table.number}" if draft.table_id else forms.BOOTH
        form = forms.DraftMoveForm(initial={"slot": draft.slot_id, "place": place}, exhibition=exhibition)
        status = 200
    return render(
        request, "scheduling/move.html", {"exhibition": exhibition, "draft": draft, "form": form}, status=status
    )


@scheduler_view
@require_POST
def publish(request, exhibition):
    publishing.schedule_publish_start(exhibition=exhibition, by=request.user)
    messages.info(request, _("Publishing the draft: the result shows under the latest result when it is done."))
    return redirect(_page_url(exhibition))
