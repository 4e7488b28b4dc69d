"""Reads for the matching pages: the review queue and a company's approved suggestions."""

from decimal import Decimal, InvalidOperation

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from companies.models import Company
from exhibitions.selectors import participating_buyers, participating_exhibitors
from matching.models import MatchRun, Suggestion

REVIEW_STATUSES = [s for s, _ in Suggestion.Status.choices]


def review_filters(params):
    """Clean filter values from a query dict: status, min_score (0–100, as scores are shown),
    hs (2, 4 or 6 digits), company. A bad value is left out (see `review_filter_errors`)."""
    status = params.get("status") or Suggestion.Status.PENDING_REVIEW
    if status not in REVIEW_STATUSES and status != "all":
        status = Suggestion.Status.PENDING_REVIEW
    try:
        min_score = min(100, max(0, int(Decimal(params.get("min_score") or "0"))))
    except (InvalidOperation, ValueError):
        min_score = 0
    hs = (params.get("hs") or "").strip()
    hs = hs if _is_hs_filter(hs) else ""
    company = (params.get("company") or "").strip()[:100]
    return {"status": status, "min_score": min_score, "hs": hs, "company": company}


def _is_hs_filter(value):
    return value.isascii() and value.isdigit() and len(value) in (2, 4, 6)


def review_filter_errors(params):
    """Messages for filter values that were left out, so a typo is not silently ignored."""
    errors = []
    raw_score = (params.get("min_score") or "").strip()
    try:
        if raw_score and not 0 <= Decimal(raw_score) <= 100:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(_("Minimum score: enter a number from 0 to 100."))
    hs = (params.get("hs") or "").strip()
    if hs and not _is_hs_filter(hs):
        errors.append(_("HS code: enter 2, 4 or 6 digits, e.g. 8480."))
    return errors


def review_queue(exhibition, filters):
    """Suggestions of the exhibition that match the filters, best first, with both companies."""
    qs = Suggestion.objects.filter(exhibition=exhibition).select_related("buyer", "exhibitor")
    if filters["status"] != "all":
        qs = qs.filter(status=filters["status"])
    if filters["min_score"]:
        qs = qs.filter(score__gte=filters["min_score"] / 100)
    if filters["hs"]:
        codes = Company.hs_codes.through.objects.filter(hscode__code__startswith=filters["hs"])
        qs = qs.filter(
            Exists(codes.filter(company_id=OuterRef("exhibitor_id")))
            | Exists(codes.filter(company_id=OuterRef("buyer_id")))
        )
    if filters["company"]:
        term = filters["company"]
        qs = qs.filter(
            Q(buyer__ref__iexact=term)
            | Q(exhibitor__ref__iexact=term)
            | Q(buyer__name_en__icontains=term)
            | Q(buyer__name_ko__icontains=term)
            | Q(buyer__name_ja__icontains=term)
            | Q(exhibitor__name_en__icontains=term)
            | Q(exhibitor__name_ko__icontains=term)
            | Q(exhibitor__name_ja__icontains=term)
        )
    return qs.order_by("-score", "buyer_id", "rank")


def approved_for(exhibition, company):
    """What a company may see: approved suggestions where it is the buyer (exhibitors for
    it) or the exhibitor (buyers looking for what it makes), the other company still taking
    part (an exhibitor that withdrew is no longer suggested)."""
    from exhibitions.selectors import participating_buyers, participating_exhibitors

    qs = Suggestion.objects.filter(exhibition=exhibition, status=Suggestion.Status.APPROVED)
    if company.kind == Company.Kind.BUYER:
        return (
            qs.filter(buyer=company, exhibitor__in=participating_exhibitors(exhibition).values("id"))
            .select_related("exhibitor")
            .order_by("rank", "-score")
        )
    return (
        qs.filter(exhibitor=company, buyer__in=participating_buyers(exhibition).values("id"))
        .select_related("buyer")
        .order_by("-score", "rank")
    )


def suggestions_of_run(run):
    """The suggestions a matcher run made or last updated, with both companies."""
    return Suggestion.objects.filter(exhibition_id=run.exhibition_id, run=run).select_related("buyer", "exhibitor")


def runs_of(exhibition, limit=20):
    return MatchRun.objects.filter(exhibition=exhibition).select_related("started_by")[:limit]


def top_suggestions(exhibition, top):
    """[(buyer ref, exhibitor ref, rank, score, status, reasons)]: the best `top` suggestions of
    each taking-part buyer with a taking-part exhibitor, buyers by ref, best first.

    The database ranks within each buyer (a window) and returns only the kept rows, with a
    plain cursor: the export no longer walks every suggestion through a server-side cursor,
    whose fast-start plan on stale statistics looped over companies × suggestions (48 s at
    3,800 × 1,460 before an ANALYZE). Four queries whatever the size.
    """
    buyers = dict(participating_buyers(exhibition).values_list("id", "ref"))
    exhibitors = dict(participating_exhibitors(exhibition).values_list("id", "ref"))
    if not buyers or not exhibitors:
        return []
    ranked = (
        Suggestion.objects.filter(exhibition=exhibition, buyer_id__in=list(buyers), exhibitor_id__in=list(exhibitors))
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("buyer_id")],
                order_by=[F("score").desc(), F("exhibitor__ref").asc()],
            )
        )
        .filter(position__lte=top)
        .values_list("buyer_id", "exhibitor_id", "position", "score", "status", "reasons")
    )
    rows = [(buyers[b], exhibitors[e], pos, score, status, reasons) for b, e, pos, score, status, reasons in ranked]
    rows.sort(key=lambda row: (row[0], row[2]))
    return rows
