"""Writes about people and companies: creating, editing, vetting, invitations and teams.

Each function is one action, keyword-only, and lists its side effects. Errors a person can
act on are raised as `CompanyError` with a translated message.
"""

import re
import zlib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import mailing, outbox
from .models import Certification, Company, Invitation, Membership, Notification
from .notifications import notify

REF_LOCK_NAMESPACE = 7007  # first key of the advisory lock taken while generating a company reference


class CompanyError(Exception):
    """A refused action, with a message for the person who tried it."""


def next_company_ref(*, country):
    """The next free reference for `country`: KR-0007, JP-0012. Reads only."""
    prefix = (country or "XX").upper()[:2]
    pattern = rf"^{prefix}-[0-9]+$"
    last = (
        Company.objects.filter(ref__regex=pattern)
        .annotate(ref_length=Length("ref"))
        .order_by("-ref_length", "-ref")
        .values_list("ref", flat=True)
        .first()
    )
    number = int(last.split("-", 1)[1]) + 1 if last else 1
    return f"{prefix}-{number:04d}"


def _lock_ref_sequence(country):
    """Serialise reference generation per country until commit (PostgreSQL advisory lock);
    the unique constraint on `ref` stays the backstop, and SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [REF_LOCK_NAMESPACE, zlib.crc32(country.encode()) >> 1]
            )


def _notify_organisers(*, company):
    User = get_user_model()
    organisers = User.objects.filter(Q(cooperative__isnull=False) | Q(is_superuser=True), is_active=True)
    for organiser in organisers:
        notify(
            user=organiser,
            key=f"company-submitted:{company.pk}:{organiser.pk}",
            template="company_submitted",
            context={"company_name": company, "ref": company.ref, "kind": company.kind},
            url=reverse("companies:review") + "?status=pending",
        )


def company_create(*, by, kind, name_en="", name_ko="", name_ja="", country, city="", ref=""):
    """Create a company waiting for approval, with `by` as its owner.

    Side effects: a Company (status pending; `ref` generated from the country when blank),
    an owner Membership for `by`, a notice to every organiser (in-app and email after commit).
    Raises CompanyError when `by` already belongs to a company or `ref` is taken.
    """
    country = country.upper()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if Membership.objects.filter(user=by).exists():
                    raise CompanyError(_("You already belong to a company."))
                if not ref:
                    _lock_ref_sequence(country)
                company = Company.objects.create(
                    kind=kind,
                    ref=ref or next_company_ref(country=country),
                    name_en=name_en,
                    name_ko=name_ko,
                    name_ja=name_ja,
                    country=country,
                    city=city,
                    languages={"KR": "ko", "JP": "ja"}.get(country, ""),
                )
                Membership.objects.create(company=company, user=by, role=Membership.Role.OWNER)
                _notify_organisers(company=company)
        except IntegrityError:
            if Membership.objects.filter(user=by).exists():
                raise CompanyError(_("You already belong to a company."))
            if ref:
                raise CompanyError(_("The reference %(ref)s is already taken.") % {"ref": ref})
            continue  # Someone took the generated reference at the same moment: take the next one.
        by.__dict__.pop("_membership_cache", None)
        return company
    raise CompanyError(_("Could not create the company just now. Please try again."))


def certifications_from_text(text):
    """Certification rows for a list of names, one per line or comma-separated (creates new ones)."""
    names = []
    for part in re.split(r"[\n,;]+", text or ""):
        name = " ".join(part.split())
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    rows = []
    for name in names:
        existing = Certification.objects.filter(name__iexact=name).first()
        rows.append(existing or Certification.objects.get_or_create(name=name)[0])
    return rows


@transaction.atomic
def company_update(*, company, by, fields, certifications=None, hs_codes=None):
    """Save an edited profile.

    `fields` maps model field names to values (a `logo` of False clears the logo).
    Side effects: updates the Company; replaces its certifications (creating new
    Certification rows for unknown names) and HS codes when given; after commit, deletes
    the file of a replaced or cleared logo; when its spoken languages change, the
    interpreter flag of its open meetings is recomputed.
    """
    languages_before = company.languages
    for name, value in fields.items():
        if name == "logo":
            old_logo, storage = company.logo.name, company.logo.storage
            if value is False:
                company.logo = ""
            elif value:
                company.logo = value
            if old_logo and (value is False or value):
                transaction.on_commit(partial(storage.delete, old_logo))
            continue
        setattr(company, name, value)
    company.save()
    if certifications is not None:
        company.certifications.set(certifications)
    if hs_codes is not None:
        company.hs_codes.set(hs_codes)
    if company.languages != languages_before:
        _refresh_interpreter_need(company)
    return company


def _refresh_interpreter_need(company):
    """The company's open meetings follow its new languages (exhibitions imports companies,
    so the import is here, not at the top)."""
    from exhibitions.meetings.services import meetings_refresh_interpreter_need
    from exhibitions.models import Exhibition

    side = "exhibitor" if company.kind == Company.Kind.EXHIBITOR else "buyer"
    for exhibition in Exhibition.objects.filter(**{f"meetings__{side}": company}).distinct():
        meetings_refresh_interpreter_need(exhibition=exhibition, company=company)


def _decide(*, company, by, status, reason=""):
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        if company.status == status:
            raise CompanyError(_("This company was already decided."))
        company.status = status
        company.reviewed_by = by
        company.reviewed_at = timezone.now()
        company.review_reason = reason
        company.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason", "updated_at"])
        template = "company_approved" if status == Company.Status.APPROVED else "company_rejected"
        stamp = company.reviewed_at.isoformat()
        owners = Membership.objects.filter(company=company, role=Membership.Role.OWNER).select_related("user")
        for membership in owners:
            notify(
                user=membership.user,
                key=f"{template}:{company.pk}:{stamp}:{membership.user_id}",
                template=template,
                context={"company_name": company, "ref": company.ref, "reason": reason},
                url=company.get_absolute_url(),
            )
    return company


def company_approve(*, company, by):
    """Staff approve a company: it appears in the public directory.

    Side effects: status approved, reviewer and time recorded; a notice to each owner.
    """
    return _decide(company=company, by=by, status=Company.Status.APPROVED)


def company_reject(*, company, by, reason):
    """Staff reject a company, saying why: it stays out of the directory.

    Side effects: status rejected with the reason, reviewer and time recorded; a notice
    (with the reason) to each owner. Raises CompanyError when no reason is given.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CompanyError(_("Please say why the company is rejected."))
    return _decide(company=company, by=by, status=Company.Status.REJECTED, reason=reason)


