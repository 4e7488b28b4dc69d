"""Forms of the interpreter pool (staff)."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from companies.models import SPOKEN_LANGUAGES


class InterpreterForm(forms.Form):
    ref = forms.CharField(label=_("Reference"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), widget=forms.CheckboxSelectMultiple, choices=SPOKEN_LANGUAGES
    )
    days = forms.MultipleChoiceField(
        label=_("Available days"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
        help_text=_("None ticked: every day of the exhibition."),
    )

    def __init__(self, *args, exhibition, interpreter=None, **kwargs):
        if interpreter is not None:
            kwargs.setdefault(
                "initial",
                {
                    "ref": interpreter.ref,
                    "name": interpreter.name,
                    "email": interpreter.email,
                    "languages": interpreter.language_list(),
                    "days": interpreter.days,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d.isoformat(), formats.date_format(d, "DATE_FORMAT")) for d in exhibition.days]

    def clean_languages(self):
        languages = self.cleaned_data["languages"]
        if len(languages) < 2:
            raise forms.ValidationError(_("An interpreter speaks at least two languages."))
        return languages


class InterpreterImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns: ref,name,email,languages,days (UTF-8)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV."))


class AssignInterpreterForm(forms.Form):
    interpreter = forms.ModelChoiceField(label=_("Interpreter"), queryset=None, required=False, empty_label=_("None"))

    def __init__(self, *args, interpreters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter"].queryset = interpreters
        self.fields["interpreter"].label_from_instance = lambda i: f"{i.name} ({i.languages})"
