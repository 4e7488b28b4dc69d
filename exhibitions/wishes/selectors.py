"""Reads about wishes and availability: the wish controls on lists, "My wishes" and
"My availability". Each read is a fixed number of queries, whatever the number of rows."""

from django.db.models import Q

from companies.models import Company
from exhibitions.models import BuyerRegistration, ExhibitorApplication, Meeting, Unavailability, Wish

MUTUAL = {Wish.Priority.MUST, Wish.Priority.WANT}


def side_of_company(company):
    """The wish side a company speaks for, and the column that holds the other company."""
    if company.kind == Company.Kind.BUYER:
        return Wish.By.BUYER, "exhibitor"
    return Wish.By.EXHIBITOR, "buyer"


def my_wishes_about(exhibition, company, other_ids):
    """{other company id: priority} of `company`'s own wishes about `other_ids` (one query)."""
    if company is None:
        return {}
    by, other = side_of_company(company)
    own = "buyer" if other == "exhibitor" else "exhibitor"
    rows = Wish.objects.filter(
        exhibition=exhibition, by=by, **{own: company, f"{other}_id__in": list(other_ids)}
    ).values_list(f"{other}_id", "priority")
    return dict(rows)


def wish_rows(exhibition, company):
    """The "My wishes" page: one row per company on the other side that either side has a
    wish about, with `mine`, `theirs`, `mutual` and whether an open meeting exists (two
    queries, plus one for the companies)."""
    by, other = side_of_company(company)
    own = "buyer" if other == "exhibitor" else "exhibitor"
    wishes = Wish.objects.filter(exhibition=exhibition, **{own: company}).select_related(other)
    rows = {}
    for wish in wishes:
        other_company = getattr(wish, other)
        row = rows.setdefault(
            other_company.pk, {"company": other_company, "mine": "", "theirs": "", "open_meeting": None}
        )
        row["mine" if wish.by == by else "theirs"] = wish.priority
    open_meetings = Meeting.objects.filter(
        Q(status__in=Meeting.PENDING) | Q(status=Meeting.Status.ACCEPTED),
        exhibition=exhibition,
        **{own: company, f"{other}_id__in": list(rows)},
    ).values_list(f"{other}_id", "status")
    for other_id, status in open_meetings:
        rows[other_id]["open_meeting"] = status
    result = []
    for row in rows.values():
        row["mutual"] = row["mine"] in MUTUAL and row["theirs"] in MUTUAL
        result.append(row)
    order = {"must": 0, "want": 1, "": 2, "no": 3}
    result.sort(key=lambda r: (not r["mutual"], order[r["mine"]], order[r["theirs"]], str(r["company"].name)))
    return result


def registration_of(exhibition, company):
    return BuyerRegistration.objects.filter(
        exhibition=exhibition, company=company, status=BuyerRegistration.Status.APPROVED
    ).first()


def application_of(exhibition, company):
    return (
        ExhibitorApplication.objects.approved()
        .filter(exhibition=exhibition, company=company)
        .select_related("exhibition", "company")
        .first()
    )


def blocked_times(exhibition, company):
    return Unavailability.objects.filter(exhibition=exhibition, company=company).select_related("person")


def participating_exhibition_ids(company, exhibitions):
    """Of `exhibitions`, the ids where `company` takes part (approved), in one query."""
    ids = [e.pk for e in exhibitions]
    if company.kind == Company.Kind.BUYER:
        rows = BuyerRegistration.objects.filter(
            company=company, exhibition_id__in=ids, status=BuyerRegistration.Status.APPROVED
        )
    else:
        rows = ExhibitorApplication.objects.approved().filter(company=company, exhibition_id__in=ids)
    return set(rows.values_list("exhibition_id", flat=True))


def company_page_wishes(viewer_company, company, exhibitions):
    """For a company page: {exhibition id: the viewer's wish ("" for none)} at each shown
    exhibition where the viewer's company, of the other kind, takes part too (two queries)."""
    if viewer_company is None or viewer_company.kind == company.kind:
        return {}
    shared = participating_exhibition_ids(viewer_company, exhibitions)
    if not shared:
        return {}
    by, _other = side_of_company(viewer_company)
    pair = (
        {"buyer": viewer_company, "exhibitor": company}
        if by == Wish.By.BUYER
        else {"buyer": company, "exhibitor": viewer_company}
    )
    found = dict(Wish.objects.filter(exhibition_id__in=shared, by=by, **pair).values_list("exhibition_id", "priority"))
    return {exhibition_id: found.get(exhibition_id, "") for exhibition_id in shared}
