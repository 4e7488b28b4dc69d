"""Who may see the report (rows run by test_matrix.py).

Staff of the show's cooperative (and admins) see the show's report, its exports and its
exchange rates, and the cooperative's shows year over year. Each company sees its own
report only: `exhibitor` people theirs, `buyer_owner` theirs; `other_exhibitor` and
`other_buyer` take part too, yet get 404 for the others' reports.
"""

from tests.permissions import roles as r
from tests.permissions.matrix import Row
from tests.permissions.matrix_meetings import BUYER_SIDE, EXHIBITOR_SIDE, show, slug


def company(attribute):
    def build(world):
        return {"slug": show(world).slug, "ref": getattr(world, attribute).ref}

    return build


ROWS = [
    Row("exhibitions:report", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:report_xlsx", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:report_pdf", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:report_rates", build=slug, allowed=r.ORGANISERS),
    Row(
        "exhibitions:report_rates",
        method="post",
        label="save",
        build=slug,
        data=lambda w: {"jpy_per_usd": "151.5", "krw_per_usd": "1380"},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:report_years", allowed=r.ANY_STAFF),
    Row(
        "exhibitions:report_company",
        build=company("exhibitor"),
        label="exhibitor",
        allowed=EXHIBITOR_SIDE | r.ORGANISERS,
    ),
    Row("exhibitions:report_company", build=company("buyer"), label="buyer", allowed=BUYER_SIDE | r.ORGANISERS),
    Row(
        "exhibitions:report_company_pdf",
        build=company("exhibitor"),
        label="exhibitor",
        allowed=EXHIBITOR_SIDE | r.ORGANISERS,
    ),
    Row("exhibitions:report_company_pdf", build=company("buyer"), label="buyer", allowed=BUYER_SIDE | r.ORGANISERS),
]
