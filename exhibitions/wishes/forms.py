"""Forms of "My availability": visit days, blocked times, meetings at once, stand languages."""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from companies.models import SPOKEN_LANGUAGES


def day_choices(exhibition):
    return [(day.isoformat(), formats.date_format(day, "DATE_FORMAT")) for day in exhibition.days]


class VisitDaysForm(forms.Form):
    visit_days = forms.MultipleChoiceField(label=_("Visit days"), widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_days"].choices = day_choices(exhibition)


class BlockedTimeForm(forms.Form):
    """A blocked time on one exhibition day, in the exhibition's time zone."""

    day = forms.ChoiceField(label=_("Day"), choices=())
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    person = forms.ChoiceField(label=_("Who"), choices=(), required=False)
    note = forms.CharField(label=_("Note"), max_length=120, required=False)

    def __init__(self, *args, exhibition, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibition = exhibition
        self.people = {str(p.pk): p for p in people}
        self.fields["day"].choices = day_choices(exhibition)
        self.fields["person"].choices = [("", _("The whole company"))] + [
            (str(p.pk), p.get_full_name() or p.email) for p in people
        ]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("A blocked time must end after it starts."))
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        day = datetime.date.fromisoformat(data["day"])
        tz = self.exhibition.tzinfo
        return {
            "starts_at": datetime.datetime.combine(day, data["starts"], tz),
            "ends_at": datetime.datetime.combine(day, data["ends"], tz),
            "person": self.people.get(data.get("person") or ""),
            "note": data["note"],
        }


class ParallelMeetingsForm(forms.Form):
    parallel_meetings = forms.TypedChoiceField(label=_("Meetings at once"), coerce=int, choices=())

    def __init__(self, *args, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parallel_meetings"].choices = [(n, str(n)) for n in range(1, limit + 1)]
        self.fields["parallel_meetings"].help_text = _(
            "The first meeting is at your booth, the others at meeting tables. At most one more than the number "
            "of your representatives."
        )


class StandLanguagesForm(forms.Form):
    stand_languages = forms.MultipleChoiceField(
        label=_("Languages spoken at your stand"),
        widget=forms.CheckboxSelectMultiple,
        choices=SPOKEN_LANGUAGES,
        required=False,
    )
