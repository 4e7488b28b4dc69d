"""Reads that several views, tasks and the matcher need."""

from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, TextField, Value, Window
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation

from companies.models import TEXT_LANGUAGES, Certification, Company, HSCode, name_fallback_order
from companies.search import text_condition
from companies.templatetags.companies import hs_dotted, hs_label, hs_name, language_names

from .models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication


def participating_exhibitors(exhibition):
    """Exhibitor companies with an approved application for the exhibition."""
    return Company.objects.filter(
        applications__exhibition=exhibition, applications__status=ExhibitorApplication.Status.APPROVED
    )


def participating_buyers(exhibition):
    """Buyer companies whose registration for the exhibition is approved."""
    return Company.objects.filter(
        buyer_registrations__exhibition=exhibition, buyer_registrations__status=BuyerRegistration.Status.APPROVED
    )


# --- Exhibitions, floor plans and the exhibitor directory -----------------------------

DIRECTORY_SORTS = ("name", "city", "booth")


def exhibitions_for(user):
    """Exhibitions a person may see, upcoming first (drafts for organisers only)."""
    return Exhibition.objects.visible_to(user).upcoming_first().select_related("cooperative")


def exhibition_for(user, slug):
    """One exhibition, or 404 when it does not exist or is a draft the person may not see."""
    return get_object_or_404(Exhibition.objects.visible_to(user).select_related("cooperative"), slug=slug)


def directory_exhibition_for(user, slug):
    """The exhibition as far as its directory needs it (its id and directory version), under
    exhibition_for's rule: 404 when it does not exist or is a draft the person may not see.
    The API directory's cached answer costs this one query, without the organiser and the
    texts that exhibition_for reads for the pages (0.7 of 3.7 ms of CPU a request)."""
    return get_object_or_404(Exhibition.objects.visible_to(user).only("id", "directory_changed_at"), slug=slug)


def floorplan_for(exhibition):
    """[(hall, [booth, ...]), ...] with each booth's holder: two queries whatever the size."""
    halls = list(exhibition.halls.all())
    booths = (
        Booth.objects.filter(exhibition=exhibition)
        .select_related("application__company")
        .only(
            "code",
            "hall_id",
            "kind",
            "x",
            "y",
            "width_m",
            "depth_m",
            "price",
            "currency",
            "application__id",
            "application__status",
            "application__company__id",
            "application__company__name_en",
            "application__company__name_ko",
            "application__company__name_ja",
            "application__company__ref",
        )
        .order_by("y", "x", "code")
    )
    by_hall = {hall.pk: [] for hall in halls}
    for booth in booths:
        by_hall.setdefault(booth.hall_id, []).append(booth)
    return [(hall, by_hall[hall.pk]) for hall in halls]


def booths_of(exhibition):
    """The exhibition's booths with their hall and the application (and company) holding
    each, for the staff API's booth list: one query a page."""
    return Booth.objects.filter(exhibition=exhibition).select_related("hall", "application__company")


def booth_stats(exhibition):
    """{'total': n, 'filled': n} in one query."""
    return Booth.objects.filter(exhibition=exhibition).aggregate(
        total=Count("id"), filled=Count("application", filter=Q(application__isnull=False))
    )


def _in_reader_language(field):
    """`company__<field>_<lang>` in the reader's language, falling back like Company.name does."""
    order = name_fallback_order((translation.get_language() or "en")[:2])
    return Coalesce(
        *[NullIf(F(f"company__{field}_{code}"), Value("")) for code in order], Value(""), output_field=TextField()
    )


DIRECTORY_FIELDS = (
    "id",
    "company_id",
    "company__ref",
    "company__city",
    "company__country",
    "company__languages",
    "booth__code",
    "booth__hall__name",
)


# Searched in every language whatever the reader's: a buyer's 射出成形金型 finds the Korean
# exhibitor who wrote 사출금형 (companies/search.py reads the query through the glossary).
DIRECTORY_SEARCH_FIELDS = (
    "name_en",
    "name_ko",
    "name_ja",
    "keywords",
    "description_en",
    "description_ko",
    "description_ja",
)


def directory_sort_name():
    """The directory row's stored, indexed sort name in the reader's language
    (Company.sort_name_*): the name the directory sorts by, and the API's cursor holds."""
    language = (translation.get_language() or "en")[:2]
    return f"company__sort_name_{language if language in TEXT_LANGUAGES else 'en'}"


