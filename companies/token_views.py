"""The page where a person makes, names, scopes and revokes their personal API tokens
(linked from their profile). Writes go through companies/tokens.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import ApiToken
from .tokens import api_token_create, api_token_revoke, api_tokens_of


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("What the token is for, e.g. “Our CRM”."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=ApiToken.Scope.choices, initial="read")


@never_cache
@login_required
def api_tokens(request):
    """List the person's tokens; a POST makes one and shows its secret on this response only."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = api_token_create(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        form = ApiTokenForm()
    tokens = api_tokens_of(request.user)
    return render(request, "companies/api_tokens.html", {"form": form, "tokens": tokens, "secret": secret})


@require_POST
@login_required
def api_token_revoke_view(request, pk):
    """Revoke one of the person's own tokens (someone else's: 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api:tokens")
