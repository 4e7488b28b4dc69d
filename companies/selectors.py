"""Reads about people and companies that views (and other apps) share."""

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.utils import translation

from . import rules
from .models import Company, HSCode, Invitation, Membership, Notification


def company_directory(*, q="", kind=""):
    """Approved companies for the public directory, filtered by words and kind.

    Prefetches what a directory card shows (HS codes), so a page costs a fixed number
    of queries whatever its length.
    """
    companies = Company.objects.approved().prefetch_related(
        Prefetch("hs_codes", queryset=HSCode.objects.only("code", "description", "name_ko", "name_ja"))
    )
    if kind in Company.Kind.values:
        companies = companies.filter(kind=kind)
    for word in (q or "").split()[:8]:
        word_match = (
            Q(name_en__icontains=word)
            | Q(name_ko__icontains=word)
            | Q(name_ja__icontains=word)
            | Q(city__icontains=word)
            | Q(keywords__icontains=word)
            | Q(ref__iexact=word)
            | Q(hs_codes__code__startswith=word)
        )
        companies = companies.filter(pk__in=Company.objects.filter(word_match).values("pk"))
    return companies.annotate(sort_name=Lower(reader_name())).order_by("sort_name", "ref")


def reader_name():
    """The company's name in the reader's language, falling back like `in_reader_language`, for ORDER BY."""
    active = (translation.get_language() or "en")[:2]
    order = [active] + [code for code in ("en", "ja", "ko") if code != active]
    return Coalesce(*[NullIf(f"name_{code}", Value("")) for code in order], Value(""))


def company_for_viewer(*, ref, user):
    """The company with `ref` if `user` may see it (approved, or its member, or an organiser); else 404."""
    company = (
        Company.objects.filter(ref=ref)
        .prefetch_related("certifications", Prefetch("hs_codes", queryset=HSCode.objects.order_by("code")))
        .first()
    )
    if company is None or not rules.can_view_company(user, company):
        raise Http404
    return company


def company_for_editor(*, ref, user):
    """The company with `ref` if `user` may edit it (an owner or an organiser); else 404."""
    company = Company.objects.filter(ref=ref).first()
    if company is None or not rules.can_edit_company(user, company):
        raise Http404
    return company


def team_of(company):
    """Memberships of a company, owners first, with their people."""
    return (
        Membership.objects.filter(company=company)
        .select_related("user")
        .order_by("-role", "user__full_name", "user__email")
    )


def open_invitations_of(company):
    return Invitation.objects.filter(company=company, accepted_at__isnull=True).order_by("-created_at")


def invitations_for(user):
    """Open invitations addressed to any of the person's verified email addresses."""
    emails = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }
    return (
        Invitation.objects.filter(accepted_at__isnull=True, email__in=emails)
        .select_related("company", "invited_by")
        .order_by("-created_at")
    )


def invitation_for(*, token, user):
    """The open invitation with `token` if it is addressed to `user`; else 404. Cooperative
    staff do not run companies (as `rules.can_create_company` says), so they cannot join one."""
    if rules.is_organiser(user):
        raise Http404
    invitation = invitations_for(user).filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation


def companies_for_review(*, status=Company.Status.PENDING):
    """Companies in `status` (all when blank) for staff vetting, oldest first, with owners."""
    companies = Company.objects.all()
    if status:
        companies = companies.filter(status=status)
    owners = Membership.objects.filter(role=Membership.Role.OWNER).select_related("user")
    return companies.prefetch_related(Prefetch("memberships", queryset=owners, to_attr="owner_memberships")).order_by(
        "created_at", "pk"
    )


def notifications_for(user):
    """The person's own notices, newest first."""
    return Notification.objects.filter(user=user).select_related("user").order_by("-created_at", "-pk")
