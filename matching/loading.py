"""Load one exhibition into the engine's arrays with a handful of queries (no per-company
queries): participants, their HS codes and texts, the meeting history and dismissals."""

from collections import defaultdict

import numpy as np
from django.db.models import Q

from companies.models import Company
from exhibitions.models import BuyerRegistration, ExhibitorApplication, Meeting
from matching.engine.scoring import Companies, History
from matching.models import Suggestion

TEXT_FIELDS = ("keywords", "description_en", "description_ko", "description_ja")


def _codes_by_company(company_filter):
    codes = defaultdict(list)
    through = Company.hs_codes.through
    for company_id, code in through.objects.filter(company_filter).values_list("company_id", "hscode_id"):
        codes[company_id].append(code)
    return codes


def _companies(rows, codes, extra_codes, extra_text, extra_languages):
    rows = sorted(rows, key=lambda r: r[0])
    ids, hs, text, languages = [], [], [], []
    for company_id, *fields in rows:
        *texts, company_languages = fields
        ids.append(company_id)
        hs.append(sorted(set(codes.get(company_id, ())) | set(extra_codes.get(company_id, ()))))
        text.append(" ".join(t for t in [*texts, extra_text.get(company_id, "")] if t))
        languages.append(frozenset(company_languages.split()) | frozenset(extra_languages.get(company_id, "").split()))
    return Companies(np.asarray(ids, dtype=np.int64), hs, text, languages)


def _past_languages(meetings):
    """{company id: frozenset of language codes} for every company in `meetings`: what its
    profile says plus what it gave when registering or staffing a stand at any exhibition,
    so that the effect of a shared language can be learnt from past meetings."""
    buyers, exhibitors = meetings.values("buyer_id"), meetings.values("exhibitor_id")
    languages = defaultdict(set)
    for company_id, langs in Company.objects.filter(Q(pk__in=buyers) | Q(pk__in=exhibitors)).values_list(
        "id", "languages"
    ):
        languages[company_id].update(langs.split())
    for company_id, langs in BuyerRegistration.objects.filter(company_id__in=buyers).values_list(
        "company_id", "languages"
    ):
        languages[company_id].update(langs.split())
    for company_id, langs in ExhibitorApplication.objects.filter(company_id__in=exhibitors).values_list(
        "company_id", "stand_languages"
    ):
        languages[company_id].update(langs.split())
    return {company_id: frozenset(langs) for company_id, langs in languages.items() if langs}


def load_exhibition(exhibition, *, history_before=None, buyer_ids=None):
    """(exhibitors, buyers, history, excluded pairs) for `exhibition`.

    History is every held or declined meeting of other exhibitions (only those that started
    before `history_before`, for a temporal split) and suggestions dismissed elsewhere;
    `excluded` are this exhibition's dismissed or rejected pairs, never suggested again."""
    applications = ExhibitorApplication.objects.filter(
        exhibition=exhibition, status=ExhibitorApplication.Status.APPROVED
    )
    registrations = BuyerRegistration.objects.filter(exhibition=exhibition, status=BuyerRegistration.Status.APPROVED)
    if buyer_ids is not None:
        registrations = registrations.filter(company_id__in=buyer_ids)

    e_rows = list(applications.values_list("company_id", *(f"company__{f}" for f in TEXT_FIELDS), "company__languages"))
    e_extra_lang = dict(applications.values_list("company_id", "stand_languages"))
    e_products = defaultdict(list)
    for company_id, code in ExhibitorApplication.products.through.objects.filter(
        exhibitorapplication__in=applications
    ).values_list("exhibitorapplication__company_id", "hscode_id"):
        e_products[company_id].append(code)

    b_rows = list(
        registrations.values_list("company_id", *(f"company__{f}" for f in TEXT_FIELDS), "company__languages")
    )
    b_notes, b_lang = {}, {}
    for company_id, notes, langs in registrations.values_list("company_id", "sourcing_notes", "languages"):
        b_notes[company_id], b_lang[company_id] = notes, langs
    b_sourcing = defaultdict(list)
    for company_id, code in BuyerRegistration.sourcing.through.objects.filter(
        buyerregistration__in=registrations
    ).values_list("buyerregistration__company_id", "hscode_id"):
        b_sourcing[company_id].append(code)

    meetings = Meeting.objects.exclude(exhibition=exhibition).filter(status__in=["held", "declined"])
    dismissed = Suggestion.objects.exclude(exhibition=exhibition).filter(status=Suggestion.Status.DISMISSED)
    if history_before is not None:
        meetings = meetings.filter(exhibition__starts_on__lt=history_before)
        dismissed = dismissed.filter(exhibition__starts_on__lt=history_before)
    hb, he, kinds, when = [], [], [], []
    for buyer_id, exhibitor_id, status, outcome, starts_on in meetings.values_list(
        "buyer_id", "exhibitor_id", "status", "outcome", "exhibition__starts_on"
    ):
        hb.append(buyer_id)
        he.append(exhibitor_id)
        kinds.append(outcome or status)
        when.append(starts_on.toordinal())
    for buyer_id, exhibitor_id, starts_on in dismissed.values_list("buyer_id", "exhibitor_id", "exhibition__starts_on"):
        hb.append(buyer_id)
        he.append(exhibitor_id)
        kinds.append("dismissed")
        when.append(starts_on.toordinal())

    participant_ids = [r[0] for r in e_rows] + [r[0] for r in b_rows]
    codes = _codes_by_company(
        Q(company_id__in=participant_ids)
        | Q(company_id__in=meetings.values("buyer_id"))
        | Q(company_id__in=meetings.values("exhibitor_id"))
    )
    # Texts of past companies, so that calibration can tell how much texts say here.
    past_text = {
        company_id: " ".join(t for t in texts if t)
        for company_id, *texts in Company.objects.filter(
            Q(pk__in=meetings.values("buyer_id")) | Q(pk__in=meetings.values("exhibitor_id"))
        ).values_list("id", *TEXT_FIELDS)
    }
    history = History(
        np.asarray(hb, dtype=np.int64),
        np.asarray(he, dtype=np.int64),
        kinds,
        dict(codes),
        np.asarray(when, dtype=np.int64),
        past_text,
        _past_languages(meetings),
    )

    excluded = list(
        Suggestion.objects.filter(
            exhibition=exhibition, status__in=[Suggestion.Status.DISMISSED, Suggestion.Status.REJECTED]
        ).values_list("buyer_id", "exhibitor_id")
    )
    exhibitors = _companies(e_rows, codes, e_products, {}, e_extra_lang)
    buyers = _companies(b_rows, codes, b_sourcing, b_notes, b_lang)
    return exhibitors, buyers, history, excluded
