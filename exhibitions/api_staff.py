"""The REST API's staff endpoints of one exhibition: applications and buyer registrations
(list and decide), booths (list, assign), the exhibition-data/2 export and import, scheduler
runs (start, progress, results) and the meeting report figures.

Only organisers of the exhibition's cooperative (and admins) may call them:
`companies.rules.runs_exhibition`; anyone else signed in gets 404, as on the staff pages.
Every read is a selector and every write a service that the staff pages use."""

from django.core.exceptions import RequestDataTooBig
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from companies.api_auth import TokenScopeAllowsMethod, json_object, message_language

from . import selectors, services
from .forms import BoothAssignForm, DecisionForm, RegistrationDecisionForm
from .interchange import (
    ImportRejected,
    export_exhibition_data,
    import_exhibition_data,
    parse_exhibition_data,
    plan_import,
)
from .interchange.schema import Problem
from .interchange.validate import problems_outside_exhibition
from .meetings.selectors import report_for
from .models import BuyerRegistration, ExhibitorApplication, ScheduleRun
from .report import selectors as report_selectors
from .scheduling import selectors as schedule_selectors
from .scheduling import services as schedule_services
from .scheduling.forms import RunStartForm
from .staff import staff_exhibition

STAFF = [TokenScopeAllowsMethod, permissions.IsAuthenticated]


class ExhibitionRuleBroken(APIException):
    """A rule of the exhibition forbids the change (e.g. the booth was just taken)."""

    status_code = 409
    default_code = "exhibition_rule"
    api_code = "exhibition_rule"


class RunBusy(APIException):
    """A run of the exhibition is already queued or running."""

    status_code = 409
    default_code = "run_busy"
    api_code = "run_busy"


def _valid(form):
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.cleaned_data


