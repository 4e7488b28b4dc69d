"""The report's figures, computed from the database in a fixed number of queries.

Definitions (docs/report.md says the same in words):

- consultations: held meetings (status "held"; a meeting becomes held when a side records
  its outcome or says "we met").
- a meeting's value: the larger of the two sides' estimates (MeetingOutcome), converted to
  US dollars at the show's ExchangeRate; for imported history without outcome rows, the
  imported `deal_value_usd`.
- consultation value: the value of every consultation, whatever its stage.
- deal value: the value of the consultations whose outcome is "deal".
- no-show rate: no-shows / (consultations + no-shows).
- interpreter hours: the length of the consultations that had an interpreter assigned.
- the matcher's share: consultations whose buyer–exhibitor pair the matcher suggested and
  staff approved (matching.Suggestion, status approved).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from exhibitions.meetings.services import summarise_outcomes
from exhibitions.models import (
    BuyerRegistration,
    ExchangeRate,
    Exhibition,
    ExhibitorApplication,
    Lead,
    Meeting,
    MeetingOutcome,
)
from matching.models import Suggestion

ZERO = Decimal("0.00")
# The funnel: each stage holds the consultations that reached it or went further.
STAGES = (
    Meeting.Outcome.NO_INTEREST,
    Meeting.Outcome.FOLLOW_UP,
    Meeting.Outcome.QUOTATION,
    Meeting.Outcome.DEAL,
)


@dataclass
class Line:
    """One company's row in a breakdown (or one show's row year over year)."""

    company: object
    consultations: int = 0
    no_shows: int = 0
    leads: int = 0
    deals: int = 0
    consultation_value: Decimal = ZERO
    deal_value: Decimal = ZERO


@dataclass
class Figures:
    exhibition: object
    rate: object  # ExchangeRate or None
    exhibitors: int = 0
    buyers: int = 0
    booked: int = 0
    consultations: int = 0
    no_shows: int = 0
    leads: int = 0
    outcomes: Counter = field(default_factory=Counter)
    consultation_value: Decimal = ZERO
    deal_value: Decimal = ZERO
    unconverted: int = 0  # consultations with an estimate in JPY/KRW and no rate yet
    interpreter_minutes: int = 0
    per_day: dict = field(default_factory=dict)
    by_exhibitor: dict = field(default_factory=dict)
    by_buyer: dict = field(default_factory=dict)
    matched: int = 0
    matched_deals: int = 0
    matched_value: Decimal = ZERO
    matched_outcomes: Counter = field(default_factory=Counter)

    @property
    def no_show_rate(self):
        """No-shows as a share (0–1) of the meetings that were due to take place, or None."""
        due = self.consultations + self.no_shows
        return self.no_shows / due if due else None

    @property
    def interpreter_hours(self):
        return Decimal(self.interpreter_minutes) / 60

    @property
    def matched_share(self):
        return self.matched / self.consultations if self.consultations else None

    @property
    def funnel(self):
        """[(stage, label, consultations at that stage or further)], booked and held first."""
        rows = [("booked", None, self.booked), ("held", None, self.consultations)]
        for index, stage in enumerate(STAGES):
            reached = sum(self.outcomes[later] for later in STAGES[index:])
            rows.append((stage.value, stage.label, reached))
        return rows

    @property
    def outcome_rows(self):
        """[(outcome, label, consultations whose outcome is exactly that)], plus none reported."""
        rows = [(stage.value, stage.label, self.outcomes[stage]) for stage in STAGES]
        return rows + [("", None, self.outcomes[""])]

    @property
    def days(self):
        return sorted(self.per_day.items())

    def exhibitor_lines(self):
        return _sorted_lines(self.by_exhibitor)

    def buyer_lines(self):
        return _sorted_lines(self.by_buyer)

    @property
    def consultation_amounts(self):
        return self.in_currencies(self.consultation_value)

    @property
    def deal_amounts(self):
        return self.in_currencies(self.deal_value)

    def in_currencies(self, usd):
        """{currency: amount} of a USD amount: JPY and KRW only once staff entered rates."""
        return in_currencies(usd, self.rate)


def in_currencies(usd, rate):
    amounts = {"USD": usd}
    if rate is not None and usd is not None:
        amounts["JPY"] = (usd * rate.jpy_per_usd).quantize(Decimal("1"))
        amounts["KRW"] = (usd * rate.krw_per_usd).quantize(Decimal("1"))
    return amounts


def _sorted_lines(lines):
    return sorted(lines.values(), key=lambda line: (-line.consultation_value, -line.consultations, line.company.pk))


def latest_rates(exhibitions):
    """{exhibition id: its ExchangeRate in force}, one query."""
    rates = {}
    for rate in ExchangeRate.objects.filter(exhibition__in=exhibitions).order_by("exhibition_id", "-set_at", "-id"):
        rates.setdefault(rate.exhibition_id, rate)
    return rates


def figures_for(exhibitions, *, company=None):
    """{exhibition id: Figures} for `exhibitions` (a list), in seven queries whatever their
    size. With `company`, only that company's meetings and leads count (its own report), and
    the breakdowns list the companies it met."""
    exhibitions = list(exhibitions)
    ids = [e.pk for e in exhibitions]
    rates = latest_rates(ids)
    result = {e.pk: Figures(exhibition=e, rate=rates.get(e.pk)) for e in exhibitions}
    mine = Q()
    if company is not None:
        mine = Q(exhibitor=company) | Q(buyer=company)

    # Participants, with names for the breakdowns (two queries).
    for application in ExhibitorApplication.objects.filter(
        exhibition_id__in=ids, status=ExhibitorApplication.Status.APPROVED
    ).select_related("company"):
        figures = result[application.exhibition_id]
        figures.exhibitors += 1
        figures.by_exhibitor[application.company_id] = Line(application.company)
    for registration in BuyerRegistration.objects.filter(
        exhibition_id__in=ids, status=BuyerRegistration.Status.APPROVED
    ).select_related("company"):
        figures = result[registration.exhibition_id]
        figures.buyers += 1
        figures.by_buyer[registration.company_id] = Line(registration.company)

    # Leads (one query).
    lead_filter = Q(exhibitor=company) | Q(buyer=company) if company is not None else Q()
    for exhibition_id, exhibitor_id, buyer_id in Lead.objects.filter(lead_filter, exhibition_id__in=ids).values_list(
        "exhibition_id", "exhibitor_id", "buyer_id"
    ):
        figures = result[exhibition_id]
        figures.leads += 1
        for line in (figures.by_exhibitor.get(exhibitor_id), figures.by_buyer.get(buyer_id)):
            if line is not None:
                line.leads += 1

    # Booked meetings and both sides' outcomes (two queries).
    suggested = Suggestion.objects.filter(
        exhibition_id=OuterRef("exhibition_id"),
        buyer_id=OuterRef("buyer_id"),
        exhibitor_id=OuterRef("exhibitor_id"),
        status=Suggestion.Status.APPROVED,
    )
    meetings = list(
        Meeting.objects.filter(mine, exhibition_id__in=ids, status__in=Meeting.BOOKED)
        .annotate(suggested=Exists(suggested))
        .values(
            "id",
            "exhibition_id",
            "buyer_id",
            "exhibitor_id",
            "status",
            "outcome",
            "deal_value_usd",
            "starts_at",
            "ends_at",
            "interpreter_id",
            "suggested",
        )
    )
    said = defaultdict(list)
    for outcome in MeetingOutcome.objects.filter(
        meeting__in=Meeting.objects.filter(mine, exhibition_id__in=ids, status=Meeting.Status.HELD)
    ).only("meeting_id", "outcome", "estimated_value", "currency"):
        said[outcome.meeting_id].append(outcome)

    for row in meetings:
        _count(result[row["exhibition_id"]], row, said.get(row["id"]))
    return result


def _count(figures, row, outcomes):
    figures.booked += 1
    exhibitor = figures.by_exhibitor.get(row["exhibitor_id"])
    buyer = figures.by_buyer.get(row["buyer_id"])
    lines = [line for line in (exhibitor, buyer) if line is not None]
    if row["status"] == Meeting.Status.NO_SHOW:
        figures.no_shows += 1
        for line in lines:
            line.no_shows += 1
        return
    if row["status"] != Meeting.Status.HELD:
        return
    if outcomes:
        outcome, value = summarise_outcomes(outcomes, figures.rate)
        if value is None and any(o.estimated_value is not None for o in outcomes):
            figures.unconverted += 1
    else:  # imported history: the summary came with it
        outcome, value = row["outcome"], row["deal_value_usd"]
    value = value or ZERO
    is_deal = outcome == Meeting.Outcome.DEAL
    figures.consultations += 1
    figures.outcomes[outcome] += 1
    figures.consultation_value += value
    if is_deal:
        figures.deal_value += value
    if row["starts_at"]:
        day = row["starts_at"].astimezone(figures.exhibition.tzinfo).date()
        figures.per_day[day] = figures.per_day.get(day, 0) + 1
        if row["interpreter_id"] and row["ends_at"]:
            figures.interpreter_minutes += int((row["ends_at"] - row["starts_at"]).total_seconds() // 60)
    if row["suggested"]:
        figures.matched += 1
        figures.matched_outcomes[outcome] += 1
        figures.matched_value += value
        figures.matched_deals += is_deal
    for line in lines:
        line.consultations += 1
        line.consultation_value += value
        if is_deal:
            line.deals += 1
            line.deal_value += value


def report_for(exhibition, *, company=None):
    """The Figures of one show (of one company's part in it, with `company`), every day of
    the show listed in `per_day` even when nothing was held."""
    figures = figures_for([exhibition], company=company)[exhibition.pk]
    for day in exhibition.days:
        figures.per_day.setdefault(day, 0)
    return figures


def shows_of(user):
    """The shows whose figures `user` may compare year over year: their cooperative's (all
    for an admin), oldest first."""
    shows = Exhibition.objects.select_related("cooperative").order_by("starts_on", "pk")
    if not user.is_superuser:
        shows = shows.filter(cooperative_id=user.cooperative_id)
    return shows


def years_for(user):
    """[(year, [Figures of each show that year])], oldest first: the same headline figures
    for every show of the cooperative, in a fixed number of queries."""
    shows = list(shows_of(user))
    figures = figures_for(shows)
    years = defaultdict(list)
    for show in shows:
        years[show.starts_on.year].append(figures[show.pk])
    return sorted(years.items())


def year_totals(years):
    """[(year, Line-like totals)] summing each year's shows (values in USD)."""
    totals = []
    for year, shows in years:
        line = Line(company=None)
        line.exhibitors = sum(f.exhibitors for f in shows)
        line.buyers = sum(f.buyers for f in shows)
        line.consultations = sum(f.consultations for f in shows)
        line.no_shows = sum(f.no_shows for f in shows)
        line.leads = sum(f.leads for f in shows)
        line.deals = sum(f.outcomes[Meeting.Outcome.DEAL] for f in shows)
        line.consultation_value = sum((f.consultation_value for f in shows), ZERO)
        line.deal_value = sum((f.deal_value for f in shows), ZERO)
        totals.append((year, line))
    return totals


def counterparts(figures, company):
    """The lines of the companies `company` met, no-showed with or took leads from (the other
    side's breakdown of its own report), largest value first."""
    lines = figures.buyer_lines() if company.kind == "exhibitor" else figures.exhibitor_lines()
    return [line for line in lines if line.consultations or line.no_shows or line.leads]
