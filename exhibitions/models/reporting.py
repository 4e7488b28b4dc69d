"""What the cooperative reports after a show: the exchange rates its figures are shown in."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .exhibitions import Exhibition


class ExchangeRate(models.Model):
    """The rates staff enter for one show (how many JPY and KRW one US dollar buys). Each
    change is a new row, so the history says who set which rate and when; the latest row is
    the one in force. Values reported in JPY or KRW are converted with it (never a constant)."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="exchange_rates")
    jpy_per_usd = models.DecimalField(_("JPY per US dollar"), max_digits=10, decimal_places=4)
    krw_per_usd = models.DecimalField(_("KRW per US dollar"), max_digits=10, decimal_places=4)
    note = models.CharField(_("source"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-set_at", "-id"]
        get_latest_by = ["set_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="exchange_rates_positive", condition=Q(jpy_per_usd__gt=0) & Q(krw_per_usd__gt=0)
            ),
        ]

    def __str__(self):
        return f"{self.exhibition_id}: 1 USD = {self.jpy_per_usd} JPY = {self.krw_per_usd} KRW"

    def per_usd(self, currency):
        """How many units of `currency` one US dollar buys (USD: 1)."""
        return {"USD": Decimal(1), "JPY": self.jpy_per_usd, "KRW": self.krw_per_usd}[currency]
