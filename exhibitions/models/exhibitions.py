"""Where and when: exhibitions, their halls and booths, and who takes part."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now as django_now
from django.utils.translation import gettext_lazy as _

from companies.models import Company, HSCode, in_reader_language


def validate_timezone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("%(tz)s is not an IANA time zone, e.g. Asia/Tokyo."), params={"tz": value}) from None


class ExhibitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts are for those who run them only: their cooperative's staff, and admins."""
        if user.is_authenticated and user.is_superuser:
            return self
        if user.is_authenticated and user.cooperative_id:
            return self.exclude(Q(status=Exhibition.Status.DRAFT) & ~Q(cooperative_id=user.cooperative_id))
        return self.exclude(status=Exhibition.Status.DRAFT)

    def upcoming_first(self):
        """Upcoming and running shows by start date, then past ones, newest first."""
        today = timezone.localdate()
        upcoming_start = models.Case(
            models.When(ends_on__gte=today, then=F("starts_on")), default=None, output_field=models.DateField()
        )
        return self.annotate(
            is_past=models.Case(models.When(ends_on__lt=today, then=1), default=0, output_field=models.IntegerField())
        ).order_by("is_past", upcoming_start.asc(), F("starts_on").desc(), "id")

    def touch_directory(self):
        """Mark these exhibitions' exhibitor directories as changed (their cached pages expire)."""
        return self.update(directory_changed_at=timezone.now())


class Exhibition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("short name (URL)"), max_length=80, unique=True)
    cooperative = models.ForeignKey(
        "companies.Cooperative", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="exhibitions"
    )
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo", validators=[validate_timezone])
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Business meetings: slot length, how long a request waits for an answer, and how many
    # unanswered requests one buyer may have open (no spamming every exhibitor).
    meeting_slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length"), choices=[(15, "15"), (20, "20"), (30, "30"), (45, "45"), (60, "60")], default=30
    )
    meeting_request_ttl_hours = models.PositiveSmallIntegerField(_("requests expire after (hours)"), default=72)
    meeting_pending_cap = models.PositiveSmallIntegerField(_("open requests per buyer"), default=10)
    # Bumped whenever what the exhibitor directory shows may have changed (exhibitions/signals.py):
    # the cache key of its pages, read with the exhibition itself, so checking costs no query.
    directory_changed_at = models.DateTimeField(default=django_now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(name="exhibition_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))),
            models.CheckConstraint(name="exhibition_has_a_title", condition=~Q(title_en="", title_ko="", title_ja="")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exhibitions:detail", kwargs={"slug": self.slug})

    @property
    def title(self):
        return in_reader_language(self, "title")

    @property
    def description(self):
        return in_reader_language(self, "description")

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def days(self):
        return [self.starts_on + timezone.timedelta(days=i) for i in range((self.ends_on - self.starts_on).days + 1)]

    @property
    def accepts_applications(self):
        if self.status != self.Status.OPEN:
            return False
        return self.application_deadline is None or timezone.localdate() <= self.application_deadline


class Hall(models.Model):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="halls")
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "name"], name="hall_name_unique_in_exhibition")]

    def __str__(self):
        return self.name


class Booth(models.Model):
    """A stand on the floor plan. Position and size are in grid cells of one metre."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Standard")
        CORNER = "corner", _("Corner")
        PREMIUM = "premium", _("Premium")
        ISLAND = "island", _("Island")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="booths")
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="booths")
    code = models.CharField(_("booth"), max_length=20)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.STANDARD)
    width_m = models.DecimalField(_("width (m)"), max_digits=5, decimal_places=1, default=3)
    depth_m = models.DecimalField(_("depth (m)"), max_digits=5, decimal_places=1, default=3)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=0, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="KRW")
    x = models.PositiveIntegerField(_("column"), default=0)
    y = models.PositiveIntegerField(_("row"), default=0)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["hall__position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "code"], name="booth_code_unique_in_exhibition"),
            models.CheckConstraint(name="booth_has_area", condition=Q(width_m__gt=0, depth_m__gt=0)),
        ]

    def __str__(self):
        return self.code


class ApplicationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ExhibitorApplication.Status.APPROVED)


class ExhibitorApplication(models.Model):
    """A Korean SME's application for a booth at one exhibition."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="applications")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    booth_kind = models.CharField(
        _("booth type"), max_length=10, choices=Booth.Kind.choices, default=Booth.Kind.STANDARD
    )
    preferred_booths = models.ManyToManyField(Booth, verbose_name=_("preferred booths"), blank=True, related_name="+")
    products = models.ManyToManyField(HSCode, verbose_name=_("products to show"), blank=True, related_name="+")
    stand_languages = models.CharField(_("languages on the stand"), max_length=20, blank=True)
    # Meetings it can hold at once: the first at its booth, the others at meeting tables.
    parallel_meetings = models.PositiveSmallIntegerField(_("meetings at once"), default=1)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    needs_power = models.BooleanField(_("needs extra power"), default=False)
    needs_furniture = models.BooleanField(_("needs extra furniture"), default=False)
    notes = models.TextField(_("other needs"), blank=True)
    # The booth given by staff; a booth is given to one application at most (constraint below).
    booth = models.OneToOneField(
        Booth,
        verbose_name=_("assigned booth"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    # Bumped on every change that is notified, so each change has its own notification key.
    revision = models.PositiveIntegerField(default=0, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "company"], name="one_application_per_company"),
            models.CheckConstraint(
                name="only_approved_applications_hold_booths", condition=Q(booth__isnull=True) | Q(status="approved")
            ),
            models.CheckConstraint(
                name="parallel_meetings_1_to_10", condition=Q(parallel_meetings__gte=1, parallel_meetings__lte=10)
            ),
        ]

    def __str__(self):
        return f"{self.company} @ {self.exhibition}"


class Representative(models.Model):
    """A person who staffs the stand; buyers may ask to meet a particular one."""

    application = models.ForeignKey(ExhibitorApplication, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    languages = models.CharField(_("languages"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["id"]

    def __str__(self):
        return self.name


class BuyerRegistration(models.Model):
    """A Japanese buyer company's registration to visit one exhibition."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="buyer_registrations")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="buyer_registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    visit_days = models.JSONField(_("visit days"), default=list, blank=True)
    sourcing = models.ManyToManyField(HSCode, verbose_name=_("what you source"), blank=True, related_name="+")
    sourcing_notes = models.TextField(_("what you are looking for"), blank=True)
    languages = models.CharField(_("languages"), max_length=20, blank=True)
    visitors = models.PositiveSmallIntegerField(_("number of visitors"), default=1)
    decision_reason = models.TextField(_("reason"), blank=True)
    # Bumped on every change that is notified, so each change has its own notification key.
    revision = models.PositiveIntegerField(default=0, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("buyer registration")
        verbose_name_plural = _("buyer registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "company"], name="one_registration_per_buyer"),
            models.CheckConstraint(name="at_least_one_visitor", condition=Q(visitors__gte=1)),
        ]

    def __str__(self):
        return f"{self.company} @ {self.exhibition}"
