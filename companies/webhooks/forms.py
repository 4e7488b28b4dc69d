from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Cooperative

from . import transport
from .models import EventType


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https address of your own system that accepts POST requests."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=Cooperative.objects.order_by("pk"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.cooperative_id:  # staff register for their own cooperative; admins choose
            del self.fields["cooperative"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            transport.check_url(url)
        except transport.UnsafeURL as exc:
            raise forms.ValidationError(str(exc)) from None
        return url
