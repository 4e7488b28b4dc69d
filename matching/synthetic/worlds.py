"""Worlds a and b, and `generate`, which builds any of the five (c, d and e in held_out.py)."""

import math

import numpy as np

from .catalogue import APPLICATIONS, CATALOGUE, PHRASES, POSITIVE, Company, World, _codes_for, _fit, _text, attending
from .held_out import _world_c, _world_d, _world_e


def _world_a(rng, n_exhibitors, n_buyers, n_exhibitions):
    # Segments: related catalogue entries that a company tends to combine.
    segments = [
        list(range(0, 8)) + [33, 34],
        [8, 9, 13, 22, 12],
        [10, 11, 14, 15, 16, 17, 18],
        [19, 20, 21, 32],
        [24, 25, 26, 27, 23],
        [28, 29, 36, 30, 35],
        [31, 37, 3, 0],
    ]
    exhibitors = []
    for i in range(n_exhibitors):
        seg = segments[rng.integers(len(segments))]
        true = _codes_for(rng, int(rng.integers(1, 4)), seg)
        apps = list(rng.choice(APPLICATIONS, size=int(rng.integers(1, 3)), replace=False))
        stated = []
        for code, _c, _a in true:
            r = rng.random()
            stated.append(code[:4] if r < 0.25 else code)
        if rng.random() < 0.2:
            stated.append(CATALOGUE[rng.integers(len(CATALOGUE))][0])
        concepts = [c for _code, cs, _a in true for c in cs] + apps
        lang = "ko" if rng.random() < 0.65 else "en"
        text = {lang: _text(rng, concepts, lang)}
        if rng.random() < 0.3:
            text["en"] = _text(rng, concepts[:2], "en")
        langs = ["ko"] + (["en"] if rng.random() < 0.5 else []) + (["ja"] if rng.random() < 0.2 else [])
        exhibitors.append(
            Company(
                f"KR-{i + 1:04d}",
                "exhibitor",
                sorted(set(stated)),
                text,
                langs,
                [c for c, _x, _y in true],
                apps,
                float(rng.normal()),
            )
        )
    buyers = []
    for i in range(n_buyers):
        seg = segments[rng.integers(len(segments))]
        true = _codes_for(rng, int(rng.integers(1, 5)), seg)
        apps = list(rng.choice(APPLICATIONS, size=int(rng.integers(1, 3)), replace=False))
        stated = []
        for code, _c, _a in true:
            if rng.random() < 0.55:
                stated.append(code[:4] if rng.random() < 0.4 else code)
        if not stated and rng.random() < 0.7:
            stated.append(true[0][0][:4])
        # Texts mention needs the buyer did not state as codes.
        concepts = [c for _code, cs, _a in true if rng.random() < 0.7 for c in cs[:1]] + apps
        lang = "ja" if rng.random() < 0.7 else "en"
        text = {lang: _text(rng, concepts, lang)}
        langs = ["ja"] + (["en"] if rng.random() < 0.4 else [])
        buyers.append(
            Company(
                f"JP-{i + 1:04d}",
                "buyer",
                sorted(set(stated)),
                text,
                langs,
                [c for c, _x, _y in true],
                apps,
                float(rng.normal()),
            )
        )

    def appeal(b, e):
        fit = _fit(b.true_codes, e.true_codes)
        app = 0.3 * len(set(b.applications) & set(e.applications)) / max(len(b.applications), 1)
        lang = 0.1 if set(b.languages) & set(e.languages) else 0.0
        return fit + app + 0.25 * e.quality + lang

    return exhibitors, buyers, appeal, 0.75, 3.0


