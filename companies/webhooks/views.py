"""The staff pages of a cooperative's webhooks: the list, registering an endpoint (its
secret shown once), an endpoint's delivery log with a "send test event" button, deleting."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from companies import rules

from . import selectors, services
from .forms import EndpointForm
from .models import WebhookEndpoint

LOG_PAGE_SIZE = 50


def _endpoint_for(request, pk):
    endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("cooperative"), pk=pk)
    if not rules.manages_webhooks_of(request.user, endpoint.cooperative_id):
        raise Http404
    return endpoint


@rules.organiser_required
def webhook_list(request):
    endpoints = selectors.endpoints_for(request.user)
    return render(request, "webhooks/list.html", {"endpoints": endpoints})


@never_cache
@rules.organiser_required
def webhook_create(request):
    """A POST that registers the endpoint answers with its secret, on this response only."""
    form = EndpointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint = services.endpoint_create(
                cooperative=data.get("cooperative") or request.user.cooperative,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                by=request.user,
            )
        except services.WebhookError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "webhooks/created.html", {"endpoint": endpoint})
    return render(request, "webhooks/create.html", {"form": form})


@rules.organiser_required
def webhook_detail(request, pk):
    endpoint = _endpoint_for(request, pk)
    page = Paginator(selectors.attempts_of(endpoint), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "webhooks/detail.html", {"endpoint": endpoint, "page": page, "attempts": page.object_list})


@require_POST
@rules.organiser_required
def webhook_test(request, pk):
    endpoint = _endpoint_for(request, pk)
    services.endpoint_send_test(endpoint=endpoint)
    messages.success(request, _("A test event is on its way; its attempt appears below in a moment."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_POST
@rules.organiser_required
def webhook_delete(request, pk):
    endpoint = _endpoint_for(request, pk)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, _("The endpoint is deleted; it receives nothing more."))
    return redirect("webhooks:list")
