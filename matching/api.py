"""The REST API's matching: the approved suggestions a buyer or exhibitor sees ("For you"),
and, for organisers of the exhibition, matcher runs (start, progress, results). Reads through
matching/selectors.py, writes through matching/services.py (the run's task is queued through
the outbox), as the pages do."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from companies.api_auth import TokenScopeAllowsMethod
from companies.models import Company
from exhibitions.api_staff import STAFF, RunBusy, staff_exhibition
from exhibitions.selectors import exhibition_for
from exhibitions.wishes.selectors import my_wishes_about

from . import selectors, services
from .models import MatchRun
from .reasons import render_reasons

# --- Suggestions for the caller's company -----------------------------------------------------


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.SerializerMethodField(help_text="The suggested company's ref")
    name = serializers.SerializerMethodField()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    reasons = serializers.SerializerMethodField(help_text="Why, as sentences in the caller's language")
    my_wish = serializers.SerializerMethodField(
        help_text="The caller's company's wish about it: must, want, no or empty"
    )

    def other(self, suggestion):
        return suggestion.exhibitor if self.context["company"].kind == Company.Kind.BUYER else suggestion.buyer

    def get_company(self, suggestion) -> str:
        return self.other(suggestion).ref

    def get_name(self, suggestion) -> str:
        return str(self.other(suggestion).name)

    def get_reasons(self, suggestion) -> list[str]:
        return [str(text) for text in render_reasons(suggestion.reasons)]

    def get_my_wish(self, suggestion) -> str:
        return self.context["wishes"].get(self.other(suggestion).pk, "")


class SuggestionPagination(CursorPagination):
    """The page's order: a buyer's suggestions by rank, an exhibitor's buyers by score."""

    page_size = 50
    ordering = ("rank", "id")

    def get_ordering(self, request, queryset, view):
        return self.ordering if view.company.kind == Company.Kind.BUYER else ("-score", "id")


class SuggestionsForMe(ListAPIView):
    """Companies suggested to the caller's company and approved by the organisers, best first."""

    serializer_class = SuggestionSerializer
    permission_classes = [TokenScopeAllowsMethod, permissions.IsAuthenticated]
    pagination_class = SuggestionPagination

    def get_queryset(self):
        self.exhibition = exhibition_for(self.request.user, self.kwargs["slug"])
        self.company = self.request.user.company
        if self.company is None:
            raise Http404
        return selectors.approved_for(self.exhibition, self.company)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        other = "exhibitor_id" if self.company.kind == Company.Kind.BUYER else "buyer_id"
        wishes = my_wishes_about(self.exhibition, self.company, [getattr(s, other) for s in page])
        context = {"company": self.company, "wishes": wishes}
        return self.get_paginated_response(SuggestionSerializer(page, many=True, context=context).data)


# --- Matcher runs (staff) ---------------------------------------------------------------------


class MatchRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    trigger = serializers.CharField()
    chunks_total = serializers.IntegerField()
    chunks_done = serializers.IntegerField()
    buyers = serializers.IntegerField()
    exhibitors = serializers.IntegerField()
    suggestions_created = serializers.IntegerField()
    suggestions_updated = serializers.IntegerField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class MatchRuns(GenericAPIView):
    """GET: the latest matcher runs. POST: start one (queued through the outbox; 409 run_busy
    while another run of the exhibition is queued or running)."""

    permission_classes = STAFF
    serializer_class = MatchRunSerializer
    pagination_class = None

    @extend_schema(responses=MatchRunSerializer(many=True))
    def get(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        return Response(MatchRunSerializer(selectors.runs_of(exhibition), many=True).data)

    @extend_schema(request=None, responses={202: MatchRunSerializer})
    def post(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        try:
            run = services.run_start(exhibition=exhibition, trigger=MatchRun.Trigger.MANUAL, by=request.user)
        except services.MatchingError as exc:
            raise RunBusy(str(exc)) from exc
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


def _match_run(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    return get_object_or_404(MatchRun, exhibition=exhibition, pk=pk)


@extend_schema(responses=MatchRunSerializer)
class MatchRunProgress(GenericAPIView):
    """One matcher run: its state and progress (chunks done of total); poll until done or failed."""

    permission_classes = STAFF
    serializer_class = MatchRunSerializer

    def get(self, request, slug, pk):
        return Response(MatchRunSerializer(_match_run(request, slug, pk)).data)


class RunSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    buyer = serializers.CharField(source="buyer.ref")
    exhibitor = serializers.CharField(source="exhibitor.ref")
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    status = serializers.CharField(help_text="pending_review, approved, rejected or dismissed")
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, suggestion) -> list[str]:
        return [str(text) for text in render_reasons(suggestion.reasons)]


class ByScore(CursorPagination):
    page_size = 100
    ordering = ("-score", "id")


class MatchRunResults(ListAPIView):
    """The suggestions a matcher run made or updated, best first, 100 a page (review them on
    the review page)."""

    serializer_class = RunSuggestionSerializer
    permission_classes = STAFF
    pagination_class = ByScore

    def get_queryset(self):
        return selectors.suggestions_of_run(_match_run(self.request, self.kwargs["slug"], self.kwargs["pk"]))