def _world_b(rng, n_exhibitors, n_buyers, n_exhibitions):
    dim = 8
    centroids = rng.normal(size=(len(CATALOGUE), dim))
    topics = rng.normal(size=(12, dim))
    topic_concepts = [list(rng.choice(list(PHRASES), size=3, replace=False)) for _ in topics]

    def describe(vec, n_codes, level_probs):
        near = np.argsort(-(centroids @ vec))[:n_codes]
        codes = []
        for j in near:
            code = CATALOGUE[j][0]
            r = rng.random()
            codes.append(code if r < level_probs[0] else code[:4] if r < level_probs[0] + level_probs[1] else code[:2])
        return sorted(set(codes)), [CATALOGUE[j][0] for j in near]

    def words(vec, lang):
        top = np.argsort(-(topics @ vec))[:2]
        concepts = [c for t in top for c in topic_concepts[t][:2]]
        return _text(rng, concepts, lang, n_filler=1)

    exhibitors, buyers = [], []
    for i in range(n_exhibitors):
        vec = rng.normal(size=dim)
        stated, true = describe(vec, int(rng.integers(1, 4)), (0.6, 0.3))
        lang = "en" if rng.random() < 0.6 else "ko"
        langs = ["en"] + (["ko"] if lang == "ko" or rng.random() < 0.5 else [])
        exhibitors.append(
            Company(
                f"KR-{i + 1:04d}",
                "exhibitor",
                stated,
                {lang: words(vec, lang)},
                langs,
                true,
                [],
                float(rng.normal()),
                vec,
            )
        )
    for i in range(n_buyers):
        vec = rng.normal(size=dim)
        stated, true = describe(vec, int(rng.integers(1, 3)), (0.2, 0.5))
        lang = "en" if rng.random() < 0.5 else "ja"
        langs = [lang] + (["en"] if lang != "en" and rng.random() < 0.5 else [])
        buyers.append(
            Company(
                f"JP-{i + 1:04d}", "buyer", stated, {lang: words(vec, lang)}, langs, true, [], float(rng.normal()), vec
            )
        )

    def appeal(b, e):
        cos = float(b.latent @ e.latent) / (np.linalg.norm(b.latent) * np.linalg.norm(e.latent))
        return 0.8 * cos + 0.5 * e.quality

    return exhibitors, buyers, appeal, 0.6, 2.5


def generate(
    *, variant="a", n_exhibitors=200, n_buyers=400, n_exhibitions=4, meetings_per_buyer=8, seed=0, everyone_last=False
):
    """A world with `n_exhibitions` exhibitions, the last one the test exhibition (which
    everybody attends when `everyone_last`, as in the bench). Each buyer browses a random
    shortlist of exhibitors and asks the most appealing ones (to its noisy eye) to meet."""
    if variant == "c":
        return _world_c(n_exhibitors, n_buyers, n_exhibitions, seed, everyone_last)
    if variant == "d":
        return _world_d(n_exhibitors, n_buyers, n_exhibitions, seed, everyone_last)
    if variant == "e":
        return _world_e(n_exhibitors, n_buyers, n_exhibitions, seed, everyone_last)
    rng = np.random.default_rng(seed)
    build = {"a": _world_a, "b": _world_b}[variant]
    exhibitors, buyers, appeal, threshold, sharpness = build(rng, n_exhibitors, n_buyers, n_exhibitions)
    slugs = [f"synthetic-{variant}-{2020 + k}" for k in range(n_exhibitions)]
    # Companies join over time: later exhibitions bring newcomers (cold start).
    e_join = rng.integers(0, n_exhibitions, size=n_exhibitors)
    b_join = rng.integers(0, n_exhibitions, size=n_buyers)
    participations, meetings = {}, []
    for k, slug in enumerate(slugs):
        e_idx, b_idx = attending(rng, k, n_exhibitions, e_join, b_join, 0.7, 0.6, everyone_last)
        participations[slug] = (e_idx, b_idx)
        if not e_idx:
            continue
        for b in b_idx:
            buyer = buyers[b]
            shortlist = rng.choice(len(e_idx), size=min(60, len(e_idx)), replace=False)
            scores = np.array([appeal(buyer, exhibitors[e_idx[j]]) for j in shortlist])
            noisy = scores + rng.normal(scale=0.6, size=len(scores))
            if variant == "b":
                noisy = np.where(rng.random(len(scores)) < 0.5, rng.normal(size=len(scores)) * 3, noisy)
            picks = np.argsort(-noisy)[: min(meetings_per_buyer, len(shortlist))]
            for j in picks:
                e = e_idx[shortlist[j]]
                if rng.random() < 0.1:
                    meetings.append((slug, b, e, "declined", ""))
                    continue
                p = 1.0 / (1.0 + math.exp(-sharpness * (scores[j] - threshold)))
                if rng.random() < p:
                    outcome = POSITIVE[min(int(rng.random() * 3 + (scores[j] > threshold + 0.5)), 2)]
                else:
                    outcome = "no_interest"
                meetings.append((slug, b, e, "held", outcome))
    return World(variant, slugs, exhibitors, buyers, participations, meetings)
