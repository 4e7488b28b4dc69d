"""The API's permission matrix: every URL in the `api` namespace, tried as each of the nine
roles of tests/permissions/roles.py. The house rule, as the API says it: an allowed role gets
through, a signed-in role that is not allowed gets 404 (nothing leaks), an anonymous caller
of a signed-in-only endpoint gets 401 (the API's "log in"). Lists show each role exactly the
rows the web pages show it: a buyer never sees another buyer's meetings."""

import json
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from companies.tokens import api_token_create
from exhibitions.interchange import dump_exhibition_data, export_exhibition_data
from exhibitions.models import ScheduleRun
from matching.models import MatchRun, Suggestion
from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix_meetings import BOTH_SIDES, meeting, show, slug
from tests.webhooks.api_rows import rows as webhook_api_rows


@dataclass
class ApiRow:
    name: str
    allowed: frozenset
    build: object = lambda world: {}
    method: str = "get"
    html: bool = False  # a web page (session), not an API endpoint (bearer token)
    # For lists: (world, role) -> the ids/slugs the role must see, compared with the response's.
    shows: object = None
    label: str = ""
    data: object = None  # (world) -> JSON body
    # Signed-in roles that may see the object but whom a rule refuses (409 meeting_rule), as
    # the web page shows them the meeting with an error.
    refused: frozenset = frozenset()
    # Signed-in only: an anonymous caller gets 401 (the API's "log in"), not 404.
    login: bool = False

    @property
    def id(self):
        return f"{self.name}{'-' + self.label if self.label else ''}"


def draft_exhibition(world):
    world.extra["draft"] = factories.ExhibitionFactory(status="draft", cooperative=world.cooperative)
    return {"slug": world.extra["draft"].slug}


def pending_company(world):
    company = factories.ExhibitorFactory(status="pending")
    factories.MembershipFactory(company=company, user=world.user(r.OUTSIDER))
    return {"ref": company.ref}


def booked_meeting(world):
    exhibition = factories.ExhibitionFactory(cooperative=world.cooperative)
    slot = factories.SlotFactory(exhibition=exhibition)
    booked = {"exhibition": exhibition, "status": "accepted", "slot": slot, "starts_at": slot.starts_at}
    world.extra["meeting"] = factories.MeetingFactory(buyer=world.buyer, exhibitor=world.exhibitor, **booked)
    world.extra["other_meeting"] = factories.MeetingFactory(
        buyer=world.other_buyer, exhibitor=world.other_exhibitor, **booked
    )
    return {"slug": exhibition.slug}


def agenda_ids(world, role):
    if role in {r.BUYER_OWNER, r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER}:
        return [world.extra["meeting"].pk]
    if role in {r.OTHER_BUYER, r.OTHER_EXHIBITOR}:
        return [world.extra["other_meeting"].pk]
    return []


def listed_exhibitions(world, role):
    return {world.extra["draft"].slug, world.extra["open"].slug} if role in r.ORGANISERS else {world.extra["open"].slug}


def exhibitions_with_draft(world):
    draft_exhibition(world)
    world.extra["open"] = factories.ExhibitionFactory(status="open")
    return {}


def requested_meeting(world):
    from exhibitions.meetings.services import meeting_request
    from tests.meetings.conftest import make_world

    show = make_world(exhibitor_user=world.user(r.EXHIBITOR_OWNER), buyer_user=world.user(r.BUYER_OWNER))
    world.extra["slot"] = show.slots[0]
    meeting = meeting_request(
        exhibition=show.exhibition,
        buyer_person=world.user(r.BUYER_OWNER),
        exhibitor=show.exhibitor,
        slots=show.slots[:2],
    )
    return {"slug": show.exhibition.slug, "pk": meeting.pk}


MEETING_SIDES = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER, r.BUYER_OWNER}) | r.ORGANISERS


def own_token(world):
    token, _secret = api_token_create(user=world.user(r.EXHIBITOR_OWNER), name="CRM", scope="read")
    return {"pk": token.pk}


