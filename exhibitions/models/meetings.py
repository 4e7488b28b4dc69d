"""Business meetings between a buyer and an exhibitor, in slots, at booths or tables."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company

from .exhibitions import Booth, Exhibition, Representative


class MeetingHours(models.Model):
    """When meetings can take place on one exhibition day, in the exhibition's time zone."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="meeting_hours")
    day = models.DateField(_("day"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("meeting hours")
        verbose_name_plural = _("meeting hours")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "day"], name="one_meeting_hours_per_day"),
            models.CheckConstraint(name="meeting_hours_end_after_start", condition=Q(ends__gt=F("starts"))),
        ]

    def __str__(self):
        return f"{self.day} {self.starts:%H:%M}–{self.ends:%H:%M}"


class MeetingBreak(models.Model):
    """A pause (lunch, opening ceremony) with no meeting slots."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="meeting_breaks")
    day = models.DateField(_("day"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    label = models.CharField(_("label"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("break")
        verbose_name_plural = _("breaks")
        ordering = ["day", "starts"]
        constraints = [models.CheckConstraint(name="break_ends_after_start", condition=Q(ends__gt=F("starts")))]

    def __str__(self):
        return f"{self.day} {self.starts:%H:%M}–{self.ends:%H:%M} {self.label}".strip()


class Slot(models.Model):
    """A bookable time, generated from the meeting hours, slot length and breaks."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "starts_at"], name="slot_start_unique_in_exhibition"),
            models.CheckConstraint(name="slot_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))),
        ]

    def __str__(self):
        return self.starts_at.astimezone(self.exhibition.tzinfo).strftime("%Y-%m-%d %H:%M")


class MeetingTable(models.Model):
    """A numbered meeting table in the business lounge, besides the exhibitors' booths."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="meeting_tables")
    number = models.PositiveSmallIntegerField(_("table"))

    class Meta:
        verbose_name = _("meeting table")
        verbose_name_plural = _("meeting tables")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["exhibition", "number"], name="table_number_unique")]

    def __str__(self):
        return _("Table %(number)s") % {"number": self.number}


class Meeting(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PROPOSED = "proposed", _("Other times proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    # States in which the meeting occupies its slot, people and place.
    BOOKED = ("accepted", "held", "no_show")
    # States that wait for an answer.
    PENDING = ("requested", "proposed")

    class Origin(models.TextChoices):
        REQUEST = "request", _("Requested")
        STAFF = "staff", _("Booked by staff")
        SCHEDULER = "scheduler", _("Scheduled")
        IMPORT = "import", _("Imported")

    class Outcome(models.TextChoices):
        NO_INTEREST = "no_interest", _("No interest")
        FOLLOW_UP = "follow_up", _("Follow-up")
        QUOTATION = "quotation", _("Quotation")
        DEAL = "deal", _("Deal")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="meetings")
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="meetings_as_buyer")
    exhibitor = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="meetings_as_exhibitor")
    # People; empty for meeting history imported from other systems.
    buyer_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(_("message"), blank=True)
    # The slots on the table: the buyer's, or the exhibitor's counter-proposal.
    proposed_slots = models.ManyToManyField(Slot, verbose_name=_("acceptable times"), blank=True, related_name="+")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    booth = models.ForeignKey(Booth, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    table = models.ForeignKey(MeetingTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter = models.ForeignKey(
        "exhibitions.Interpreter",
        verbose_name=_("interpreter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    # Which of the exhibitor's parallel meetings this is in its slot (1 = at its booth): a
    # company holds at most `parallel_meetings` at once, and the seat makes that a constraint.
    exhibitor_seat = models.PositiveSmallIntegerField(default=1, editable=False)
    answer_reason = models.TextField(_("reason"), blank=True)
    # Why the meeting was cancelled, kept apart from the exhibitor's answer to the request.
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # A move one side proposed and the other has not answered yet (empty: none). The place
    # is `move_table`, else the booth with `move_to_booth`, else the meeting's current place.
    move_slot = models.ForeignKey(
        Slot, verbose_name=_("proposed new time"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    move_table = models.ForeignKey(MeetingTable, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    move_to_booth = models.BooleanField(default=False)
    move_side = models.CharField(max_length=10, blank=True)
    move_message = models.TextField(blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.REQUEST)
    # The reported result (from the two sides' outcomes, or imported history).
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    deal_value_usd = models.DecimalField(_("value (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    # iCalendar: one UID for the meeting's life, SEQUENCE bumped on every change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["exhibition", "status"]),
            models.Index(fields=["buyer", "exhibitor"]),
        ]
        constraints = [
            # Nobody is in two meetings at once; no place holds two meetings in one slot.
            models.UniqueConstraint(
                fields=["slot", "buyer_person"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="buyer_person_one_meeting_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "representative"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="representative_one_meeting_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "booth"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="booth_one_meeting_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="table_one_meeting_per_slot",
            ),
            # A buyer company is in one meeting at a time; an exhibitor in at most its
            # parallel meetings (one seat each); an interpreter in one.
            models.UniqueConstraint(
                fields=["slot", "buyer"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="buyer_one_meeting_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "exhibitor", "exhibitor_seat"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="exhibitor_seat_one_meeting_per_slot",
            ),
            models.UniqueConstraint(
                fields=["slot", "interpreter"],
                condition=Q(status__in=["accepted", "held", "no_show"]),
                name="interpreter_one_meeting_per_slot",
            ),
            models.CheckConstraint(
                name="meeting_in_one_place", condition=Q(booth__isnull=True) | Q(table__isnull=True)
            ),
            models.CheckConstraint(
                name="accepted_meeting_has_slot",
                condition=~Q(status="accepted") | Q(slot__isnull=False),
            ),
            models.CheckConstraint(name="meeting_between_two_companies", condition=~Q(buyer=F("exhibitor"))),
        ]

    def __str__(self):
        return f"{self.buyer} × {self.exhibitor}"

    @property
    def place(self):
        return self.table or self.booth

    @property
    def is_booked(self):
        return self.status in self.BOOKED


class MeetingEvent(models.Model):
    """One line of a meeting's history: who changed what, and when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.meeting_id} {self.action}"


class MeetingOutcome(models.Model):
    """What one side says came of a held meeting. The note is private to that side."""

    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        EXHIBITOR = "exhibitor", _("Exhibitor")

    class Currency(models.TextChoices):
        JPY = "JPY", "JPY"
        KRW = "KRW", "KRW"
        USD = "USD", "USD"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Meeting.Outcome.choices)
    estimated_value = models.DecimalField(_("estimated value"), max_digits=14, decimal_places=0, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.JPY)
    note = models.TextField(_("private note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "side"], name="one_outcome_per_side"),
            models.CheckConstraint(
                name="outcome_value_not_negative", condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0)
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id} {self.side}: {self.outcome}"
