"""Forms for requesting, answering, moving and closing meetings, and for staff set-up."""

import datetime

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Membership, User
from exhibitions.models import Exhibition, MeetingOutcome, MeetingTable, Representative, Slot
from exhibitions.selectors import participating_buyers

from . import selectors


def slot_label(slot, tz):
    start = slot.starts_at.astimezone(tz)
    end = slot.ends_at.astimezone(tz)
    return f"{date_format(start, 'MONTH_DAY_FORMAT')} ({date_format(start, 'D')}) {start:%H:%M}–{end:%H:%M}"


class SlotChoiceMixin:
    def __init__(self, *args, tz=None, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return slot_label(obj, self.tz)


class SlotMultipleField(SlotChoiceMixin, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class SlotField(SlotChoiceMixin, forms.ModelChoiceField):
    widget = forms.RadioSelect


def _slot_queryset(slots):
    return Slot.objects.filter(pk__in=[s.pk for s in slots]).order_by("starts_at")


class RepresentativeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.role}" if obj.role else obj.name


class MeetingRequestForm(forms.Form):
    representative = RepresentativeField(
        label=_("Whom you want to meet"),
        queryset=Representative.objects.none(),
        required=False,
        empty_label=_("Any representative"),
    )
    slots = SlotMultipleField(
        label=_("Times that suit you"),
        queryset=Slot.objects.none(),
        help_text=_("Tick every time you could come; the exhibitor picks one."),
    )
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("What you would like to discuss (products, volumes, timing)."),
    )

    def __init__(self, *args, exhibition, buyer_person, exhibitor, **kwargs):
        super().__init__(*args, **kwargs)
        reps = selectors.representatives_of(exhibition=exhibition, company=exhibitor)
        self.fields["representative"].queryset = reps
        if len(reps) < 2:
            del self.fields["representative"]
        free = selectors.free_slots(exhibition=exhibition, buyer_person=buyer_person, exhibitor=exhibitor)
        self.fields["slots"].queryset = _slot_queryset(free)
        self.fields["slots"].tz = exhibition.tzinfo


class AcceptForm(forms.Form):
    slot = SlotField(label=_("Time"), queryset=Slot.objects.none(), empty_label=None)
    table = forms.ModelChoiceField(
        label=_("Place"),
        queryset=MeetingTable.objects.none(),
        required=False,
        empty_label=_("Our booth"),
        help_text=_("Meet at your booth, or at a table in the business lounge."),
    )
    representative = RepresentativeField(
        label=_("Representative"), queryset=Representative.objects.none(), required=False, empty_label=_("As requested")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        exhibition = meeting.exhibition
        self.fields["slot"].queryset = meeting.proposed_slots.order_by("starts_at")
        self.fields["slot"].tz = exhibition.tzinfo
        self.fields["table"].queryset = MeetingTable.objects.filter(exhibition=exhibition)
        reps = selectors.representatives_of(exhibition=exhibition, company=meeting.exhibitor)
        self.fields["representative"].queryset = reps
        if len(reps) < 2:
            del self.fields["representative"]


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DeclineProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class ProposeForm(forms.Form):
    slots = SlotMultipleField(label=_("Times you can offer"), queryset=Slot.objects.none())
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        free = selectors.free_slots(
            exhibition=meeting.exhibition,
            buyer_person=meeting.buyer_person,
            exhibitor=meeting.exhibitor,
            representative=meeting.representative,
        )
        offered = set(meeting.proposed_slots.values_list("pk", flat=True))
        self.fields["slots"].queryset = _slot_queryset([s for s in free if s.pk not in offered])
        self.fields["slots"].tz = meeting.exhibition.tzinfo


class AcceptProposalForm(forms.Form):
    slot = SlotField(label=_("Time"), queryset=Slot.objects.none(), empty_label=None)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = meeting.proposed_slots.order_by("starts_at")
        self.fields["slot"].tz = meeting.exhibition.tzinfo


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class RescheduleForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("New time"), queryset=Slot.objects.none())
    table = forms.ModelChoiceField(
        label=_("Place"), queryset=MeetingTable.objects.none(), required=False, empty_label=_("The exhibitor's booth")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        exhibition = meeting.exhibition
        free = selectors.free_slots(
            exhibition=exhibition,
            buyer_person=meeting.buyer_person,
            representative=meeting.representative,
            booth=meeting.booth,
            exhibitor=meeting.exhibitor,
        )
        self.fields["slot"].queryset = _slot_queryset(free)
        self.fields["slot"].label_from_instance = lambda s: slot_label(s, exhibition.tzinfo)
        self.fields["table"].queryset = MeetingTable.objects.filter(exhibition=exhibition)


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = MeetingOutcome
        fields = ["outcome", "estimated_value", "currency", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "estimated_value": _("Your estimate of the business this meeting may bring."),
            "note": _("Only your company sees this note; the other side and the organisers do not."),
        }

    def clean_estimated_value(self):
        value = self.cleaned_data.get("estimated_value")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The value cannot be negative."))
        return value


class NoShowForm(forms.Form):
    absent = forms.ChoiceField(
        label=_("Who did not come"),
        choices=[("buyer", _("Buyer")), ("exhibitor", _("Exhibitor")), ("both", _("Both"))],
    )


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.company_name})"


class ExhibitorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.booth_code} {obj.name}" if getattr(obj, "booth_code", None) else obj.name


class BuyerCompanyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.ref})"


class StaffBookForm(forms.Form):
    """Staff book for any registered buyer company, with or without people on Fairlink."""

    buyer = BuyerCompanyField(label=_("Buyer"), queryset=Company.objects.none(), required=False)
    buyer_person = PersonField(
        label=_("Person from the buyer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody in particular"),
        help_text=_("Only for buyers whose people have an account."),
    )
    exhibitor = ExhibitorField(label=_("Exhibitor"), queryset=Company.objects.none())
    slot = forms.ModelChoiceField(label=_("Time"), queryset=Slot.objects.none())
    table = forms.ModelChoiceField(
        label=_("Place"), queryset=MeetingTable.objects.none(), required=False, empty_label=_("The exhibitor's booth")
    )
    message = forms.CharField(label=_("Note for both sides"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        buyers = participating_buyers(exhibition)
        self.fields["buyer"].queryset = buyers.order_by("name_en", "ref")
        members = Membership.objects.filter(company__in=buyers)
        company_name = Subquery(Membership.objects.filter(user=OuterRef("pk")).values("company__name_en")[:1])
        self.fields["buyer_person"].queryset = (
            User.objects.filter(pk__in=members.values("user"))
            .annotate(company_name=company_name)
            .order_by("company_name", "email")
        )
        self.fields["exhibitor"].queryset = selectors.exhibitors_with_booths(exhibition)
        self.fields["slot"].queryset = Slot.objects.filter(exhibition=exhibition).order_by("starts_at")
        self.fields["slot"].label_from_instance = lambda s: slot_label(s, exhibition.tzinfo)
        self.fields["table"].queryset = MeetingTable.objects.filter(exhibition=exhibition)

    def clean(self):
        data = super().clean()
        buyer, person = data.get("buyer"), data.get("buyer_person")
        if buyer is None and person is not None:
            data["buyer"] = buyer = person.company
        if buyer is None:
            self.add_error("buyer", _("Choose a buyer company."))
        elif person is not None and person.company != buyer:
            self.add_error("buyer_person", _("That person is not in the buyer company."))
        return data


class MeetingSettingsForm(forms.ModelForm):
    class Meta:
        model = Exhibition
        fields = ["meeting_slot_minutes", "meeting_request_ttl_hours", "meeting_pending_cap"]


class HoursForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    starts = forms.TimeField(label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if (starts is None) != (ends is None):
            raise forms.ValidationError(_("Give both times, or neither for a day without meetings."))
        if starts and ends and ends <= starts:
            self.add_error("ends", _("Meeting hours must end after they start."))
        return data


class BreakForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), choices=())
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    label = forms.CharField(label=_("Label"), max_length=80, required=False)

    def __init__(self, *args, exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [
            (d.isoformat(), f"{date_format(d, 'MONTH_DAY_FORMAT')} ({date_format(d, 'D')})") for d in exhibition.days
        ]
        self.fields["day"].coerce = datetime.date.fromisoformat

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("A break must end after it starts."))
        return data


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of meeting tables"), min_value=0, max_value=500)