def _status_filter(request, statuses):
    value = request.query_params.get("status", "")
    if value and value not in statuses.values:
        raise ValidationError({"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(statuses.values)}]})
    return value


class NewestFirst(CursorPagination):
    page_size = 50
    ordering = ("-created_at", "-id")


STATUS_PARAMETER = OpenApiParameter("status", str, description="Only this status")


# --- Applications and registrations ---------------------------------------------------------


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.CharField(source="company.ref")
    name = serializers.CharField(source="company.name")
    status = serializers.CharField()
    booth_kind = serializers.CharField()
    booth = serializers.CharField(source="booth.code", allow_null=True, default=None)
    representatives = serializers.IntegerField(source="representative_count")
    parallel_meetings = serializers.IntegerField()
    needs_interpreter = serializers.BooleanField()
    decision_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ApplicationList(ListAPIView):
    """The exhibition's exhibitor applications, newest first (the staff list); `status` filters."""

    serializer_class = ApplicationSerializer
    permission_classes = STAFF
    pagination_class = NewestFirst

    @extend_schema(parameters=[STATUS_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        exhibition = staff_exhibition(self.request.user, self.kwargs["slug"])
        return selectors.applications_for_review(exhibition, _status_filter(self.request, ExhibitorApplication.Status))


class DecisionBody(serializers.Serializer):
    status = serializers.CharField(help_text="approved, waitlisted or rejected (registrations: approved or rejected)")
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Required to reject; the company sees it"
    )


def _application(exhibition, pk):
    return get_object_or_404(selectors.applications_for_review(exhibition), pk=pk)


@extend_schema(request=DecisionBody, responses=ApplicationSerializer)
class ApplicationDecide(GenericAPIView):
    """Approve, waitlist or reject an application (the review page's decision); the company is told."""

    permission_classes = STAFF
    serializer_class = ApplicationSerializer

    def post(self, request, slug, pk):
        exhibition = staff_exhibition(request.user, slug)
        application = _application(exhibition, pk)
        data = _valid(DecisionForm(json_object(request)))
        try:
            services.application_decide(
                application=application, status=data["status"], reason=data["reason"], by=request.user
            )
        except services.ExhibitionError as exc:
            raise ExhibitionRuleBroken(exc.message) from exc
        return Response(ApplicationSerializer(_application(exhibition, pk)).data)


class BoothAssignBody(serializers.Serializer):
    booth = serializers.IntegerField(required=False, help_text="A booth id of the exhibition")
    other_type = serializers.BooleanField(required=False, help_text="Assign it though its type is not the one asked")
    release = serializers.BooleanField(required=False, help_text="Release the application's booth instead")


@extend_schema(request=BoothAssignBody, responses=ApplicationSerializer)
class BoothAssign(GenericAPIView):
    """Assign a booth to an application, or release its booth (the review page's booth form)."""

    permission_classes = STAFF
    serializer_class = ApplicationSerializer

    def post(self, request, slug, pk):
        exhibition = staff_exhibition(request.user, slug)
        application = _application(exhibition, pk)
        if json_object(request).get("release") is True:
            services.booth_release(application=application, by=request.user)
        else:
            data = _valid(BoothAssignForm(json_object(request), application=application))
            try:
                services.booth_assign(application=application, booth=data["booth"], by=request.user)
            except services.ExhibitionError as exc:
                raise ExhibitionRuleBroken(exc.message) from exc
        return Response(ApplicationSerializer(_application(exhibition, pk)).data)


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.CharField(source="company.ref")
    name = serializers.CharField(source="company.name")
    status = serializers.CharField()
    visit_days = serializers.ListField(child=serializers.CharField())
    languages = serializers.CharField()
    visitors = serializers.IntegerField()
    sourcing_notes = serializers.CharField()
    decision_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class RegistrationList(ListAPIView):
    """The exhibition's buyer registrations, newest first (the staff list); `status` filters."""

    serializer_class = RegistrationSerializer
    permission_classes = STAFF
    pagination_class = NewestFirst

    @extend_schema(parameters=[STATUS_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        exhibition = staff_exhibition(self.request.user, self.kwargs["slug"])
        return selectors.registrations_for_review(exhibition, _status_filter(self.request, BuyerRegistration.Status))


@extend_schema(request=DecisionBody, responses=RegistrationSerializer)
class RegistrationDecide(GenericAPIView):
    """Approve or reject a buyer registration; the buyer is told."""

    permission_classes = STAFF
    serializer_class = RegistrationSerializer

    def post(self, request, slug, pk):
        exhibition = staff_exhibition(request.user, slug)
        found = BuyerRegistration.objects.select_related("company")
        registration = get_object_or_404(found, exhibition=exhibition, pk=pk)
        data = _valid(RegistrationDecisionForm(json_object(request)))
        try:
            services.registration_decide(
                registration=registration, status=data["status"], reason=data["reason"], by=request.user
            )
        except services.ExhibitionError as exc:
            raise ExhibitionRuleBroken(exc.message) from exc
        return Response(RegistrationSerializer(get_object_or_404(found, pk=pk)).data)


# --- Booths ----------------------------------------------------------------------------------


class BoothSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    hall = serializers.CharField(source="hall.name")
    kind = serializers.CharField()
    width_m = serializers.DecimalField(max_digits=5, decimal_places=1)
    depth_m = serializers.DecimalField(max_digits=5, decimal_places=1)
    price = serializers.DecimalField(max_digits=12, decimal_places=0)
    currency = serializers.CharField()
    application = serializers.IntegerField(source="application.id", allow_null=True, default=None)
    company = serializers.CharField(source="application.company.ref", allow_null=True, default=None)


class ByCode(CursorPagination):
    page_size = 100
    ordering = ("code", "id")


class BoothList(ListAPIView):
    """The exhibition's booths by code, each with the application (and company) holding it."""

    serializer_class = BoothSerializer
    permission_classes = STAFF
    pagination_class = ByCode

    def get_queryset(self):
        return selectors.booths_of(staff_exhibition(self.request.user, self.kwargs["slug"]))


# --- exhibition-data/2 -----------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(help_text='Where, as a JSON path: "companies[3].hs_codes[0]"')
    message = serializers.CharField()


class ImportRefused(APIException):
    """The file has problems; nothing was imported. Every problem is named."""

    status_code = 400
    default_code = "import_rejected"
    api_code = "import_rejected"

    def __init__(self, problems):
        super().__init__(_("The file has problems; nothing was imported."))
        self.extra = {"problems": [{"path": p.path, "message": str(p.message)} for p in problems]}


class ImportResult(serializers.Serializer):
    counts = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text='{"company": {"create": 2, "update": 1, "unchanged": 0}, …}',
    )
    summary = serializers.ListField(child=serializers.CharField())


def _problems_of(request, slug):
    """The uploaded document and its problems: not JSON, or a record of another exhibition."""
    try:
        raw = request.body
    except RequestDataTooBig:
        return None, [Problem(("(file)",), _("The file is too large."))]
    data, problems = parse_exhibition_data(raw)
    if problems:
        return None, problems
    return data, problems_outside_exhibition(data, slug)


class ExhibitionData(GenericAPIView):
    """GET: the exhibition as an exhibition-data/2 document (the staff export). POST: import
    such a document (the body) into this exhibition, all or nothing; every problem is named,
    with its JSON path, and a file that names another exhibition is refused."""

    permission_classes = STAFF
    serializer_class = ImportResult

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    def get(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        return Response(export_exhibition_data(exhibition=exhibition))

    @extend_schema(request={"application/json": OpenApiTypes.OBJECT}, responses=ImportResult)
    def post(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        with translation.override(message_language(request)):
            data, problems = _problems_of(request, exhibition.slug)
            if problems:
                raise ImportRefused(problems + (plan_import(data).problems if data is not None else []))
            try:
                plan = import_exhibition_data(data=data, by=request.user)
            except ImportRejected as exc:
                raise ImportRefused(exc.problems) from exc
            return Response({"counts": plan.counts(), "summary": plan.summary_lines()})


# --- Scheduler runs --------------------------------------------------------------------------


class ScheduleRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.FloatField(help_text="0 to 1")
    seconds = serializers.FloatField(help_text="The time limit")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    pairs = serializers.IntegerField(help_text="Wished pairs")
    placed = serializers.IntegerField(help_text="Pairs placed in the draft schedule")
    value = serializers.IntegerField()
    upper_bound = serializers.FloatField(allow_null=True)
    unplaced = serializers.IntegerField(source="unplaced_count")
    published_at = serializers.DateTimeField(allow_null=True)


def _run_data(run):
    run.unplaced_count = len(run.unplaced or [])
    return ScheduleRunSerializer(run).data


class RunStartBody(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=1, max_value=600, help_text="Time limit")


class ScheduleRuns(GenericAPIView):
    """GET: the latest scheduler runs. POST: start one (queued through the outbox; 409
    run_busy while another run is queued or running)."""

    permission_classes = STAFF
    serializer_class = ScheduleRunSerializer
    pagination_class = None

    @extend_schema(responses=ScheduleRunSerializer(many=True))
    def get(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        return Response([_run_data(run) for run in schedule_selectors.runs_of(exhibition)])

    @extend_schema(request=RunStartBody, responses={202: ScheduleRunSerializer})
    def post(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        data = _valid(RunStartForm(json_object(request)))
        try:
            run = schedule_services.schedule_run_start(exhibition=exhibition, by=request.user, seconds=data["seconds"])
        except schedule_services.ScheduleError as exc:
            if exc.field:
                raise ValidationError({exc.field: [exc.message]}) from exc
            raise RunBusy(exc.message) from exc
        return Response(_run_data(run), status=status.HTTP_202_ACCEPTED)


def _schedule_run(request, slug, pk):
    exhibition = staff_exhibition(request.user, slug)
    return exhibition, get_object_or_404(ScheduleRun, exhibition=exhibition, pk=pk)


@extend_schema(responses=ScheduleRunSerializer)
class ScheduleRunProgress(GenericAPIView):
    """One scheduler run: its state, progress and figures (poll it until done or failed)."""

    permission_classes = STAFF
    serializer_class = ScheduleRunSerializer

    def get(self, request, slug, pk):
        _exhibition, run = _schedule_run(request, slug, pk)
        return Response(_run_data(run))


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    buyer = serializers.CharField(source="buyer.ref")
    exhibitor = serializers.CharField(source="exhibitor.ref")
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    booth = serializers.CharField(source="booth.code", allow_null=True, default=None)
    table = serializers.IntegerField(source="table.number", allow_null=True, default=None)
    interpreter = serializers.CharField(source="interpreter.ref", allow_null=True, default=None)
    weight = serializers.IntegerField()
    locked = serializers.BooleanField()


class ByTime(CursorPagination):
    page_size = 100
    ordering = ("starts_at", "id")  # the cursor reads the slot's start from each row


class ScheduleRunResults(ListAPIView):
    """The draft meetings a scheduler run placed (still drafts until staff publish them), in
    time order, 100 a page."""

    serializer_class = DraftSerializer
    permission_classes = STAFF
    pagination_class = ByTime

    def get_queryset(self):
        exhibition, run = _schedule_run(self.request, self.kwargs["slug"], self.kwargs["pk"])
        return schedule_selectors.drafts_of(exhibition).filter(run=run).annotate(starts_at=F("slot__starts_at"))


# --- The report ------------------------------------------------------------------------------


class OutcomeCount(serializers.Serializer):
    outcome = serializers.CharField()
    label = serializers.CharField()
    meetings = serializers.IntegerField()


class AmountsSerializer(serializers.Serializer):
    """An amount in US dollars, and in yen and won once staff entered the show's rates."""

    USD = serializers.DecimalField(max_digits=16, decimal_places=2)
    JPY = serializers.DecimalField(max_digits=20, decimal_places=0, required=False)
    KRW = serializers.DecimalField(max_digits=20, decimal_places=0, required=False)


class RateSerializer(serializers.Serializer):
    jpy_per_usd = serializers.DecimalField(max_digits=10, decimal_places=4)
    krw_per_usd = serializers.DecimalField(max_digits=10, decimal_places=4)
    set_at = serializers.DateTimeField()


class StageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    consultations = serializers.IntegerField()


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    consultations = serializers.IntegerField()


class CompanyLineSerializer(serializers.Serializer):
    ref = serializers.CharField()
    name = serializers.CharField()
    consultations = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    leads = serializers.IntegerField()
    deals = serializers.IntegerField()
    consultation_value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    deal_value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)


class CooperativeFiguresSerializer(serializers.Serializer):
    """The cooperative's report of the show (the staff report page, exhibitions/report)."""

    rate = RateSerializer(allow_null=True)
    exhibitors = serializers.IntegerField()
    buyers = serializers.IntegerField()
    consultations = serializers.IntegerField(help_text="Held meetings")
    no_shows = serializers.IntegerField()
    no_show_rate = serializers.FloatField(allow_null=True)
    leads = serializers.IntegerField(help_text="Walk-up contacts recorded at the booths")
    consultation_value = AmountsSerializer()
    deal_value = AmountsSerializer()
    interpreter_hours = serializers.DecimalField(max_digits=10, decimal_places=2)
    matched = serializers.IntegerField(help_text="Consultations whose pair the matcher suggested")
    matched_share = serializers.FloatField(allow_null=True)
    funnel = StageSerializer(many=True)
    per_day = DaySerializer(many=True)
    by_exhibitor = CompanyLineSerializer(many=True)
    by_buyer = CompanyLineSerializer(many=True)


def cooperative_figures(figures):
    """The report page's Figures as plain data for CooperativeFiguresSerializer."""

    def lines(rows):
        return [
            {
                "ref": line.company.ref,
                "name": line.company.name,
                "consultations": line.consultations,
                "no_shows": line.no_shows,
                "leads": line.leads,
                "deals": line.deals,
                "consultation_value_usd": line.consultation_value,
                "deal_value_usd": line.deal_value,
            }
            for line in rows
        ]

    return {
        "rate": figures.rate,
        "exhibitors": figures.exhibitors,
        "buyers": figures.buyers,
        "consultations": figures.consultations,
        "no_shows": figures.no_shows,
        "no_show_rate": figures.no_show_rate,
        "leads": figures.leads,
        "consultation_value": figures.consultation_amounts,
        "deal_value": figures.deal_amounts,
        "interpreter_hours": figures.interpreter_hours,
        "matched": figures.matched,
        "matched_share": figures.matched_share,
        "funnel": [{"stage": stage, "consultations": count} for stage, _label, count in figures.funnel],
        "per_day": [{"day": day, "consultations": count} for day, count in figures.days],
        "by_exhibitor": lines(figures.exhibitor_lines()),
        "by_buyer": lines(figures.buyer_lines()),
    }


class ReportSerializer(serializers.Serializer):
    requested = serializers.IntegerField()
    accepted = serializers.IntegerField()
    held = serializers.IntegerField()
    no_show = serializers.IntegerField()
    upcoming = serializers.IntegerField()
    pending = serializers.IntegerField()
    declined = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    expired = serializers.IntegerField()
    outcomes = OutcomeCount(many=True)
    total_value_usd = serializers.DecimalField(max_digits=16, decimal_places=2)
    cooperative = CooperativeFiguresSerializer()


@extend_schema(responses=ReportSerializer)
class Report(GenericAPIView):
    """The meeting figures of the meetings report (and its CSV), and under `cooperative` the
    cooperative's report of the show: consultations, leads, values in USD/JPY/KRW at the
    show's rates, funnel, per day, per exhibitor and per buyer."""

    permission_classes = STAFF
    serializer_class = ReportSerializer

    def get(self, request, slug):
        exhibition = staff_exhibition(request.user, slug)
        figures = report_for(exhibition=exhibition)
        figures["outcomes"] = [
            {"outcome": kind, "label": str(label), "meetings": count} for kind, label, count in figures["outcomes"]
        ]
        figures["cooperative"] = cooperative_figures(report_selectors.report_for(exhibition))
        return Response(ReportSerializer(figures).data)
