"""Synthetic exhibitions with latent needs and outcomes, for evaluation, tests and the bench.

Five generators built on different assumptions, so that the matcher is checked against
more than one story of how the world works:

- variant "a" (catalogue world): each company has true HS subheadings from a mould-industry
  catalogue; what it states is a noisy, partial, sometimes coarser version of them; texts
  are written from the true products in Korean, Japanese or English; a meeting ends well
  with a probability that grows with how well true needs meet true products (hierarchy),
  the exhibitor's hidden quality and a shared language.
- variant "b" (latent-factor world): companies are points in an 8-d taste space; HS codes
  are only the nearest catalogue clusters of that point (coarse, often headings or chapters
  only), texts are drawn from topic-concept mixtures, buyers pick whom to meet half at
  random, and quality weighs more than fit.
- variant "c" (held-out check, never used to choose anything in the matcher): written
  apart from the two above, with its own meeting process. Needs and products are HS
  headings drawn with a skew (a few headings are common); a good outcome is a noisy
  logistic mixture of heading affinity, language match, exhibitor quality damped by how
  overloaded the exhibitor is against its capacity at that show, and buyer pickiness.
  Statements are sparse and coarse (a third of buyers state chapters only, a quarter of
  exhibitors leave their description empty, some buyers write nothing); buyers meet 3–6
  exhibitors found partly by searching the directory for their stated codes, partly by
  walking the floor.
- variant "d" (issue 11): stated codes mislead (buyers state what they make, not what they
  need), buyers differ strongly in what matters to them, many exhibitors are new to the show.
- variant "e" (issue 11, held out until the end): the sides state at opposite precision,
  language does not matter, responsiveness and relationships (going back to a supplier
  that ended well) do, needs drift from show to show.

`World` holds plain Python data; `engine_inputs()` turns it into the engine's arrays for a
temporal split; `save_world()` writes it into the database (companies, exhibitions,
participations, meeting history) for the bench, the demo and tests.
"""

import datetime
import math
from dataclasses import dataclass, field

import numpy as np

from matching.engine.scoring import Companies, History

# (code, concepts it is written about, application)
CATALOGUE = [
    ("848071", ("injection_mold", "plastic_parts"), None),
    ("848079", ("blow_mold", "rubber_mold"), None),
    ("848041", ("die_casting", "aluminium"), None),
    ("848049", ("die_casting",), None),
    ("848010", ("mold_base",), None),
    ("848020", ("mold_base", "mold_steel"), None),
    ("848030", ("prototype",), None),
    ("848060", ("mold",), None),
    ("820730", ("press_die", "progressive_die"), None),
    ("820720", ("forging_die",), None),
    ("820719", ("cutting_tool",), None),
    ("820780", ("cutting_tool", "cnc"), None),
    ("820790", ("jig_fixture",), None),
    ("846229", ("sheet_metal", "press_die"), None),
    ("845961", ("cnc",), None),
    ("845941", ("cnc", "precision"), None),
    ("845611", ("precision",), None),
    ("845630", ("edm",), None),
    ("845710", ("cnc",), None),
    ("392690", ("plastic_parts",), None),
    ("392330", ("packaging", "plastic_parts"), "packaging"),
    ("392310", ("packaging",), "packaging"),
    ("732690", ("sheet_metal",), None),
    ("761699", ("aluminium",), None),
    ("870829", ("automotive", "bumper", "interior_trim"), "automotive"),
    ("870899", ("automotive",), "automotive"),
    ("870810", ("automotive", "bumper"), "automotive"),
    ("851220", ("lamp", "automotive"), "automotive"),
    ("853669", ("electronics",), "electronics"),
    ("853690", ("electronics",), "electronics"),
    ("847989", ("mold_repair",), None),
    ("901890", ("medical",), "medical"),
    ("401699", ("rubber_mold",), None),
    ("847780", ("plastic_parts", "hot_runner"), None),
    ("847710", ("injection_mold", "hot_runner"), None),
    ("903180", ("inspection",), None),
    ("853710", ("electronics", "ev_battery"), "electronics"),
    ("871420", ("medical",), "medical"),
]
APPLICATIONS = ("automotive", "electronics", "medical", "packaging", "home_appliance", "ev_battery", "optical")

