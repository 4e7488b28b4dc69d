"""Who may use the matching pages (rows run by test_matrix.py).

Organisers review suggestions and run the matcher; a company sees only the approved
suggestions that concern it, and only the two companies of a suggestion may dismiss it."""

from matching.models import MatchRun, Suggestion
from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row

EXHIBITOR_SIDE = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER})


def show(world):
    if "matching_show" in world.extra:
        return world.extra["matching_show"]
    exhibition = factories.ExhibitionFactory(cooperative=world.cooperative)
    for company in (world.exhibitor, world.other_exhibitor):
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved")
    for company in (world.buyer, world.other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=company)
    suggestion = Suggestion.objects.create(
        exhibition=exhibition,
        buyer=world.buyer,
        exhibitor=world.exhibitor,
        score=0.8,
        rank=1,
        status=Suggestion.Status.APPROVED,
        reasons=[{"code": "hs_subheading", "hs": "848071"}],
    )
    pending = Suggestion.objects.create(
        exhibition=exhibition, buyer=world.other_buyer, exhibitor=world.exhibitor, score=0.5, rank=1
    )
    run = MatchRun.objects.create(exhibition=exhibition, status=MatchRun.Status.FINISHED)
    world.extra.update(matching_show=exhibition, suggestion=suggestion, pending=pending, run=run)
    return exhibition


def slug(world):
    return {"slug": show(world).slug}


ROWS = [
    Row("matching:review", build=slug, allowed=r.ORGANISERS),
    Row(
        "matching:review_decide",
        method="post",
        build=lambda w: {"slug": show(w).slug, "pk": w.extra["pending"].pk},
        data=lambda w: {"decision": "approve"},
        allowed=r.ORGANISERS,
    ),
    Row(
        "matching:review_bulk",
        method="post",
        build=slug,
        data=lambda w: {"decision": "approve", "ids": [w.extra["pending"].pk]},
        allowed=r.ORGANISERS,
    ),
    Row("matching:runs", build=slug, allowed=r.ORGANISERS),
    Row("matching:run_start", method="post", build=slug, data=lambda w: {}, allowed=r.ORGANISERS),
    Row(
        "matching:run_progress",
        build=lambda w: {"slug": show(w).slug, "pk": w.extra["run"].pk},
        allowed=r.ORGANISERS,
    ),
    Row("matching:for_me", build=slug, allowed=r.COMPANY_PEOPLE),
    Row(
        "matching:dismiss",
        method="post",
        build=lambda w: {"slug": show(w).slug, "pk": w.extra["suggestion"].pk},
        data=lambda w: {},
        allowed={r.BUYER_OWNER} | EXHIBITOR_SIDE,
    ),
]
