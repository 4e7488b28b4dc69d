"""At the show: arrivals checked in at the entrance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .exhibitions import Exhibition


class CheckIn(models.Model):
    """A person's arrival at an exhibition on one day (in the exhibition's time zone); once a
    day at most, so a second scan the same day changes nothing."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField(_("day"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("checked in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "person", "day"], name="one_check_in_per_person_per_day")
        ]

    def __str__(self):
        return f"{self.person} @ {self.exhibition} {self.day}"


class Lead(models.Model):
    """A walk-up contact an exhibitor records at its booth: a registered buyer (by badge scan or
    picked from the list) or a visitor who is not in Fairlink (from a business card). One lead
    per exhibitor and buyer company at a show; a second visit updates it."""

    class Interest(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Source(models.TextChoices):
        SCAN = "scan", _("Badge scan")
        PICK = "pick", _("Picked from the list")
        CARD = "card", _("Business card")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="leads")
    exhibitor = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="leads_taken")
    buyer = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads_given"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads_given"
    )
    # For a visitor who is not in Fairlink (typed from a business card).
    visitor_name = models.CharField(_("visitor's name"), max_length=120, blank=True)
    visitor_company = models.CharField(_("visitor's company"), max_length=200, blank=True)
    visitor_email = models.EmailField(_("visitor's email"), blank=True)
    interest = models.CharField(_("interest"), max_length=10, choices=Interest.choices, default=Interest.MEDIUM)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PICK)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exhibition", "exhibitor", "buyer"],
                condition=models.Q(buyer__isnull=False),
                name="one_lead_per_exhibitor_and_buyer",
            ),
            models.CheckConstraint(
                condition=models.Q(buyer__isnull=False) | ~models.Q(visitor_name=""),
                name="lead_names_a_buyer_or_a_visitor",
            ),
        ]

    def __str__(self):
        return f"{self.exhibitor} ← {self.buyer or self.visitor_name} @ {self.exhibition}"
