"""The review queue, run pages and the suggestions participants see: permissions, htmx,
bulk review, filters, query counts, and reasons in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.models import MatchRun, Suggestion
from matching.reasons import render_reason, render_reasons_english
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(exhibitor_owner, buyer_owner, other_buyer):
    exhibition = factories.ExhibitionFactory()
    factories.ApplicationFactory(exhibition=exhibition, company=exhibitor_owner.company, status="approved")
    for user in (buyer_owner, other_buyer):
        factories.BuyerRegistrationFactory(exhibition=exhibition, company=user.company)
    return exhibition


def suggest(exhibition, buyer, exhibitor, status="pending_review", score=0.7, rank=1, reasons=None):
    return Suggestion.objects.create(
        exhibition=exhibition,
        buyer=buyer,
        exhibitor=exhibitor,
        status=status,
        score=score,
        rank=rank,
        reasons=reasons if reasons is not None else [{"code": "hs_subheading", "hs": "848071"}],
    )


def many(exhibition, buyer, n, status="pending_review"):
    exhibitors = factories.ExhibitorFactory.create_batch(n)
    for exhibitor in exhibitors:
        factories.ApplicationFactory(exhibition=exhibition, company=exhibitor, status="approved")
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                exhibition=exhibition,
                buyer=buyer,
                exhibitor=e,
                status=status,
                score=0.5,
                rank=i + 1,
                reasons=[{"code": "hs_heading", "hs": "8480"}, {"code": "language", "lang": "ja"}],
            )
            for i, e in enumerate(exhibitors)
        ]
    )


# ---------------------------------------------------------------- permissions


def test_review_is_for_organisers_only(client, show, staff, buyer_owner, exhibitor_owner, outsider):
    url = reverse("matching:review", kwargs={"slug": show.slug})
    assert client.get(url).status_code == 302  # anonymous: log in
    for user in (buyer_owner, exhibitor_owner, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(reverse("matching:run_start", kwargs={"slug": show.slug})).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_buyer_sees_only_approved_suggestions_for_its_own_company(
    client, show, buyer_owner, other_buyer, exhibitor_owner
):
    exhibitor = exhibitor_owner.company
    other_exhibitor = factories.ExhibitorFactory(name_en="Hidden Pending")
    approved = suggest(show, buyer_owner.company, exhibitor)
    approved.status = "approved"
    approved.save()
    suggest(show, buyer_owner.company, other_exhibitor)  # pending: not shown
    third = factories.ExhibitorFactory(name_en="Someone Elses")
    suggest(show, other_buyer.company, third, status="approved")
    client.force_login(buyer_owner)
    page = client.get(reverse("matching:for_me", kwargs={"slug": show.slug})).content.decode()
    assert exhibitor.name in page
    assert "Hidden Pending" not in page and "Someone Elses" not in page
    assert "Makes Moulds; for rubber or plastics, injecti… (8480.71), which the buyer sources" in page
    request_url = reverse("exhibitions:meetings_request", kwargs={"slug": show.slug}) + f"?exhibitor={exhibitor.ref}"
    assert request_url in page


def test_exhibitor_sees_buyers_looking_for_what_it_makes(client, show, buyer_owner, exhibitor_owner):
    suggest(show, buyer_owner.company, exhibitor_owner.company, status="approved")
    client.force_login(exhibitor_owner)
    page = client.get(reverse("matching:for_me", kwargs={"slug": show.slug})).content.decode()
    assert "Buyers looking for what you make" in page
    assert buyer_owner.company.get_absolute_url() in page


def test_dismiss_only_own_approved_suggestions(client, show, buyer_owner, other_buyer, exhibitor_owner):
    mine = suggest(show, buyer_owner.company, exhibitor_owner.company, status="approved")
    url = reverse("matching:dismiss", kwargs={"slug": show.slug, "pk": mine.pk})
    client.force_login(other_buyer)
    assert client.post(url).status_code == 404
    client.force_login(buyer_owner)
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    mine.refresh_from_db()
    assert mine.status == "dismissed" and mine.dismissed_by == buyer_owner
    assert client.post(url).status_code == 404  # no longer approved


def test_for_me_without_a_company_is_404(client, show, outsider):
    client.force_login(outsider)
    assert client.get(reverse("matching:for_me", kwargs={"slug": show.slug})).status_code == 404


# ---------------------------------------------------------------- review


def test_approve_one_with_htmx_returns_the_row(client, show, staff, buyer_owner, exhibitor_owner):
    s = suggest(show, buyer_owner.company, exhibitor_owner.company)
    client.force_login(staff)
    url = reverse("matching:review_decide", kwargs={"slug": show.slug, "pk": s.pk})
    response = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="suggestion-{s.pk}"' in response.content.decode()
    s.refresh_from_db()
    assert s.status == "approved" and s.reviewed_by == staff and s.reviewed_at
    assert client.post(url, {"decision": "maybe"}).status_code == 400


def test_reject_one_without_htmx_redirects(client, show, staff, buyer_owner, exhibitor_owner):
    s = suggest(show, buyer_owner.company, exhibitor_owner.company)
    client.force_login(staff)
    url = reverse("matching:review_decide", kwargs={"slug": show.slug, "pk": s.pk})
    assert client.post(url, {"decision": "reject"}).status_code == 302
    s.refresh_from_db()
    assert s.status == "rejected"


def test_suggestion_of_another_exhibition_is_404(client, show, staff, buyer_owner, exhibitor_owner):
    elsewhere = suggest(factories.ExhibitionFactory(), buyer_owner.company, exhibitor_owner.company)
    client.force_login(staff)
    url = reverse("matching:review_decide", kwargs={"slug": show.slug, "pk": elsewhere.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_bulk_approve_selected(client, show, staff, buyer_owner):
    many(show, buyer_owner.company, 4)
    ids = list(Suggestion.objects.values_list("pk", flat=True).order_by("pk"))
    client.force_login(staff)
    response = client.post(
        reverse("matching:review_bulk", kwargs={"slug": show.slug}), {"decision": "approve", "ids": ids[:2]}
    )
    assert response.status_code == 302
    assert list(Suggestion.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "pending_review",
        "pending_review",
    ]


def test_bulk_without_selection_says_so(client, show, staff):
    client.force_login(staff)
    response = client.post(
        reverse("matching:review_bulk", kwargs={"slug": show.slug}), {"decision": "approve"}, follow=True
    )
    assert "Select at least one suggestion." in response.content.decode()


def test_bulk_approve_all_matching_the_filter(client, show, staff, buyer_owner, exhibitor_owner):
    moulds = factories.ExhibitorFactory(name_en="Mould Maker", hs=["848071"])
    press = factories.ExhibitorFactory(name_en="Press Maker", hs=["820730"])
    low = factories.ExhibitorFactory(name_en="Low Score", hs=["848079"])
    a = suggest(show, buyer_owner.company, moulds, score=0.9)
    b = suggest(show, buyer_owner.company, press, score=0.9)
    c = suggest(show, buyer_owner.company, low, score=0.2)
    client.force_login(staff)
    data = {"decision": "approve", "scope": "filter", "hs": "8480", "min_score": "50", "status": "pending_review"}
    client.post(reverse("matching:review_bulk", kwargs={"slug": show.slug}), data)
    statuses = {s.pk: s.status for s in Suggestion.objects.all()}
    assert statuses == {a.pk: "approved", b.pk: "pending_review", c.pk: "pending_review"}


def test_review_filters(client, show, staff, buyer_owner):
    moulds = factories.ExhibitorFactory(name_en="Mould Maker", hs=["848071"])
    press = factories.ExhibitorFactory(name_en="Press Maker", hs=["820730"])
    suggest(show, buyer_owner.company, moulds, score=0.9)
    suggest(show, buyer_owner.company, press, score=0.3)
    client.force_login(staff)
    url = reverse("matching:review", kwargs={"slug": show.slug})
    page = client.get(url, {"hs": "82"}).content.decode()
    assert "Press Maker" in page and "Mould Maker" not in page
    page = client.get(url, {"min_score": "50"}).content.decode()  # scores show as 0-100
    assert "Mould Maker" in page and "Press Maker" not in page
    page = client.get(url, {"company": "press"}).content.decode()
    assert "Press Maker" in page and "Mould Maker" not in page
    page = client.get(url, {"min_score": "lots", "hs": "abc"}).content.decode()  # bad input: named, left out
    assert "Press Maker" in page and "Mould Maker" in page
    assert "Minimum score: enter a number from 0 to 100." in page and "HS code: enter 2, 4 or 6 digits" in page


@pytest.mark.parametrize("rows", [5, 200])
def test_review_queue_query_count_is_fixed(client, show, staff, buyer_owner, django_assert_num_queries, rows):
    many(show, buyer_owner.company, rows)
    client.force_login(staff)
    url = reverse("matching:review", kwargs={"slug": show.slug})
    # session, user, membership, exhibition, active run, count, rows
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_for_me_query_count_is_fixed(client, show, buyer_owner, django_assert_num_queries, rows):
    many(show, buyer_owner.company, rows, status="approved")
    client.force_login(buyer_owner)
    url = reverse("matching:for_me", kwargs={"slug": show.slug})
    # session, user, membership, exhibition, count, rows, the buyer's wishes about them
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------- runs


def test_run_start_then_progress_fragment(client, show, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:run_start", kwargs={"slug": show.slug}))
    assert response.status_code == 302
    run = MatchRun.objects.get(exhibition=show)
    assert run.status == "finished" and run.started_by == staff and run.trigger == "manual"
    fragment = client.get(reverse("matching:run_progress", kwargs={"slug": show.slug, "pk": run.pk})).content.decode()
    assert 'data-status="finished"' in fragment and "every 1s" not in fragment


def test_active_run_polls_every_second_and_blocks_a_second_start(client, show, staff):
    run = MatchRun.objects.create(exhibition=show, status="running", chunks_total=4, chunks_done=1)
    client.force_login(staff)
    page = client.get(reverse("matching:runs", kwargs={"slug": show.slug})).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="25"' in page
    response = client.post(reverse("matching:run_start", kwargs={"slug": show.slug}), follow=True)
    assert "already running" in response.content.decode()
    assert MatchRun.objects.filter(exhibition=show).count() == 1
    assert run.progress_percent == 25


def test_a_run_records_what_was_learnt_and_staff_see_it(client, show, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:run_start", kwargs={"slug": show.slug}))
    run = MatchRun.objects.get(exhibition=show)
    # No past exhibitions: the hand-set weights, and the page says why.
    assert run.model["kind"] == "defaults" and run.model["reason"] == "no history"
    page = client.get(reverse("matching:runs", kwargs={"slug": show.slug})).content.decode()
    assert "Hand-set weights (too little history to learn from)" in page
    MatchRun.objects.filter(pk=run.pk).update(
        model={
            "kind": "logistic",
            "weights": {"hs6": 0.8, "assoc": 0.31, "language": -0.2},
            "validation": {"ndcg": 0.31, "hs_ndcg": 0.22, "cold_ndcg": 0.25, "cold_hs_ndcg": 0.24, "cold_buyers": 40},
            "cold_start": "hs_order",
            "training_pairs": 12000,
        }
    )
    with translation.override("en"):
        page = client.get(reverse("matching:runs", kwargs={"slug": show.slug})).content.decode()
    assert "nDCG@10 0.31 on the latest one (HS overlap alone: 0.22)" in page
    assert "the HS-overlap order (the learnt model only breaks ties)" in page
    # Weights listed by influence, under names staff understand.
    assert page.index("same HS subheading") < page.index("codes that buyers stating the same codes liked")
    assert page.index("codes that buyers stating the same codes liked") < page.index("shared language")
    assert "-0.200" in page
    # Buyers and outsiders never see it.
    client.logout()


def test_product_history_reason_in_three_languages():
    reason = {"code": "product_history", "stated": "870829", "hs": "848071"}
    assert render_reasons_english([reason]) == ["Buyers stating 870829 often had good meetings about 848071"]
    for language in ("ko", "ja"):
        with translation.override(language):
            text = render_reason(reason)
        # Codes by name in the reader's language, with the dotted code.
        assert "(8708.29)" in text and "(8480.71)" in text and "Buyers stating" not in text


def test_exhibition_panel_links(client, show, staff, buyer_owner):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from companies.rules import runs_exhibition

    request = RequestFactory().get("/")
    for user, expected in ((staff, "matching:review"), (buyer_owner, "matching:for_me")):
        request.user = user
        html = render_to_string(
            "matching/_exhibition_panel.html",
            {
                "exhibition": show,
                "user": user,
                "my_company": user.company,
                "is_staff_view": runs_exhibition(user, show),  # as the exhibition page gives it
                "request": request,
            },
        )
        assert reverse(expected, kwargs={"slug": show.slug}) in html


# ---------------------------------------------------------------- reasons


@pytest.fixture
def matching_catalogues(settings, tmp_path):
    """This area's ko/ja compendium compiled on its own (the project catalogues are merged
    from all compendia later by locale/update.sh)."""
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("msgfmt"):
        pytest.skip("needs GNU gettext's msgfmt")
    for lang in ("ko", "ja"):
        folder = tmp_path / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        source = Path(settings.BASE_DIR) / "locale" / "compendium" / f"matching.{lang}.po"
        subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(source)], check=True)
    settings.LOCALE_PATHS = [tmp_path]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["Makes {hs}, which the buyer sources", "Both mention injection moulds, hot runners"]),
        ("ko", ["바이어가 조달하는 {hs} 품목을 생산합니다", "양사 모두 사출금형, 핫러너 언급"]),
        ("ja", ["バイヤーが調達する{hs}を製造しています", "両社とも射出成形金型、ホットランナーに言及"]),
    ],
)
def test_reasons_render_in_the_reader_language(matching_catalogues, language, expected):
    from django.utils.text import Truncator

    from companies.models import HSCode

    reasons = [
        {"code": "hs_subheading", "hs": "848071"},
        {"code": "text_concepts", "concepts": ["injection_mold", "hot_runner"]},
    ]
    name = HSCode.objects.get(code="848071").name_in(language)
    assert language == "en" or name != HSCode.objects.get(code="848071").description  # named in the language
    hs = f"{Truncator(name).chars(40)} (8480.71)"
    with translation.override(language):
        assert [render_reason(r) for r in reasons] == [text.format(hs=hs) for text in expected]
    # Exports stay English with bare codes whatever the reader's language.
    with translation.override(language):
        assert render_reasons_english(reasons)[0] == "Makes 848071, which the buyer sources"


def test_every_reason_code_renders():
    reasons = [
        {"code": "hs_subheading", "hs": "848071"},
        {"code": "hs_heading_covers", "hs": "848071", "heading": "8480"},
        {"code": "hs_heading", "hs": "8480"},
        {"code": "hs_chapter", "hs": "84"},
        {"code": "history_codes", "hs": "845630"},
        {"code": "text_concepts", "concepts": ["injection_mold", "hot_runner"]},
        {"code": "text_similar"},
        {"code": "similar_buyers"},
        {"code": "past_meeting", "outcome": "deal"},
        {"code": "track_record"},
        {"code": "newcomer"},
        {"code": "language", "lang": "ja"},
        {"code": "interpreter"},
        {"code": "unknown-code"},
    ]
    sentences = render_reasons_english(reasons)
    assert len(sentences) == len(reasons) - 1
    assert "Both mention injection moulds, hot runners" in sentences
    assert "Both speak Japanese" in sentences


def test_a_decision_only_applies_to_a_suggestion_waiting_for_review(client, show, staff, buyer_owner, exhibitor_owner):
    """A buyer's "not interested" is not overturned by a stale review page or a replayed POST."""
    dismissed = suggest(show, buyer_owner.company, exhibitor_owner.company, status="dismissed")
    client.force_login(staff)
    url = reverse("matching:review_decide", kwargs={"slug": show.slug, "pk": dismissed.pk})
    response = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'class="badge dismissed"' in response.content.decode()
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed" and dismissed.reviewed_by is None