# Words for texts: concept -> {language: phrase}. The matcher's glossary has most of these,
# but the generator words some differently, as real people would.
PHRASES = {
    "injection_mold": {"en": "plastic injection moulds", "ko": "사출금형", "ja": "射出成形金型"},
    "plastic_parts": {"en": "plastic parts", "ko": "플라스틱 부품", "ja": "樹脂部品"},
    "blow_mold": {"en": "blow moulds", "ko": "블로우 금형", "ja": "ブロー成形金型"},
    "rubber_mold": {"en": "rubber moulds", "ko": "고무금형", "ja": "ゴム金型"},
    "die_casting": {"en": "die casting dies", "ko": "다이캐스팅 금형", "ja": "ダイカスト金型"},
    "aluminium": {"en": "aluminium parts", "ko": "알루미늄 부품", "ja": "アルミ部品"},
    "mold_base": {"en": "mould bases", "ko": "몰드베이스", "ja": "モールドベース"},
    "mold_steel": {"en": "tool steel", "ko": "금형강", "ja": "金型鋼"},
    "prototype": {"en": "prototype tooling", "ko": "시제품 금형", "ja": "試作金型"},
    "mold": {"en": "moulds", "ko": "금형", "ja": "金型"},
    "press_die": {"en": "press dies", "ko": "프레스금형", "ja": "プレス金型"},
    "progressive_die": {"en": "progressive dies", "ko": "프로그레시브 금형", "ja": "順送金型"},
    "forging_die": {"en": "forging dies", "ko": "단조 금형", "ja": "鍛造金型"},
    "cutting_tool": {"en": "cutting tools", "ko": "절삭공구", "ja": "切削工具"},
    "cnc": {"en": "CNC machining", "ko": "CNC 가공", "ja": "マシニング加工"},
    "jig_fixture": {"en": "jigs and fixtures", "ko": "지그", "ja": "治具"},
    "sheet_metal": {"en": "sheet metal", "ko": "판금", "ja": "板金"},
    "precision": {"en": "precision machining", "ko": "정밀가공", "ja": "精密加工"},
    "edm": {"en": "wire EDM", "ko": "방전가공", "ja": "放電加工"},
    "packaging": {"en": "caps and containers", "ko": "용기", "ja": "容器"},
    "automotive": {"en": "automotive", "ko": "자동차", "ja": "自動車"},
    "bumper": {"en": "bumpers", "ko": "범퍼", "ja": "バンパー"},
    "interior_trim": {"en": "interior trim", "ko": "내장 부품", "ja": "内装部品"},
    "lamp": {"en": "headlamps", "ko": "헤드램프", "ja": "ランプ"},
    "electronics": {"en": "electronic connectors", "ko": "전자 커넥터", "ja": "電子コネクタ"},
    "mold_repair": {"en": "mould maintenance", "ko": "금형수리", "ja": "金型メンテナンス"},
    "medical": {"en": "medical devices", "ko": "의료기기", "ja": "医療機器"},
    "hot_runner": {"en": "hot runner systems", "ko": "핫러너", "ja": "ホットランナー"},
    "inspection": {"en": "inspection", "ko": "검사", "ja": "検査"},
    "ev_battery": {"en": "EV battery housings", "ko": "배터리 케이스", "ja": "バッテリーケース"},
    "home_appliance": {"en": "home appliances", "ko": "가전", "ja": "家電"},
    "optical": {"en": "optical lenses", "ko": "광학 렌즈", "ja": "光学レンズ"},
}
FILLER = {
    "en": ["we supply", "reliable delivery", "for global customers", "since 1995", "short lead times"],
    "ko": ["전문 기업", "고품질", "납기 준수", "해외 수출", "기술력"],
    "ja": ["を探しています", "海外調達", "品質重視", "短納期", "長期取引"],
}
POSITIVE = ("follow_up", "quotation", "deal")


@dataclass
class Company:
    ref: str
    kind: str
    hs: list
    text: dict  # language -> text
    languages: list
    true_codes: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    quality: float = 0.0
    latent: object = None


@dataclass
class World:
    variant: str
    exhibitions: list  # slugs, oldest first
    exhibitors: list
    buyers: list
    participations: dict  # slug -> (exhibitor indexes, buyer indexes)
    meetings: list  # (slug, buyer index, exhibitor index, status, outcome)

    @property
    def test_exhibition(self):
        return self.exhibitions[-1]