def invitation_create(*, company, by, email, role=Membership.Role.MEMBER):
    """An owner invites a colleague by email.

    Side effects: an Invitation; an email with the accept link through the outbox (a notice
    when the address already has an account, else `companies.send_invitation_email`); a
    count in the cache. Inviting again someone whose invitation email could not be sent
    sends it again instead of refusing. Raises CompanyError when the person is already in this company or
    already invited, or when the company sent `COMPANY_INVITATIONS_PER_DAY` today (any
    signed-up person can make a company, so the limit keeps it from mailing strangers in bulk).
    """
    User = get_user_model()
    email = email.strip().lower()
    invitee = User.objects.filter(email__iexact=email).first()
    if invitee and Membership.objects.filter(user=invitee, company=company).exists():
        raise CompanyError(_("%(email)s is already in your team.") % {"email": email})
    counter = f"invitations-sent:{company.ref}:{timezone.now():%Y-%m-%d}"  # withdrawn ones count too
    cache.add(counter, 0, timeout=2 * 24 * 3600)
    if cache.incr(counter) > settings.COMPANY_INVITATIONS_PER_DAY:
        raise CompanyError(_("Your company has sent the most invitations allowed in a day. Please try again tomorrow."))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(company=company, email=email, role=role, invited_by=by)
            url = reverse("companies:invitation_accept", kwargs={"token": invitation.token})
            context = {"company_name": company, "inviter": by.display_name}
            if invitee:
                notify(
                    user=invitee,
                    key=f"invitation:{invitation.pk}",
                    template="invitation_received",
                    context=context,
                    url=url,
                )
            else:
                language = translation.get_language() or "en"
                outbox.enqueue("companies.send_invitation_email", args=[invitation.pk, language])
    except IntegrityError:
        # An invitation whose email failed, or is still unsent after a minute, is sent again.
        unsent = (
            Invitation.objects.filter(company=company, email=email, accepted_at__isnull=True, emailed_at__isnull=True)
            .filter(~Q(email_error="") | Q(created_at__lt=timezone.now() - timedelta(minutes=1)))
            .first()
        )
        if unsent is None or invitee:
            raise CompanyError(_("%(email)s has already been invited.") % {"email": email}) from None
        with transaction.atomic():
            Invitation.objects.filter(pk=unsent.pk).update(email_attempts=0, email_claimed_at=None, email_error="")
            outbox.enqueue("companies.send_invitation_email", args=[unsent.pk, translation.get_language() or "en"])
        return unsent
    return invitation


