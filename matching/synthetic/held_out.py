"""Worlds c, d and e: written apart from the matcher's design to check it on stories it was
not built on (see the package's docstring)."""

import math

import numpy as np

from .catalogue import CATALOGUE, POSITIVE, Company, World, _fit, _text, attending


def _world_c(n_exhibitors, n_buyers, n_exhibitions, seed, everyone_last):
    rng = np.random.default_rng(10_000 + seed)
    headings = sorted({code[:4] for code, _c, _a in CATALOGUE})
    # A skewed popularity of headings: a few are what most of the trade is about.
    heading_p = 1.0 / np.arange(1, len(headings) + 1) ** 0.8
    heading_p = rng.permutation(heading_p / heading_p.sum())
    concepts_of = {}
    for code, concepts, _app in CATALOGUE:
        concepts_of.setdefault(code[:4], []).extend(concepts)
    subs_of = {}
    for code, _c, _a in CATALOGUE:
        subs_of.setdefault(code[:4], []).append(code)

    def draw_headings(n):
        return list(rng.choice(headings, size=n, replace=False, p=heading_p))

    exhibitors = []
    for i in range(n_exhibitors):
        true = draw_headings(int(rng.integers(1, 4)))
        stated = sorted({str(rng.choice(subs_of[h])) if rng.random() < 0.5 else h for h in true})
        lang = str(rng.choice(["ko", "en", "ja"], p=[0.5, 0.35, 0.15]))
        text = {}
        if rng.random() > 0.25:
            concepts = [c for h in true for c in concepts_of[h][:2]]
            text[lang] = _text(rng, concepts, lang, n_filler=3)
        langs = sorted({lang, "ko"} | ({"en"} if rng.random() < 0.4 else set()))
        company = Company(f"KR-{i + 1:04d}", "exhibitor", stated, text, langs, true, [], float(rng.lognormal(0, 0.5)))
        company.latent = int(rng.integers(3, 12))  # capacity: meetings it handles well per show
        exhibitors.append(company)
    buyers = []
    for i in range(n_buyers):
        true = draw_headings(int(rng.integers(1, 4)))
        r = rng.random()
        if r < 0.33:
            stated = sorted({h[:2] for h in true})
        elif r < 0.9:
            stated = sorted(set(true[: int(rng.integers(1, len(true) + 1))]))
        else:
            stated = []
        lang = "ja" if rng.random() < 0.8 else "en"
        text = {}
        if rng.random() < 0.6:
            text[lang] = _text(rng, [c for h in true for c in concepts_of[h][:1]], lang, n_filler=1)
        langs = [lang] + (["en"] if lang == "ja" and rng.random() < 0.3 else [])
        # quality of a buyer = how picky it is (higher: fewer meetings end well)
        buyers.append(Company(f"JP-{i + 1:04d}", "buyer", stated, text, langs, true, [], float(rng.normal(0, 0.7))))

    slugs = [f"synthetic-c-{2020 + k}" for k in range(n_exhibitions)]
    e_join = rng.integers(0, n_exhibitions, size=n_exhibitors)
    b_join = rng.integers(0, n_exhibitions, size=n_buyers)
    participations, meetings = {}, []
    for k, slug in enumerate(slugs):
        e_idx, b_idx = attending(rng, k, n_exhibitions, e_join, b_join, 0.8, 0.5, everyone_last)
        participations[slug] = (e_idx, b_idx)
        if not e_idx:
            continue
        meetings.extend(_world_c_show(rng, slug, e_idx, b_idx, exhibitors, buyers))
    return World("c", slugs, exhibitors, buyers, participations, meetings)


def _world_c_affinity(b, e):
    shared = len(set(b.true_codes) & set(e.true_codes))
    chapters = len({h[:2] for h in b.true_codes} & {h[:2] for h in e.true_codes})
    return shared / len(b.true_codes) + 0.15 * (chapters > 0)


