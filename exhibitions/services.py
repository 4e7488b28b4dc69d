"""Writes for exhibitions: layouts, applications, booth assignment and buyer registrations.

Each function is keyword-only and named for its action; its docstring lists side effects.
Errors a person can fix come back as ExhibitionError with a message to show.
"""

from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Membership
from companies.notifications import notify
from companies.webhooks import events as webhook_events

from .floorplan import LayoutError, grid_layout, parse_booth_csv
from .meetings import selectors as meeting_selectors
from .meetings import services as meeting_services
from .models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication, Hall, Representative


class ExhibitionError(Exception):
    """A rule stopped the action; `message` says why, in words the person understands."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Exhibitions and layout -------------------------------------------------------------


def exhibition_save(*, exhibition, by):
    """Create or update an exhibition from a validated form instance.

    A new time zone is refused while meetings hold or wait for its times (they are fixed
    instants); otherwise the meeting slots are made again from the hours, so they keep their
    local times (10:00 stays 10:00 in the new zone).
    Side effects: writes the exhibition row; may delete and create Slot rows. A new one gets
    the organiser's cooperative when none was chosen.
    """
    if exhibition.cooperative_id is None and by.cooperative_id:
        exhibition.cooperative_id = by.cooperative_id
    exhibition.full_clean()
    with transaction.atomic():
        old_zone = Exhibition.objects.filter(pk=exhibition.pk).values_list("timezone", flat=True).first()
        moved = old_zone is not None and old_zone != exhibition.timezone
        if moved and meeting_selectors.meetings_on_the_clock(exhibition):
            raise ExhibitionError(_("Meetings are booked at this exhibition's times; its time zone cannot change."))
        exhibition.save()
        if moved and exhibition.slots.exists():
            meeting_services.slots_generate(exhibition=exhibition)
    return exhibition


def hall_add(*, exhibition, name, by):
    """Add a hall at the end of the exhibition's halls. Side effects: a Hall row."""
    name = name.strip()
    if exhibition.halls.filter(name=name).exists():
        raise ExhibitionError(_("There is already a hall named “%(name)s”.") % {"name": name})
    position = exhibition.halls.count()
    try:
        with transaction.atomic():
            return Hall.objects.create(exhibition=exhibition, name=name, position=position)
    except IntegrityError:
        raise ExhibitionError(_("There is already a hall named “%(name)s”.") % {"name": name})


def _existing_codes(exhibition, codes):
    return set(Booth.objects.filter(exhibition=exhibition, code__in=codes).values_list("code", flat=True))


def booths_generate(*, hall, rows, numbers, size, kind, price, aisle=2, origin_x=0, origin_y=0, by):
    """Create a grid of booths in a hall ("rows A-H, 1-20, 3x3 m"): all of them or none.

    Raises LayoutError naming every problem (bad spec, codes already used).
    Side effects: Booth rows; the exhibition's directory marked changed.
    """
    planned = grid_layout(
        rows=rows, numbers=numbers, size=size, kind=kind, price=price, aisle=aisle, origin_x=origin_x, origin_y=origin_y
    )
    taken = _existing_codes(hall.exhibition, [booth.code for booth in planned])
    if taken:
        shown = ", ".join(sorted(taken)[:20]) + ("…" if len(taken) > 20 else "")
        raise LayoutError([_("These booth codes already exist: %(codes)s.") % {"codes": shown}])
    booths = [
        Booth(
            exhibition=hall.exhibition,
            hall=hall,
            code=booth.code,
            kind=booth.kind,
            width_m=booth.width,
            depth_m=booth.depth,
            price=booth.price,
            x=booth.x,
            y=booth.y,
        )
        for booth in planned
    ]
    try:
        with transaction.atomic():
            Booth.objects.bulk_create(booths, batch_size=500)
            Exhibition.objects.filter(pk=hall.exhibition_id).touch_directory()  # bulk writes send no signals
    except IntegrityError:
        raise LayoutError([_("Some of these booth codes were taken meanwhile; nothing was saved.")])
    return booths


