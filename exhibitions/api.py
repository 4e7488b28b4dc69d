"""The REST API's exhibition resources: exhibitions, the exhibitor directory, and a person's
own agenda. Reads go through exhibitions/selectors.py and exhibitions/meetings/selectors.py,
the same functions the HTML pages use, so the API shows exactly what the pages show."""

import hashlib

from django.core.cache import cache
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from companies.api_auth import TokenScopeAllowsMethod, json_object

from .forms import DirectoryFilterForm
from .meetings.forms import AcceptForm, CancelForm, DeclineForm, DeclineProposalForm
from .meetings.selectors import agenda_for, meeting_for
from .meetings.services import MeetingError, meeting_accept, meeting_cancel, meeting_decline, side_of
from .selectors import (
    directory_api_entries,
    directory_exhibition_for,
    directory_for,
    directory_sort_name,
    directory_version,
    exhibition_for,
    exhibitions_for,
)


class ExhibitionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    venue = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    timezone = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    application_deadline = serializers.DateField(allow_null=True)
    organiser = serializers.CharField(source="cooperative.name")


class ExhibitionPagination(CursorPagination):
    page_size = 50
    ordering = ("-starts_on", "id")


class ExhibitionList(ListAPIView):
    """Exhibitions the caller may see: published ones, and drafts for organisers."""

    serializer_class = ExhibitionSerializer
    pagination_class = ExhibitionPagination

    def get_queryset(self):
        return exhibitions_for(self.request.user)


class ExhibitionDetail(RetrieveAPIView):
    serializer_class = ExhibitionSerializer
    lookup_field = "slug"

    def get_object(self):
        return exhibition_for(self.request.user, self.kwargs["slug"])


# --- The exhibitor directory ----------------------------------------------------------------


# An entry as the OpenAPI document describes it. The view answers with the plain dicts of
# selectors.directory_api_entries, which this serializer leaves unchanged (a test holds it).
class DirectoryEntrySerializer(serializers.Serializer):
    ref = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    languages = serializers.CharField()
    description = serializers.CharField()
    booth = serializers.CharField(allow_null=True)
    hall = serializers.CharField(allow_null=True)
    hs_codes = serializers.SerializerMethodField()
    certifications = serializers.ListField(child=serializers.CharField())

    def get_hs_codes(self, entry) -> list[str]:
        return entry["hs_codes"]


# The cursor holds one sortable text per row, built as the HTML directory sorts
# (selectors.directory_for). By name it is the stored, indexed sort name itself, so the first
# 51 rows come from the index instead of sorting every exhibitor on each uncached request.
DIRECTORY_SORT_KEYS = {
    "name": lambda: F(directory_sort_name()),
    "city": lambda: Concat(Lower("company__city"), Value("\x01"), F(directory_sort_name()), output_field=TextField()),
    "booth": lambda: Concat(
        Coalesce(F("booth__code"), Value("\uffff")), Value("\x01"), F(directory_sort_name()), output_field=TextField()
    ),
}


# As long as the HTML directory keeps its results (exhibitions/views.py).
DIRECTORY_CACHE_SECONDS = 120


class DirectoryPagination(CursorPagination):
    page_size = 50
    # Ties (the same sort key) go by company, as on the HTML directory; one application each.
    ordering = ("sort_key", "company_id")


class Directory(ListAPIView):
    """The approved exhibitors of an exhibition, 50 a page, with the HTML directory's filters:
    q (any language), hs (code prefix), city, certification (id), language, sort."""

    serializer_class = DirectoryEntrySerializer
    pagination_class = DirectoryPagination

    def get_filters(self):
        form = DirectoryFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return form.cleaned_data

    def get_queryset(self):
        exhibition = getattr(self, "exhibition", None) or directory_exhibition_for(
            self.request.user, self.kwargs["slug"]
        )
        filters = self.get_filters()
        sort_key = DIRECTORY_SORT_KEYS[filters.get("sort") or "name"]()
        return directory_for(exhibition, filters).annotate(sort_key=sort_key)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words in any language, or an HS code"),
            OpenApiParameter("hs", str, description="An HS code prefix: 2, 4 or 6 digits"),
            OpenApiParameter("city", str),
            OpenApiParameter("certification", int, description="A certification id"),
            OpenApiParameter("language", str, enum=["en", "ko", "ja", "zh"]),
            OpenApiParameter("sort", str, enum=list(DIRECTORY_SORT_KEYS)),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        # Cached as the HTML directory is (exhibitions/views.py): under the exhibition's
        # directory version, so any change to its exhibitors shows at once.
        self.exhibition = directory_exhibition_for(request.user, self.kwargs["slug"])
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        key = f"api-directory:{self.exhibition.pk}:{directory_version(self.exhibition)}:{get_language()}:{address}"
        body = cache.get(key)
        if body is None:
            page = self.paginate_queryset(self.get_queryset())
            # Plain dicts in DirectoryEntrySerializer's shape (the description's): running the
            # serializer over 50 ready-made entries cost more than building them.
            data = self.get_paginated_response(directory_api_entries(page)).data
            # The JSON itself: a hit neither rebuilds nor re-encodes the 50 entries.
            body = JSONRenderer().render(data)
            cache.set(key, body, DIRECTORY_CACHE_SECONDS)
        return HttpResponse(body, content_type="application/json")


