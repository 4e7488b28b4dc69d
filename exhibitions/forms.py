"""Forms for exhibitions, layouts, applications and buyer registrations."""

import zoneinfo

from django import forms
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from companies.models import SPOKEN_LANGUAGES, Cooperative, HSCode

from .floorplan import CSV_COLUMNS
from .models import Booth, Exhibition, ExhibitorApplication

TIMEZONES = sorted(zoneinfo.available_timezones())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExhibitionForm(forms.ModelForm):
    class Meta:
        model = Exhibition
        fields = [
            "slug",
            "title_en",
            "title_ko",
            "title_ja",
            "description_en",
            "description_ko",
            "description_ja",
            "venue",
            "city",
            "country",
            "timezone",
            "starts_on",
            "ends_on",
            "application_deadline",
            "status",
            "cooperative",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "application_deadline": DateInput(),
            "timezone": forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
            "country": forms.TextInput(attrs={"maxlength": 2, "size": 2}),
        }
        help_texts = {
            "slug": _("Letters, digits and hyphens, e.g. mold-japan-2027; used in the page address."),
            "timezone": _("IANA name, e.g. Asia/Tokyo. Dates and times are shown in this zone."),
            "country": _("Two-letter ISO code, e.g. JP."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezones = TIMEZONES
        self.fields["cooperative"].queryset = Cooperative.objects.order_by("name_en")
        if user is not None and user.cooperative_id and not self.instance.pk:
            self.fields["cooperative"].initial = user.cooperative_id

    def clean_timezone(self):
        value = self.cleaned_data["timezone"]
        if (
            self.instance.pk
            and value != Exhibition.objects.filter(pk=self.instance.pk).values_list("timezone", flat=True).first()
        ):
            message = timezone_change_refusal(self.instance)
            if message:
                raise forms.ValidationError(message)
        return value

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Use the two-letter ISO code, e.g. JP."))
        return country

    def clean(self):
        data = super().clean()
        if not any(data.get(f"title_{code}") for code in ("en", "ko", "ja")):
            self.add_error("title_en", _("Give the exhibition a title in at least one language."))
        starts, ends, deadline = data.get("starts_on"), data.get("ends_on"), data.get("application_deadline")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if deadline and ends and deadline > ends:
            self.add_error("application_deadline", _("The application deadline cannot be after the last day."))
        # A new exhibition, or moved dates, must lie ahead; a past show keeps its dates on edit.
        today = timezone.localdate()
        if starts and starts < today and (not self.instance.pk or "starts_on" in self.changed_data):
            self.add_error("starts_on", _("The first day cannot be in the past."))
        return data


def timezone_change_refusal(exhibition):
    """Why the exhibition's time zone can no longer change, or "" when it can."""
    from .meetings.selectors import meetings_on_the_clock

    count = meetings_on_the_clock(exhibition)
    if not count:
        return ""
    return ngettext(
        "%(count)s meeting is booked or requested at this exhibition's times, which are fixed instants: "
        "changing the time zone would move it. Cancel or finish the meetings first, or keep the time zone.",
        "%(count)s meetings are booked or requested at this exhibition's times, which are fixed instants: "
        "changing the time zone would move them. Cancel or finish the meetings first, or keep the time zone.",
        count,
    ) % {"count": count}


class HallForm(forms.Form):
    name = forms.CharField(label=_("Hall name"), max_length=80)


class GridForm(forms.Form):
    """'Rows A–H, 1–20, 3x3 m' as separate fields."""

    hall = forms.ModelChoiceField(label=_("Hall"), queryset=None)
    rows = forms.CharField(label=_("Rows"), initial="A-H", max_length=10, help_text=_("Letters, e.g. A-H."))
    numbers = forms.CharField(label=_("Numbers"), initial="1-20", max_length=10, help_text=_("e.g. 1-20."))
    size = forms.CharField(
        label=_("Booth size (m)"), initial="3x3", max_length=12, help_text=_("Width x depth, e.g. 3x3.")
    )
    kind = forms.ChoiceField(label=_("Booth type"), choices=Booth.Kind.choices, initial=Booth.Kind.STANDARD)
    price = forms.DecimalField(label=_("Price (KRW)"), min_value=0, max_digits=12, decimal_places=0, initial=0)
    aisle = forms.IntegerField(label=_("Aisle between rows (m)"), min_value=0, max_value=20, initial=2)

    def __init__(self, *args, exhibition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = exhibition.halls.all()


def _booth_csv_help():
    return _("Columns: %(columns)s. One booth a line; a code that exists is updated.") % {
        "columns": ", ".join(CSV_COLUMNS)
    }


class BoothCsvForm(forms.Form):
    # Lazy: filled in when shown, in the reader's language (not once at import, in English).
    file = forms.FileField(label=_("CSV file"), help_text=lazy(_booth_csv_help, str)())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV."))


def language_field(label, required=False):
    return forms.MultipleChoiceField(
        label=label, choices=SPOKEN_LANGUAGES, widget=forms.CheckboxSelectMultiple, required=required
    )


class SpaceSeparatedLanguagesMixin:
    """Languages are stored as 'ko en'; the form shows checkboxes."""

    language_fields = ()

    def initial_languages(self, initial):
        for name in self.language_fields:
            value = initial.get(name)
            if isinstance(value, str):
                initial[name] = value.split()
        return initial


class ApplicationForm(SpaceSeparatedLanguagesMixin, forms.Form):
    language_fields = ("stand_languages",)

    booth_kind = forms.ChoiceField(label=_("Booth type"), choices=Booth.Kind.choices, initial=Booth.Kind.STANDARD)
    preferred_booths = forms.CharField(
        label=_("Preferred booths"),
        required=False,
        max_length=200,
        help_text=_("Booth codes from the floor plan, separated by commas, e.g. B-07, B-08."),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products to show"),
        queryset=HSCode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("From your company's HS codes."),
    )
    stand_languages = language_field(_("Languages on the stand"), required=True)
    needs_interpreter = forms.BooleanField(label=_("We need an interpreter"), required=False)
    needs_power = forms.BooleanField(label=_("We need extra power"), required=False)
    needs_furniture = forms.BooleanField(label=_("We need extra furniture"), required=False)
    notes = forms.CharField(label=_("Other needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, exhibition, company, application=None, **kwargs):
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "booth_kind": application.booth_kind,
                "preferred_booths": ", ".join(b.code for b in application.preferred_booths.order_by("code")),
                "products": list(application.products.values_list("code", flat=True)),
                "stand_languages": application.stand_languages,
                "needs_interpreter": application.needs_interpreter,
                "needs_power": application.needs_power,
                "needs_furniture": application.needs_furniture,
                "notes": application.notes,
            }
        if "initial" in kwargs:
            kwargs["initial"] = self.initial_languages(dict(kwargs["initial"]))
        super().__init__(*args, **kwargs)
        self.exhibition = exhibition
        self.fields["products"].queryset = company.hs_codes.order_by("code")

    def clean_preferred_booths(self):
        codes = [c.strip().upper() for c in self.cleaned_data["preferred_booths"].replace("、", ",").split(",")]
        codes = list(dict.fromkeys(c for c in codes if c))
        if len(codes) > 10:
            raise forms.ValidationError(_("Choose at most 10 booths."))
        booths = list(Booth.objects.filter(exhibition=self.exhibition, code__in=codes))
        unknown = sorted(set(codes) - {b.code for b in booths})
        if unknown:
            raise forms.ValidationError(
                _("No such booth in this exhibition: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return booths

    def service_data(self):
        data = {
            field: self.cleaned_data[field]
            for field in ("booth_kind", "needs_interpreter", "needs_power", "needs_furniture", "notes")
        }
        data["stand_languages"] = " ".join(self.cleaned_data["stand_languages"])
        return data


class RepresentativeForm(SpaceSeparatedLanguagesMixin, forms.Form):
    language_fields = ("languages",)

    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    languages = language_field(_("Languages"))

    def __init__(self, *args, **kwargs):
        if kwargs.get("initial"):
            kwargs["initial"] = self.initial_languages(dict(kwargs["initial"]))
        super().__init__(*args, **kwargs)


class BaseRepresentativeFormSet(forms.BaseFormSet):
    def representatives(self):
        return [
            dict(form.cleaned_data, languages=" ".join(form.cleaned_data.get("languages") or []))
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.representatives():
            raise forms.ValidationError(_("Name at least one representative for the stand."))


RepresentativeFormSet = forms.formset_factory(
    RepresentativeForm, formset=BaseRepresentativeFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)


def representative_initial(application):
    if application is None:
        return []
    return [
        {"name": r.name, "role": r.role, "email": r.email, "languages": r.languages}
        for r in application.representatives.all()
    ]


class RegistrationForm(SpaceSeparatedLanguagesMixin, forms.Form):
    language_fields = ("languages",)

    visit_days = forms.MultipleChoiceField(
        label=_("Visit days"), widget=forms.CheckboxSelectMultiple, choices=(), required=True
    )
    sourcing = forms.ModelMultipleChoiceField(
        label=_("What you source"),
        queryset=HSCode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("From your company's HS codes."),
    )
    sourcing_notes = forms.CharField(
        label=_("What you are looking for"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    languages = language_field(_("Languages"), required=True)
    visitors = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=50, initial=1)

    def __init__(self, *args, exhibition, company, registration=None, **kwargs):
        if registration is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "visit_days": registration.visit_days,
                "sourcing": list(registration.sourcing.values_list("code", flat=True)),
                "sourcing_notes": registration.sourcing_notes,
                "languages": registration.languages,
                "visitors": registration.visitors,
            }
        if "initial" in kwargs:
            kwargs["initial"] = self.initial_languages(dict(kwargs["initial"]))
        super().__init__(*args, **kwargs)
        self.fields["visit_days"].choices = [
            (day.isoformat(), formats.date_format(day, "DATE_FORMAT")) for day in exhibition.days
        ]
        self.fields["sourcing"].queryset = company.hs_codes.order_by("code")

    def clean(self):
        data = super().clean()
        if not data.get("sourcing") and not (data.get("sourcing_notes") or "").strip():
            self.add_error("sourcing_notes", _("Tell exhibitors what you source: pick HS codes or describe it."))
        return data

    def service_data(self):
        return {
            "visit_days": sorted(self.cleaned_data["visit_days"]),
            "sourcing_notes": self.cleaned_data["sourcing_notes"],
            "languages": " ".join(self.cleaned_data["languages"]),
            "visitors": self.cleaned_data["visitors"],
        }


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ExhibitorApplication.Status.APPROVED, _("Approve")),
            (ExhibitorApplication.Status.WAITLISTED, _("Waitlist")),
            (ExhibitorApplication.Status.REJECTED, _("Reject")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when you reject; the company sees it."),
    )


class RegistrationDecisionForm(DecisionForm):
    status = forms.ChoiceField(label=_("Decision"), choices=[("approved", _("Approve")), ("rejected", _("Reject"))])


class BoothAssignForm(forms.Form):
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=None, empty_label=None)
    other_type = forms.BooleanField(label=_("Assign it even though its type is not the one requested"), required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["booth"].queryset = (
            Booth.objects.filter(exhibition_id=application.exhibition_id)
            .select_related("hall")
            .order_by("hall__position", "code")
        )
        self.fields["booth"].label_from_instance = lambda b: f"{b.code} · {b.hall.name} · {b.get_kind_display()}"

    def clean(self):
        data = super().clean()
        booth = data.get("booth")
        if booth and booth.kind != self.application.booth_kind and not data.get("other_type"):
            self.add_error(
                "booth",
                _(
                    "The exhibitor asked for a %(wanted)s booth and %(code)s is %(kind)s. Tick the box below to assign it anyway."
                )
                % {
                    "wanted": self.application.get_booth_kind_display(),
                    "code": booth.code,
                    "kind": booth.get_kind_display(),
                },
            )
        return data


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    hs = forms.RegexField(label=_("HS code"), regex=r"^\d{2,6}$", required=False, max_length=6)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    certification = forms.IntegerField(label=_("Certification"), required=False, min_value=1, max_value=2**31 - 1)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("Any"))] + SPOKEN_LANGUAGES)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", pgettext_lazy("sort by", "Company name")), ("city", _("City")), ("booth", _("Booth"))],
    )


class MailingForm(forms.Form):
    """A staff mailing: the group, and a subject and message per language (English required;
    an empty Korean or Japanese message falls back to English)."""

    group = forms.ChoiceField(label=_("Send to"))
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=_("Message (English)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    subject_ko = forms.CharField(label=_("Subject (Korean)"), max_length=200, required=False)
    body_ko = forms.CharField(
        label=_("Message (Korean)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, required=False
    )
    subject_ja = forms.CharField(label=_("Subject (Japanese)"), max_length=200, required=False)
    body_ja = forms.CharField(
        label=_("Message (Japanese)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, required=False
    )
    # Set by the preview: the number the staff member saw and confirms.
    confirmed_count = forms.IntegerField(required=False, min_value=0, max_value=10**7, widget=forms.HiddenInput)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = groups

    def clean(self):
        data = super().clean()
        for language in ("ko", "ja"):
            if bool(data.get(f"subject_{language}")) != bool(data.get(f"body_{language}")):
                self.add_error(f"body_{language}", _("Write both the subject and the message, or neither."))
        return data

    def texts(self):
        data = self.cleaned_data
        return {language: (data[f"subject_{language}"], data[f"body_{language}"]) for language in ("en", "ko", "ja")}