def booths_import_csv(*, exhibition, text, by):
    """Create or update booths from CSV text (hall, code, kind, width, depth, price, x, y).

    All or nothing: any bad line raises LayoutError naming every bad line, and nothing is
    written. A code that exists is updated in place, in its own hall: a line that would move
    it to another hall is refused (codes are unique per exhibition, so "B-07" of a new hall's
    file would otherwise silently take over the other hall's booth). Side effects: Booth rows; the
    exhibition's directory marked changed.
    Returns (created, updated).
    """
    halls = {hall.name: hall for hall in exhibition.halls.all()}
    planned = parse_booth_csv(text, set(halls))
    existing = {booth.code: booth for booth in Booth.objects.filter(exhibition=exhibition).select_related("hall")}
    moved = [
        _("Line %(line)s: booth %(code)s is in %(current)s, not %(hall)s; a file cannot move booths between halls.")
        % {"line": row.line, "code": row.code, "current": existing[row.code].hall.name, "hall": row.hall}
        for row in planned
        if row.code in existing and existing[row.code].hall.name != row.hall
    ]
    if moved:
        raise LayoutError(moved)
    created, updated = [], []
    for row in planned:
        booth = existing.get(row.code) or Booth(exhibition=exhibition, code=row.code)
        booth.hall = halls[row.hall]
        booth.kind, booth.width_m, booth.depth_m = row.kind, row.width, row.depth
        booth.price, booth.x, booth.y = row.price, row.x, row.y
        (updated if booth.pk else created).append(booth)
    try:
        with transaction.atomic():
            Booth.objects.bulk_create(created, batch_size=500)
            if updated:
                Booth.objects.bulk_update(updated, ["hall", "kind", "width_m", "depth_m", "price", "x", "y"], 500)
            Exhibition.objects.filter(pk=exhibition.pk).touch_directory()  # bulk writes send no signals
    except IntegrityError:
        raise LayoutError([_("Some of these booth codes were taken meanwhile; nothing was saved.")])
    return len(created), len(updated)


# --- Notifications ----------------------------------------------------------------------


def _notify_members(*, company, exhibition, key, template, context, url):
    """One notice per member of `company`, in each member's language."""
    memberships = Membership.objects.filter(company=company).select_related("user")
    context = dict(context, exhibition_title=exhibition, company_name=company)
    for membership in memberships:
        user = membership.user
        notify(user=user, key=f"{key}:user:{user.pk}", template=template, context=context, url=url)


def _notify_application(application, change, **context):
    application.revision += 1
    application.save(update_fields=["revision", "updated_at"])
    _notify_members(
        company=application.company,
        exhibition=application.exhibition,
        key=f"application:{application.pk}:{change}:{application.revision}",
        template="application_status",
        context=dict(context, change=change, status=application.status, reason=application.decision_reason),
        url=reverse("exhibitions:application", kwargs={"slug": application.exhibition.slug}),
    )


# --- Exhibitor applications -------------------------------------------------------------


def apply_blocker(exhibition, company):
    """Why the company cannot apply now, or None."""
    try:
        _check_can_apply(exhibition, company)
    except ExhibitionError as exc:
        return exc.message
    return None


def _check_can_apply(exhibition, company):
    if company.kind != Company.Kind.EXHIBITOR:
        raise ExhibitionError(_("Only exhibitor companies can apply for a booth."))
    if not company.is_approved:
        raise ExhibitionError(_("Your company must be approved by the cooperative before it can apply."))
    if not exhibition.accepts_applications:
        raise ExhibitionError(_("This exhibition does not accept applications now."))


def _save_representatives(application, representatives):
    """Replace the representatives with `representatives`: dicts of name, role, email, languages."""
    application.representatives.all().delete()
    Representative.objects.bulk_create(
        [
            Representative(
                application=application,
                name=rep["name"],
                role=rep.get("role", ""),
                email=rep.get("email", ""),
                languages=rep.get("languages", ""),
            )
            for rep in representatives
        ]
    )


def _set_choices(application, *, preferred_booths, products):
    application.preferred_booths.set(preferred_booths)
    application.products.set(products)


APPLICATION_FIELDS = ("booth_kind", "stand_languages", "needs_interpreter", "needs_power", "needs_furniture", "notes")


def application_submit(*, exhibition, company, by, data, preferred_booths=(), products=(), representatives=()):
    """A company applies for a booth. One application per company per exhibition.

    `data` holds the plain fields (APPLICATION_FIELDS). Side effects: an application with
    its preferred booths, products and representatives.
    """
    _check_can_apply(exhibition, company)
    try:
        with transaction.atomic():
            application = ExhibitorApplication.objects.create(
                exhibition=exhibition,
                company=company,
                submitted_by=by,
                **{field: data[field] for field in APPLICATION_FIELDS if field in data},
            )
            _set_choices(application, preferred_booths=preferred_booths, products=products)
            _save_representatives(application, representatives)
    except IntegrityError:
        raise ExhibitionError(
            _("Your company has already applied for this exhibition; you can change that application instead.")
        )
    return application