def test_a_company_that_withdrew_is_no_longer_suggested(client, show, buyer_owner, exhibitor_owner):
    """Approved before the exhibitor withdrew: the buyer no longer sees it, nor the export."""
    import json
    from io import StringIO

    from django.core.management import call_command

    suggest(show, buyer_owner.company, exhibitor_owner.company, status="approved")
    client.force_login(buyer_owner)
    url = reverse("matching:for_me", kwargs={"slug": show.slug})
    assert exhibitor_owner.company.get_absolute_url() in client.get(url).content.decode()
    show.applications.filter(company=exhibitor_owner.company).update(status="withdrawn")
    assert exhibitor_owner.company.get_absolute_url() not in client.get(url).content.decode()
    out = StringIO()
    call_command("export_suggestions", show.slug, stdout=out)
    assert [json.loads(line)["exhibitor"] for line in out.getvalue().splitlines()] == []
    # The exhibitor side likewise: a buyer whose registration was withdrawn drops out.
    client.force_login(exhibitor_owner)
    show.applications.filter(company=exhibitor_owner.company).update(status="approved")
    show.buyer_registrations.filter(company=buyer_owner.company).update(status="rejected")
    assert buyer_owner.company.get_absolute_url() not in client.get(url).content.decode()


def test_approving_tells_each_side_once_with_the_batch(client, show, staff, buyer_owner, exhibitor_owner):
    from companies.models import Notification

    press = factories.ExhibitorFactory(name_en="Press Maker", hs=["820730"])
    press_owner = factories.UserFactory()
    factories.MembershipFactory(company=press, user=press_owner, role="owner")
    suggest(show, buyer_owner.company, exhibitor_owner.company, score=0.9)
    suggest(show, buyer_owner.company, press, score=0.8)
    client.force_login(staff)
    data = {"decision": "approve", "scope": "filter", "status": "pending_review"}
    client.post(reverse("matching:review_bulk", kwargs={"slug": show.slug}), data)
    notices = Notification.objects.filter(template="suggestions_approved")
    assert sorted(notices.values_list("user", flat=True)) == sorted(
        [buyer_owner.pk, exhibitor_owner.pk, press_owner.pk]
    )
    buyer_notice = notices.get(user=buyer_owner)
    assert buyer_notice.context["count"] == 2 and "Press Maker" in buyer_notice.context["companies"]
    # Approving again (nothing pending) tells nobody twice.
    client.post(reverse("matching:review_bulk", kwargs={"slug": show.slug}), data)
    assert notices.count() == 3


def test_rejecting_tells_nobody(client, show, staff, buyer_owner, exhibitor_owner):
    from companies.models import Notification

    suggestion = suggest(show, buyer_owner.company, exhibitor_owner.company)
    client.force_login(staff)
    client.post(
        reverse("matching:review_decide", kwargs={"slug": show.slug, "pk": suggestion.pk}), {"decision": "reject"}
    )
    assert not Notification.objects.filter(template="suggestions_approved").exists()
