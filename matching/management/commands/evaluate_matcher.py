"""python manage.py evaluate_matcher: offline quality on a temporal split.

From the database (default when it holds past exhibitions with outcomes): the test
exhibition is the latest one with good outcomes recorded (or --exhibition SLUG); the matcher
learns from the exhibitions that started before it and ranks the test exhibition's
exhibitors for each of its buyers. With --synthetic a/b/both: the same on generated worlds."""

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from exhibitions.models import Exhibition, Meeting
from matching import evaluation, synthetic
from matching.loading import load_exhibition


class Command(BaseCommand):
    help = "nDCG@10, precision@10 and coverage of the matcher and baselines on a temporal split."

    def add_arguments(self, parser):
        parser.add_argument("--exhibition", help="Test exhibition slug (default: the latest with good outcomes).")
        parser.add_argument(
            "--synthetic",
            choices=["a", "b", "c", "d", "e", "both", "all"],
            help="Evaluate on generated worlds instead (both: a and b; all: a to e).",
        )
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="Only the baselines and the hand-set combination of before the learnt one.",
        )
        parser.add_argument("--seeds", type=int, default=2, help="Synthetic worlds per variant (default 2).")
        parser.add_argument("--exhibitors", type=int, default=200)
        parser.add_argument("--buyers", type=int, default=500)
        parser.add_argument("-k", type=int, default=10)

    def handle(self, *args, **options):
        if options["synthetic"]:
            variants = {"both": ["a", "b"], "all": ["a", "b", "c", "d", "e"]}.get(
                options["synthetic"], [options["synthetic"]]
            )
            for variant in variants:
                for seed in range(options["seeds"]):
                    started = time.monotonic()
                    world = synthetic.generate(
                        variant=variant, n_exhibitors=options["exhibitors"], n_buyers=options["buyers"], seed=seed
                    )
                    exhibitors, buyers, history, labels = synthetic.engine_inputs(world)
                    results = evaluation.evaluate(
                        exhibitors, buyers, history, labels, k=options["k"], names=self._names(options)
                    )
                    title = f"synthetic variant {variant}, seed {seed} ({time.monotonic() - started:.1f} s)"
                    self.stdout.write(evaluation.table(results, title) + "\n")
            return
        self._from_database(options)

    @staticmethod
    def _names(options):
        if not options["legacy"]:
            return None
        return {*evaluation.BASELINES, "track_rate", "matcher_legacy", "matcher_legacy_no_fairness"}

    def _from_database(self, options):
        positive = ["follow_up", "quotation", "deal"]
        if options["exhibition"]:
            test = Exhibition.objects.filter(slug=options["exhibition"]).first()
            if test is None:
                raise CommandError(f"No exhibition {options['exhibition']!r}.")
        else:
            test = Exhibition.objects.filter(meetings__outcome__in=positive).distinct().order_by("-starts_on").first()
            if test is None:
                raise CommandError("No exhibition with recorded outcomes; try --synthetic both.")
        started = time.monotonic()
        exhibitors, buyers, history, _excluded = load_exhibition(test, history_before=test.starts_on)
        labels = {}
        for buyer_id, exhibitor_id, outcome in Meeting.objects.filter(
            exhibition=test, outcome__in=positive
        ).values_list("buyer_id", "exhibitor_id", "outcome"):
            labels.setdefault(buyer_id, {})[exhibitor_id] = outcome
        if not len(buyers) or not len(exhibitors):
            raise CommandError(f"{test.slug} has no approved participants to rank.")
        missing = (
            set(np.concatenate([np.array(list(v)) for v in labels.values()]).tolist()) - set(exhibitors.ids.tolist())
            if labels
            else set()
        )
        results = evaluation.evaluate(exhibitors, buyers, history, labels, k=options["k"], names=self._names(options))
        title = (
            f"{test.slug}: {len(buyers)} buyers x {len(exhibitors)} exhibitors, "
            f"{len(history.kind)} past interactions ({time.monotonic() - started:.1f} s)"
        )
        self.stdout.write(evaluation.table(results, title))
        if missing:
            self.stdout.write(f"note: {len(missing)} exhibitors with good outcomes are not approved participants.")