def invitation_send_email(*, invitation_id, language, base_url=""):
    """Email the accept link of an open invitation, in `language`.

    Side effects: one email to the invited address (claim, then send: companies/mailing.py);
    nothing when the invitation is gone, used, already emailed or being emailed.
    """
    if mailing.claim(Invitation, invitation_id) is None:
        return False
    invitation = Invitation.objects.select_related("company", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return False
    link = base_url.rstrip("/") + reverse("companies:invitation_accept", kwargs={"token": invitation.token})
    context = {"company_name": invitation.company.name, "inviter": invitation.invited_by.display_name, "url": link}
    with translation.override(language):
        context["company_name"] = invitation.company.name
        subject = " ".join(render_to_string("notifications/invitation_subject.txt", context).split())
        body = render_to_string("notifications/invitation_body.txt", context).strip()
    return mailing.send(
        Invitation, invitation, subject=subject, body=f"{body}\n\n{link}", to=invitation.email, kind="invitation"
    )


def invitation_cancel(*, invitation, by):
    """An owner withdraws an open invitation. Side effects: deletes the Invitation."""
    if invitation.accepted_at is None:
        invitation.delete()


def invitation_accept(*, invitation, user):
    """The invited person joins the company.

    Side effects: a Membership with the invited role; the invitation marked accepted.
    Raises CompanyError when the person already belongs to a company or the invitation
    was used.
    """
    try:
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().select_related("company").get(pk=invitation.pk)
            if invitation.accepted_at is not None:
                raise CompanyError(_("This invitation has already been used."))
            current = Membership.objects.filter(user=user).select_related("company").first()
            if current:
                raise CompanyError(
                    _("You already belong to %(company)s. A person can be in one company only.")
                    % {"company": current.company.name}
                )
            Membership.objects.create(company=invitation.company, user=user, role=invitation.role)
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
    except (IntegrityError, OperationalError):
        raise CompanyError(_("You already belong to a company. A person can be in one company only."))
    user.__dict__.pop("_membership_cache", None)
    return invitation.company


def _lock_team(company):
    """Lock the company row so two owners changing the team at once cannot leave it ownerless."""
    Company.objects.select_for_update().filter(pk=company.pk).first()


def membership_remove(*, membership, by):
    """An owner removes a person from the company (or a person leaves it).

    Side effects: deletes the Membership. Raises CompanyError when it would leave the
    company without an owner.
    """
    with transaction.atomic():
        _lock_team(membership.company)
        membership = Membership.objects.filter(pk=membership.pk).first()
        if membership is None:
            return
        if membership.is_owner:
            owners = Membership.objects.filter(company_id=membership.company_id, role=Membership.Role.OWNER).count()
            if owners <= 1:
                raise CompanyError(_("A company needs at least one owner. Make someone else an owner first."))
        membership.delete()


def membership_set_role(*, membership, role, by):
    """An owner makes a member an owner, or an owner a member.

    Side effects: updates the Membership's role. Raises CompanyError when the last owner
    would step down.
    """
    with transaction.atomic():
        _lock_team(membership.company)
        membership = Membership.objects.get(pk=membership.pk)
        if membership.is_owner and role != Membership.Role.OWNER:
            owners = Membership.objects.filter(company_id=membership.company_id, role=Membership.Role.OWNER).count()
            if owners <= 1:
                raise CompanyError(_("A company needs at least one owner. Make someone else an owner first."))
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def notifications_mark_read(*, user):
    """Mark every notice of `user` read. Side effects: sets `read_at`; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