def directory_for(exhibition, filters):
    """Approved exhibitors of an exhibition, filtered and sorted as the directory asks, as
    light rows (dicts) ready to paginate; `directory_entries` completes one page of them.

    `filters`: q (words and glossary concepts in any language, each found in the name,
    keywords or description in any language, or by the concept's HS code), hs (an HS code prefix:
    chapter, heading or subheading), city, certification (id), language (code), sort
    (name, city, booth).
    """
    applications = ExhibitorApplication.objects.filter(
        exhibition=exhibition,
        status=ExhibitorApplication.Status.APPROVED,
        company__status=Company.Status.APPROVED,
    )
    q = (filters.get("q") or "").strip()
    if q:
        # A correlated EXISTS tests each exhibitor's text once, whatever plan the join gets
        # (a nested loop over stale statistics tested it once per application: 1.4 s for 300).
        matching = Company.objects.filter(
            text_condition(
                q,
                DIRECTORY_SEARCH_FIELDS,
                filed_under=lambda code: Exists(
                    Company.hs_codes.through.objects.filter(company_id=OuterRef("pk"), hscode__code__startswith=code)
                ),
            ),
            pk=OuterRef("company_id"),
        )
        applications = applications.filter(Exists(matching))
    hs = (filters.get("hs") or "").replace(".", "").strip()
    if hs:
        applications = applications.filter(
            Exists(
                Company.hs_codes.through.objects.filter(company_id=OuterRef("company_id"), hscode__code__startswith=hs)
            )
        )
    if filters.get("city"):
        applications = applications.filter(company__city__iexact=filters["city"])
    if filters.get("certification"):
        applications = applications.filter(
            Exists(
                Company.certifications.through.objects.filter(
                    company_id=OuterRef("company_id"), certification_id=filters["certification"]
                )
            )
        )
    if filters.get("language"):
        applications = applications.filter(company__languages__contains=filters["language"])
    applications = applications.annotate(
        name=_in_reader_language("name"), description=_in_reader_language("description")
    ).values(*DIRECTORY_FIELDS, "name", "description")
    # The stored, indexed sort key of the reader's language (Company.sort_name_*), not an
    # expression computed for every exhibitor on every uncached request.
    by_name = (directory_sort_name(), "company_id")
    sort = filters.get("sort") or "name"
    if sort == "city":
        return applications.order_by(Lower("company__city"), *by_name)
    if sort == "booth":
        return applications.order_by(F("booth__code").asc(nulls_last=True), *by_name)
    return applications.order_by(*by_name)


# Far beyond any exhibition (a million pages of exhibitors), far below a bigint OFFSET.
DIRECTORY_MAX_PAGE = 1_000_000


def directory_page(rows, number, size):
    """One page of `directory_for` rows and their total in one query (a window count beside
    each row) instead of a count and then the page. Like Paginator.get_page, a bad number
    reads the first page; a page past the end (no row to carry the total) costs a count and
    the last page."""
    try:
        # Capped: an absurd page number would overflow the database's OFFSET (bigint).
        number = min(max(int(number), 1), DIRECTORY_MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    paginator = Paginator(rows, size)
    start = (number - 1) * size
    page_rows = list(rows.annotate(total=Window(Count("*")))[start : start + size])
    if not page_rows and number > 1:
        return paginator.get_page(number)
    paginator.count = page_rows[0]["total"] if page_rows else 0  # what the count query would say
    return Page(page_rows, number, paginator)


HS_NAME_FIELDS = ("code", "description", "name_ko", "name_ja")


def _shortened(text, length):
    """`text` cut to `length` characters with an ellipsis, as Truncator.chars would, without
    its translation lookup on every call (70 µs each, 200 of them a directory page)."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def directory_entries(rows):
    """One page of directory rows with each company's HS codes (named, for the reader's
    language) and certifications and its URL: two queries for the whole page."""
    rows = list(rows)
    company_ids = [row["company_id"] for row in rows]
    codes, certifications = {}, {}
    for company_id, *code in (
        Company.hs_codes.through.objects.filter(company_id__in=company_ids)
        .order_by("hscode_id")
        .values_list("company_id", "hscode_id", "hscode__description", "hscode__name_ko", "hscode__name_ja")
    ):
        codes.setdefault(company_id, []).append(HSCode(**dict(zip(HS_NAME_FIELDS, code, strict=True))))
    for company_id, name in (
        Company.certifications.through.objects.filter(company_id__in=company_ids)
        .order_by("certification__name")
        .values_list("company_id", "certification__name")
    ):
        certifications.setdefault(company_id, []).append(name)
    company_url = reverse("companies:detail", kwargs={"ref": "__ref__"})
    language = translation.get_language()
    # Every text the template shows is made here, once: an uncached directory page is mostly
    # template rendering, and a filter call per tag of 30 exhibitors is what it spends it on.
    return [
        {
            "id": row["company_id"],
            "ref": row["company__ref"],
            "name": row["name"],
            "url": company_url.replace("__ref__", quote(row["company__ref"])),
            "city": row["company__city"],
            "country": row["company__country"],
            "languages": language_names(row["company__languages"]),
            "description": _shortened(row["description"], 180),
            "booth": row["booth__code"],
            "booth_query": quote(row["booth__code"] or ""),
            "hall": row["booth__hall__name"],
            "codes": [
                {
                    "code": code.code,
                    "label": hs_label(code, language),
                    "name": _shortened(hs_name(code, language), 36),
                    "dotted": hs_dotted(code),
                }
                for code in codes.get(row["company_id"], [])[:6]
            ],
            "certifications": certifications.get(row["company_id"], []),
        }
        for row in rows
    ]


def directory_api_entries(rows):
    """One page of `directory_for` rows as the API's directory entries (the fields of
    DirectoryEntrySerializer in exhibitions/api.py, in its order): plain dicts, two queries for
    the page. Unlike `directory_entries` it reads no HS names and builds no HSCode objects (the
    API lists codes by number only, the same first six), which was most of an uncached
    API request's time beside the serializer it also spares."""
    rows = list(rows)
    company_ids = [row["company_id"] for row in rows]
    codes, certifications = {}, {}
    for company_id, code in (
        Company.hs_codes.through.objects.filter(company_id__in=company_ids)
        .order_by("hscode_id")
        .values_list("company_id", "hscode_id")
    ):
        codes.setdefault(company_id, []).append(code)
    for company_id, name in (
        Company.certifications.through.objects.filter(company_id__in=company_ids)
        .order_by("certification__name")
        .values_list("company_id", "certification__name")
    ):
        certifications.setdefault(company_id, []).append(name)
    spoken = {}  # a page has few distinct language sets: each named once
    entries = []
    for row in rows:
        languages = row["company__languages"]
        if languages not in spoken:
            spoken[languages] = language_names(languages)
        entries.append(
            {
                "ref": row["company__ref"],
                "name": row["name"],
                "city": row["company__city"],
                "country": row["company__country"],
                "languages": spoken[languages],
                "description": _shortened(row["description"], 180),
                "booth": row["booth__code"],
                "hall": row["booth__hall__name"],
                "hs_codes": codes.get(row["company_id"], [])[:6],
                "certifications": certifications.get(row["company_id"], []),
            }
        )
    return entries