def world_c_test_show_gains(world, rng, gain):
    """One more draw of world c's test show by its own show process (the same companies,
    hidden needs, qualities and capacities): each (buyer, exhibitor) pair's `gain` of its
    outcome (0 where they did not meet), rows and columns in the order of
    world.participations[world.test_exhibition]. Used by bench/matcher_ceiling.py and
    bench/matcher_expected.py; a pair meets at most once a show."""
    e_idx, b_idx = world.participations[world.test_exhibition]
    e_pos = {e: j for j, e in enumerate(e_idx)}
    b_pos = {b: i for i, b in enumerate(b_idx)}
    gains = np.zeros((len(b_idx), len(e_idx)))
    for _slug, b, e, _status, outcome in _world_c_show(rng, "", e_idx, b_idx, world.exhibitors, world.buyers):
        gains[b_pos[b], e_pos[e]] = gain.get(outcome, 0.0)
    return gains


def _world_c_show(rng, slug, e_idx, b_idx, exhibitors, buyers):
    """One show of world c: who meets whom (directory search for stated chapters or walking
    the floor) and how each meeting ends; also drawn again by world_c_test_show_gains."""
    meetings = []
    load = dict.fromkeys(e_idx, 0)
    for b in rng.permutation(b_idx).tolist():
        buyer = buyers[b]
        n_meet = int(rng.integers(3, 7))
        found = [e for e in e_idx if any(c[:2] == s[:2] for c in exhibitors[e].hs for s in buyer.hs)]
        walked = list(rng.choice(e_idx, size=min(25, len(e_idx)), replace=False))
        pool = (list(rng.permutation(found))[:n_meet] if rng.random() < 0.6 else []) + walked
        seen, chosen = set(), []
        for e in pool:
            if e not in seen:
                seen.add(e)
                chosen.append(int(e))
        for e in chosen[:n_meet]:
            exhibitor = exhibitors[e]
            load[e] += 1
            if rng.random() < 0.05:
                meetings.append((slug, b, e, "declined", ""))
                continue
            overload = max(0.0, load[e] / exhibitor.latent - 1.0)
            lang = 0.4 if set(buyer.languages) & set(exhibitor.languages) else -0.2
            logit = (
                2.2 * _world_c_affinity(buyer, exhibitor)
                + lang
                + 0.9 * math.log(exhibitor.quality) / (1.0 + overload)
                - buyer.quality
                - 1.3
                + rng.logistic() * 0.8
            )
            # (the no-outcome draw only for meetings that did not end well, as before)
            outcome = (
                POSITIVE[min(int(logit / 0.8), 2)] if logit > 0 else ("no_interest" if rng.random() < 0.85 else "")
            )
            meetings.append((slug, b, e, "held", outcome))
    return meetings


