"""Runs end to end in-process (eager Celery): loading, saving, idempotence, review status kept,
claims, the sweeper, incremental rescoring, and the two commands' output contracts."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from matching import services, tasks
from matching.loading import load_exhibition
from matching.models import MatchChunk, MatchRun, Suggestion
from tests import factories
from tests.matching.helpers import small_exhibition

pytestmark = pytest.mark.django_db


def run_now(exhibition, **kwargs):
    run = services.run_start(exhibition=exhibition, queue=False, **kwargs)
    tasks.run_matcher.delay(run.pk)
    run.refresh_from_db()
    return run


def test_loading_gathers_codes_texts_languages_and_history():
    w = small_exhibition()
    registration = w["buyer"].buyer_registrations.get()
    registration.sourcing.add("848079")
    registration.sourcing_notes = "hot runner"
    registration.languages = "ja en"
    registration.save()
    past = factories.ExhibitionFactory(starts_on=w["exhibition"].starts_on - timedelta(days=365))
    factories.MeetingFactory(exhibition=past, buyer=w["buyer"], exhibitor=w["press"], status="held", outcome="deal")
    factories.MeetingFactory(exhibition=past, buyer=w["buyer"], exhibitor=w["casting"], status="declined")
    factories.MeetingFactory(exhibition=past, buyer=w["buyer"], exhibitor=w["moulds"], status="requested")
    exhibitors, buyers, history, excluded = load_exhibition(w["exhibition"])
    assert list(exhibitors.ids) == sorted([w["moulds"].pk, w["press"].pk, w["casting"].pk])
    row = list(buyers.ids).index(w["buyer"].pk)
    assert buyers.hs[row] == ["848071", "848079"]
    assert "hot runner" in buyers.text[row] and "射出成形金型" in buyers.text[row]
    assert buyers.languages[row] == frozenset({"ja", "en"})
    assert sorted(history.kind) == ["deal", "declined"]
    assert history.hs[w["press"].pk] == ["820730"]
    assert "프레스금형" in history.text[w["press"].pk]
    # Languages of past participants (profile plus registrations), for the language ratio.
    assert history.languages[w["press"].pk] == frozenset({"ko"})
    assert history.languages[w["buyer"].pk] >= frozenset({"ja", "en"})
    assert excluded == []


def test_a_run_saves_top_suggestions_with_reasons_and_records_progress():
    w = small_exhibition()
    run = run_now(w["exhibition"])
    assert run.status == MatchRun.Status.FINISHED
    assert (run.chunks_done, run.chunks_total, run.buyers, run.exhibitors) == (1, 1, 2, 3)
    assert run.finished_at and run.heartbeat_at and run.progress_percent == 100
    best = Suggestion.objects.get(buyer=w["buyer"], rank=1)
    assert best.exhibitor == w["moulds"] and best.status == "pending_review"
    assert {"code": "hs_subheading", "hs": "848071"} in best.reasons
    assert run.suggestions_created == Suggestion.objects.count()


def test_rerun_is_idempotent_and_keeps_review_status():
    w = small_exhibition()
    run_now(w["exhibition"])
    first = {(s.buyer_id, s.exhibitor_id): s.score for s in Suggestion.objects.all()}
    approved = Suggestion.objects.get(buyer=w["buyer"], exhibitor=w["moulds"])
    services.suggestion_review(suggestion=approved, approve=True, by=None)
    dismissed = Suggestion.objects.get(buyer=w["other_buyer"], exhibitor=w["press"])
    services.suggestion_dismiss(suggestion=dismissed, by=None)
    second = run_now(w["exhibition"])
    assert second.suggestions_created == 0
    assert Suggestion.objects.count() == len(first)
    approved.refresh_from_db()
    dismissed.refresh_from_db()
    assert approved.status == "approved" and approved.run == second
    # A dismissed pair is not suggested again: not re-scored, not back to pending.
    assert dismissed.status == "dismissed" and dismissed.run != second


def test_stale_pending_suggestions_are_dropped_but_reviewed_ones_stay():
    w = small_exhibition()
    run_now(w["exhibition"])
    keep = Suggestion.objects.filter(buyer=w["buyer"]).order_by("rank").last()
    services.suggestion_review(suggestion=keep, approve=True, by=None)
    # The buyer now sources something else: only the approved suggestion survives.
    w["buyer"].hs_codes.set(["940360"])
    w["buyer"].description_ja = "家具"
    w["buyer"].save()
    for company in (w["moulds"], w["press"], w["casting"]):
        company.keywords = company.description_ko = ""
        company.save()
    run_now(w["exhibition"])
    left = Suggestion.objects.filter(buyer=w["buyer"])
    assert keep in left and all(s.status == "approved" for s in left)


def test_two_runs_of_one_exhibition_never_overlap():
    w = small_exhibition()
    services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(services.MatchingError):
        services.run_start(exhibition=w["exhibition"], queue=False)
    assert MatchRun.objects.filter(exhibition=w["exhibition"]).count() == 1


def test_a_run_is_claimed_once_and_a_chunk_counted_once():
    w = small_exhibition()
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    assert services.run_claim(run_id=run.pk) is True
    assert services.run_claim(run_id=run.pk) is False
    run.refresh_from_db()
    services.run_plan(run=run)
    assert services.chunk_claim(run_id=run.pk, index=0) is True
    assert services.chunk_claim(run_id=run.pk, index=0) is False
    services.chunk_score(run_id=run.pk, index=0)
    # A duplicate delivery of the same chunk changes nothing.
    assert services.chunk_score(run_id=run.pk, index=0) == (0, 0)
    run.refresh_from_db()
    assert run.status == "finished" and run.chunks_done == 1


def test_sweeper_requeues_the_chunks_of_a_dead_worker_and_the_run_finishes():
    w = small_exhibition()
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    services.run_claim(run_id=run.pk)
    run.refresh_from_db()
    services.run_plan(run=run)
    services.chunk_claim(run_id=run.pk, index=0)  # ... and the worker dies here.
    long_ago = timezone.now() - timedelta(hours=1)
    MatchRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
    MatchChunk.objects.filter(run=run).update(heartbeat_at=long_ago, claim_expires_at=long_ago)
    assert services.runs_requeue_stale() == 1  # eager: the chunk runs again right away
    run.refresh_from_db()
    assert run.status == "finished" and Suggestion.objects.filter(exhibition=w["exhibition"]).exists()


def test_sweeper_gives_up_after_too_many_attempts():
    w = small_exhibition()
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    MatchRun.objects.filter(pk=run.pk).update(
        status="running", attempts=services.MAX_ATTEMPTS, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    services.runs_requeue_stale()
    run.refresh_from_db()
    assert run.status == "failed" and "attempts" in run.error


def test_a_failing_chunk_records_the_error_and_frees_the_exhibition(monkeypatch):
    w = small_exhibition()

    def broken(*args, **kwargs):
        raise RuntimeError("scoring exploded")

    monkeypatch.setattr(services.shortlist, "top_k", broken)
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(RuntimeError):
        tasks.run_matcher.delay(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "scoring exploded" in run.error
    services.run_start(exhibition=w["exhibition"], queue=False)  # not blocked


def test_nightly_starts_one_run_per_open_exhibition():
    small_exhibition()
    factories.ExhibitionFactory(status="closed")
    assert tasks.nightly.delay().get() == 1
    assert MatchRun.objects.get().trigger == "nightly"


def test_incremental_rescoring_is_off_with_eager_tasks_unless_asked(django_capture_on_commit_callbacks):
    w = small_exhibition()
    with django_capture_on_commit_callbacks(execute=True):
        w["buyer"].keywords = "hot runner"
        w["buyer"].save()
    assert not MatchRun.objects.exists()


def test_incremental_rescoring_after_a_profile_change_is_debounced(django_capture_on_commit_callbacks, settings):
    from django.core.cache import cache

    settings.MATCHING_RESCORE_ON_CHANGE = True

    w = small_exhibition()
    cache.clear()  # the registrations' own requests, never committed in this test
    with django_capture_on_commit_callbacks(execute=True):
        w["buyer"].keywords = "hot runner"
        w["buyer"].save()
        w["buyer"].keywords = "hot runner, die casting"
        w["buyer"].save()
    runs = MatchRun.objects.filter(exhibition=w["exhibition"])
    # Two requests, one run (the latest request wins), for this buyer only.
    assert runs.count() == 1
    run = runs.get()
    assert run.trigger == "profile" and run.company_ids == [w["buyer"].pk] and run.buyers == 1
    assert run.status == "finished"


def test_an_exhibitor_change_rescores_every_buyer(django_capture_on_commit_callbacks, settings):
    from django.core.cache import cache

    settings.MATCHING_RESCORE_ON_CHANGE = True

    w = small_exhibition()
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        w["casting"].hs_codes.add("848071")
    run = MatchRun.objects.get(exhibition=w["exhibition"])
    assert run.company_ids == [w["casting"].pk] and run.buyers == 2


def test_a_recorded_outcome_asks_for_rescoring(django_capture_on_commit_callbacks, settings):
    from exhibitions.models import MeetingOutcome

    settings.MATCHING_RESCORE_ON_CHANGE = True

    w = small_exhibition()
    past = factories.ExhibitionFactory(status="closed")
    meeting = factories.MeetingFactory(exhibition=past, buyer=w["buyer"], exhibitor=w["press"], status="held")
    with django_capture_on_commit_callbacks(execute=True):
        MeetingOutcome.objects.create(meeting=meeting, side="buyer", outcome="deal")
    assert MatchRun.objects.get(exhibition=w["exhibition"]).trigger == "outcome"


# ---------------------------------------------------------------- commands


def test_run_matcher_prints_a_one_line_summary():
    w = small_exhibition()
    out = StringIO()
    call_command("run_matcher", w["exhibition"].slug, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{w['exhibition'].slug}: run ")
    assert "2 buyers x 3 exhibitors" in lines[0] and "suggestions" in lines[0]


def test_run_matcher_refuses_unknown_or_busy_exhibitions():
    w = small_exhibition()
    with pytest.raises(CommandError):
        call_command("run_matcher", "no-such-show")
    services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(CommandError, match="already running"):
        call_command("run_matcher", w["exhibition"].slug)


def test_export_suggestions_follows_the_contract():
    w = small_exhibition()
    call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    out = StringIO()
    call_command("export_suggestions", w["exhibition"].slug, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and all(
        list(line) == ["exhibition", "buyer", "exhibitor", "rank", "score", "status", "reasons"] for line in lines
    )
    first = lines[0]
    assert first["exhibition"] == w["exhibition"].slug
    assert (first["buyer"], first["exhibitor"], first["rank"], first["status"]) == (
        "JP-0001",
        "KR-0001",
        1,
        "pending_review",
    )
    assert 0 < first["score"] <= 1
    assert first["reasons"][0] == "Makes 848071, which the buyer sources"
    for buyer in {line["buyer"] for line in lines}:
        mine = [line for line in lines if line["buyer"] == buyer]
        assert [line["rank"] for line in mine] == list(range(1, len(mine) + 1))
        assert [line["score"] for line in mine] == sorted((line["score"] for line in mine), reverse=True)
    out = StringIO()
    call_command("export_suggestions", w["exhibition"].slug, "--top", "1", stdout=out)
    assert len(out.getvalue().splitlines()) == 2  # one per taking-part buyer


def test_export_reasons_are_english_whatever_the_active_language():
    from django.utils import translation

    w = small_exhibition()
    call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    out = StringIO()
    with translation.override("ja"):
        call_command("export_suggestions", w["exhibition"].slug, "--top", "1", stdout=out)
    assert json.loads(out.getvalue().splitlines()[0])["reasons"][0] == "Makes 848071, which the buyer sources"


def test_export_switches_language_once_and_words_reasons_as_before(monkeypatch):
    """The export renders a whole batch under one language switch, with the same sentences
    as rendering each row on its own (the contract's wording)."""
    from django.utils import translation

    from matching import reasons as reasons_module
    from matching.selectors import top_suggestions

    w = small_exhibition()
    call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    expected = [reasons_module.render_reasons_english(row[5]) for row in top_suggestions(w["exhibition"], 10)]
    switches = []
    real = translation.override
    monkeypatch.setattr(reasons_module.translation, "override", lambda lang: switches.append(lang) or real(lang))
    out = StringIO()
    with real("ko"):
        call_command("export_suggestions", w["exhibition"].slug, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) >= 3 and switches == ["en"]
    assert [line["reasons"] for line in lines] == expected
    assert any(len(reasons) > 1 for reasons in expected)


def test_evaluate_matcher_on_synthetic_worlds_prints_the_table():
    out = StringIO()
    call_command(
        "evaluate_matcher", "--synthetic", "all", "--seeds", "1", "--exhibitors", "60", "--buyers", "120", stdout=out
    )
    text = out.getvalue()
    for name in ("random", "popularity", "hs_overlap", "matcher"):
        assert f"| {name} |" in text
    assert "synthetic variant a" in text and "synthetic variant b" in text and "synthetic variant c" in text


def test_evaluate_matcher_on_the_database():
    from matching import synthetic

    world = synthetic.generate(variant="a", n_exhibitors=40, n_buyers=80, n_exhibitions=3, seed=3)
    synthetic.save_world(world, open_slug="none")  # every meeting saved, the last show included
    out = StringIO()
    call_command("evaluate_matcher", stdout=out)
    assert world.exhibitions[-1] in out.getvalue() and "| matcher |" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_postgresql_upsert_path_is_used():
    w = small_exhibition()
    run_now(w["exhibition"])
    run = MatchRun.objects.get(exhibition=w["exhibition"])
    assert Suggestion.objects.filter(exhibition=w["exhibition"]).count() == run.suggestions_created == 4


def test_a_chunk_of_a_failed_run_saves_nothing():
    """A worker still scoring when its run failed must not write into the suggestions a
    newer run of the exhibition is saving: two runs never interleave."""
    w = small_exhibition()
    run = services.run_start(exhibition=w["exhibition"], queue=False)
    services.run_claim(run_id=run.pk)
    run.refresh_from_db()
    services.run_plan(run=run)
    assert services.chunk_claim(run_id=run.pk, index=0)
    services.run_fail(run_id=run.pk, error="gave up")  # e.g. the sweeper, while the chunk scores
    assert services.chunk_score(run_id=run.pk, index=0) == (0, 0)
    assert not Suggestion.objects.filter(exhibition=w["exhibition"]).exists()
    run.refresh_from_db()
    assert run.status == "failed" and run.chunks_done == 0


def test_an_approved_exhibitor_or_its_shown_products_ask_for_rescoring(django_capture_on_commit_callbacks, settings):
    """The matcher scores an exhibitor on the products of its application: approving it, or
    changing those products, rescores its pairs like a profile change does."""
    from django.core.cache import cache

    settings.MATCHING_RESCORE_ON_CHANGE = True

    w = small_exhibition()
    newcomer = factories.ExhibitorFactory(ref="KR-0009", hs=["848071"])
    application = factories.ApplicationFactory(exhibition=w["exhibition"], company=newcomer)
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application.status = "approved"
        application.save()
    run = MatchRun.objects.get(exhibition=w["exhibition"])
    assert run.company_ids == [newcomer.pk] and run.buyers == 2 and run.status == "finished"
    assert Suggestion.objects.filter(exhibitor=newcomer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        w["press"].applications.get().products.add("848071")
    assert MatchRun.objects.filter(exhibition=w["exhibition"], company_ids=[w["press"].pk]).exists()


def test_run_matcher_reports_a_failed_run_as_a_command_error(monkeypatch):
    """A failure (the task's own, or a broker that cannot be reached) is one line and a
    non-zero exit, and the exhibition is free for the next run."""
    w = small_exhibition()

    def broken(*args, **kwargs):
        raise RuntimeError("scoring exploded")

    monkeypatch.setattr(services.shortlist, "top_k", broken)
    with pytest.raises(CommandError, match="failed: RuntimeError: scoring exploded"):
        call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    monkeypatch.setattr(tasks.run_matcher, "delay", lambda *a: (_ for _ in ()).throw(ConnectionError("no broker")))
    with pytest.raises(CommandError, match="no broker"):
        call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    assert MatchRun.objects.filter(exhibition=w["exhibition"], status="failed").count() == 2


def test_a_rescoring_request_waits_for_a_run_under_way(monkeypatch):
    """A full run may have loaded a company before it changed: the request is kept and the
    task tries again after the debounce instead of dropping it."""
    from django.core.cache import cache

    w = small_exhibition()
    monkeypatch.setattr(tasks.rescore, "apply_async", lambda **kwargs: None)  # queued by hand below
    services.rescore_request(exhibition_id=w["exhibition"].pk, company_id=w["buyer"].pk, trigger="profile")
    token = cache.get(f"matching:rescore:{w['exhibition'].pk}")["token"]
    busy = services.run_start(exhibition=w["exhibition"], queue=False)
    with pytest.raises(services.RescoreBusy):
        services.rescore_if_latest(exhibition_id=w["exhibition"].pk, token=token)
    retried = []

    def retry(exc, countdown):
        retried.append(countdown)
        return RuntimeError("retry")

    monkeypatch.setattr(tasks.rescore, "retry", retry)
    with pytest.raises(RuntimeError, match="retry"):
        tasks.rescore.run(w["exhibition"].pk, token)  # as a worker runs it
    assert retried == [services.RESCORE_DEBOUNCE_SECONDS]
    services.run_fail(run_id=busy.pk, error="done elsewhere")
    run = services.rescore_if_latest(exhibition_id=w["exhibition"].pk, token=token)
    assert run is not None and run.company_ids == [w["buyer"].pk]


def test_export_reads_only_the_kept_rows_in_fixed_queries(django_assert_num_queries):
    """The export asks the database for the top K of each buyer (a window), never walking every
    suggestion through a server-side cursor: the same number of queries at any size."""
    w = small_exhibition()
    call_command("run_matcher", w["exhibition"].slug, stdout=StringIO())
    with django_assert_num_queries(4):
        out = StringIO()
        call_command("export_suggestions", w["exhibition"].slug, "--top", "1", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and all(line["rank"] == 1 for line in lines)
