"""Staff mailings to a group (issue 13): the groups, preview and confirm, each recipient's
language, the organising cooperative only, progress, and fixed query counts."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import Notification
from exhibitions import mailings
from exhibitions.models import Mailing, Meeting
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = {
    "subject_en": "Set-up times",
    "body_en": "Hall A opens at 8.",
    "subject_ko": "설치 시간",
    "body_ko": "A홀은 8시에 엽니다.",
    "subject_ja": "",
    "body_ja": "",
}


def person(company, language="en"):
    return factories.MembershipFactory(company=company, user=factories.UserFactory(preferred_language=language)).user


@pytest.fixture
def show(staff):
    """Two exhibitors (one with a booked meeting), two buyers (one with visit days), one
    pending exhibitor; people in en/ko/ja."""
    exhibition = factories.ExhibitionFactory(cooperative=staff.cooperative)
    busy, idle, pending = factories.ExhibitorFactory(), factories.ExhibitorFactory(), factories.ExhibitorFactory()
    for company, status in ((busy, "approved"), (idle, "approved"), (pending, "submitted")):
        factories.ApplicationFactory(exhibition=exhibition, company=company, status=status)
    planned, unplanned = factories.BuyerFactory(), factories.BuyerFactory()
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=planned, visit_days=["2030-04-15"])
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=unplanned, visit_days=[])
    people = {
        "busy": person(busy, "ko"),
        "idle": person(idle, "ja"),
        "idle2": person(idle, "en"),
        "pending": person(pending),
        "planned": person(planned, "ja"),
        "unplanned": person(unplanned, "ko"),
    }
    slot = factories.SlotFactory(exhibition=exhibition)
    factories.MeetingFactory(
        exhibition=exhibition,
        buyer=planned,
        exhibitor=busy,
        status=Meeting.Status.ACCEPTED,
        slot=slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    return exhibition, people


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("everyone", {"busy", "idle", "idle2", "planned", "unplanned"}),
        ("exhibitors", {"busy", "idle", "idle2"}),
        ("exhibitors_without_meetings", {"idle", "idle2"}),
        ("buyers", {"planned", "unplanned"}),
        ("buyers_without_days", {"unplanned"}),
    ],
)
def test_groups(show, group, expected):
    exhibition, people = show
    names = {pk: name for name, user in people.items() for pk in [user.pk]}
    assert {names[u.pk] for u in mailings.recipients(exhibition, group)} == expected
    assert mailings.recipient_counts(exhibition, group)[0] == len(expected)


def url(exhibition):
    return reverse("exhibitions:mailings", kwargs={"slug": exhibition.slug})


def test_preview_then_confirm_sends_each_person_their_language(client, staff, show, django_capture_on_commit_callbacks):
    exhibition, people = show
    client.force_login(staff)
    response = client.post(url(exhibition), dict(TEXT, group="exhibitors", preview="1"))
    page = response.content.decode()
    assert response.status_code == 200 and "3 people will receive this email" in page
    assert "설치 시간" in page and page.count("Set-up times") >= 2  # ja falls back to English
    assert not Mailing.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(exhibition), dict(TEXT, group="exhibitors", send="1", confirmed_count=3))
    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert mailing.recipient_count == 3 and mailing.sent_by == staff and mailing.group == "exhibitors"
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {people[n].email for n in ("busy", "idle", "idle2")}
    assert by_person[people["busy"].email].subject == "설치 시간"
    assert by_person[people["busy"].email].body.startswith("A홀은 8시에 엽니다.")
    assert by_person[people["idle"].email].subject == "Set-up times"  # Japanese left empty: English
    assert by_person[people["idle2"].email].body.startswith("Hall A opens at 8.")
    page = client.get(url(exhibition)).content.decode()
    assert "Set-up times" in page and "All approved exhibitors" in page
    assert [(m.sent, m.failed) for m in mailings.mailings_with_progress(exhibition)] == [(3, 0)]


def test_a_changed_count_asks_to_confirm_again(client, staff, show):
    exhibition, _ = show
    client.force_login(staff)
    response = client.post(url(exhibition), dict(TEXT, group="exhibitors", send="1", confirmed_count=2))
    assert response.status_code == 200 and "changed since the preview" in response.content.decode()
    assert not Mailing.objects.exists() and not Notification.objects.exists()


def test_bad_input_shows_errors_and_keeps_the_text(client, staff, show):
    exhibition, _ = show
    client.force_login(staff)
    response = client.post(
        url(exhibition), {"group": "nobody", "subject_en": "", "body_en": "kept text", "subject_ko": "only subject"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "kept text" in page and "only subject" in page
    assert page.count("errorlist") >= 3 and not Mailing.objects.exists()


def test_staff_of_another_cooperative_get_404(client, show):
    exhibition, _ = show
    client.force_login(factories.StaffFactory())
    assert client.get(url(exhibition)).status_code == 404
    assert client.post(url(exhibition), dict(TEXT, group="everyone", send="1", confirmed_count=5)).status_code == 404
    assert not Mailing.objects.exists()


def test_one_mailing_reaches_a_person_once_even_if_queued_twice(show, staff, django_capture_on_commit_callbacks):
    exhibition, _ = show
    texts = dict.fromkeys(("en", "ko", "ja"), ("s", "b"))
    with django_capture_on_commit_callbacks(execute=True):
        mailing = mailings.mailing_send(exhibition=exhibition, group="buyers", texts=texts, by=staff)
    assert mailings.mailing_queue(mailing=mailing) == 0  # the task ran at commit; a second run adds nothing
    from exhibitions.tasks import queue_mailing

    assert queue_mailing.delay(mailing.pk).get() == 0
    assert Notification.objects.filter(mailing_ref=mailing.pk).count() == 2
    assert len(mail.outbox) == 2
    mailing.refresh_from_db()
    assert mailing.recipient_count == 2


@pytest.mark.parametrize("count", [2, 20])
def test_list_query_count_is_fixed(client, staff, show, count, django_assert_num_queries):
    exhibition, _ = show
    for i in range(count):
        m = Mailing.objects.create(
            exhibition=exhibition, group="buyers", subject_en=f"s{i}", body_en="b", sent_by=staff, recipient_count=2
        )
        for u in mailings.recipients(exhibition, "buyers"):
            Notification.objects.create(
                user=u, key=f"mailing:{m.pk}:{u.pk}", template="staff_mailing", mailing_ref=m.pk
            )
    client.force_login(staff)
    # session, membership (staff have none), user, exhibition, mailings with senders, progress
    with django_assert_num_queries(6):
        response = client.get(url(exhibition))
    assert response.content.decode().count("<progress") == count


def test_the_staff_pages_link_the_mailings_for_the_organisers_only(client, staff, show):
    exhibition, _ = show
    dashboard = reverse("exhibitions:dashboard", kwargs={"slug": exhibition.slug})
    client.force_login(staff)
    assert url(exhibition) in client.get(dashboard).content.decode()
    client.force_login(factories.StaffFactory())  # another cooperative's staff see the dashboard, not the link
    assert url(exhibition) not in client.get(dashboard).content.decode()
