"""The webhooks through the API, for cooperative staff: register, list, read and delete
endpoints, send a test event, read an endpoint's delivery log. The same form, rules and
services as the staff pages (views.py); anyone else gets 404 (anonymous: 401)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from companies import rules
from companies.api_auth import TokenScopeAllowsMethod

from . import selectors, services
from .forms import EndpointForm
from .models import EventType, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "cooperative", "is_active", "created_at"]
        read_only_fields = fields


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret, returned this once only")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="https, on a public address")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices), min_length=1)
    cooperative = serializers.IntegerField(required=False, help_text="Admins only: whose endpoint it is")


class WebhookAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.CharField(source="delivery.event.event_id")
    event_type = serializers.CharField(source="delivery.event.type")
    delivery_status = serializers.CharField(source="delivery.status")
    attempt = serializers.IntegerField(source="number")
    started_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField()
    error = serializers.CharField()
    response_excerpt = serializers.CharField()


class WebhookTestEventSerializer(serializers.Serializer):
    event_id = serializers.CharField()


class LogPagination(PageNumberPagination):
    page_size = 50


class OrganiserOnly(permissions.BasePermission):
    """Signed in (else 401); organisers only, others get 404 like the pages."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if not rules.is_organiser(request.user):
            raise Http404
        return True


PERMISSIONS = [OrganiserOnly, TokenScopeAllowsMethod]


def endpoint_for(user, pk):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if not rules.manages_webhooks_of(user, endpoint.cooperative_id):
        raise Http404
    return endpoint


class EndpointList(ListAPIView):
    """The endpoints of the caller's cooperative (every cooperative's for admins)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = PERMISSIONS
    pagination_class = None

    def get_queryset(self):
        return selectors.endpoints_for(self.request.user)

    @extend_schema(request=WebhookEndpointCreateSerializer, responses={201: WebhookEndpointWithSecretSerializer})
    def post(self, request):
        """Register an endpoint; the answer holds its signing secret, this once only."""
        data = request.data if hasattr(request.data, "getlist") else _as_form(request.data)
        form = EndpointForm(data, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors)
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
            raise ValidationError({"url": [str(exc)]}) from exc
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


def _as_form(data):
    """A JSON body as the form reads it (a list stays a list)."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return MultiValueDict({k: (v if isinstance(v, list) else [v]) for k, v in data.items()})


class EndpointDetail(GenericAPIView):
    serializer_class = WebhookEndpointSerializer
    permission_classes = PERMISSIONS

    def get(self, request, pk):
        """One endpoint (without its secret)."""
        return Response(WebhookEndpointSerializer(endpoint_for(request.user, pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """Delete the endpoint: it receives nothing more."""
        services.endpoint_delete(endpoint=endpoint_for(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointDeliveries(ListAPIView):
    """The endpoint's delivery log, newest first: each HTTP attempt, its status code,
    duration and the start of the answer."""

    serializer_class = WebhookAttemptSerializer
    permission_classes = PERMISSIONS
    pagination_class = LogPagination

    def get_queryset(self):
        return selectors.attempts_of(endpoint_for(self.request.user, self.kwargs["pk"]))


class EndpointTest(GenericAPIView):
    serializer_class = WebhookTestEventSerializer
    permission_classes = PERMISSIONS

    @extend_schema(request=None, responses={202: WebhookTestEventSerializer})
    def post(self, request, pk):
        """Send a `ping` event to this endpoint (delivered by a worker, like any event)."""
        event = services.endpoint_send_test(endpoint=endpoint_for(request.user, pk))
        return Response({"event_id": event.event_id}, status=status.HTTP_202_ACCEPTED)