ROWS = [
    ApiRow("api:schema", allowed=r.EVERYONE),
    ApiRow("api:docs", allowed=r.EVERYONE),
    ApiRow("api:exhibition_list", allowed=r.EVERYONE, build=exhibitions_with_draft, shows=listed_exhibitions),
    ApiRow("api:exhibition_detail", allowed=r.EVERYONE, build=lambda w: {"slug": factories.ExhibitionFactory().slug}),
    ApiRow("api:exhibition_detail", label="draft", allowed=r.ORGANISERS, build=draft_exhibition),
    ApiRow("api:directory", allowed=r.EVERYONE, build=lambda w: {"slug": factories.ExhibitionFactory().slug}),
    ApiRow("api:directory", label="draft", allowed=r.ORGANISERS, build=draft_exhibition),
    ApiRow("api:agenda", allowed=r.SIGNED_IN, build=booked_meeting, shows=agenda_ids),
    ApiRow(
        "api:meeting_accept",
        method="post",
        build=requested_meeting,
        data=lambda w: {"slot": w.extra["slot"].pk},
        allowed={r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER},
        refused=MEETING_SIDES - {r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER},
    ),
    ApiRow(
        "api:meeting_decline",
        method="post",
        build=requested_meeting,
        data=lambda w: {"reason": "Fully booked"},
        allowed={r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER},
        refused=MEETING_SIDES - {r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER},
    ),
    ApiRow(
        "api:meeting_cancel",
        method="post",
        build=requested_meeting,
        data=lambda w: {"reason": "Plans changed"},
        allowed={r.BUYER_OWNER} | r.ORGANISERS,
        refused={r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER},
    ),
    ApiRow("api:company_detail", allowed=r.EVERYONE, build=lambda w: {"ref": w.buyer.ref}),
    ApiRow("api:company_detail", label="pending", allowed={r.OUTSIDER} | r.ANY_STAFF, build=pending_company),
    ApiRow("api:hs_search", allowed=r.EVERYONE),
    ApiRow("api:tokens", allowed=r.SIGNED_IN, html=True),
    ApiRow("api:token_revoke", method="post", allowed={r.EXHIBITOR_OWNER}, build=own_token, html=True),
]

# The webhook endpoints' rows live with the webhooks (tests/webhooks/api_rows.py).
ROWS += webhook_api_rows(ApiRow)


# --- Rows of issue 14: a person's meetings, wishes, suggestions, own company; staff -----------


def my_meetings(world):
    kwargs = meeting("accepted")(world)
    world.extra["meeting_pk"] = kwargs["pk"]
    return {}


def my_meeting_ids(world, role):
    return [world.extra["meeting_pk"]] if role in BOTH_SIDES else []


def approved_suggestion(world):
    exhibition = show(world)
    world.extra["suggestion"] = Suggestion.objects.create(
        exhibition=exhibition, buyer=world.buyer, exhibitor=world.exhibitor, score=0.9, rank=1, status="approved"
    )
    return {"slug": exhibition.slug}


def suggestion_ids(world, role):
    return [world.extra["suggestion"].pk] if role in BOTH_SIDES else []


def submitted_application(world):
    exhibition = show(world)
    application = factories.ApplicationFactory(exhibition=exhibition, company=factories.ExhibitorFactory())
    return {"slug": exhibition.slug, "pk": application.pk}


def application_and_free_booth(world):
    exhibition = show(world)
    application = factories.ApplicationFactory(
        exhibition=exhibition, company=factories.ExhibitorFactory(), status="approved"
    )
    world.extra["booth"] = factories.BoothFactory(
        hall=exhibition.halls.first(), exhibition=exhibition, code="Z-99", kind=application.booth_kind
    )
    return {"slug": exhibition.slug, "pk": application.pk}


def pending_registration(world):
    exhibition = show(world)
    registration = factories.BuyerRegistrationFactory(
        exhibition=exhibition, company=factories.BuyerFactory(), status="pending"
    )
    return {"slug": exhibition.slug, "pk": registration.pk}


def match_run(world):
    exhibition = show(world)
    return {"slug": exhibition.slug, "pk": MatchRun.objects.create(exhibition=exhibition, status="done").pk}


def schedule_run(world):
    exhibition = show(world)
    return {"slug": exhibition.slug, "pk": ScheduleRun.objects.create(exhibition=exhibition, status="done").pk}


def exported_show(world):
    return json.loads(dump_exhibition_data(export_exhibition_data(exhibition=show(world))))


def staff_row(name, **kwargs):
    return ApiRow(name, allowed=r.ORGANISERS, login=True, build=kwargs.pop("build", slug), **kwargs)


