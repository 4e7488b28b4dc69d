"""The matching part of `seed_demo`, on top of the exhibitions and meetings demos.

On the open demo exhibition (mold-japan-2027): one finished matcher run, computed in this
process whatever the Celery settings, most suggestions left waiting for review in the
staff queue, and a few approved for the demo buyer (buyer@demo) and the demo exhibitor
(exhibitor@demo) so their "for you" pages have something to show. Idempotent: the run
happens once; approvals only touch suggestions still waiting for review.
"""

from companies.models import User
from exhibitions.models import Exhibition
from matching import services
from matching.models import MatchRun, Suggestion

OPEN = "mold-japan-2027"
BUYER_LOGIN = "buyer@demo.fairlink.example"
EXHIBITOR_LOGIN = "exhibitor@demo.fairlink.example"
STAFF_LOGIN = "staff@demo.fairlink.example"
APPROVE_FOR_BUYER = 5
APPROVE_FOR_EXHIBITOR = 3


def run_in_process(*, exhibition, by=None):
    """A full run without a worker: claim, plan and score every chunk here."""
    run = services.run_start(exhibition=exhibition, trigger=MatchRun.Trigger.MANUAL, by=by, queue=False)
    services.run_claim(run_id=run.pk)
    run.refresh_from_db()
    for index in services.run_plan(run=run):
        if services.chunk_claim(run_id=run.pk, index=index):
            services.chunk_score(run_id=run.pk, index=index)
    run.refresh_from_db()
    return run


def _company_of(email):
    user = User.objects.filter(email=email).first()
    return user.company if user else None


def seed(stdout=None):
    def say(text):
        if stdout:
            stdout.write(text)

    exhibition = Exhibition.objects.filter(slug=OPEN).first()
    if exhibition is None:
        say(f"matching: no {OPEN} exhibition, skipped")
        return
    staff = User.objects.filter(email=STAFF_LOGIN).first()
    run = MatchRun.objects.filter(exhibition=exhibition, status=MatchRun.Status.FINISHED).first()
    if run is None:
        if services.active_run(exhibition):
            say("matching: a run is already under way, not started again")
            return
        run = run_in_process(exhibition=exhibition, by=staff)
    approved = 0
    buyer, exhibitor = _company_of(BUYER_LOGIN), _company_of(EXHIBITOR_LOGIN)
    pending = Suggestion.objects.filter(exhibition=exhibition, status=Suggestion.Status.PENDING_REVIEW)
    picks = []
    if (
        buyer is not None
        and not Suggestion.objects.filter(
            exhibition=exhibition, buyer=buyer, status=Suggestion.Status.APPROVED
        ).exists()
    ):
        picks += list(pending.filter(buyer=buyer).order_by("rank").values_list("pk", flat=True)[:APPROVE_FOR_BUYER])
    if (
        exhibitor is not None
        and not Suggestion.objects.filter(
            exhibition=exhibition, exhibitor=exhibitor, status=Suggestion.Status.APPROVED
        ).exists()
    ):
        picks += list(
            pending.filter(exhibitor=exhibitor).order_by("-score").values_list("pk", flat=True)[:APPROVE_FOR_EXHIBITOR]
        )
    if picks:
        approved = services.suggestions_review_bulk(
            queryset=Suggestion.objects.filter(pk__in=picks), approve=True, by=staff
        )
    counts = {
        status: Suggestion.objects.filter(exhibition=exhibition, status=status).count()
        for status in (Suggestion.Status.PENDING_REVIEW, Suggestion.Status.APPROVED)
    }
    say(
        f"matching: run {run.pk} {run.status}; {counts['pending_review']} suggestions waiting for review, "
        f"{counts['approved']} approved ({approved} now)"
    )
