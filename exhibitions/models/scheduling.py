"""Scheduling meetings: who wants to meet whom, who is available, the interpreter pool, and
the scheduler's runs and draft schedule (published as ordinary meetings)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company

from .exhibitions import Booth, Exhibition
from .meetings import MeetingTable, Slot


class Wish(models.Model):
    """One side's wish about meeting the other at an exhibition. A `no` forbids the pair."""

    class By(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        EXHIBITOR = "exhibitor", _("Exhibitor")

    class Priority(models.TextChoices):
        MUST = "must", _("Must meet")
        WANT = "want", _("Would like to meet")
        NO = "no", _("Not interested")

    # What a wish adds to the value of a scheduled pair (both sides' wishes add up).
    WEIGHTS = {"must": 3, "want": 1, "no": 0}

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="wishes")
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="wishes_as_buyer")
    exhibitor = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="wishes_as_exhibitor")
    by = models.CharField(_("wished by"), max_length=10, choices=By.choices)
    priority = models.CharField(_("priority"), max_length=4, choices=Priority.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["exhibition", "buyer", "exhibitor", "by"]
        indexes = [
            models.Index(fields=["exhibition", "exhibitor"]),
            models.Index(fields=["exhibition", "buyer"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "buyer", "exhibitor", "by"], name="one_wish_per_side"),
            models.CheckConstraint(name="wish_between_two_companies", condition=~Q(buyer=F("exhibitor"))),
        ]

    def __str__(self):
        return f"{self.buyer} × {self.exhibitor} ({self.by}: {self.priority})"

    @property
    def weight(self):
        return self.WEIGHTS[self.priority]


def new_interpreter_token():
    return secrets.token_urlsafe(24)


class Interpreter(models.Model):
    """A member of the exhibition's interpreter pool. Interpreters need no account: their agenda
    page and calendar feed are reached through a secret link (`token`) that staff hand out."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="interpreters")
    ref = models.CharField(_("reference"), max_length=64)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    # Space-separated language codes, like Company.languages (two or more).
    languages = models.CharField(_("languages"), max_length=20)
    # ISO dates the interpreter is available; empty means every day of the exhibition.
    days = models.JSONField(_("available days"), default=list, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_interpreter_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["exhibition", "ref"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "ref"], name="interpreter_ref_unique")]

    def __str__(self):
        return self.name

    def language_list(self):
        return self.languages.split()

    def works_on(self, day):
        return not self.days or day.isoformat() in self.days


class Unavailability(models.Model):
    """A time when a participant (a company, or one of its people) cannot meet."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="unavailabilities")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="unavailabilities")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="unavailabilities"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked time")
        verbose_name_plural = _("blocked times")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(name="unavailability_ends_after_start", condition=Q(ends_at__gt=F("starts_at")))
        ]

    def __str__(self):
        return f"{self.company}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class ScheduleRun(models.Model):
    """One run of the automatic scheduler for an exhibition; its result is the draft schedule."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = ("queued", "running")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    seconds = models.FloatField(_("time limit (seconds)"), default=20)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # The result, for the summary line of `schedule_meetings` and the staff page.
    pairs = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    value = models.PositiveIntegerField(default=0)
    upper_bound = models.FloatField(null=True, blank=True)
    greedy_value = models.PositiveIntegerField(null=True, blank=True)
    solver_seconds = models.FloatField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    # Wishes that could not be placed: [{"buyer": id, "exhibitor": id, "weight": w, "reason": code}].
    unplaced = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exhibition"], condition=Q(status__in=["queued", "running"]), name="one_active_schedule_run"
            )
        ]

    def __str__(self):
        return f"{self.exhibition} #{self.pk} ({self.status})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def ratio(self):
        """Value as a share of the proven upper bound (1.0 = provably optimal)."""
        if not self.upper_bound:
            return None
        return self.value / self.upper_bound

    @property
    def ratio_percent(self):
        """Value / bound as a percentage with two decimals (99.87), for the pages."""
        ratio = self.ratio
        return None if ratio is None else round(100 * ratio, 2)


class DraftMeeting(models.Model):
    """A meeting of the exhibition's current draft schedule: placed by the scheduler (or moved
    by staff), not yet published. Publishing turns drafts into accepted meetings through the
    booking services. A rerun replaces the drafts that are not locked."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="draft_meetings")
    run = models.ForeignKey(ScheduleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts")
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    exhibitor = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="draft_meetings")
    booth = models.ForeignKey(Booth, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey(MeetingTable, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    interpreter = models.ForeignKey(
        Interpreter, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft_meetings"
    )
    weight = models.PositiveSmallIntegerField(default=0)
    # Staff locked it: reruns keep it where it is.
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft meeting")
        verbose_name_plural = _("draft meetings")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "buyer", "exhibitor"], name="draft_pair_once"),
            models.UniqueConstraint(fields=["slot", "buyer"], name="draft_buyer_one_meeting_per_slot"),
            models.UniqueConstraint(fields=["slot", "booth"], name="draft_booth_one_meeting_per_slot"),
            models.UniqueConstraint(fields=["slot", "table"], name="draft_table_one_meeting_per_slot"),
            models.UniqueConstraint(fields=["slot", "interpreter"], name="draft_interpreter_one_meeting_per_slot"),
            models.CheckConstraint(
                name="draft_in_exactly_one_place",
                condition=Q(booth__isnull=True, table__isnull=False) | Q(booth__isnull=False, table__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.buyer} × {self.exhibitor} @ {self.slot}"

    @property
    def place(self):
        return self.table or self.booth
