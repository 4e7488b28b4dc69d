"""Forms of the scheduler's staff pages: start a run, move one draft."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitions.models import MeetingTable, Slot

BOOTH = "booth"


class RunStartForm(forms.Form):
    seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=600,
        initial=20,
        help_text=_("The scheduler stops improving after this long and keeps the best schedule found."),
    )


class DraftMoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Time"), queryset=Slot.objects.none())
    place = forms.ChoiceField(label=_("Place"))

    def __init__(self, *args, exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibition = exhibition
        tz = exhibition.tzinfo
        self.fields["slot"].queryset = Slot.objects.filter(exhibition=exhibition, starts_at__gt=timezone.now())
        self.fields["slot"].label_from_instance = lambda s: f"{s.starts_at.astimezone(tz):%Y-%m-%d %H:%M}"
        self.tables = {t.number: t for t in MeetingTable.objects.filter(exhibition=exhibition).order_by("number")}
        self.fields["place"].choices = [(BOOTH, _("The exhibitor's booth"))] + [
            (f"table-{n}", str(t)) for n, t in self.tables.items()
        ]

    def table(self):
        """The chosen MeetingTable, or None for the booth."""
        place = self.cleaned_data["place"]
        if place == BOOTH:
            return None
        return self.tables[int(place.removeprefix("table-"))]
