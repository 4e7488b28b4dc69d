"""Who should meet whom: matcher runs and the suggestions they produce."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from exhibitions.models import Exhibition

# A run shows as stalled on the staff page after this long without a heartbeat.
STALLED_AFTER_SECONDS = 45


class MatchRun(models.Model):
    """One run of the matcher over one exhibition, with its progress for the staff page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Started by staff")
        NIGHTLY = "nightly", _("Nightly")
        PROFILE_CHANGE = "profile", _("Profile changed")
        OUTCOME = "outcome", _("Outcome recorded")
        COMMAND = "command", _("Command line")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="match_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    # Incremental runs rescore only these companies' pairs; empty means the whole exhibition.
    company_ids = models.JSONField(default=list, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    buyers = models.PositiveIntegerField(default=0)
    exhibitors = models.PositiveIntegerField(default=0)
    suggestions_created = models.PositiveIntegerField(default=0)
    suggestions_updated = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # What the matcher learnt from past exhibitions for this run (engine/learning.py): the
    # model family, its weights per feature, its nDCG@10 on the latest past exhibition
    # against HS overlap, and the rule for buyers without history; empty before scoring.
    model = models.JSONField(_("learnt model"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("matcher run")
        verbose_name_plural = _("matcher runs")
        ordering = ["-created_at"]
        constraints = [
            # Two runs of one exhibition never interleave.
            models.UniqueConstraint(
                fields=["exhibition"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_exhibition",
            )
        ]

    def __str__(self):
        return f"{self.exhibition_id} run {self.pk} ({self.status})"

    @property
    def is_stalled(self):
        """Queued or running with no sign of life for a while: its worker died or its message
        was lost. The sweeper (matching.sweep_stale_runs, every 15 s) takes it over."""
        from datetime import timedelta

        from django.utils import timezone

        if self.status not in (self.Status.QUEUED, self.Status.RUNNING):
            return False
        last = self.heartbeat_at or self.created_at
        return last is not None and last < timezone.now() - timedelta(seconds=STALLED_AFTER_SECONDS)

    @property
    def progress_percent(self):
        if not self.chunks_total:
            return 100 if self.status == self.Status.FINISHED else 0
        return round(100 * self.chunks_done / self.chunks_total)

    @property
    def model_weights(self):
        """[(feature label, weight)] of the learnt model, largest influence first."""
        from matching.reasons import FEATURE_LABELS

        weights = (self.model or {}).get("weights") or {}
        ranked = sorted(weights.items(), key=lambda kv: -abs(kv[1]))
        return [(FEATURE_LABELS.get(name, name), value) for name, value in ranked]

    @property
    def cold_start_rule(self):
        """How buyers without history were ranked, in words."""
        from matching.reasons import COLD_START_RULES

        rule = (self.model or {}).get("cold_start", "")
        return COLD_START_RULES.get(rule, COLD_START_RULES["blend"] if rule else "")


class Suggestion(models.Model):
    """A suggested buyer–exhibitor pair; nobody sees it before staff approve it."""

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DISMISSED = "dismissed", _("Dismissed")

    # No index of its own: the unique constraint (exhibition, buyer, exhibitor) and the index
    # (exhibition, status, -score) lead with it, and every new row paid for a third one.
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="suggestions", db_index=False)
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="suggestions_as_buyer")
    exhibitor = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="suggestions_as_exhibitor")
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions")
    score = models.FloatField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    # Reasons as message codes with parameters, rendered in the reader's language.
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PENDING_REVIEW)
    # Indexed only where set (Meta.indexes): nearly every row has neither, and each new row
    # paid two btree inserts of NULL.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["buyer_id", "rank"]
        indexes = [
            models.Index(fields=["exhibition", "status", "-score"]),
            models.Index(
                fields=["reviewed_by"], name="suggestion_reviewed_by", condition=models.Q(reviewed_by__isnull=False)
            ),
            models.Index(
                fields=["dismissed_by"], name="suggestion_dismissed_by", condition=models.Q(dismissed_by__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "buyer", "exhibitor"], name="one_suggestion_per_pair"),
        ]

    def __str__(self):
        return f"{self.buyer_id} → {self.exhibitor_id} ({self.score:.2f})"


class MatchChunk(models.Model):
    """A block of buyers of one run, claimed by one worker at a time (conditional UPDATE),
    so several workers share a run and a killed worker's block is taken again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    buyer_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who holds the chunk ("host:pid:task id") and until when: the holder renews the claim
    # while it works; an expired claim, or one whose process is gone, is taken over.
    claimed_by = models.CharField(max_length=200, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="one_chunk_per_index")]

    def __str__(self):
        return f"run {self.run_id} chunk {self.index} ({self.status})"