def _text(rng, concepts, lang, n_filler=2):
    parts = [PHRASES[c][lang] for c in concepts if c in PHRASES]
    parts += list(rng.choice(FILLER[lang], size=min(n_filler, len(FILLER[lang])), replace=False))
    rng.shuffle(parts)
    sep = "、" if lang == "ja" else ", "
    return sep.join(parts)


def _codes_for(rng, n, pool=None):
    pool = pool if pool is not None else list(range(len(CATALOGUE)))
    return [CATALOGUE[i] for i in rng.choice(pool, size=min(n, len(pool)), replace=False)]


def _fit(needs, products):
    """How well true needs meet true products: the best hierarchical match."""
    best = 0.0
    for a in needs:
        for b in products:
            if a == b:
                return 1.0
            if a[:4] == b[:4]:
                best = max(best, 0.45)
            elif a[:2] == b[:2]:
                best = max(best, 0.12)
    return best


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
        if everyone_last and k == n_exhibitions - 1:
            e_idx, b_idx = list(range(n_exhibitors)), list(range(n_buyers))
        else:
            e_idx = [i for i in range(n_exhibitors) if e_join[i] <= k and rng.random() < 0.7]
            b_idx = [i for i in range(n_buyers) if b_join[i] <= k and rng.random() < 0.6]
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
        if everyone_last and k == n_exhibitions - 1:
            e_idx, b_idx = list(range(n_exhibitors)), list(range(n_buyers))
        else:
            e_idx = [i for i in range(n_exhibitors) if e_join[i] <= k and rng.random() < 0.8]
            b_idx = [i for i in range(n_buyers) if b_join[i] <= k and rng.random() < 0.5]
        participations[slug] = (e_idx, b_idx)
        if not e_idx:
            continue
        meetings.extend(_world_c_show(rng, slug, e_idx, b_idx, exhibitors, buyers))
    return World("c", slugs, exhibitors, buyers, participations, meetings)


def _world_c_affinity(b, e):
    shared = len(set(b.true_codes) & set(e.true_codes))
    chapters = len({h[:2] for h in b.true_codes} & {h[:2] for h in e.true_codes})
    return shared / len(b.true_codes) + 0.15 * (chapters > 0)


def _world_c_show(rng, slug, e_idx, b_idx, exhibitors, buyers):
    """One show of world c: who meets whom (directory search for stated chapters or walking
    the floor) and how each meeting ends; also replayed by bench/matcher_ceiling.py."""
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
        if everyone_last and k == n_exhibitions - 1:
            e_idx, b_idx = list(range(n_exhibitors)), list(range(n_buyers))
        else:
            e_idx = [i for i in range(n_exhibitors) if e_join[i] <= k and rng.random() < 0.85]
            b_idx = [i for i in range(n_buyers) if b_join[i] <= k and rng.random() < 0.6]
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


def _companies(items, ids):
    return Companies(
        ids=np.asarray(ids, dtype=np.int64),
        hs=[list(c.hs) for c in items],
        text=[" ".join(c.text.values()) for c in items],
        languages=[frozenset(c.languages) for c in items],
    )


def engine_inputs(world: World, test_slug=None):
    """Arrays for a temporal split: exhibitors and buyers of the test exhibition, history from
    the exhibitions before it, and the labels {buyer index: {exhibitor index: outcome}}.
    Company ids are indexes (exhibitors 0..n-1, buyers offset by 1,000,000)."""
    test_slug = test_slug or world.test_exhibition
    order = world.exhibitions.index(test_slug)
    past = set(world.exhibitions[:order])
    e_idx, b_idx = world.participations[test_slug]
    offset = 1_000_000
    exhibitors = _companies([world.exhibitors[i] for i in e_idx], e_idx)
    buyers = _companies([world.buyers[i] for i in b_idx], [offset + i for i in b_idx])
    hb, he, kinds, when = [], [], [], []
    labels = {}
    for slug, b, e, status, outcome in world.meetings:
        if slug in past:
            hb.append(offset + b)
            he.append(e)
            kinds.append(outcome or status)
            when.append(world.exhibitions.index(slug))
        elif slug == test_slug and outcome in POSITIVE:
            labels.setdefault(offset + b, {})[e] = outcome
    hs = {i: list(c.hs) for i, c in enumerate(world.exhibitors)}
    hs.update({offset + i: list(c.hs) for i, c in enumerate(world.buyers)})
    text = {i: " ".join(c.text.values()) for i, c in enumerate(world.exhibitors)}
    text.update({offset + i: " ".join(c.text.values()) for i, c in enumerate(world.buyers)})
    languages = {i: frozenset(c.languages) for i, c in enumerate(world.exhibitors)}
    languages.update({offset + i: frozenset(c.languages) for i, c in enumerate(world.buyers)})
    history = History(
        np.asarray(hb, dtype=np.int64), np.asarray(he, dtype=np.int64), kinds, hs, np.asarray(when), text, languages
    )
    return exhibitors, buyers, history, labels