def _world_d(n_exhibitors, n_buyers, n_exhibitions, seed, everyone_last):
    """World d, written to break the matcher's assumptions and kept out of its tuning:

    - stated codes mislead: most buyers state what they make (e.g. car parts), not what they
      need (the moulds for them), through a fixed mapping of the trade; only the history of
      who ended well with whom shows what stating X means;
    - buyers differ strongly: some care only about fit, some about the supplier's quality,
      some need a shared language;
    - many exhibitors are new at each show (half of the last one's), so track records and
      exhibitor-level neighbours know little about them;
    - buyers' needs stay the same from show to show, so their own history carries signal.
    """
    rng = np.random.default_rng(20_000 + seed)
    n_codes = len(CATALOGUE)
    # What a buyer needing catalogue entry i states instead (a derangement of the trade).
    states_instead = rng.permutation(n_codes)
    exhibitors = []
    for i in range(n_exhibitors):
        true = sorted(set(rng.choice(n_codes, size=int(rng.integers(1, 3)), replace=False).tolist()))
        stated = sorted({CATALOGUE[j][0] if rng.random() < 0.8 else CATALOGUE[j][0][:4] for j in true})
        lang = "ko" if rng.random() < 0.6 else "en"
        concepts = [c for j in true for c in CATALOGUE[j][1]]
        text = {lang: _text(rng, concepts, lang)} if rng.random() < 0.7 else {}
        langs = sorted({"ko", lang} | ({"ja"} if rng.random() < 0.25 else set()))
        company = Company(
            f"KR-{i + 1:04d}",
            "exhibitor",
            stated,
            text,
            langs,
            [CATALOGUE[j][0] for j in true],
            [],
            float(rng.normal()),
        )
        exhibitors.append(company)
    buyers = []
    for i in range(n_buyers):
        true = sorted(set(rng.choice(n_codes, size=int(rng.integers(1, 4)), replace=False).tolist()))
        stated = sorted(
            {CATALOGUE[states_instead[j]][0] if rng.random() < 0.75 else CATALOGUE[j][0] for j in true}
            | ({CATALOGUE[int(rng.integers(n_codes))][0]} if rng.random() < 0.3 else set())
        )
        lang = "ja" if rng.random() < 0.75 else "en"
        text = {}
        if rng.random() < 0.35:
            text[lang] = _text(rng, [CATALOGUE[j][1][0] for j in true], lang, n_filler=2)
        langs = [lang] + (["en"] if lang == "ja" and rng.random() < 0.3 else [])
        company = Company(f"JP-{i + 1:04d}", "buyer", stated, text, langs, [CATALOGUE[j][0] for j in true], [], 0.0)
        company.latent = str(rng.choice(["fit", "quality", "language"], p=[0.4, 0.35, 0.25]))
        buyers.append(company)

    def appeal(b, e):
        fit = _fit(b.true_codes, e.true_codes)
        shared = bool(set(b.languages) & set(e.languages))
        if b.latent == "fit":
            return 1.6 * fit
        if b.latent == "quality":
            return 0.7 * fit + 0.6 * e.quality
        return (1.2 * fit if shared else 0.2 * fit) + (0.2 if shared else -0.4)

    slugs = [f"synthetic-d-{2020 + k}" for k in range(n_exhibitions)]
    # Exhibitors join late (half of the last show's are new to it); buyers join evenly.
    e_join = np.minimum(rng.geometric(0.45, size=n_exhibitors) - 1, n_exhibitions - 1)
    e_join = n_exhibitions - 1 - e_join
    b_join = rng.integers(0, n_exhibitions, size=n_buyers)
    participations, meetings = {}, []
    for k, slug in enumerate(slugs):
        e_idx, b_idx = attending(rng, k, n_exhibitions, e_join, b_join, 0.85, 0.6, everyone_last)
        participations[slug] = (e_idx, b_idx)
        if not e_idx:
            continue
        for b in b_idx:
            buyer = buyers[b]
            # Half of the requests follow the stated codes (which mislead), half the floor.
            searched = [e for e in e_idx if set(exhibitors[e].hs) & set(buyer.hs)]
            walked = list(rng.choice(e_idx, size=min(30, len(e_idx)), replace=False))
            pool = list(rng.permutation(searched))[:4] + walked
            scores = np.array([appeal(buyer, exhibitors[e]) for e in pool])
            noisy = scores + rng.normal(scale=0.5, size=len(scores))
            picked, seen = [], set()
            for j in np.argsort(-noisy).tolist():
                if pool[j] not in seen:
                    seen.add(pool[j])
                    picked.append(j)
                if len(picked) == 6:
                    break
            for j in picked:
                e = int(pool[j])
                if rng.random() < 0.08:
                    meetings.append((slug, b, e, "declined", ""))
                    continue
                p = 1.0 / (1.0 + math.exp(-3.0 * (scores[j] - 0.7)))
                if rng.random() < p:
                    outcome = POSITIVE[min(int(rng.random() * 3 + (scores[j] > 1.2)), 2)]
                else:
                    outcome = "no_interest"
                meetings.append((slug, b, e, "held", outcome))
    return World("d", slugs, exhibitors, buyers, participations, meetings)


