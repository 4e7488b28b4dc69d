"""Pages for people and companies: onboarding, directory, profile, team, vetting, notices.

Views are thin: they check permission on the object (anonymous → login, not allowed →
404), then call a selector or a service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from . import rules, selectors, services
from .forms import CompanyCreateForm, CompanyForm, InvitationForm, ProfileForm, ReviewDecisionForm, normalise_hs
from .hs import search_hs
from .models import SPOKEN_LANGUAGES, Company, HSCode, Invitation, Membership
from .notifications import render_notifications

PAGE_SIZE = 24


@login_required
def onboarding(request):
    """After sign-up: create a company or accept an invitation."""
    if request.user.company is not None:
        return redirect(request.user.company)
    if rules.is_organiser(request.user):
        return redirect("companies:review")
    context = {"invitations": selectors.invitations_for(request.user), "kinds": Company.Kind}
    return render(request, "companies/onboarding.html", context)


@login_required
def company_create(request):
    if not rules.can_create_company(request.user):
        raise Http404
    kind = request.GET.get("kind")
    initial = {"kind": kind, "country": {"exhibitor": "KR", "buyer": "JP"}.get(kind, "")}
    form = CompanyCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(by=request.user, **form.cleaned_data)
        except services.CompanyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your company is created. The cooperative will review it before it appears publicly.")
            )
            return redirect("companies:edit", ref=company.ref)
    return render(request, "companies/create.html", {"form": form})


@require_GET
def company_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.company_directory(q=q, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "companies": page.object_list, "q": q, "kind": kind, "kinds": Company.Kind.choices}
    return render(request, "companies/list.html", context)


@require_GET
def company_detail(request, ref):
    from exhibitions.selectors import exhibitions_of
    from exhibitions.wishes.selectors import company_page_wishes

    company = selectors.company_for_viewer(ref=ref, user=request.user)
    viewer_company = request.user.company if request.user.is_authenticated else None
    exhibitions = exhibitions_of(company)
    context = {
        "exhibitions": exhibitions,
        # The viewer's wish about this company at each show both take part in (other side only).
        "wishes": company_page_wishes(viewer_company, company, [e for e, _booth in exhibitions]),
        # A buyer looking at an exhibitor may ask it for a meeting at each show they share.
        "can_request_meeting": company.kind == Company.Kind.EXHIBITOR
        and viewer_company is not None
        and viewer_company.kind == Company.Kind.BUYER,
        "company": company,
        "can_edit": rules.can_edit_company(request.user, company),
        "can_view_team": rules.can_view_team(request.user, company),
        "is_member": rules.is_member(request.user, company),
        "languages": [label for code, label in SPOKEN_LANGUAGES if code in company.language_list],
    }
    return render(request, "companies/detail.html", context)


@login_required
def company_edit(request, ref):
    company = selectors.company_for_editor(ref=ref, user=request.user)
    title = company.name
    form = CompanyForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        services.company_update(
            company=company,
            by=request.user,
            fields=form.profile_fields(),
            certifications=services.certifications_from_text(form.cleaned_data["certifications_text"]),
            hs_codes=form.cleaned_data["hs_codes"],
        )
        messages.success(request, _("The profile is saved."))
        return redirect(company)
    if request.method == "POST":
        company.refresh_from_db()
    return render(request, "companies/edit.html", {"form": form, "company": company, "title": title})


@require_GET
def hs_search(request):
    """An HTML fragment for the code picker: matches for `q`, or one picked code for `pick`."""
    pick = normalise_hs(request.GET.get("pick", ""))
    if pick:
        already = {normalise_hs(c) for c in request.GET.getlist("hs_codes")}
        code = HSCode.objects.filter(code=pick).first()
        if code is None or pick in already:
            return render(request, "companies/_hs_picked.html", {"codes": []})
        return render(request, "companies/_hs_picked.html", {"codes": [code], "name": "hs_codes"})
    q = request.GET.get("q", "")[:100]  # a search box, not a document: bounds the LIKE clauses
    results = list(search_hs(HSCode.objects.all(), q, limit=25))
    return render(request, "companies/_hs_results.html", {"results": results, "q": q.strip()})


@login_required
def team(request, ref):
    company = get_object_or_404(Company, ref=ref)
    if not rules.can_view_team(request.user, company):
        raise Http404
    can_manage = rules.can_manage_team(request.user, company)
    context = {
        "company": company,
        "memberships": selectors.team_of(company),
        "invitations": selectors.open_invitations_of(company) if can_manage else [],
        "can_manage": can_manage,
        "form": InvitationForm(),
    }
    return render(request, "companies/team.html", context)


def _managed_company(request, ref):
    company = get_object_or_404(Company, ref=ref)
    if not rules.can_manage_team(request.user, company):
        raise Http404
    return company


@login_required
@require_POST
def invite(request, ref):
    company = _managed_company(request, ref)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(company=company, by=request.user, **form.cleaned_data)
        except services.CompanyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("companies:team", ref=company.ref)
    context = {
        "company": company,
        "memberships": selectors.team_of(company),
        "invitations": selectors.open_invitations_of(company),
        "can_manage": True,
        "form": form,
    }
    return render(request, "companies/team.html", context, status=400)


@login_required
@require_POST
def invitation_cancel(request, ref, pk):
    company = _managed_company(request, ref)
    invitation = get_object_or_404(Invitation, pk=pk, company=company, accepted_at__isnull=True)
    services.invitation_cancel(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("companies:team", ref=company.ref)


@login_required
def invitation_accept(request, token):
    invitation = selectors.invitation_for(token=token, user=request.user)
    if request.method == "POST":
        try:
            company = services.invitation_accept(invitation=invitation, user=request.user)
        except services.CompanyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Welcome to %(company)s.") % {"company": company.name})
            return redirect(company)
    current = request.user.company
    return render(request, "companies/invitation_accept.html", {"invitation": invitation, "current": current})


@login_required
@require_POST
def member_remove(request, ref, pk):
    company = get_object_or_404(Company, ref=ref)
    membership = get_object_or_404(Membership, pk=pk, company=company)
    leaving = membership.user_id == request.user.pk
    if not (leaving or rules.can_manage_team(request.user, company)):
        raise Http404
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.CompanyError as error:
        messages.error(request, str(error))
        return redirect("companies:team", ref=company.ref)
    if leaving:
        messages.success(request, _("You left %(company)s.") % {"company": company.name})
        return redirect("companies:onboarding")
    messages.success(request, _("%(person)s was removed.") % {"person": membership.user.display_name})
    return redirect("companies:team", ref=company.ref)


@login_required
@require_POST
def member_role(request, ref, pk):
    company = _managed_company(request, ref)
    membership = get_object_or_404(Membership, pk=pk, company=company)
    role = request.POST.get("role")
    if role not in Membership.Role.values:
        raise Http404
    try:
        services.membership_set_role(membership=membership, role=role, by=request.user)
    except services.CompanyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s's role is changed.") % {"person": membership.user.display_name})
    return redirect("companies:team", ref=company.ref)


@rules.organiser_required
@require_GET
def review(request):
    status = request.GET.get("status", Company.Status.PENDING)
    if status not in Company.Status.values:
        status = ""
    page = Paginator(selectors.companies_for_review(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "companies": page.object_list,
        "status": status or "all",
        "statuses": Company.Status.choices,
    }
    return render(request, "companies/review.html", context)


@rules.organiser_required
@require_POST
def review_decide(request, ref):
    company = get_object_or_404(Company, ref=ref)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{company.name}: {error}")
        return redirect(reverse("companies:review") + f"?status={company.status}")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.company_approve(company=company, by=request.user)
            messages.success(request, _("%(company)s is approved.") % {"company": company.name})
        else:
            services.company_reject(company=company, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(company)s is rejected.") % {"company": company.name})
    except services.CompanyError as error:
        messages.error(request, str(error))
    next_status = request.POST.get("next_status", "")
    if next_status not in Company.Status.values:
        next_status = Company.Status.PENDING
    return redirect(reverse("companies:review") + f"?status={next_status}")


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    rendered = render_notifications(list(page.object_list), translation.get_language())
    notices = [{"n": notification, "subject": subject, "body": body} for notification, subject, body in rendered]
    return render(request, "companies/notifications.html", {"page": page, "notices": notices})


@login_required
@require_POST
def notifications_mark_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("companies:notifications")


@login_required
def profile(request):
    """The signed-in person's own name, job title, phone, language and optional emails."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("companies:profile")
        # The pages follow the chosen language at once, as the switcher would.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "companies/profile.html", {"form": form})


@require_POST
def language_switch(request):
    """Django's set_language, and a signed-in person's preferred language follows the switch
    (emails and calendars then speak it too)."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response
