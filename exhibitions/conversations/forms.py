from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitions.models import Message


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=Message.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": Message.MAX_LENGTH}),
        help_text=_("Both companies' people and the organisers read it; new messages are emailed as a digest."),
    )
