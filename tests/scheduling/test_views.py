"""The scheduler's staff pages by persona, their forms and errors, and query counts."""

import pytest
from django.urls import reverse

from exhibitions.models import DraftMeeting, ScheduleRun
from exhibitions.scheduling import services, tasks
from tests import factories

from .conftest import add_buyer, make_show, wish

pytestmark = pytest.mark.django_db


@pytest.fixture
def coop_staff(db):
    return factories.StaffFactory()


@pytest.fixture
def show(coop_staff):
    return make_show(cooperative=coop_staff.cooperative)


def url(show, name="schedule", **kwargs):
    return reverse(f"exhibitions:{name}", kwargs={"slug": show.exhibition.slug, **kwargs})


def scheduled(show, seconds=1):
    for buyer in show.buyers:
        for exhibitor in show.exhibitors:
            wish(show, buyer, exhibitor, "want")
    run = services.schedule_run_start(exhibition=show.exhibition, by=None, seconds=seconds, queue=False)
    tasks.run_schedule(run.pk)
    run.refresh_from_db()
    return run


def test_staff_of_the_cooperative_see_the_scheduler(client, show, coop_staff):
    run = scheduled(show)
    client.force_login(coop_staff)
    response = client.get(url(show))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft schedule" in body and f"{run.placed} of {run.pairs} wished pairs" in body
    assert f"{run.ratio_percent}%" in body
    assert show.buyers[0].name in body


@pytest.mark.parametrize("persona", ["other_staff", "exhibitor", "buyer", "outsider"])
def test_others_get_404(client, show, persona, outsider):
    user = {
        "other_staff": factories.StaffFactory(),  # staff of another cooperative
        "exhibitor": show.owners[show.exhibitors[0].pk],
        "buyer": show.owners[show.buyers[0].pk],
        "outsider": outsider,
    }[persona]
    client.force_login(user)
    for name in ("schedule", "schedule_agenda", "schedule_unplaced"):
        assert client.get(url(show, name)).status_code == 404
    assert client.post(url(show, "schedule_start"), {"seconds": 5}).status_code == 404
    assert client.post(url(show, "schedule_publish")).status_code == 404
    assert not ScheduleRun.objects.exists()


def test_anonymous_is_sent_to_log_in(client, show):
    response = client.get(url(show))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_may_schedule_any_exhibition(client, show, admin_user):
    client.force_login(admin_user)
    assert client.get(url(show)).status_code == 200