def directory_version(exhibition):
    """A value that changes whenever the directory of the exhibition may change (an
    application added, decided or given a booth, a booth or an exhibitor's profile changed):
    see exhibitions/signals.py. No query: it is a column of the exhibition."""
    return str(int(exhibition.directory_changed_at.timestamp() * 1e6))


def directory_choices(exhibition):
    """Cities and certifications present among the exhibition's exhibitors (two queries)."""
    companies = participating_exhibitors(exhibition)
    cities = sorted({city for city in companies.exclude(city="").values_list("city", flat=True) if city})
    certifications = list(Certification.objects.filter(companies__in=companies).distinct().order_by("name"))
    return cities, certifications


def applications_for_review(exhibition, status=None):
    """Applications of an exhibition for staff, newest first, with company and booth."""
    applications = (
        exhibition.applications.select_related("company", "booth")
        .annotate(representative_count=Count("representatives"))
        .order_by("-created_at", "-id")
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def registrations_for_review(exhibition, status=None):
    registrations = exhibition.buyer_registrations.select_related("company").order_by("-created_at", "-id")
    if status:
        registrations = registrations.filter(status=status)
    return registrations


def counts_by_status(queryset):
    """{status: count} in one query."""
    return dict(queryset.order_by().values_list("status").annotate(n=Count("id")))


def application_of(company, exhibition):
    """The company's application for the exhibition, or None."""
    if company is None:
        return None
    return ExhibitorApplication.objects.select_related("booth").filter(exhibition=exhibition, company=company).first()


def registration_of(company, exhibition):
    if company is None:
        return None
    return BuyerRegistration.objects.filter(exhibition=exhibition, company=company).first()


def exhibitor_rows(exhibition):
    """Approved exhibitors with everything the exports need, in a fixed number of queries."""
    return (
        exhibition.applications.approved()
        .select_related("company", "booth__hall")
        .prefetch_related("representatives", Prefetch("products", queryset=HSCode.objects.order_by("code")))
        .order_by(F("booth__code").asc(nulls_last=True), "company__name_en", "id")
    )


def buyer_rows(exhibition):
    """Buyer registrations (every status) with their sourcing codes, for the exports."""
    return (
        exhibition.buyer_registrations.select_related("company")
        .prefetch_related(Prefetch("sourcing", queryset=HSCode.objects.order_by("code")))
        .order_by("status", "company__name_en", "id")
    )


def exhibitions_of(company):
    """Public, current exhibitions the company takes part in (approved), with its booth for
    an exhibitor: a list of (exhibition, booth or None), soonest first."""
    live = [Exhibition.Status.OPEN, Exhibition.Status.CLOSED]
    if company.kind == Company.Kind.EXHIBITOR:
        applications = (
            ExhibitorApplication.objects.approved()
            .filter(company=company, exhibition__status__in=live)
            .select_related("exhibition", "booth")
            .order_by("exhibition__starts_on")
        )
        return [(a.exhibition, a.booth) for a in applications]
    registrations = (
        BuyerRegistration.objects.filter(
            company=company, status=BuyerRegistration.Status.APPROVED, exhibition__status__in=live
        )
        .select_related("exhibition")
        .order_by("exhibition__starts_on")
    )
    return [(r.exhibition, None) for r in registrations]