def save_world(world: World, *, open_slug=None, first_year=2020, stdout=None):
    """Write the world into the database: cooperative, exhibitions (the last one open unless
    `open_slug` says otherwise), approved companies, participations, meeting history. Fast
    (bulk inserts); for an empty schema or fresh slugs and refs."""
    from companies.models import Company as CompanyModel
    from companies.models import Cooperative, HSCode
    from exhibitions.models import BuyerRegistration, Exhibition, ExhibitorApplication, Meeting

    coop, _ = Cooperative.objects.get_or_create(name_en="Korea Die Mold Cooperative")
    known = set(HSCode.objects.values_list("code", flat=True))
    exhibitions = {}
    for k, slug in enumerate(world.exhibitions):
        year = first_year + k
        is_open = slug == (open_slug or world.test_exhibition)
        exhibitions[slug], _ = Exhibition.objects.get_or_create(
            slug=slug,
            defaults={
                "cooperative": coop,
                "title_en": f"Synthetic mould show {year}",
                "city": "Tokyo",
                "country": "JP",
                "starts_on": datetime.date(year, 4, 14),
                "ends_on": datetime.date(year, 4, 16),
                "status": Exhibition.Status.OPEN if is_open else Exhibition.Status.CLOSED,
            },
        )

    def rows(items, kind):
        out = []
        for c in items:
            out.append(
                CompanyModel(
                    kind=kind,
                    ref=c.ref,
                    name_en=f"{'Exhibitor' if kind == 'exhibitor' else 'Buyer'} {c.ref}",
                    country="KR" if kind == "exhibitor" else "JP",
                    description_en=c.text.get("en", ""),
                    description_ko=c.text.get("ko", ""),
                    description_ja=c.text.get("ja", ""),
                    languages=" ".join(c.languages),
                    status=CompanyModel.Status.APPROVED,
                )
            )
        return out

    CompanyModel.objects.bulk_create(rows(world.exhibitors, "exhibitor"), batch_size=1000, ignore_conflicts=True)
    CompanyModel.objects.bulk_create(rows(world.buyers, "buyer"), batch_size=1000, ignore_conflicts=True)
    ids = dict(
        CompanyModel.objects.filter(ref__in=[c.ref for c in world.exhibitors + world.buyers]).values_list("ref", "id")
    )
    through = CompanyModel.hs_codes.through
    links = [
        through(company_id=ids[c.ref], hscode_id=code)
        for c in world.exhibitors + world.buyers
        for code in c.hs
        if code in known
    ]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    apps, regs = [], []
    for slug, (e_idx, b_idx) in world.participations.items():
        ex = exhibitions[slug]
        apps += [
            ExhibitorApplication(exhibition=ex, company_id=ids[world.exhibitors[i].ref], status="approved")
            for i in e_idx
        ]
        regs += [
            BuyerRegistration(
                exhibition=ex,
                company_id=ids[world.buyers[i].ref],
                status="approved",
                languages=" ".join(world.buyers[i].languages),
            )
            for i in b_idx
        ]
    ExhibitorApplication.objects.bulk_create(apps, batch_size=2000, ignore_conflicts=True)
    BuyerRegistration.objects.bulk_create(regs, batch_size=2000, ignore_conflicts=True)
    meetings = [
        Meeting(
            exhibition=exhibitions[slug],
            buyer_id=ids[world.buyers[b].ref],
            exhibitor_id=ids[world.exhibitors[e].ref],
            status=status,
            outcome=outcome,
        )
        for slug, b, e, status, outcome in world.meetings
        if slug != (open_slug or world.test_exhibition)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    if stdout:
        stdout.write(
            f"synthetic world {world.variant}: {len(world.exhibitors)} exhibitors, {len(world.buyers)} buyers, "
            f"{len(meetings)} past meetings\n"
        )
    return exhibitions