def test_start_runs_and_shows_progress(client, show, coop_staff, django_capture_on_commit_callbacks):
    wish(show, show.buyers[0], show.exhibitors[0], "must")
    client.force_login(coop_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(show, "schedule_start"), {"seconds": 1})
    assert response.status_code == 302
    run = ScheduleRun.objects.get()
    assert run.status == "done" and run.started_by == coop_staff and run.seconds == 1
    progress = client.get(url(show, "schedule_run_progress", pk=run.pk), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"


def test_progress_polls_while_running(client, show, coop_staff):
    run = services.schedule_run_start(exhibition=show.exhibition, by=coop_staff, seconds=5, queue=False)
    services.run_claim(run_id=run.pk)
    client.force_login(coop_staff)
    response = client.get(url(show, "schedule_run_progress", pk=run.pk), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert "HX-Refresh" not in response
    page = client.get(url(show))
    assert "Run the scheduler" not in page.content.decode().split("Latest result")[0].split("<h2>")[-1]


@pytest.mark.parametrize("seconds", ["", "0", "601", "soon"])
def test_bad_time_limit_is_a_field_error(client, show, coop_staff, seconds):
    client.force_login(coop_staff)
    response = client.post(url(show, "schedule_start"), {"seconds": seconds})
    assert response.status_code == 400
    assert response.context["start_form"].errors["seconds"]
    assert not ScheduleRun.objects.exists()


def test_a_second_start_while_running_is_refused_clearly(client, show, coop_staff):
    services.schedule_run_start(exhibition=show.exhibition, by=coop_staff, seconds=5, queue=False)
    client.force_login(coop_staff)
    response = client.post(url(show, "schedule_start"), {"seconds": 5})
    assert response.status_code == 400
    assert "already running" in str(response.context["start_form"].non_field_errors())
    assert ScheduleRun.objects.count() == 1


def test_lock_unlock_delete(client, show, coop_staff):
    scheduled(show)
    draft = DraftMeeting.objects.first()
    client.force_login(coop_staff)
    client.post(url(show, "schedule_draft_lock", pk=draft.pk), {"locked": "1"})
    draft.refresh_from_db()
    assert draft.locked
    client.post(url(show, "schedule_draft_lock", pk=draft.pk), {"locked": "0"})
    draft.refresh_from_db()
    assert not draft.locked
    response = client.post(url(show, "schedule_draft_delete", pk=draft.pk))
    assert response.status_code == 302
    assert not DraftMeeting.objects.filter(pk=draft.pk).exists()


def test_a_draft_of_another_exhibition_is_404(client, show, coop_staff):
    other = make_show(cooperative=coop_staff.cooperative)
    scheduled(other)
    draft = DraftMeeting.objects.first()
    client.force_login(coop_staff)
    assert client.post(url(show, "schedule_draft_delete", pk=draft.pk)).status_code == 404
    assert DraftMeeting.objects.filter(pk=draft.pk).exists()


def test_move_a_draft_to_a_free_slot_and_table(client, show, coop_staff):
    b0, e0 = show.buyers[0], show.exhibitors[0]
    draft = DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=b0, exhibitor=e0, slot=show.slots[0], booth=show.applications[e0.pk].booth
    )
    client.force_login(coop_staff)
    assert client.get(url(show, "schedule_draft_move", pk=draft.pk)).status_code == 200
    response = client.post(
        url(show, "schedule_draft_move", pk=draft.pk), {"slot": show.slots[5].pk, "place": "table-2"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.slot, draft.table, draft.booth, draft.locked) == (show.slots[5], show.tables[1], None, True)


def test_move_refuses_a_taken_buyer_and_place_with_field_errors(client, show, coop_staff):
    b0, b1, e0, e1 = show.buyers[0], show.buyers[1], show.exhibitors[0], show.exhibitors[1]
    booth0 = show.applications[e0.pk].booth
    draft = DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=b0, exhibitor=e0, slot=show.slots[0], booth=booth0
    )
    DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=b0, exhibitor=e1, slot=show.slots[1], booth=show.applications[e1.pk].booth
    )
    DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=b1, exhibitor=e1, slot=show.slots[2], table=show.tables[0]
    )
    client.force_login(coop_staff)
    move = url(show, "schedule_draft_move", pk=draft.pk)
    response = client.post(move, {"slot": show.slots[1].pk, "place": "booth"})
    assert response.status_code == 400
    assert "The buyer already has a meeting at that time." in response.context["form"].errors["slot"]
    response = client.post(move, {"slot": show.slots[2].pk, "place": "table-1"})
    assert "That table is already taken at that time." in response.context["form"].errors["place"]
    response = client.post(move, {"slot": "", "place": "nowhere"})
    assert set(response.context["form"].errors) == {"slot", "place"}
    draft.refresh_from_db()
    assert draft.slot == show.slots[0] and draft.booth == booth0  # nothing changed


def test_move_refuses_a_day_the_buyer_is_away(client, show, coop_staff):
    first_day = show.exhibition.starts_on.isoformat()
    buyer = add_buyer(show, visit_days=[first_day])
    e0 = show.exhibitors[0]
    draft = DraftMeeting.objects.create(
        exhibition=show.exhibition, buyer=buyer, exhibitor=e0, slot=show.slots[0], booth=show.applications[e0.pk].booth
    )
    client.force_login(coop_staff)
    response = client.post(url(show, "schedule_draft_move", pk=draft.pk), {"slot": show.slots[4].pk, "place": "booth"})
    assert response.context["form"].errors["slot"] == ["The buyer is not at the exhibition that day."]


def test_agenda_preview_and_unplaced(client, show, coop_staff):
    run = scheduled(show)
    client.force_login(coop_staff)
    buyer = show.buyers[0]
    response = client.get(url(show, "schedule_agenda"), {"company": buyer.pk})
    assert response.status_code == 200
    assert len(response.context["rows"]) == DraftMeeting.objects.filter(buyer=buyer).count() > 0
    assert client.get(url(show, "schedule_agenda"), {"company": factories.BuyerFactory().pk}).status_code == 404
    response = client.get(url(show, "schedule_unplaced"))
    assert response.status_code == 200 and response.context["page"].paginator.count == len(run.unplaced)


def _drafts(show, count):
    """`count` draft meetings on the first day (new buyers, tables reused across slots)."""
    slots = show.slots[:4]
    exhibitor = show.exhibitors[0]
    for n in range(count):
        buyer = factories.BuyerFactory()
        table = factories.MeetingTableFactory(exhibition=show.exhibition, number=100 + n)
        DraftMeeting.objects.create(
            exhibition=show.exhibition, buyer=buyer, exhibitor=exhibitor, slot=slots[n % 4], table=table
        )


@pytest.mark.parametrize("count", [5, 200])
def test_draft_page_queries_do_not_grow(client, show, coop_staff, django_assert_num_queries, count):
    _drafts(show, count)
    client.force_login(coop_staff)
    client.get(url(show))  # warm the session and caches
    with django_assert_num_queries(10):
        response = client.get(url(show))
    assert response.status_code == 200
    assert response.content.decode().count('id="draft-') == count
