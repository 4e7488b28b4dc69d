"""The REST API's meetings of a person: the list across exhibitions, one meeting, requesting a
meeting, proposing a new time and recording the outcome. Reads go through
exhibitions/meetings/selectors.py, writes through exhibitions/meetings/services.py with the
meeting page's own forms, and who may act is `services.may_act`, the page's rule (404 else)."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from companies.api_auth import TokenScopeAllowsMethod, json_object, json_ref
from companies.models import Company

from .api import AgendaMeetingSerializer, MeetingRuleBroken
from .meetings import selectors, services
from .meetings.forms import MeetingRequestForm, OutcomeForm, RescheduleForm
from .models import Meeting
from .selectors import exhibition_for

SIGNED_IN = [TokenScopeAllowsMethod, permissions.IsAuthenticated]


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class MeetingListSerializer(AgendaMeetingSerializer):
    exhibition = serializers.CharField(source="exhibition.slug")
    message = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    interpreter_needed = serializers.BooleanField()


class OutcomeSerializer(serializers.Serializer):
    side = serializers.CharField()
    outcome = serializers.CharField()
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=0, allow_null=True)
    currency = serializers.CharField()
    note = serializers.SerializerMethodField(help_text="Only for the side that wrote it")

    def get_note(self, outcome) -> str | None:
        return outcome.note if outcome.show_note else None


class MoveSerializer(serializers.Serializer):
    slot = SlotSerializer()
    side = serializers.CharField(help_text="The side that proposed the move")
    mine = serializers.BooleanField(help_text="Whether the caller's side proposed it")
    message = serializers.CharField()
    place = serializers.SerializerMethodField()

    def get_place(self, move) -> str | None:
        return str(move["place"]) if move["place"] else None


class MeetingDetailSerializer(MeetingListSerializer):
    """One meeting as its page shows it to the caller."""

    proposed_slots = SlotSerializer(many=True, help_text="The times offered, while the meeting waits for an answer")
    move = MoveSerializer(allow_null=True, help_text="A new time one side proposed and the other has not answered")
    outcomes = OutcomeSerializer(many=True, help_text="The outcomes the caller may see")


def meeting_detail_data(user, meeting):
    side = services.side_of(user, meeting)
    offered = list(meeting.proposed_slots.order_by("starts_at")) if meeting.status in Meeting.PENDING else []
    data = MeetingListSerializer(meeting).data
    data["proposed_slots"] = SlotSerializer(offered, many=True).data
    move = selectors.pending_move(meeting, side)
    data["move"] = MoveSerializer(move).data if move else None
    data["outcomes"] = OutcomeSerializer(selectors.outcomes_visible_to(user, meeting), many=True).data
    return data


# --- The list and one meeting -----------------------------------------------------------------


class MeetingFilterForm(forms.Form):
    exhibition = forms.SlugField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "")] + Meeting.Status.choices)


class MeetingPagination(CursorPagination):
    page_size = 50
    ordering = ("-id",)


class MeetingList(ListAPIView):
    """Every meeting of the caller's company (requests, booked, closed), newest first, 50 a
    page; `exhibition` (a slug) and `status` narrow it."""

    serializer_class = MeetingListSerializer
    permission_classes = SIGNED_IN
    pagination_class = MeetingPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("exhibition", str, description="An exhibition's slug"),
            OpenApiParameter("status", str, enum=Meeting.Status.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        form = MeetingFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        slug = form.cleaned_data["exhibition"]
        exhibition = exhibition_for(self.request.user, slug) if slug else None
        return selectors.meetings_of(user=self.request.user, exhibition=exhibition, status=form.cleaned_data["status"])


def _meeting(request, slug, pk):
    exhibition = exhibition_for(request.user, slug)
    meeting = selectors.meeting_for(request.user, exhibition, pk)
    if meeting is None:
        raise Http404
    return exhibition, meeting


@extend_schema(responses=MeetingDetailSerializer)
class MeetingDetail(GenericAPIView):
    """One meeting: its two sides' people and staff (as its page)."""

    permission_classes = SIGNED_IN
    serializer_class = MeetingDetailSerializer

    def get(self, request, slug, pk):
        _exhibition, meeting = _meeting(request, slug, pk)
        return Response(meeting_detail_data(request.user, meeting))


# --- Writes ----------------------------------------------------------------------------------


def _valid(form):
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.cleaned_data


def _meeting_rule(call):
    try:
        return call()
    except services.MeetingError as error:
        raise MeetingRuleBroken(error.message) from error


