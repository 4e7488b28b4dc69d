"""Exhibition pages: public list, detail with floor plan and directory; the exhibitor's
application, the buyer's registration; staff pages to lay out, review and export.

Views only parse, check permission, call a service or selector, and render.
"""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from companies.models import SPOKEN_LANGUAGES, Company
from companies.rules import company_member_required, organiser_required, runs_exhibition

from . import exports, selectors, services
from .floorplan import LayoutError, render_hall_svg
from .forms import (
    ApplicationForm,
    BoothAssignForm,
    BoothCsvForm,
    DecisionForm,
    DirectoryFilterForm,
    ExhibitionForm,
    GridForm,
    HallForm,
    RegistrationDecisionForm,
    RegistrationForm,
    RepresentativeFormSet,
    representative_initial,
)
from .models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication
from .showfloor import selectors as showfloor_selectors
from .staff import staff_exhibition
from .wishes.selectors import my_wishes_about

LIST_PAGE_SIZE = 30
DIRECTORY_PAGE_SIZE = 30


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Public pages -------------------------------------------------------------------------


def home(request):
    """The front page: the next shows, and for a signed-in person the shows they take part in."""
    company = request.user.company if request.user.is_authenticated else None
    context = {
        "upcoming": list(selectors.exhibitions_for(request.user).filter(ends_on__gte=timezone.localdate())[:4]),
        "my_exhibitions": selectors.exhibitions_of(company) if company else [],
    }
    return render(request, "home.html", context)


def exhibition_list(request):
    page = _page(request, selectors.exhibitions_for(request.user), LIST_PAGE_SIZE)
    return render(request, "exhibitions/list.html", {"page": page, "query": _query_without_page(request)})


def _floorplans(request, exhibition, highlight=""):
    company = request.user.company if request.user.is_authenticated else None
    booth_url = reverse("exhibitions:booth", kwargs={"slug": exhibition.slug, "code": "__code__"})
    page_url = exhibition.get_absolute_url()
    plans, selected = [], None
    for hall, booths in selectors.floorplan_for(exhibition):
        svg = render_hall_svg(
            hall,
            booths,
            my_company_id=company.pk if company else None,
            highlight=highlight,
            booth_url=booth_url,
            page_url=page_url,
        )
        plans.append({"hall": hall, "svg": svg, "count": len(booths)})
        if highlight and selected is None:
            selected = next((booth for booth in booths if booth.code == highlight), None)
    return plans, selected


def exhibition_detail(request, slug):
    exhibition = selectors.exhibition_for(request.user, slug)
    plans, selected = _floorplans(request, exhibition, highlight=request.GET.get("booth", "")[:20])
    company = request.user.company if request.user.is_authenticated else None
    application = registration = None
    if company is not None and company.kind == Company.Kind.EXHIBITOR:
        application = selectors.application_of(company, exhibition)
    if company is not None and company.kind == Company.Kind.BUYER:
        registration = selectors.registration_of(company, exhibition)
    context = {
        "exhibition": exhibition,
        "plans": plans,
        "selected": selected,
        "company": company,
        "application": application,
        "registration": registration,
        "can_apply": company is not None
        and company.kind == Company.Kind.EXHIBITOR
        and application is None
        and exhibition.accepts_applications,
        "can_register": company is not None
        and company.kind == Company.Kind.BUYER
        and registration is None
        and exhibition.status == Exhibition.Status.OPEN,
        "is_staff_view": runs_exhibition(request.user, exhibition),
    }
    return render(request, "exhibitions/detail.html", context)


@vary_on_headers("HX-Request")  # a fragment for htmx, a redirect otherwise: caches must tell them apart
def booth_detail(request, slug, code):
    """Who is at a booth: an htmx fragment for the floor plan, or the plan with it selected."""
    exhibition = selectors.exhibition_for(request.user, slug)
    booth = get_object_or_404(
        Booth.objects.select_related("hall", "application__company"), exhibition=exhibition, code=code
    )
    if not request.htmx:
        return redirect(f"{exhibition.get_absolute_url()}?booth={booth.code}#floorplan")
    return render(request, "exhibitions/_booth_info.html", {"exhibition": exhibition, "selected": booth})


DIRECTORY_CACHE_SECONDS = 120


