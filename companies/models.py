"""Who takes part: people, the cooperative, companies, and the HS catalogue they trade in."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The working languages of the product; "zh" is allowed on company profiles (spoken at stands).
TEXT_LANGUAGES = ("en", "ko", "ja")
SPOKEN_LANGUAGES = [("en", _("English")), ("ko", _("Korean")), ("ja", _("Japanese")), ("zh", _("Chinese"))]


def name_fallback_order(language):
    """The languages in which a reader of `language` is shown a name, first found first."""
    return [language] + [code for code in ("en", "ja", "ko") if code != language]


def in_reader_language(obj, field):
    """The value of `field_<lang>` in the active language, falling back to whichever exists."""
    for code in name_fallback_order((translation.get_language() or "en")[:2]):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


def sort_name_field(language):
    """A stored, lowercased name in the fallback order of a reader of `language`."""
    return models.GeneratedField(
        expression=Lower(
            Coalesce(
                *[NullIf(F(f"name_{code}"), Value("")) for code in name_fallback_order(language)],
                Value(""),
                output_field=models.CharField(max_length=200),
            )
        ),
        output_field=models.CharField(max_length=200),
        db_persist=True,
        editable=False,
    )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


def new_calendar_token():
    return secrets.token_urlsafe(24)


class User(AbstractUser):
    """A person. Email is the login.

    Roles: cooperative staff have `cooperative` set; admins are superusers; exhibitor and
    buyer members are people with a `Membership` in a company of that kind.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    cooperative = models.ForeignKey(
        "companies.Cooperative",
        verbose_name=_("cooperative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text=_("Set for cooperative staff, who organise exhibitions."),
    )
    # Secret part of the personal iCalendar feed URL; rotating it revokes old subscriptions.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    # Optional emails the person turned off, by category (see companies/notifications.py);
    # the in-app notice is kept either way.
    email_opt_outs = models.JSONField(_("emails turned off"), default=list, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    @property
    def display_name(self):
        return self.full_name or self.email.split("@")[0]

    def wants_email(self, category):
        return category not in self.email_opt_outs

    @property
    def is_organiser(self):
        """Cooperative staff or an admin: may run exhibitions and vet participants."""
        return self.is_superuser or self.cooperative_id is not None

    @property
    def membership(self):
        """The person's company membership, or None (a person belongs to one company)."""
        if not hasattr(self, "_membership_cache"):
            self._membership_cache = (
                Membership.objects.select_related("company").filter(user=self).first() if self.pk else None
            )
        return self._membership_cache

    @property
    def company(self):
        membership = self.membership
        return membership.company if membership else None


class Cooperative(models.Model):
    """The organiser of exhibitions, e.g. the Korea Die Mold Cooperative."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")


class HSCode(models.Model):
    """One code of the Harmonized System 2022: a chapter (2 digits), heading (4) or subheading (6)."""

    class Level(models.IntegerChoices):
        CHAPTER = 2, _("chapter")
        HEADING = 4, _("heading")
        SUBHEADING = 6, _("subheading")

    code = models.CharField(_("HS code"), max_length=6, primary_key=True)
    description = models.TextField(_("description"))
    # Names in the style of Korea's HSK and Japan's 実行関税率表 (companies/data/README.md);
    # empty where the data files have no row: the English description stands in.
    name_ko = models.TextField(_("name in Korean"), blank=True, default="")
    name_ja = models.TextField(_("name in Japanese"), blank=True, default="")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("parent")
    )
    section = models.CharField(_("section"), max_length=5)

    class Meta:
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="hscode_length_matches_level",
                condition=Q(level=2, code__regex=r"^[0-9]{2}$")
                | Q(level=4, code__regex=r"^[0-9]{4}$")
                | Q(level=6, code__regex=r"^[0-9]{6}$"),
            )
        ]

    def __str__(self):
        return self.label()

    def name_in(self, language=None):
        """The name in `language` (default: the active one), else the English description."""
        return hs_name_in(self.code, self.description, self.name_ko, self.name_ja, language)

    def label(self, language=None):
        """ "射出式又は圧縮式のもの (8480.71)": the name in the reader's language and the dotted code."""
        return f"{self.name_in(language)} ({dotted_hs(self.code)})"


def hs_name_in(code, description, name_ko, name_ja, language=None):
    """The reader's language first, then English (the WCO description every code has)."""
    language = (language or translation.get_language() or "en")[:2]
    return {"ko": name_ko, "ja": name_ja}.get(language) or description


def dotted_hs(code):
    """The customs notation: chapter 84, heading 84.80, subheading 8480.71."""
    if len(code) == 4:
        return f"{code[:2]}.{code[2:]}"
    if len(code) == 6:
        return f"{code[:4]}.{code[4:]}"
    return code


class Certification(models.Model):
    """A quality or industry certification a company holds (ISO 9001, IATF 16949...)."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CompanyQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Company.Status.APPROVED)

    def exhibitors(self):
        return self.filter(kind=Company.Kind.EXHIBITOR)

    def buyers(self):
        return self.filter(kind=Company.Kind.BUYER)

    def visible_to(self, user):
        """Approved companies for everyone; a member also sees its own company in any status;
        organisers see all."""
        if user.is_authenticated and user.is_organiser:
            return self
        if user.is_authenticated:
            return self.filter(Q(status=Company.Status.APPROVED) | Q(memberships__user=user)).distinct()
        return self.approved()


def logo_path(company, filename):
    ext = filename.rsplit(".", 1)[-1].lower()[:5]
    return f"logos/{company.ref}-{secrets.token_hex(4)}.{ext}"


class Company(models.Model):
    """A Korean exhibitor (an SME that makes things) or a Japanese buyer (that sources them)."""

    class Kind(models.TextChoices):
        EXHIBITOR = "exhibitor", _("Exhibitor")
        BUYER = "buyer", _("Buyer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    # Stable external reference (KR-0001, JP-0001): how imports, exports and partners name it.
    ref = models.CharField(_("reference"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("Two-letter ISO code, e.g. KR or JP."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Space-separated codes from SPOKEN_LANGUAGES ("ko en"): portable to SQLite and
    # filterable with `languages__contains`, since no code is a substring of another.
    languages = models.CharField(_("languages spoken"), max_length=20, blank=True)
    certifications = models.ManyToManyField(
        Certification, verbose_name=_("certifications"), blank=True, related_name="companies"
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    founded = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Comma-separated, in any language.")
    )
    hs_codes = models.ManyToManyField(
        HSCode,
        verbose_name=_("HS codes"),
        blank=True,
        related_name="companies",
        help_text=_("What an exhibitor makes, or what a buyer sources."),
    )
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Why staff rejected the company; shown to its members and sent to its owners.
    review_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The name as a reader of each language sees it (in_reader_language's fallback order),
    # lowercased: what lists sort by. Generated by the database, so that bulk imports and
    # updates keep it right, and indexed, so that a sort costs no expression per row.
    sort_name_en = sort_name_field("en")
    sort_name_ko = sort_name_field("ko")
    sort_name_ja = sort_name_field("ja")

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name_en", "ref"]
        indexes = [
            models.Index(fields=["kind", "status"]),
            *[
                models.Index(fields=[f"sort_name_{code}", "id"], name=f"company_sort_name_{code}")
                for code in TEXT_LANGUAGES
            ],
        ]
        constraints = [
            models.CheckConstraint(name="company_has_a_name", condition=~Q(name_en="", name_ko="", name_ja="")),
            models.CheckConstraint(
                name="company_founded_plausible",
                condition=Q(founded__isnull=True) | Q(founded__gte=1800, founded__lte=2100),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("companies:detail", kwargs={"ref": self.ref})

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def description(self):
        return in_reader_language(self, "description")

    @property
    def language_list(self):
        return self.languages.split()

    @property
    def keyword_list(self):
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class Membership(models.Model):
    """A person's place in a company. A person belongs to one company at most."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", pgettext_lazy("company role", "Member")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.company}"

    @property
    def is_owner(self):
        return self.role == self.Role.OWNER


def new_invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An owner invites a colleague by email; the colleague joins on accepting."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The email to someone without an account (claim, then send): see companies/mailing.py.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"], condition=Q(accepted_at__isnull=True), name="one_open_invitation_per_email"
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.company}"