def application_update(*, application, by, data, preferred_booths=(), products=(), representatives=()):
    """The company changes its application while it is still submitted (not yet decided).

    Side effects: the application's fields, choices and representatives are replaced.
    """
    with transaction.atomic():
        application = ExhibitorApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ExhibitorApplication.Status.SUBMITTED:
            raise ExhibitionError(_("This application has been decided and can no longer be changed."))
        if not application.exhibition.accepts_applications:
            raise ExhibitionError(_("This exhibition does not accept applications now."))
        for field in APPLICATION_FIELDS:
            if field in data:
                setattr(application, field, data[field])
        application.save()
        _set_choices(application, preferred_booths=preferred_booths, products=products)
        _save_representatives(application, representatives)
    return application


def application_withdraw(*, application, by):
    """The company withdraws its application while it is submitted. Side effects: status."""
    with transaction.atomic():
        application = ExhibitorApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != ExhibitorApplication.Status.SUBMITTED:
            raise ExhibitionError(_("Only an application that is still waiting for a decision can be withdrawn."))
        application.status = ExhibitorApplication.Status.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
    return application


DECISIONS = (
    ExhibitorApplication.Status.APPROVED,
    ExhibitorApplication.Status.REJECTED,
    ExhibitorApplication.Status.WAITLISTED,
)


def application_decide(*, application, status, by, reason=""):
    """Staff approve, reject (with a reason) or waitlist an application.

    Deciding the status it already has changes nothing. Rejecting or waitlisting frees its
    booth. Side effects: status, reason, booth; one notice to each member of the company
    (emailed once, in their language, after commit); when an approved exhibitor is taken out,
    its open meetings are cancelled (meetings_cancel_for_company).
    """
    if status not in DECISIONS:
        raise ExhibitionError(_("Unknown decision."))
    reason = (reason or "").strip()
    if status == ExhibitorApplication.Status.REJECTED and not reason:
        raise ExhibitionError(_("Give a reason when you reject an application."))
    with transaction.atomic():
        application = (
            ExhibitorApplication.objects.select_for_update()
            .select_related("exhibition", "company")
            .get(pk=application.pk)
        )
        if application.status == ExhibitorApplication.Status.WITHDRAWN:
            raise ExhibitionError(_("The company has withdrawn this application."))
        if application.status == status and application.decision_reason == reason:
            return application
        was_approved = application.status == ExhibitorApplication.Status.APPROVED
        application.status = status
        application.decision_reason = reason
        if status != ExhibitorApplication.Status.APPROVED:
            application.booth = None
        application.save(update_fields=["status", "decision_reason", "booth", "updated_at"])
        _notify_application(application, f"status:{status}")
        webhook_events.application_decided(application)
        if was_approved and status != ExhibitorApplication.Status.APPROVED:
            meeting_services.meetings_cancel_for_company(
                exhibition=application.exhibition,
                company=application.company,
                by=by,
                reason=_("The exhibitor no longer takes part in this exhibition."),
            )
    return application


def booth_assign(*, application, booth, by):
    """Give an approved application a booth (or move it to another one).

    A booth holds one exhibitor: the booth row is locked first, then checked, with the
    one-to-one constraint as the backstop; when two staff assign the same booth at once,
    one wins and the other gets ExhibitionError. Side effects: the application's booth; one
    notice to each member of the company; on a move, its booked meetings at the old booth
    move with it (meetings_follow_booth).
    """
    taken = _("Booth %(code)s was just given to another exhibitor. Choose another booth.") % {"code": booth.code}
    try:
        with transaction.atomic():
            booth = Booth.objects.select_for_update().get(pk=booth.pk)
            application = (
                ExhibitorApplication.objects.select_for_update()
                .select_related("exhibition", "company")
                .get(pk=application.pk)
            )
            if booth.exhibition_id != application.exhibition_id:
                raise ExhibitionError(_("That booth belongs to another exhibition."))
            if application.status != ExhibitorApplication.Status.APPROVED:
                raise ExhibitionError(_("Approve the application before you assign a booth."))
            holder = ExhibitorApplication.objects.filter(booth=booth).exclude(pk=application.pk).first()
            if holder is not None:
                raise ExhibitionError(taken)
            if application.booth_id == booth.pk:
                return application
            old_booth = application.booth
            application.booth = booth
            application.save(update_fields=["booth", "updated_at"])
            _notify_application(application, f"booth:{booth.code}", booth=booth.code)
            if old_booth is not None:
                meeting_services.meetings_follow_booth(
                    exhibitor=application.company,
                    exhibition=application.exhibition,
                    old_booth=old_booth,
                    new_booth=booth,
                    by=by,
                )
    except (IntegrityError, OperationalError):
        raise ExhibitionError(taken)
    return application


