from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

# Plausible bounds, so a slip of the finger (a rate per 100 yen, an extra zero) is caught.
JPY_RANGE = (Decimal("50"), Decimal("500"))
KRW_RANGE = (Decimal("500"), Decimal("5000"))


class ExchangeRateForm(forms.Form):
    jpy_per_usd = forms.DecimalField(
        label=_("JPY per US dollar"),
        max_digits=10,
        decimal_places=4,
        min_value=JPY_RANGE[0],
        max_value=JPY_RANGE[1],
        help_text=_("How many yen one US dollar bought at the show, e.g. 151.25."),
    )
    krw_per_usd = forms.DecimalField(
        label=_("KRW per US dollar"),
        max_digits=10,
        decimal_places=4,
        min_value=KRW_RANGE[0],
        max_value=KRW_RANGE[1],
        help_text=_("How many won one US dollar bought at the show, e.g. 1380."),
    )
    note = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the rates come from, e.g. the bank's rate on the first day."),
    )