# --- The person's own agenda ------------------------------------------------------------------


class AgendaMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    buyer = serializers.CharField(source="buyer.ref")
    exhibitor = serializers.CharField(source="exhibitor.ref")
    booth = serializers.CharField(source="booth.code", allow_null=True, default=None)
    table = serializers.IntegerField(source="table.number", allow_null=True, default=None)


class Agenda(ListAPIView):
    """The caller's booked meetings at an exhibition, in time order (the web agenda's)."""

    serializer_class = AgendaMeetingSerializer
    permission_classes = [TokenScopeAllowsMethod, permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        exhibition = exhibition_for(self.request.user, self.kwargs["slug"])
        return agenda_for(user=self.request.user, exhibition=exhibition)


# --- Answering and cancelling meetings ---------------------------------------------------------


class MeetingRuleBroken(APIException):
    """A meeting rule forbids the change; the message is the service's own, translated."""

    status_code = 409
    default_code = "meeting_rule"
    api_code = "meeting_rule"


class MeetingSerializer(AgendaMeetingSerializer):
    pass


class AcceptRequest(serializers.Serializer):
    slot = serializers.IntegerField(help_text="One of the slots the buyer offered")
    table = serializers.IntegerField(required=False, help_text="A meeting table, instead of the booth")


class ReasonRequest(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Shown to the other side")


class MeetingAction(GenericAPIView):
    """POST on one of the caller's meetings: validated by the meeting page's own form, done by
    the meeting service (exhibitions/meetings/services.py), which enforces who may do what."""

    # The token's scope first: a read token never writes, whatever else allows.
    permission_classes = [TokenScopeAllowsMethod, permissions.IsAuthenticated]
    serializer_class = MeetingSerializer

    def make_form(self, data, meeting):
        raise NotImplementedError

    def act(self, meeting, data):
        raise NotImplementedError

    def post(self, request, slug, pk):
        exhibition = exhibition_for(request.user, slug)
        meeting = meeting_for(request.user, exhibition, pk)
        if meeting is None:
            raise Http404
        form = self.make_form(json_object(request), meeting)
        if not form.is_valid():
            raise ValidationError(form.errors)
        try:
            self.act(meeting, form.cleaned_data)
        except MeetingError as error:
            raise MeetingRuleBroken(error.message) from error
        return Response(MeetingSerializer(meeting_for(request.user, exhibition, pk)).data)


@extend_schema(request=AcceptRequest, responses=MeetingSerializer)
class MeetingAccept(MeetingAction):
    """The exhibitor accepts a request in one of the buyer's slots (as the Accept button)."""

    def make_form(self, data, meeting):
        return AcceptForm(data, meeting=meeting)

    def act(self, meeting, data):
        meeting_accept(
            meeting=meeting,
            slot=data["slot"],
            by=self.request.user,
            table=data.get("table"),
            representative=data.get("representative"),
        )


@extend_schema(request=ReasonRequest, responses=MeetingSerializer)
class MeetingDecline(MeetingAction):
    """The exhibitor declines a request (reason required), or the buyer declines proposed times."""

    def make_form(self, data, meeting):
        buyer_side = side_of(self.request.user, meeting) == "buyer"
        return DeclineProposalForm(data) if buyer_side else DeclineForm(data)

    def act(self, meeting, data):
        meeting_decline(meeting=meeting, by=self.request.user, reason=data["reason"])


@extend_schema(request=ReasonRequest, responses=MeetingSerializer)
class MeetingCancel(MeetingAction):
    """The buyer withdraws a request, or either side (or staff) cancels a booked meeting."""

    def make_form(self, data, meeting):
        return CancelForm(data)

    def act(self, meeting, data):
        meeting_cancel(meeting=meeting, by=self.request.user, reason=data["reason"])