class MeetingRequestBody(serializers.Serializer):
    exhibitor = serializers.CharField(help_text="The exhibitor's ref (it must take part, else 404)")
    slots = serializers.ListField(child=serializers.IntegerField(), help_text="Slot ids you could meet at")
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    representative = serializers.IntegerField(required=False, help_text="Whom you want to meet")


@extend_schema(request=MeetingRequestBody, responses={201: MeetingDetailSerializer})
class MeetingRequest(GenericAPIView):
    """A buyer whose company takes part asks an exhibitor for a meeting (as the request page)."""

    permission_classes = SIGNED_IN
    serializer_class = MeetingDetailSerializer

    def post(self, request, slug):
        exhibition = exhibition_for(request.user, slug)
        company = request.user.company
        if company is None or company.kind != Company.Kind.BUYER:
            raise Http404
        if services.approved_registration(exhibition, company) is None:
            raise Http404
        # An exhibitor that does not take part is a 404, as on the request page.
        exhibitor = get_object_or_404(
            selectors.exhibitors_with_booths(exhibition), ref=json_ref(json_object(request), "exhibitor")
        )
        form = MeetingRequestForm(
            json_object(request), exhibition=exhibition, buyer_person=request.user, exhibitor=exhibitor
        )
        data = _valid(form)
        meeting = _meeting_rule(
            lambda: services.meeting_request(
                exhibition=exhibition,
                buyer_person=request.user,
                exhibitor=exhibitor,
                slots=data["slots"],
                message=data["message"],
                representative=data.get("representative"),
            )
        )
        meeting = selectors.meeting_for(request.user, exhibition, meeting.pk)
        return Response(meeting_detail_data(request.user, meeting), status=status.HTTP_201_CREATED)


class MeetingWrite(GenericAPIView):
    """POST on one meeting: 404 unless the caller's side may take the action (the page's
    rule), the page's form validates, the service acts (409 meeting_rule when it refuses)."""

    permission_classes = SIGNED_IN
    serializer_class = MeetingDetailSerializer
    action_name = ""

    def make_form(self, data, meeting):
        raise NotImplementedError

    def act(self, meeting, data):
        raise NotImplementedError

    def post(self, request, slug, pk):
        exhibition, meeting = _meeting(request, slug, pk)
        if not services.may_act(request.user, meeting, self.action_name):
            raise Http404
        data = _valid(self.make_form(json_object(request), meeting))
        _meeting_rule(lambda: self.act(meeting, data))
        return Response(meeting_detail_data(request.user, selectors.meeting_for(request.user, exhibition, pk)))


class RescheduleBody(serializers.Serializer):
    slot = serializers.IntegerField(help_text="A free slot (or the current one, to change only the place)")
    place = serializers.CharField(required=False, help_text='"keep" (default), "booth" or a meeting table id')
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema(request=RescheduleBody, responses=MeetingDetailSerializer)
class MeetingReschedule(MeetingWrite):
    """A side proposes a new time and place, which the other side accepts or declines on the
    meeting page; staff move the meeting at once (as the page's Move button)."""

    action_name = "reschedule"

    def make_form(self, data, meeting):
        return RescheduleForm(data, meeting=meeting, staff=services.side_of(self.request.user, meeting) is None)

    def act(self, meeting, data):
        place = {"table": data["table"], "to_booth": data["to_booth"]}
        if services.side_of(self.request.user, meeting) is None:
            services.meeting_reschedule(meeting=meeting, slot=data["slot"], by=self.request.user, **place)
        else:
            services.meeting_move_propose(
                meeting=meeting, slot=data["slot"], by=self.request.user, message=data.get("message", ""), **place
            )


class OutcomeBody(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Meeting.Outcome.choices)
    estimated_value = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    currency = serializers.CharField(help_text="JPY, KRW or USD")
    note = serializers.CharField(required=False, allow_blank=True, help_text="Only your company sees it")


@extend_schema(request=OutcomeBody, responses=MeetingDetailSerializer)
class MeetingOutcomeRecord(MeetingWrite):
    """Either side records (or corrects) its outcome of a meeting that has started."""

    action_name = "outcome"

    def make_form(self, data, meeting):
        side = services.side_of(self.request.user, meeting)
        return OutcomeForm(data, instance=meeting.outcomes.filter(side=side).first())

    def act(self, meeting, data):
        services.meeting_record_outcome(
            meeting=meeting,
            by=self.request.user,
            outcome=data["outcome"],
            estimated_value=data.get("estimated_value"),
            currency=data["currency"],
            note=data.get("note", ""),
        )