class Notification(models.Model):
    """An in-app notice for one person, and the outbox of its email.

    `key` names the change it reports, so one change never notifies twice; the email task
    sets `emailed_at`, and a periodic sweep re-queues any that Redis lost.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # The person turned this kind of email off: the notice stays in the app, nothing is mailed.
    email_skipped = models.BooleanField(default=False)
    # Set when a worker takes the email (claim, then send): see companies/mailing.py.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)
    # The staff mailing (exhibitions.Mailing) this notice is a copy of: a plain id, so that
    # companies does not depend on exhibitions; the mailing page counts sent and failed by it.
    mailing_ref = models.PositiveIntegerField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["emailed_at", "created_at"])]

    def __str__(self):
        return self.key


class OutboxMessage(models.Model):
    """A Celery task to publish, written in the transaction of the change that asks for it.

    `companies.outbox.enqueue()` writes it and publishes it when that transaction commits;
    if the broker is down or hung then, beat publishes it later (`companies.publish_outbox`).
    A row is never lost with a rolled-back change, nor a task with a broker outage.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before this moment (a countdown); beat publishes rows due and not yet published.
    due_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(published_at__isnull=True), name="outbox_unpublished_due"),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


class ApiToken(models.Model):
    """A personal token for the REST API (/api/v1/). Only the sha256 of the secret is kept:
    the secret is shown once, when the person creates the token (companies/tokens.py)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE
