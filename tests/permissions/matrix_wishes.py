"""Who may use the wishes, availability and interpreter pages (rows run by test_matrix.py).

Every company of the world takes part in the show (see matrix_meetings.show), so each
company's people have their own wishes and availability; the interpreter pool is for staff
of the show's cooperative (world.staff) and admins.
"""

from exhibitions.models import ExhibitorApplication, Interpreter
from tests.permissions import roles as r
from tests.permissions.matrix import Row
from tests.permissions.matrix_meetings import meeting, show, slug


def interpreter(world):
    exhibition = show(world)
    person = Interpreter.objects.create(exhibition=exhibition, ref="INT-1", name="Sato Yuki", languages="ja ko")
    world.extra["interpreter"] = person
    return {"slug": exhibition.slug, "pk": person.pk}


def application(world):
    exhibition = show(world)
    found = ExhibitorApplication.objects.get(exhibition=exhibition, company=world.exhibitor)
    return {"slug": exhibition.slug, "pk": found.pk}


def accepted_meeting_and_interpreter(world):
    kwargs = meeting("accepted")(world)
    world.extra["interpreter"] = Interpreter.objects.create(
        exhibition=show(world), ref="INT-2", name="Lee Ji-woo", languages="ja ko en"
    )
    return kwargs


ROWS = [
    Row("exhibitions:wishes", build=slug, allowed=r.COMPANY_PEOPLE),
    Row(
        "exhibitions:wish_set",
        method="post",
        label="buyer side",
        build=slug,
        data=lambda w: {"company": w.exhibitor.ref, "priority": "must"},
        allowed=r.BUYER_PEOPLE,
    ),
    Row(
        "exhibitions:wish_set",
        method="post",
        label="exhibitor side",
        build=slug,
        data=lambda w: {"company": w.buyer.ref, "priority": "want"},
        allowed=r.EXHIBITOR_PEOPLE,
    ),
    Row("exhibitions:availability", build=slug, allowed=r.COMPANY_PEOPLE),
    Row(
        "exhibitions:availability",
        method="post",
        label="visit days",
        build=slug,
        data=lambda w: {"action": "visit_days", "visit_days": [show(w).starts_on.isoformat()]},
        allowed=r.BUYER_PEOPLE,
    ),
    Row(
        "exhibitions:availability",
        method="post",
        label="stand languages",
        build=slug,
        data=lambda w: {"action": "languages", "stand_languages": ["ko", "ja"]},
        allowed=r.EXHIBITOR_PEOPLE,
    ),
    Row(
        "exhibitions:application_parallel",
        method="post",
        build=application,
        data=lambda w: {"parallel_meetings": 3},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:interpreters", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:interpreter_new", build=slug, allowed=r.ORGANISERS),
    Row(
        "exhibitions:interpreter_new",
        method="post",
        label="save",
        build=slug,
        data=lambda w: {"ref": "INT-9", "name": "Kim Hana", "languages": ["ko", "ja"]},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:interpreters_import", build=slug, allowed=r.ORGANISERS),
    Row("exhibitions:interpreter_edit", build=interpreter, allowed=r.ORGANISERS),
    Row("exhibitions:interpreter_delete", method="post", build=interpreter, allowed=r.ORGANISERS),
    Row("exhibitions:interpreter_reset_link", method="post", build=interpreter, allowed=r.ORGANISERS),
    Row(
        "exhibitions:meetings_interpreter",
        method="post",
        build=accepted_meeting_and_interpreter,
        data=lambda w: {"interpreter": w.extra["interpreter"].pk},
        allowed=r.ORGANISERS,
    ),
]

EXEMPT = {
    "exhibitions:interpreter_agenda": "the secret token in the URL is the only credential (tests/wishes/test_interpreters.py)",
    "exhibitions:interpreter_calendar": "the secret token in the URL is the only credential (tests/wishes/test_interpreters.py)",
}
