"""Wishes and availability pages of a participant: HTTP only. Anonymous -> login; a person
whose company does not take part, or an object of another company -> 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.models import Company, Membership, User
from companies.rules import can_edit_availability, organiser_required
from exhibitions.conversations.selectors import unread_wish_conversations
from exhibitions.models import Exhibition, ExhibitorApplication, Unavailability, Wish
from exhibitions.selectors import participating_buyers, participating_exhibitors
from exhibitions.staff import staff_exhibition

from . import forms, selectors, services


def _participant(request, slug):
    """The exhibition and the person's company, which must take part in it (else 404)."""
    exhibition = get_object_or_404(Exhibition.objects.visible_to(request.user), slug=slug)
    company = request.user.company
    if company is None:
        raise Http404
    if company.kind == Company.Kind.BUYER:
        ok = selectors.registration_of(exhibition, company) is not None
    else:
        ok = selectors.application_of(exhibition, company) is not None
    if not ok:
        raise Http404
    return exhibition, company


def _back(request, fallback):
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(fallback)


@login_required
@require_POST
def wish_set(request, slug):
    """Set or clear the person's company's wish about one company of the other side."""
    exhibition, company = _participant(request, slug)
    by, _other = selectors.side_of_company(company)
    others = participating_exhibitors(exhibition) if by == Wish.By.BUYER else participating_buyers(exhibition)
    other = get_object_or_404(others, ref=request.POST.get("company", ""))
    pair = {"buyer": company, "exhibitor": other} if by == Wish.By.BUYER else {"buyer": other, "exhibitor": company}
    priority = request.POST.get("priority", "")
    error = None
    try:
        if priority == "clear":
            services.wish_clear(exhibition=exhibition, by=by, person=request.user, **pair)
            priority = ""
        else:
            services.wish_set(exhibition=exhibition, by=by, priority=priority, person=request.user, **pair)
    except services.WishError as exc:
        error = exc.message
        priority = selectors.my_wishes_about(exhibition, company, [other.pk]).get(other.pk, "")
    if request.htmx:
        context = {
            "exhibition": exhibition,
            "other": other,
            "mine": priority,
            "next": request.POST.get("next", ""),
            "error": error,
        }
        return render(request, "wishes/_control.html", context)  # htmx swaps 2xx only: the error shows in place
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your wish about %(company)s is saved.") % {"company": other.name})
    return _back(request, reverse("exhibitions:wishes", kwargs={"slug": exhibition.slug}))


@login_required
@require_GET
def wishes(request, slug):
    exhibition, company = _participant(request, slug)
    rows = selectors.wish_rows(exhibition, company)
    # Mutual pairs talk on their conversation page (it stays readable if the wish changes).
    unread = unread_wish_conversations(user=request.user, exhibition=exhibition, company=company)
    is_buyer = company.kind == Company.Kind.BUYER
    for row in rows:
        other = row["company"]
        if row["mutual"] or other.pk in unread:
            buyer, exhibitor = (company, other) if is_buyer else (other, company)
            row["conversation_url"] = reverse(
                "exhibitions:wish_conversation",
                kwargs={"slug": exhibition.slug, "buyer": buyer.ref, "exhibitor": exhibitor.ref},
            )
            row["unread"] = unread.get(other.pk, 0)
    context = {
        "exhibition": exhibition,
        "company": company,
        "is_buyer": company.kind == Company.Kind.BUYER,
        "rows": rows,
        "mutual_count": sum(1 for r in rows if r["mutual"]),
    }
    return render(request, "wishes/wishes.html", context)


@login_required
def availability(request, slug):
    exhibition, company = _participant(request, slug)
    if not can_edit_availability(request.user, company):
        raise Http404
    is_buyer = company.kind == Company.Kind.BUYER
    registration = selectors.registration_of(exhibition, company) if is_buyer else None
    application = None if is_buyer else selectors.application_of(exhibition, company)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    people = list(
        User.objects.filter(pk__in=Membership.objects.filter(company=company).values("user")).order_by("email")
    )
    block_form = forms.BlockedTimeForm(data if action == "block" else None, exhibition=exhibition, people=people)
    visit_form = parallel_form = languages_form = None
    if registration is not None:
        visit_form = forms.VisitDaysForm(
            data if action == "visit_days" else None,
            exhibition=exhibition,
            initial={"visit_days": registration.visit_days},
        )
    if application is not None:
        limit = services.parallel_meetings_limit(application, by=request.user)
        parallel_form = forms.ParallelMeetingsForm(
            data if action == "parallel" else None,
            limit=max(limit, application.parallel_meetings),
            initial={"parallel_meetings": application.parallel_meetings},
        )
        languages_form = forms.StandLanguagesForm(
            data if action == "languages" else None, initial={"stand_languages": application.stand_languages.split()}
        )
    bound = {"visit_days": visit_form, "block": block_form, "parallel": parallel_form, "languages": languages_form}
    if request.method == "POST":
        form = bound.get(action)
        try:
            if action == "unblock":
                blocked = get_object_or_404(
                    Unavailability, exhibition=exhibition, company=company, pk=request.POST.get("pk")
                )
                services.unavailability_remove(unavailability=blocked, by=request.user)
                messages.success(request, _("Blocked time removed."))
                return redirect("exhibitions:availability", slug=slug)
            if form is None:
                raise Http404
            if form.is_valid():
                _apply(request, exhibition, company, action, form, registration, application)
                return redirect("exhibitions:availability", slug=slug)
        except services.WishError as exc:
            form.add_error(None, exc.message)
    context = {
        "exhibition": exhibition,
        "company": company,
        "is_buyer": is_buyer,
        "registration": registration,
        "application": application,
        "visit_form": visit_form,
        "block_form": block_form,
        "parallel_form": parallel_form,
        "languages_form": languages_form,
        "blocked": selectors.blocked_times(exhibition, company),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "wishes/availability.html", context, status=status)


def _apply(request, exhibition, company, action, form, registration, application):
    data = form.cleaned_data
    if action == "visit_days":
        services.visit_days_set(registration=registration, days=data["visit_days"], by=request.user)
        messages.success(request, _("Visit days saved."))
    elif action == "block":
        services.unavailability_add(exhibition=exhibition, company=company, by=request.user, **form.service_kwargs())
        messages.success(request, _("Blocked time added."))
    elif action == "parallel":
        services.parallel_meetings_set(application=application, count=data["parallel_meetings"], by=request.user)
        messages.success(request, _("Meetings at once saved."))
    elif action == "languages":
        services.stand_languages_set(application=application, languages=data["stand_languages"], by=request.user)
        messages.success(request, _("Stand languages saved."))


@organiser_required
@require_POST
def application_parallel(request, slug, pk):
    """Staff set how many meetings an exhibitor holds at once (up to 10), from its review page."""
    exhibition = staff_exhibition(request.user, slug)
    application = get_object_or_404(ExhibitorApplication.objects.approved(), exhibition=exhibition, pk=pk)
    try:
        count = int(request.POST.get("parallel_meetings", ""))
        services.parallel_meetings_set(application=application, count=count, by=request.user)
    except ValueError:
        messages.error(request, _("Give a number from 1 to 10."))
    except services.WishError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Meetings at once saved."))
    return redirect("exhibitions:application_review", slug=slug, pk=pk)
