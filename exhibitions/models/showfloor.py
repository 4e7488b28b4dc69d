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
