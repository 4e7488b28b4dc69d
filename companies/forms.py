"""Forms for companies: create, edit (with the HS code picker), invite, vetting decisions."""

import re

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import SPOKEN_LANGUAGES, Company, HSCode, Membership, User

country_validator = RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, e.g. KR or JP."))
ref_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", _("Use letters, digits, hyphens and underscores only, e.g. KR-0042.")
)
# Pillow's format → the file extension the logo is stored under (never the uploader's own, so a
# PNG named "x.pdf" or "x.ps", which Django's extension check lets through, is not served as one).
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# Path segments under /companies/ that a reference must not shadow.
RESERVED_REFS = {"start", "new", "hs", "review", "notifications", "invitations"}


LOGO_MAX_SIDE = 1024
DESCRIPTION_MAX_LENGTH = 5000


def reencoded_logo(upload, extension):
    """The logo decoded and saved again by Pillow (at most LOGO_MAX_SIDE pixels a side): only
    pixels survive, never bytes appended to the file (HTML, scripts) or metadata."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
        if extension == "jpg" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        buffer = BytesIO()
        image.save(buffer, format={"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[extension])
    content_type = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[extension]
    return SimpleUploadedFile(f"logo.{extension}", buffer.getvalue(), content_type=content_type)


class NamesMixin:
    """At least one of the three names is needed."""

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f) or "").strip() for f in ("name_en", "name_ko", "name_ja")):
            # On the field, so the model's own "has a name" constraint is not checked twice.
            self.add_error("name_en", _("Give the company's name in at least one language."))
        return cleaned


class CompanyCreateForm(NamesMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the company do?"),
        choices=[
            (Company.Kind.EXHIBITOR, _("Exhibitor: we make products and exhibit them")),
            (Company.Kind.BUYER, _("Buyer: we source products and meet suppliers")),
        ],
        widget=forms.RadioSelect,
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=200, required=False)
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=200, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        validators=[country_validator],
        help_text=_("Two-letter ISO code, e.g. KR or JP."),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    ref = forms.CharField(
        label=_("Reference"),
        max_length=64,
        required=False,
        validators=[ref_validator],
        help_text=_("Leave blank to get one, e.g. KR-0042."),
    )

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        if ref.lower() in RESERVED_REFS:
            raise forms.ValidationError(_("This reference is reserved; choose another."))
        if ref and Company.objects.filter(ref__iexact=ref).exists():
            raise forms.ValidationError(_("The reference %(ref)s is already taken."), params={"ref": ref})
        return ref


def normalise_hs(code):
    return re.sub(r"[^0-9]", "", code or "")


class HSCodePickerWidget(forms.Widget):
    """The picked codes as hidden inputs named like the field, a search box that asks the
    server for matching codes as you type (htmx), and a plain text box of comma-separated
    codes that works without JavaScript."""

    template_name = "companies/widgets/hs_picker.html"

    def value_from_datadict(self, data, files, name):
        removed = set(data.getlist(f"{name}_remove")) if hasattr(data, "getlist") else set()
        picked = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        typed = re.split(r"[\s,;]+", data.get(f"{name}_text", "") or "")
        codes = []
        for raw in [*picked, *typed]:
            code = normalise_hs(raw) if normalise_hs(raw) else raw.strip()
            if code and code not in codes and code not in removed:
                codes.append(code)
        return codes

    def value_omitted_from_data(self, data, files, name):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        codes = [getattr(v, "code", v) for v in (value or [])]
        known = {h.code: h for h in HSCode.objects.filter(code__in=codes)}
        picked = [known[c] for c in codes if c in known]
        unknown = ", ".join(c for c in codes if c not in known)  # kept in the text box to be corrected
        context = {
            "name": name,
            "picked": picked,
            "unknown": unknown,
            "attrs": attrs or {},
            "widget_id": f"{name}-picker",
        }
        return render_to_string(self.template_name, context)


class LogoInput(forms.ClearableFileInput):
    """A preview of the current logo, a "remove" box and the file chooser."""

    template_name = "companies/widgets/logo_input.html"

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return render_to_string(self.template_name, context)


class HSCodesField(forms.Field):
    widget = HSCodePickerWidget

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = re.split(r"[\s,;]+", value)
        return [getattr(v, "code", v) for v in value if v]

    def validate(self, value):
        super().validate(value)

    def clean(self, value):
        codes = self.to_python(value)
        self.validate(codes)
        known = {h.code: h for h in HSCode.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "Unknown HS code: %(codes)s.",
                    "Unknown HS codes: %(codes)s.",
                    len(unknown),
                )
                % {"codes": ", ".join(unknown)}
            )
        return [known[c] for c in codes]


class CompanyForm(NamesMixin, forms.ModelForm):
    """The whole profile, as owners and organisers edit it."""

    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkboxes"}),
    )
    certifications_text = forms.CharField(
        label=_("Certifications"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. ISO 9001."),
    )
    hs_codes = HSCodesField(
        label=_("HS codes"),
        required=False,
        help_text=_("What you make (exhibitors) or source (buyers). Search by number or word."),
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    founded = forms.IntegerField(label=_("Founding year"), required=False, min_value=1800, max_value=2100)
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        widget=LogoInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Company
        fields = [
            "name_en",
            "name_ko",
            "name_ja",
            "description_en",
            "description_ko",
            "description_ja",
            "country",
            "city",
            "website",
            "employees",
            "founded",
            "keywords",
        ]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_ko": forms.Textarea(attrs={"rows": 5}),
            "description_ja": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        company = self.instance
        self.fields["country"].validators.append(country_validator)
        for language in ("en", "ko", "ja"):  # the model's text has no limit; a profile has
            field = self.fields[f"description_{language}"]
            field.max_length = DESCRIPTION_MAX_LENGTH
            field.validators.append(MaxLengthValidator(DESCRIPTION_MAX_LENGTH))
            field.widget.attrs["maxlength"] = str(DESCRIPTION_MAX_LENGTH)
        if not self.is_bound:
            self.initial["languages"] = company.language_list
            self.initial["certifications_text"] = "\n".join(c.name for c in company.certifications.all())
            self.initial["hs_codes"] = [h.code for h in company.hs_codes.all()]
        self.fields["logo"].help_text = _("PNG, JPEG or WebP, at most %(size)s.") % {
            "size": filesizeformat(settings.COMPANY_LOGO_MAX_BYTES)
        }
        self.fields["logo"].initial = company.logo

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_languages(self):
        return " ".join(code for code, _label in SPOKEN_LANGUAGES if code in self.cleaned_data["languages"])

    def clean_certifications_text(self):
        names = [n.strip() for n in re.split(r"[\n,;]+", self.cleaned_data["certifications_text"]) if n.strip()]
        too_long = [n for n in names if len(n) > 80]
        if too_long:
            raise forms.ValidationError(
                _("A certification name has at most 80 characters: %(name)s"), params={"name": too_long[0][:40]}
            )
        return "\n".join(names)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo is False or not hasattr(logo, "image"):
            return logo  # unchanged (the stored file), cleared (False) or none
        if logo.size > settings.COMPANY_LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is %(size)s; it may be at most %(max)s."),
                params={"size": filesizeformat(logo.size), "max": filesizeformat(settings.COMPANY_LOGO_MAX_BYTES)},
            )
        if (logo.image.format or "").upper() not in LOGO_FORMATS:
            raise forms.ValidationError(_("Upload the logo as a PNG, JPEG or WebP image."))
        width, height = logo.image.size
        if width * height > settings.COMPANY_LOGO_MAX_PIXELS:
            raise forms.ValidationError(
                _("The logo is %(width)s × %(height)s pixels; it may have at most %(max)s pixels."),
                params={"width": width, "height": height, "max": settings.COMPANY_LOGO_MAX_PIXELS},
            )
        return reencoded_logo(logo, LOGO_FORMATS[logo.image.format.upper()])

    def profile_fields(self):
        """The cleaned values for `company_update`'s `fields`."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["languages"] = self.cleaned_data["languages"]
        if "logo" in self.changed_data:
            fields["logo"] = self.cleaned_data["logo"]
        return fields


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reject; sent to the company's owners."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Please say why the company is rejected."))
        return cleaned


class ProfileForm(forms.ModelForm):
    """A person's own details, language and the optional emails they receive."""

    emails = forms.MultipleChoiceField(
        label=_("Emails I receive"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("reminders", _("Reminders before meetings and requests for their outcome")),
            ("suggestions", _("Suggested companies and wishes to meet me")),
        ],
        help_text=_("Emails about your account, your applications and your meetings are always sent."),
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "phone", "preferred_language"]
        help_texts = {"preferred_language": _("Emails, calendars and exports you receive are in this language.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.initial["emails"] = [c for c, _label in self.fields["emails"].choices if self.instance.wants_email(c)]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not re.fullmatch(r"\+?[0-9 ()\-.]{6,30}", phone):
            raise forms.ValidationError(_("Enter a phone number with digits, spaces and an optional leading +."))
        return phone

    def save(self, commit=True):
        wanted = set(self.cleaned_data["emails"])
        self.instance.email_opt_outs = sorted(c for c, _label in self.fields["emails"].choices if c not in wanted)
        return super().save(commit=commit)