ISSUE_14_ROWS = [
    ApiRow("api:meetings", allowed=r.SIGNED_IN, build=my_meetings, shows=my_meeting_ids),
    ApiRow("api:meeting_detail", build=meeting("proposed"), allowed=BOTH_SIDES | r.ORGANISERS),
    ApiRow(
        "api:meeting_request",
        method="post",
        build=slug,
        data=lambda w: {"exhibitor": w.exhibitor.ref, "slots": [w.extra["slots"][0].pk], "message": "Molds"},
        allowed=r.BUYER_PEOPLE,
    ),
    ApiRow(
        "api:meeting_reschedule",
        method="post",
        build=meeting("accepted"),
        data=lambda w: {"slot": w.extra["slots"][3].pk},
        allowed=BOTH_SIDES | r.ORGANISERS,
    ),
    ApiRow(
        "api:meeting_outcome",
        method="post",
        build=meeting("past"),
        data=lambda w: {"outcome": "deal", "estimated_value": 1000000, "currency": "JPY"},
        allowed=BOTH_SIDES,
    ),
    ApiRow("api:wishes", build=slug, allowed=r.COMPANY_PEOPLE, login=True),
    ApiRow(
        "api:wishes",
        label="buyer sets",
        method="post",
        build=slug,
        data=lambda w: {"company": w.exhibitor.ref, "priority": "must"},
        allowed=r.BUYER_PEOPLE,
        login=True,
    ),
    ApiRow(
        "api:wishes",
        label="exhibitor clears",
        method="post",
        build=slug,
        data=lambda w: {"company": w.buyer.ref, "priority": "clear"},
        allowed=r.EXHIBITOR_PEOPLE,
        login=True,
    ),
    ApiRow(
        "api:suggestions",
        build=approved_suggestion,
        allowed=r.COMPANY_PEOPLE,
        shows=suggestion_ids,
        login=True,
    ),
    ApiRow(
        "api:company_detail",
        label="edit",
        method="patch",
        build=lambda w: {"ref": w.exhibitor.ref},
        data=lambda w: {"city": "Incheon", "hs_codes": ["848071"]},
        allowed={r.EXHIBITOR_OWNER} | r.ANY_STAFF,
        login=True,
    ),
    staff_row("api:staff_applications"),
    staff_row(
        "api:staff_application_decide",
        method="post",
        build=submitted_application,
        data=lambda w: {"status": "approved"},
    ),
    staff_row(
        "api:staff_booth_assign",
        method="post",
        build=application_and_free_booth,
        data=lambda w: {"booth": w.extra["booth"].pk},
    ),
    staff_row("api:staff_registrations"),
    staff_row(
        "api:staff_registration_decide",
        method="post",
        build=pending_registration,
        data=lambda w: {"status": "approved"},
    ),
    staff_row("api:staff_booths"),
    staff_row("api:staff_data"),
    staff_row("api:staff_data", label="import", method="post", data=exported_show),
    staff_row("api:staff_match_runs"),
    staff_row("api:staff_match_runs", label="start", method="post", data=lambda w: {}),
    staff_row("api:staff_match_run", build=match_run),
    staff_row("api:staff_match_run_results", build=match_run),
    staff_row("api:staff_schedule_runs"),
    staff_row("api:staff_schedule_runs", label="start", method="post", data=lambda w: {"seconds": 5}),
    staff_row("api:staff_schedule_run", build=schedule_run),
    staff_row("api:staff_schedule_run_results", build=schedule_run),
    staff_row("api:staff_report"),
]
ROWS += ISSUE_14_ROWS


def api_url_names():
    names = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return {name for name in names if name.startswith("api:")}


def test_every_api_url_has_a_row():
    assert api_url_names() == {row.name for row in ROWS}


CASES = [(row, role) for row in ROWS for role in r.ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{row.id}-{role}" for row, role in CASES])
def test_api_permission(client, row, role):
    world = r.build_world()
    url = reverse(row.name, kwargs=row.build(world))
    user = world.user(role)
    headers = {}
    if user is not None and row.html:
        client.force_login(user)
    elif user is not None:
        _token, secret = api_token_create(user=user, name="matrix", scope="write")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if row.data is not None:
        headers.update(data=row.data(world), content_type="application/json")
    response = getattr(client, row.method)(url, **headers)

    if role in row.allowed:
        assert response.status_code in {200, 201, 202, 204, 302}, (response.status_code, response.content[:300])
        if row.html and response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
        if row.shows is not None:
            body = response.json()
            results = body["results"] if isinstance(body, dict) else body
            key = "slug" if "slug" in (results[0] if results else {}) else "id"
            got = [item[key] for item in results]
            expected = row.shows(world, role)
            assert (set(got) if isinstance(expected, set) else got) == expected
    elif role in row.refused:
        assert response.status_code == 409, (response.status_code, response.content[:300])
        assert response.json()["code"] == "meeting_rule"
    elif user is None and row.html:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif user is None and (
        row.login or row.allowed == r.SIGNED_IN or row.name.startswith(("api:meeting_", "api:webhook_"))
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    else:
        assert response.status_code == 404, (response.status_code, response.content[:300])
        if not row.html:
            assert response.json()["code"] == "not_found"