def _cached(key, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DIRECTORY_CACHE_SECONDS)
    return value


@vary_on_headers("HX-Request")  # htmx gets the results alone on the same (pushed) URL
def directory(request, slug):
    """The exhibitor directory. The results and the filter choices are cached under keys
    that hold the exhibition's directory version (see selectors.directory_version), so any
    change to its exhibitors shows at once; the cache only spares repeated identical reads."""
    exhibition = selectors.exhibition_for(request.user, slug)
    form = DirectoryFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # a bad filter is shown as an error and left out; the valid ones still apply
        filters = form.cleaned_data
    version = selectors.directory_version(exhibition)
    # Buyers get a "request a meeting" button on each exhibitor; the cached HTML differs by that alone.
    viewer_company = request.user.company if request.user.is_authenticated else None
    can_request = bool(viewer_company and viewer_company.kind == Company.Kind.BUYER)
    params = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]

    # A buyer taking part also gets its wish control on each exhibitor: its own, never cached.
    registration = selectors.registration_of(viewer_company, exhibition) if can_request else None
    wishing = registration is not None and registration.status == BuyerRegistration.Status.APPROVED

    def render_results():
        page = selectors.directory_page(
            selectors.directory_for(exhibition, filters), request.GET.get("page"), DIRECTORY_PAGE_SIZE
        )
        entries = selectors.directory_entries(page.object_list)
        if wishing:
            mine = my_wishes_about(exhibition, viewer_company, [e["id"] for e in entries])
            for entry in entries:
                entry["wish"] = mine.get(entry["id"], "")
        context = {
            "exhibition": exhibition,
            "page": page,
            "entries": entries,
            "wishing": wishing,
            "next": reverse("exhibitions:directory", kwargs={"slug": exhibition.slug}) + "?" + request.GET.urlencode(),
            "plan_url": exhibition.get_absolute_url(),
            "query": _query_without_page(request),
            "request_url": reverse("exhibitions:meetings_request", kwargs={"slug": exhibition.slug})
            if can_request
            else "",
        }
        return render_to_string("exhibitions/_directory_results.html", context, request=request if wishing else None)

    def choices():
        cities, certifications = selectors.directory_choices(exhibition)
        return {"cities": cities, "certifications": [(c.pk, c.name) for c in certifications]}

    language = translation.get_language()
    if wishing:
        results = render_results()
    else:
        results = _cached(f"directory:{exhibition.pk}:{version}:{language}:{int(can_request)}:{params}", render_results)
    if request.htmx:
        return HttpResponse(results)
    context = {
        "exhibition": exhibition,
        "form": form,
        "results": mark_safe(results),  # noqa: S308 - rendered by our own template
        "languages": SPOKEN_LANGUAGES,
        "sorts": DirectoryFilterForm.base_fields["sort"].choices,
        **_cached(f"directory-choices:{exhibition.pk}:{version}", choices),
    }
    return render(request, "exhibitions/directory.html", context)


# --- Exhibitor applications ---------------------------------------------------------------


def _application_forms(request, exhibition, company, application=None):
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, exhibition=exhibition, company=company, application=application)
    formset = RepresentativeFormSet(data, prefix="reps", initial=representative_initial(application))
    return form, formset


def _service_kwargs(form, formset):
    return {
        "data": form.service_data(),
        "preferred_booths": form.cleaned_data["preferred_booths"],
        "products": form.cleaned_data["products"],
        "representatives": formset.representatives(),
    }


@company_member_required(kind=Company.Kind.EXHIBITOR)
def application_create(request, slug, company):
    exhibition = selectors.exhibition_for(request.user, slug)
    if selectors.application_of(company, exhibition) is not None:
        messages.info(request, _("Your company has already applied; here is its application."))
        return redirect("exhibitions:application", slug=slug)
    form, formset = _application_forms(request, exhibition, company)
    if request.method == "GET" and (blocker := services.apply_blocker(exhibition, company)):
        messages.warning(request, blocker)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.application_submit(
                exhibition=exhibition, company=company, by=request.user, **_service_kwargs(form, formset)
            )
        except services.ExhibitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your application has been sent to the organisers."))
            return redirect("exhibitions:application", slug=slug)
    return render(
        request,
        "exhibitions/application_form.html",
        {"exhibition": exhibition, "form": form, "formset": formset, "company": company},
    )