def _world_e(n_exhibitors, n_buyers, n_exhibitions, seed, everyone_last):
    """World e, written for issue 11 after the matcher's last change to its features and
    fit, and kept out of every choice (its first numbers are the ones reported):

    - the sides state at opposite precision: buyers name exact subheadings, most exhibitors
      only chapters or headings, so exact HS overlap is rare and the hierarchy is coarse;
    - a shared language does not matter at all; exhibitor texts are in Korean only;
    - the exhibitor's hidden responsiveness weighs as much as fit;
    - relationships: a buyer goes back to a supplier it ended well with, and a second
      meeting ends well more often than a first;
    - needs drift: at each show a buyer replaces one of its needs with probability 0.3
      (its statement follows); exhibitors come and go (85 % of those seen return), and
      newcomers fill each show while there are any (few are left by the last show).
    """
    rng = np.random.default_rng(30_000 + seed)
    n_codes = len(CATALOGUE)
    exhibitors = []
    for i in range(n_exhibitors):
        true = [CATALOGUE[j][0] for j in sorted(set(rng.choice(n_codes, size=int(rng.integers(1, 4)), replace=False)))]
        stated = sorted({c[:2] if rng.random() < 0.5 else (c[:4] if rng.random() < 0.6 else c) for c in true})
        concepts = [x for j in range(n_codes) if CATALOGUE[j][0] in true for x in CATALOGUE[j][1]]
        text = {"ko": _text(rng, concepts, "ko", n_filler=2)} if rng.random() < 0.8 else {}
        langs = sorted({"ko"} | ({"en"} if rng.random() < 0.5 else set()) | ({"ja"} if rng.random() < 0.2 else set()))
        company = Company(f"KR-{i + 1:04d}", "exhibitor", stated, text, langs, true, [], float(rng.lognormal(0, 0.6)))
        exhibitors.append(company)
    buyers = []
    for i in range(n_buyers):
        true = [CATALOGUE[j][0] for j in sorted(set(rng.choice(n_codes, size=int(rng.integers(1, 4)), replace=False)))]
        lang = "ja" if rng.random() < 0.85 else "en"
        text = {
            lang: _text(rng, [x for j in range(n_codes) if CATALOGUE[j][0] in true for x in CATALOGUE[j][1][:1]], lang)
        }
        buyers.append(Company(f"JP-{i + 1:04d}", "buyer", sorted(true), text, [lang], true, [], 0.0))

    slugs = [f"synthetic-e-{2020 + k}" for k in range(n_exhibitions)]
    b_join = rng.integers(0, n_exhibitions, size=n_buyers)
    good_before = set()  # (buyer, exhibitor) pairs that ended well at an earlier show
    participations, meetings = {}, []
    present = set()
    for k, slug in enumerate(slugs):
        if k:
            for buyer in buyers:
                if rng.random() < 0.3 and buyer.true_codes:
                    replaced = int(rng.integers(len(buyer.true_codes)))
                    buyer.true_codes[replaced] = CATALOGUE[int(rng.integers(n_codes))][0]
                    buyer.hs = sorted(set(buyer.true_codes))
        # Returning exhibitors, topped up with newcomers while any are left.
        returning = [i for i in sorted(present) if rng.random() < 0.85]
        newcomers = [i for i in rng.permutation(n_exhibitors).tolist() if i not in present]
        target = int(0.6 * n_exhibitors)
        n_new = max(target - len(returning), target // 3)
        e_idx = sorted(returning + newcomers[:n_new])
        b_idx = [i for i in range(n_buyers) if b_join[i] <= k and rng.random() < 0.6]
        if everyone_last and k == n_exhibitions - 1:
            e_idx, b_idx = list(range(n_exhibitors)), list(range(n_buyers))
        present |= set(e_idx)
        participations[slug] = (e_idx, b_idx)
        on_floor = set(e_idx)
        for b in b_idx:
            buyer = buyers[b]
            again = [e for (bb, e) in sorted(good_before) if bb == b and e in on_floor and rng.random() < 0.5]
            chapters = {c[:2] for c in buyer.hs}
            searched = [e for e in e_idx if any(c[:2] in chapters for c in exhibitors[e].hs)]
            walked = rng.choice(e_idx, size=min(20, len(e_idx)), replace=False).tolist()
            pool = again + list(rng.permutation(searched))[:3] + walked
            chosen = list(dict.fromkeys(int(e) for e in pool))[: int(rng.integers(4, 8))]
            for e in chosen:
                exhibitor = exhibitors[e]
                if rng.random() < 0.06:
                    meetings.append((slug, b, e, "declined", ""))
                    continue
                logit = (
                    2.0 * _fit(buyer.true_codes, exhibitor.true_codes)
                    + 0.8 * math.log(exhibitor.quality)
                    + (1.0 if (b, e) in good_before else 0.0)
                    - 1.2
                    + rng.logistic() * 0.7
                )
                if logit > 0:
                    outcome = POSITIVE[min(int(logit / 0.9), 2)]
                    good_before.add((b, e))
                else:
                    outcome = "no_interest"
                meetings.append((slug, b, e, "held", outcome))
    return World("e", slugs, exhibitors, buyers, participations, meetings)
