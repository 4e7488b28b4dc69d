"""Who may use lead capture, "we met" by scanning and the printed agendas (rows run by
test_matrix.py).

Every company of the world takes part in the show (see matrix_meetings.show). Leads are the
exhibitor company's own: its people read, change and export them; another exhibitor has a
leads page of its own but gets 404 on `exhibitor`'s lead; buyers and staff never see leads.
Staff at a table scan both badges; any participant scans the other side's badge. Each person
prints their own agenda, an exhibitor's people their booth's, staff every booth's.
"""

from exhibitions.models import Lead
from exhibitions.showfloor import badges
from tests.permissions import roles as r
from tests.permissions.matrix import Row
from tests.permissions.matrix_meetings import show, slug

OWN_EXHIBITOR = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER})


def a_lead(world):
    exhibition = show(world)
    lead = Lead.objects.create(
        exhibition=exhibition,
        exhibitor=world.exhibitor,
        buyer=world.buyer,
        person=world.user(r.BUYER_OWNER),
        note="Wants hot runners",
        captured_by=world.user(r.EXHIBITOR_OWNER),
    )
    return {"slug": exhibition.slug, "pk": lead.pk}


def buyer_token(world):
    return badges.badge_token(exhibition=show(world), user=world.user(r.BUYER_OWNER))


ROWS = [
    Row("exhibitions:leads", build=slug, allowed=r.EXHIBITOR_PEOPLE),
    Row("exhibitions:lead_capture", build=slug, allowed=r.EXHIBITOR_PEOPLE),
    Row(
        "exhibitions:lead_capture",
        method="post",
        label="pick a buyer",
        build=slug,
        data=lambda w: {"via": "person", "person": w.user(r.BUYER_OWNER).pk, "interest": "high"},
        allowed=r.EXHIBITOR_PEOPLE,
    ),
    Row(
        "exhibitions:lead_capture",
        method="post",
        label="scan a badge",
        build=slug,
        data=lambda w: {"via": "token", "token": buyer_token(w)},
        allowed=r.EXHIBITOR_PEOPLE,
    ),
    Row(
        "exhibitions:lead_capture",
        method="post",
        label="business card",
        build=slug,
        data=lambda w: {"via": "card", "card-visitor_name": "Aiko Sato", "card-interest": "low"},
        allowed=r.EXHIBITOR_PEOPLE,
    ),
    Row("exhibitions:lead_edit", build=a_lead, allowed=OWN_EXHIBITOR),
    Row(
        "exhibitions:lead_edit",
        method="post",
        build=a_lead,
        data=lambda w: {"interest": "low", "note": "Call back"},
        allowed=OWN_EXHIBITOR,
    ),
    Row("exhibitions:lead_delete", method="post", build=a_lead, data=lambda w: {}, allowed=OWN_EXHIBITOR),
    Row("exhibitions:leads_csv", build=slug, allowed=r.EXHIBITOR_PEOPLE),
    Row("exhibitions:leads_xlsx", build=slug, allowed=r.EXHIBITOR_PEOPLE),
    Row("exhibitions:meetings_met_scan", build=slug, allowed=r.COMPANY_PEOPLE | r.ORGANISERS),
    Row(
        "exhibitions:meetings_met_scan",
        method="post",
        build=slug,
        data=lambda w: {"token": buyer_token(w), "token2": buyer_token(w)},
        allowed=r.COMPANY_PEOPLE | r.ORGANISERS,
    ),
    Row("exhibitions:agenda_pdf", build=slug, allowed=r.COMPANY_PEOPLE),
    Row("exhibitions:booth_agenda_pdf", build=slug, allowed=r.EXHIBITOR_PEOPLE),
    Row("exhibitions:agendas_pdf", build=slug, allowed=r.ORGANISERS),
]