def _own_application(request, slug, company):
    exhibition = selectors.exhibition_for(request.user, slug)
    application = selectors.application_of(company, exhibition)
    return exhibition, application


@company_member_required(kind=Company.Kind.EXHIBITOR)
def application_detail(request, slug, company):
    exhibition, application = _own_application(request, slug, company)
    if application is None:
        return redirect("exhibitions:apply", slug=slug)
    representatives = application.representatives.all()
    return render(
        request,
        "exhibitions/application_detail.html",
        {
            "exhibition": exhibition,
            "application": application,
            "representatives": representatives,
            "products": application.products.order_by("code"),
            "preferred": application.preferred_booths.order_by("code"),
            "editable": application.status == ExhibitorApplication.Status.SUBMITTED and exhibition.accepts_applications,
        },
    )


@company_member_required(kind=Company.Kind.EXHIBITOR)
def application_edit(request, slug, company):
    exhibition, application = _own_application(request, slug, company)
    if application is None:
        raise Http404
    form, formset = _application_forms(request, exhibition, company, application)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.application_update(application=application, by=request.user, **_service_kwargs(form, formset))
        except services.ExhibitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your application has been updated."))
            return redirect("exhibitions:application", slug=slug)
    return render(
        request,
        "exhibitions/application_form.html",
        {"exhibition": exhibition, "form": form, "formset": formset, "company": company, "application": application},
    )


@require_POST
@company_member_required(kind=Company.Kind.EXHIBITOR)
def application_withdraw(request, slug, company):
    _exhibition, application = _own_application(request, slug, company)
    if application is None:
        raise Http404
    try:
        services.application_withdraw(application=application, by=request.user)
    except services.ExhibitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("exhibitions:application", slug=slug)


# --- Buyer registrations ------------------------------------------------------------------


