"""Issue 5's journey in a real browser: staff run the matcher and watch a run finish, approve
suggestions (one with htmx, more in bulk), and the buyer, seeing its approved suggestions,
requests a meeting from one with a click."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibitions.models import Meeting
from matching.models import MatchRun, Suggestion
from tests import factories
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def make_show():
    cooperative = factories.CooperativeFactory()
    staff = factories.StaffFactory(email="staff@coop.example", cooperative=cooperative)
    buyer_user = factories.MembershipFactory(
        company=factories.BuyerFactory(ref="JP-0001", name_en="Tokai Auto Interior", hs=["848071"], languages="ja"),
        user=factories.UserFactory(email="buyer@tokai.example"),
    ).user
    exhibition = factories.ExhibitionFactory(cooperative=cooperative)
    hall = factories.HallFactory(exhibition=exhibition)
    makers = [
        ("KR-0001", "Hanil Precision Mold", ["848071"], "사출금형, 자동차 내장 부품"),
        ("KR-0002", "Daesung Press Die", ["820730"], "프레스금형"),
        ("KR-0003", "Busan Die Casting", ["848041"], "다이캐스팅 금형"),
    ]
    for n, (ref, name, codes, text) in enumerate(makers):
        company = factories.ExhibitorFactory(ref=ref, name_en=name, hs=codes, description_ko=text, languages="ko ja")
        booth = factories.BoothFactory(hall=hall, exhibition=exhibition, code=f"A-{n + 1:02d}")
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved", booth=booth)
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer_user.company)
    other = factories.BuyerFactory(ref="JP-0002", name_en="Osaka Stamping", hs=["8207"])
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=other)
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)
    slots = [
        factories.SlotFactory(
            exhibition=exhibition,
            starts_at=start + datetime.timedelta(minutes=30 * i),
            ends_at=start + datetime.timedelta(minutes=30 * (i + 1)),
        )
        for i in range(3)
    ]
    return exhibition, staff, buyer_user, slots


def test_staff_run_and_approve_then_the_buyer_requests_a_meeting(page, live_url):
    exhibition, staff, buyer_user, slots = make_show()
    login(page, staff.email, PASSWORD)

    # The exhibition page links to the matcher for organisers.
    page.goto(exhibition.get_absolute_url())
    page.locator(".matching-panel a", has_text="Matcher runs").click()
    expect(page).to_have_url(re.compile(rf"/matching/{exhibition.slug}/runs/$"))

    # Run the matcher (tasks run in-process in tests: the run is finished on the next page).
    page.get_by_role("button", name="Run matcher").click()
    expect(page.locator(".run-progress[data-status='finished']").first).to_be_visible()
    expect(page.locator(".run-progress").first).to_contain_text("Buyers: 2 · Exhibitors: 3")

    # Watching a run finish: a run in progress polls every second until it is done.
    running = MatchRun.objects.create(exhibition=exhibition, status="running", chunks_total=4, chunks_done=2)
    page.reload()
    bar = page.locator(f"#run-{running.pk}")
    expect(bar).to_have_attribute("data-status", "running")
    expect(bar.locator("progress")).to_have_attribute("value", "50")
    MatchRun.objects.filter(pk=running.pk).update(status="finished", chunks_done=4, finished_at=timezone.now())
    expect(page.locator(f"#run-{running.pk}")).to_have_attribute("data-status", "finished", timeout=5000)
    expect(page.locator(f"#run-{running.pk} progress")).to_have_attribute("value", "100")

    # Review: the reasons are in view; approve the buyer's best suggestion with one click (htmx).
    page.goto(f"/matching/{exhibition.slug}/review/")
    best = Suggestion.objects.get(buyer=buyer_user.company, rank=1)
    row = page.locator(f"#suggestion-{best.pk}")
    expect(row).to_contain_text("Hanil Precision Mold")
    expect(row).to_contain_text("(8480.71), which the buyer sources")
    row.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#suggestion-{best.pk} .badge")).to_have_text("Approved")
    # ... and another in bulk, with its checkbox.
    second = Suggestion.objects.filter(buyer=buyer_user.company, status="pending_review").order_by("rank").first()
    page.locator(f"#suggestion-{second.pk} input[type=checkbox]").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator(".messages")).to_contain_text("1 suggestion approved.")
    best.refresh_from_db()
    second.refresh_from_db()
    assert best.status == second.status == "approved"

    # The buyer sees its approved suggestions and requests a meeting from the best one.
    page.context.clear_cookies()
    login(page, buyer_user.email, PASSWORD)
    page.goto(exhibition.get_absolute_url())
    page.locator(".matching-panel a", has_text="Exhibitors for you").click()
    card = page.locator(f"#suggestion-{best.pk}")
    expect(card).to_contain_text("Hanil Precision Mold")
    expect(page.locator("article.suggestion")).to_have_count(2)
    card.get_by_role("link", name="Request a meeting").click()
    expect(page).to_have_url(re.compile(rf"/exhibitions/{exhibition.slug}/meetings/request/\?exhibitor=KR-0001$"))
    expect(page.locator("h1")).to_contain_text("Hanil Precision Mold")
    page.locator(f"input[name=slots][value='{slots[0].pk}']").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".messages")).to_contain_text("Your request was sent to Hanil Precision Mold")
    meeting = Meeting.objects.get(exhibition=exhibition, buyer=buyer_user.company)
    assert meeting.exhibitor.ref == "KR-0001" and meeting.status == "requested"
