"""Matching pages: the staff review queue and matcher runs, and the approved suggestions
that buyers and exhibitors see. HTTP only; writes in services, reads in selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from companies.models import Company
from companies.rules import organiser_required
from exhibitions.models import Exhibition
from exhibitions.staff import staff_exhibition
from exhibitions.wishes.selectors import my_wishes_about
from matching import selectors, services
from matching.models import MatchRun, Suggestion

PAGE_SIZE = 50


def _exhibition(request, slug):
    return get_object_or_404(Exhibition.objects.visible_to(request.user), slug=slug)


def _filter_query(filters):
    return urlencode({k: v for k, v in filters.items() if v not in ("", 0, 0.0, None)})


@organiser_required
def review(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    filters = selectors.review_filters(request.GET)
    page = Paginator(selectors.review_queue(exhibition, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/review.html",
        {
            "exhibition": exhibition,
            "filters": filters,
            "filter_errors": selectors.review_filter_errors(request.GET),
            "filter_query": _filter_query(filters),
            "page": page,
            "statuses": Suggestion.Status.choices,
            "active_run": services.active_run(exhibition),
        },
    )


@organiser_required
@require_POST
def review_decide(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("buyer", "exhibitor"), exhibition=exhibition, pk=pk
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        return HttpResponse(_("Choose approve or reject."), status=400)
    services.suggestion_review(suggestion=suggestion, approve=decision == "approve", by=request.user)
    if request.htmx:
        return render(request, "matching/_review_row.html", {"exhibition": exhibition, "s": suggestion})
    return redirect(reverse("matching:review", kwargs={"slug": slug}))


@organiser_required
@require_POST
def review_bulk(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    filters = selectors.review_filters(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose approve or reject."))
        return redirect(reverse("matching:review", kwargs={"slug": slug}) + "?" + _filter_query(filters))
    queryset = Suggestion.objects.filter(exhibition=exhibition)
    if request.POST.get("scope") == "filter":
        queryset = selectors.review_queue(exhibition, filters)
    else:
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        if not ids:
            messages.error(request, _("Select at least one suggestion."))
            return redirect(reverse("matching:review", kwargs={"slug": slug}) + "?" + _filter_query(filters))
        queryset = queryset.filter(pk__in=ids)
    changed = services.suggestions_review_bulk(
        queryset=Suggestion.objects.filter(pk__in=queryset.values("pk")), approve=decision == "approve", by=request.user
    )
    if decision == "approve":
        text = ngettext("%(count)d suggestion approved.", "%(count)d suggestions approved.", changed)
    else:
        text = ngettext("%(count)d suggestion rejected.", "%(count)d suggestions rejected.", changed)
    messages.success(request, text % {"count": changed})
    return redirect(reverse("matching:review", kwargs={"slug": slug}) + "?" + _filter_query(filters))


@organiser_required
def runs(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    return render(
        request,
        "matching/runs.html",
        {
            "exhibition": exhibition,
            "runs": selectors.runs_of(exhibition),
            "active_run": services.active_run(exhibition),
        },
    )


@organiser_required
@require_POST
def run_start(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    try:
        services.run_start(exhibition=exhibition, trigger=MatchRun.Trigger.MANUAL, by=request.user)
        messages.success(request, _("The matcher has started."))
    except services.MatchingError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("matching:runs", kwargs={"slug": slug}))


@organiser_required
def run_progress(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    run = get_object_or_404(MatchRun, exhibition=exhibition, pk=pk)
    return render(request, "matching/_run_progress.html", {"exhibition": exhibition, "run": run})


@login_required
def for_me(request, slug):
    exhibition = _exhibition(request, slug)
    company = request.user.company
    if company is None:
        raise Http404
    page = Paginator(selectors.approved_for(exhibition, company), PAGE_SIZE).get_page(request.GET.get("page"))
    other = "exhibitor_id" if company.kind == Company.Kind.BUYER else "buyer_id"
    wishes = my_wishes_about(exhibition, company, [getattr(s, other) for s in page])
    context = {"exhibition": exhibition, "company": company, "page": page, "wishes": wishes}
    return render(request, "matching/for_me.html", context)


@login_required
@require_POST
def dismiss(request, slug, pk):
    exhibition = _exhibition(request, slug)
    company = request.user.company
    if company is None:
        raise Http404
    suggestion = get_object_or_404(selectors.approved_for(exhibition, company), pk=pk)
    services.suggestion_dismiss(suggestion=suggestion, by=request.user)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Dismissed. We will not suggest it again."))
    return redirect(reverse("matching:for_me", kwargs={"slug": slug}))