@company_member_required(kind=Company.Kind.BUYER)
def registration_create(request, slug, company):
    exhibition = selectors.exhibition_for(request.user, slug)
    if selectors.registration_of(company, exhibition) is not None:
        messages.info(request, _("Your company has already registered; here is its registration."))
        return redirect("exhibitions:registration", slug=slug)
    form = RegistrationForm(request.POST or None, exhibition=exhibition, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_submit(
                exhibition=exhibition,
                company=company,
                by=request.user,
                data=form.service_data(),
                sourcing=form.cleaned_data["sourcing"],
            )
        except services.ExhibitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your registration has been sent to the organisers."))
            return redirect("exhibitions:registration", slug=slug)
    return render(request, "exhibitions/registration_form.html", {"exhibition": exhibition, "form": form})


@company_member_required(kind=Company.Kind.BUYER)
def registration_detail(request, slug, company):
    exhibition = selectors.exhibition_for(request.user, slug)
    registration = selectors.registration_of(company, exhibition)
    if registration is None:
        return redirect("exhibitions:register", slug=slug)
    editable = registration.status == BuyerRegistration.Status.PENDING
    form = None
    if editable:
        form = RegistrationForm(request.POST or None, exhibition=exhibition, company=company, registration=registration)
        if request.method == "POST" and form.is_valid():
            try:
                services.registration_update(
                    registration=registration,
                    by=request.user,
                    data=form.service_data(),
                    sourcing=form.cleaned_data["sourcing"],
                )
            except services.ExhibitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your registration has been updated."))
                return redirect("exhibitions:registration", slug=slug)
    elif request.method == "POST":
        messages.error(request, _("This registration has been decided and can no longer be changed."))
        return redirect("exhibitions:registration", slug=slug)
    return render(
        request,
        "exhibitions/registration_detail.html",
        {
            "exhibition": exhibition,
            "registration": registration,
            "sourcing": registration.sourcing.order_by("code"),
            "form": form,
        },
    )


# --- Staff: exhibitions and layout --------------------------------------------------------


@organiser_required
def exhibition_create(request):
    initial = {"timezone": "Asia/Tokyo", "status": Exhibition.Status.DRAFT}
    form = ExhibitionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        exhibition = services.exhibition_save(exhibition=form.save(commit=False), by=request.user)
        messages.success(request, _("The exhibition has been created. Now lay out its halls and booths."))
        return redirect("exhibitions:layout", slug=exhibition.slug)
    return render(request, "exhibitions/exhibition_form.html", {"form": form})


@organiser_required
def exhibition_edit(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    form = ExhibitionForm(request.POST or None, instance=exhibition, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            exhibition = services.exhibition_save(exhibition=form.save(commit=False), by=request.user)
        except services.ExhibitionError as error:
            form.add_error("timezone", error.message)
        else:
            messages.success(request, _("The exhibition has been saved."))
            slots = exhibition.slots.count() if "timezone" in form.changed_data else 0
            if slots:
                messages.info(
                    request,
                    ngettext(
                        "The %(count)s meeting slot was made again in %(zone)s: it keeps its local time.",
                        "The %(count)s meeting slots were made again in %(zone)s: they keep their local times.",
                        slots,
                    )
                    % {"count": slots, "zone": exhibition.timezone},
                )
            return redirect("exhibitions:dashboard", slug=exhibition.slug)
    return render(request, "exhibitions/exhibition_form.html", {"form": form, "exhibition": exhibition})


def _layout_page(request, exhibition, *, hall_form=None, grid_form=None, csv_form=None, errors=(), status=200):
    plans, _selected = _floorplans(request, exhibition)
    context = {
        "exhibition": exhibition,
        "plans": plans,
        "hall_form": hall_form or HallForm(),
        "grid_form": grid_form or GridForm(exhibition=exhibition),
        "csv_form": csv_form or BoothCsvForm(),
        "layout_errors": errors,
        "stats": selectors.booth_stats(exhibition),
    }
    return render(request, "exhibitions/layout.html", context, status=status)


@organiser_required
def layout(request, slug):
    return _layout_page(request, staff_exhibition(request.user, slug))


@require_POST
@organiser_required
def layout_hall(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    form = HallForm(request.POST)
    if form.is_valid():
        try:
            hall = services.hall_add(exhibition=exhibition, name=form.cleaned_data["name"], by=request.user)
        except services.ExhibitionError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Hall “%(name)s” added.") % {"name": hall.name})
            return redirect("exhibitions:layout", slug=slug)
    return _layout_page(request, exhibition, hall_form=form, status=400)


@require_POST
@organiser_required
def layout_grid(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    form = GridForm(request.POST, exhibition=exhibition)
    errors = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            booths = services.booths_generate(
                hall=data["hall"],
                rows=data["rows"],
                numbers=data["numbers"],
                size=data["size"],
                kind=data["kind"],
                price=data["price"],
                aisle=data["aisle"],
                by=request.user,
            )
        except LayoutError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)s booths created.") % {"n": len(booths)})
            return redirect("exhibitions:layout", slug=slug)
    return _layout_page(request, exhibition, grid_form=form, errors=errors, status=400)


@require_POST
@organiser_required
def layout_csv(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    form = BoothCsvForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        try:
            created, updated = services.booths_import_csv(
                exhibition=exhibition, text=form.cleaned_data["file"], by=request.user
            )
        except LayoutError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("%(created)s booths created, %(updated)s updated.") % {"created": created, "updated": updated},
            )
            return redirect("exhibitions:layout", slug=slug)
    return _layout_page(request, exhibition, csv_form=form, errors=errors, status=400)


# --- Staff: review, dashboard, exports ----------------------------------------------------


@organiser_required
def dashboard(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    application_counts = selectors.counts_by_status(exhibition.applications.all())
    registration_counts = selectors.counts_by_status(exhibition.buyer_registrations.all())
    context = {
        "exhibition": exhibition,
        "application_counts": [
            (value, label, application_counts.get(value, 0)) for value, label in ExhibitorApplication.Status.choices
        ],
        "registration_counts": [
            (value, label, registration_counts.get(value, 0)) for value, label in BuyerRegistration.Status.choices
        ],
        "applications_total": sum(application_counts.values()),
        "registrations_total": sum(registration_counts.values()),
        "booths": selectors.booth_stats(exhibition),
        "arrivals": showfloor_selectors.arrivals_by_day(exhibition),
        "no_show_candidates": showfloor_selectors.no_show_candidates(exhibition),
    }
    return render(request, "exhibitions/dashboard.html", context)


def _list_by_status(request, exhibition, *, rows, statuses, for_review, template):
    """A staff list of applications or registrations with a tab per status and counts."""
    status = request.GET.get("status", "")
    if status not in statuses.values:
        status = ""
    counts = selectors.counts_by_status(rows)
    context = {
        "exhibition": exhibition,
        "page": _page(request, for_review(exhibition, status), LIST_PAGE_SIZE),
        "status": status,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in statuses.choices],
        "total": sum(counts.values()),
        "query": _query_without_page(request),
    }
    return render(request, template, context)


@organiser_required
def application_list(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    return _list_by_status(
        request,
        exhibition,
        rows=exhibition.applications.all(),
        statuses=ExhibitorApplication.Status,
        for_review=selectors.applications_for_review,
        template="exhibitions/application_list.html",
    )


@organiser_required
def application_review(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    application = get_object_or_404(
        ExhibitorApplication.objects.select_related("company", "booth__hall", "submitted_by"),
        exhibition=exhibition,
        pk=pk,
    )
    form = DecisionForm(request.POST or None, initial={"status": application.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(
                application=application,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.ExhibitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision saved; the company has been notified."))
            return redirect("exhibitions:application_review", slug=slug, pk=pk)
    return _review_page(request, exhibition, application, decision_form=form)


def _review_page(request, exhibition, application, *, decision_form=None, assign_form=None, status=200):
    preferred = list(application.preferred_booths.select_related("application__company").order_by("code"))
    # Offer the first preferred booth that is still free.
    suggested = application.booth_id or next(
        (booth.pk for booth in preferred if getattr(booth, "application", None) is None), None
    )
    return render(
        request,
        "exhibitions/application_review.html",
        {
            "exhibition": exhibition,
            "application": application,
            "representatives": application.representatives.all(),
            "products": application.products.order_by("code"),
            "preferred": preferred,
            "decision_form": decision_form or DecisionForm(initial={"status": application.status}),
            "assign_form": assign_form or BoothAssignForm(application=application, initial={"booth": suggested}),
        },
        status=status,
    )


@require_POST
@organiser_required
def application_assign(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    application = get_object_or_404(
        ExhibitorApplication.objects.select_related("company", "booth__hall"), exhibition=exhibition, pk=pk
    )
    if request.POST.get("release"):
        services.booth_release(application=application, by=request.user)
        messages.success(request, _("The booth has been released."))
        return redirect("exhibitions:application_review", slug=slug, pk=pk)
    form = BoothAssignForm(request.POST, application=application)
    if form.is_valid():
        try:
            services.booth_assign(application=application, booth=form.cleaned_data["booth"], by=request.user)
        except services.ExhibitionError as exc:
            form.add_error("booth", exc.message)
        else:
            messages.success(
                request,
                _("Booth %(code)s assigned; the company has been notified.") % {"code": form.cleaned_data["booth"]},
            )
            return redirect("exhibitions:application_review", slug=slug, pk=pk)
    return _review_page(request, exhibition, application, assign_form=form, status=409)


@organiser_required
def registration_list(request, slug):
    exhibition = staff_exhibition(request.user, slug)
    return _list_by_status(
        request,
        exhibition,
        rows=exhibition.buyer_registrations.all(),
        statuses=BuyerRegistration.Status,
        for_review=selectors.registrations_for_review,
        template="exhibitions/registration_list.html",
    )


@organiser_required
def registration_review(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    registration = get_object_or_404(
        BuyerRegistration.objects.select_related("company", "submitted_by"), exhibition=exhibition, pk=pk
    )
    form = RegistrationDecisionForm(request.POST or None, initial={"status": registration.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_decide(
                registration=registration,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.ExhibitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision saved; the buyer has been notified."))
            return redirect("exhibitions:registration_review", slug=slug, pk=pk)
    return render(
        request,
        "exhibitions/registration_review.html",
        {
            "exhibition": exhibition,
            "registration": registration,
            "sourcing": registration.sourcing.order_by("code"),
            "form": form,
        },
    )


EXPORTS = {"exhibitors": exports.exhibitor_table, "buyers": exports.buyer_table}


@organiser_required
def export(request, slug, what, fmt):
    exhibition = staff_exhibition(request.user, slug)
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = EXPORTS[what](exhibition)
    filename = f"{exhibition.slug}-{what}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(header, rows, title=what),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