def booth_release(*, application, by):
    """Take the booth back from an application. Side effects: the application's booth."""
    with transaction.atomic():
        application = ExhibitorApplication.objects.select_for_update().get(pk=application.pk)
        application.booth = None
        application.save(update_fields=["booth", "updated_at"])
    return application


# --- Buyer registrations ----------------------------------------------------------------

REGISTRATION_FIELDS = ("visit_days", "sourcing_notes", "languages", "visitors")


def _check_can_register(exhibition, company):
    if company.kind != Company.Kind.BUYER:
        raise ExhibitionError(_("Only buyer companies can register to visit."))
    if not company.is_approved:
        raise ExhibitionError(_("Your company must be approved by the cooperative before it can register."))
    if (
        exhibition.status not in (Exhibition.Status.OPEN, Exhibition.Status.CLOSED)
        or exhibition.ends_on < timezone.localdate()
    ):
        raise ExhibitionError(_("Registration for this exhibition is not open."))


def registration_submit(*, exhibition, company, by, data, sourcing=()):
    """A buyer company registers to visit. One registration per buyer per exhibition.

    Side effects: a pending registration with its sourcing codes.
    """
    _check_can_register(exhibition, company)
    try:
        with transaction.atomic():
            registration = BuyerRegistration.objects.create(
                exhibition=exhibition,
                company=company,
                submitted_by=by,
                **{field: data[field] for field in REGISTRATION_FIELDS if field in data},
            )
            registration.sourcing.set(sourcing)
    except IntegrityError:
        raise ExhibitionError(
            _("Your company has already registered for this exhibition; you can change that registration instead.")
        )
    return registration


def registration_update(*, registration, by, data, sourcing=()):
    """The buyer changes its registration while it waits for approval. Side effects: fields."""
    with transaction.atomic():
        registration = BuyerRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != BuyerRegistration.Status.PENDING:
            raise ExhibitionError(_("This registration has been decided and can no longer be changed."))
        for field in REGISTRATION_FIELDS:
            if field in data:
                setattr(registration, field, data[field])
        registration.save()
        registration.sourcing.set(sourcing)
    return registration


def registration_decide(*, registration, status, by, reason=""):
    """Staff approve or reject a buyer registration; the same decision twice changes nothing.

    Side effects: status and reason; one notice to each member of the buyer company; when an
    approved buyer is rejected, its open meetings are cancelled (meetings_cancel_for_company).
    """
    if status not in (BuyerRegistration.Status.APPROVED, BuyerRegistration.Status.REJECTED):
        raise ExhibitionError(_("Unknown decision."))
    reason = (reason or "").strip()
    if status == BuyerRegistration.Status.REJECTED and not reason:
        raise ExhibitionError(_("Give a reason when you reject a registration."))
    with transaction.atomic():
        registration = (
            BuyerRegistration.objects.select_for_update()
            .select_related("exhibition", "company")
            .get(pk=registration.pk)
        )
        if registration.status == status and registration.decision_reason == reason:
            return registration
        was_approved = registration.status == BuyerRegistration.Status.APPROVED
        registration.status = status
        registration.decision_reason = reason
        registration.revision += 1
        registration.save(update_fields=["status", "decision_reason", "revision", "updated_at"])
        _notify_members(
            company=registration.company,
            exhibition=registration.exhibition,
            key=f"registration:{registration.pk}:status:{status}:{registration.revision}",
            template="registration_status",
            context={"status": status, "reason": reason},
            url=reverse("exhibitions:registration", kwargs={"slug": registration.exhibition.slug}),
        )
        if was_approved and status != BuyerRegistration.Status.APPROVED:
            meeting_services.meetings_cancel_for_company(
                exhibition=registration.exhibition,
                company=registration.company,
                by=by,
                reason=_("The buyer no longer takes part in this exhibition."),
            )
    return registration
