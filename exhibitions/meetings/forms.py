"""Forms for requesting, answering, moving and closing meetings, and for staff set-up."""

import datetime

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Membership, User
from exhibitions.models import Exhibition, MeetingOutcome, MeetingTable, Representative, Slot
from exhibitions.selectors import participating_buyers
from exhibitions.templatetags.local_dates import monthday

from . import selectors


def slot_label(slot, tz):
    start = slot.starts_at.astimezone(tz)
    end = slot.ends_at.astimezone(tz)
    return f"{monthday(start)} {start:%H:%M}–{end:%H:%M}"


class SlotChoiceMixin:
    def __init__(self, *args, tz=None, **kwargs):
        self.tz = tz
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return slot_label(obj, self.tz)


class SlotMultipleField(SlotChoiceMixin, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        # An id no database column can hold is no choice (SQLite would raise on it).
        if any(str(v).isdigit() and int(v) > 2**63 - 1 for v in value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super()._check_values(value)


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
        # Every future slot is shown, grouped by day; only those free for both sides can be ticked.
        self.slot_days = selectors.slot_picker(
            exhibition=exhibition, buyer=buyer_person.company, exhibitor=exhibitor, buyer_person=buyer_person
        )
        free = [slot for _day, slots in self.slot_days for slot, state in slots if state == selectors.SLOT_FREE]
        self.fields["slots"].queryset = _slot_queryset(free)
        self.fields["slots"].tz = exhibition.tzinfo
        self.fields["slots"].error_messages["invalid_choice"] = _(
            "One of the times you ticked is no longer free for both sides; choose among the free times."
        )


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
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The other side reads this reason."),
        error_messages={"required": _("Please give a reason; the other side will read it.")},
    )


KEEP_PLACE = "keep"
BOOTH = "booth"


class RescheduleForm(forms.Form):
    """A new time and place: staff move the meeting, a side proposes the move to the other."""

    slot = forms.ModelChoiceField(label=_("New time"), queryset=Slot.objects.none())
    place = forms.ChoiceField(label=_("Place"), required=False, initial="keep")
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, meeting, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        exhibition = meeting.exhibition
        free = selectors.free_slots(
            exhibition=exhibition,
            buyer_person=meeting.buyer_person,
            representative=meeting.representative,
            booth=meeting.booth,
            exhibitor=meeting.exhibitor,
        )
        if meeting.slot_id and meeting.slot_id not in {s.pk for s in free}:
            free.append(meeting.slot)  # to change only the place
        self.fields["slot"].queryset = _slot_queryset(free)
        self.fields["slot"].label_from_instance = lambda s: slot_label(s, exhibition.tzinfo)
        self.tables = {str(t.pk): t for t in MeetingTable.objects.filter(exhibition=exhibition)}
        now = meeting.place
        keep = _("Where it is now: %(place)s") % {"place": now} if now else _("Where it is now")
        self.fields["place"].choices = [
            (KEEP_PLACE, keep),
            (BOOTH, _("The exhibitor's booth")),
            *[(pk, str(table)) for pk, table in self.tables.items()],
        ]
        if staff:
            del self.fields["message"]

    def clean(self):
        data = super().clean()
        place = data.get("place")
        data["to_booth"] = place == BOOTH
        data["table"] = self.tables.get(place)
        return data


class MoveAnswerForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


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


class BaseHoursFormSet(forms.BaseFormSet):
    """Every exhibition day in one form: one Save keeps all of them."""

    def __init__(self, *args, exhibition, **kwargs):
        hours = {h.day: h for h in exhibition.meeting_hours.all()}
        initial = [
            {
                "day": day,
                "starts": getattr(hours.get(day), "starts", None),
                "ends": getattr(hours.get(day), "ends", None),
            }
            for day in exhibition.days
        ]
        self.breaks = list(exhibition.meeting_breaks.all())
        self.days = list(exhibition.days)
        super().__init__(*args, initial=initial, prefix="hours", **kwargs)

    def clean(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("day") not in self.days:
                raise forms.ValidationError(_("That day is not a day of the exhibition."))
            starts, ends = data.get("starts"), data.get("ends")
            for b in self.breaks:
                if b.day == data["day"] and (starts is None or b.starts < starts or b.ends > ends):
                    form.add_error(
                        "starts",
                        _("The break %(starts)s–%(ends)s falls outside these hours; remove it first.")
                        % {"starts": f"{b.starts:%H:%M}", "ends": f"{b.ends:%H:%M}"},
                    )
                    break


HoursFormSet = forms.formset_factory(HoursForm, formset=BaseHoursFormSet, extra=0, max_num=60, validate_max=True)


class BreakForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), choices=())
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    label = forms.CharField(label=_("Label"), max_length=80, required=False)

    def __init__(self, *args, exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), monthday(d)) for d in exhibition.days]
        self.fields["day"].coerce = datetime.date.fromisoformat
        self.hours = {h.day: h for h in exhibition.meeting_hours.all()}

    def clean(self):
        data = super().clean()
        starts, ends, day = data.get("starts"), data.get("ends"), data.get("day")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("A break must end after it starts."))
        elif starts and ends and day:
            hours = self.hours.get(day)
            if hours is None:
                self.add_error("day", _("That day has no meeting hours; set them first."))
            elif starts < hours.starts or ends > hours.ends:
                self.add_error(
                    "starts",
                    _("A break must fall within that day's meeting hours (%(starts)s–%(ends)s).")
                    % {"starts": f"{hours.starts:%H:%M}", "ends": f"{hours.ends:%H:%M}"},
                )
        return data


class TablesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of meeting tables"), min_value=0, max_value=500)
