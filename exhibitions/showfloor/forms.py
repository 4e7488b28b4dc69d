"""Forms of the show floor: a lead's interest and note, a business card."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitions.models import Lead


class LeadForm(forms.ModelForm):
    """Interest and note; a business card's lead also keeps the visitor's details here."""

    class Meta:
        model = Lead
        fields = ["visitor_name", "visitor_company", "visitor_email", "interest", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4}), "interest": forms.RadioSelect}

    def __init__(self, *args, card=True, **kwargs):
        super().__init__(*args, **kwargs)
        if card:
            self.fields["visitor_name"].required = True
        else:
            for name in ("visitor_name", "visitor_company", "visitor_email"):
                del self.fields[name]


class CaptureExtrasForm(forms.Form):
    """What a booth person may type before a scan or a pick: both optional."""

    interest = forms.ChoiceField(label=_("Interest"), choices=[("", "—"), *Lead.Interest.choices], required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
