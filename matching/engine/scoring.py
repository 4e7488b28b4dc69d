"""The matcher's scoring core: arrays in, arrays out, no ORM.

`prepare()` turns one exhibition's companies and the meeting history into matrices once;
`score_chunk()` scores a block of buyers against every exhibitor; `shortlist.top_k()` keeps
the best per buyer, after the fairness re-rank, with the reasons for each pair.

Signals (each in roughly [0, 1], see docs/matching.md):
- hs: HS codes, one-hot at 2/4/6 digits (idf-weighted), same subheading > heading > chapter;
- text: TF-IDF over glossary concepts (en/ko/ja onto one token) and leftover words;
- own: codes the buyer had good meetings about in the past, against what the exhibitor makes;
- cf: what buyers with similar needs went on to like (neighbour-weighted past outcomes);
- track: the exhibitor's outcome rate, smoothed towards the overall rate by empirical Bayes
  (newcomers neutral);
- pair: this buyer's own past meetings with this exhibitor (positive up, negative down);
- language: how much more often pairs that share a language ended well in the past, as a
  factor (a smoothed, bounded ratio of good-outcome rates, learnt from the history).
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from . import beside
from .features import HS_MAX, LEVEL_WEIGHTS, HSSpace, TextSpace, tokens
from .records import OUTCOME_VALUE, language_ratio, track_counts, track_prior_strength

LANGUAGE_BITS = {"en": 1, "ko": 2, "ja": 4, "zh": 8}


@dataclass(frozen=True)
class Weights:
    """Weights chosen on principle (categories first, text next, history where it exists),
    not fitted to a generator; docs/matching.md shows how they do on three different ones."""

    hs: float = 1.0
    text: float = 0.6
    own: float = 0.5
    cf: float = 0.6
    pair_positive: float = 0.3
    pair_negative: float = 0.8
    # Elasticity of the score in the exhibitor's smoothed outcome rate: 1.0 ranks by
    # relevance x rate, as if the two were independent factors of a good outcome.
    track: float = 1.0
    # Among pairs with some evidence, relevance counts from `track_floor` x the buyer's best
    # relevance upwards, so a strong track record can lift a pair with thin evidence.
    track_floor: float = 0.1
    # Elasticity of the score in the language ratio (how much more often past pairs that
    # share a language ended well than pairs that did not, see `language_ratio`): a pair
    # sharing a language is multiplied by ratio^(w/2), one sharing none by ratio^(-w/2),
    # and a pair whose languages are unknown is left alone.
    language: float = 1.0
    # Prior for the track record: a newcomer counts as `prior_meetings` meetings at the
    # overall rate. None: estimated from the history (empirical Bayes, see
    # `track_prior_strength`), so that noisy records are shrunk hard and telling ones little.
    prior_meetings: float | None = None
    neighbours: int = 30
    # Fairness: an exhibitor in more than `fair_slack` times its fair share of buyers'
    # top-K lists is damped by 1 / (1 + fairness * log2(excess)).
    fairness: float = 0.15
    fair_slack: float = 2.0
    exposure_sample: int = 1000


@dataclass
class Companies:
    """One side of the exhibition: ids, stated HS codes, free text, spoken languages."""

    ids: np.ndarray
    hs: list
    text: list
    languages: list

    def __len__(self):
        return len(self.ids)


@dataclass
class History:
    """Past interactions: one row per meeting or dismissed suggestion, with its outcome kind
    (a key of OUTCOME_VALUE), and the HS codes of every company that appears."""

    buyer: np.ndarray
    exhibitor: np.ndarray
    kind: list
    hs: dict = field(default_factory=dict)
    # When each row happened (any increasing number, e.g. the exhibition's start date as an
    # ordinal); lets the matcher calibrate itself on its own latest past exhibition.
    when: np.ndarray = None
    # Texts of the companies that appear (optional), so that calibration can weigh text too.
    text: dict = field(default_factory=dict)
    # Languages of the companies that appear (optional, id -> set of codes), so that the
    # effect of a shared language can be learnt from past meetings.
    languages: dict = field(default_factory=dict)

    @classmethod
    def empty(cls):
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [], {})

    def subset(self, mask):
        idx = np.flatnonzero(mask)
        return History(
            self.buyer[idx],
            self.exhibitor[idx],
            [self.kind[i] for i in idx],
            self.hs,
            None if self.when is None else self.when[idx],
            self.text,
            self.languages,
        )


def _sign_table():
    """[buyer mask, exhibitor mask] -> +1 shared language, -1 none shared, 0 unknown."""
    masks = np.arange(16)
    lb, le = masks[:, None], masks[None, :]
    known = (lb != 0) & (le != 0)
    return np.where(known, np.where((lb & le) != 0, 1, -1), 0).astype(np.int8)


_SIGN_TABLE = _sign_table()


def _language_mask(language_lists):
    out = np.zeros(len(language_lists), dtype=np.int64)
    for i, langs in enumerate(language_lists):
        for code in langs:
            out[i] |= LANGUAGE_BITS.get(code, 0)
    return out


@dataclass
class Model:
    exhibitors: Companies
    buyers: Companies
    weights: Weights
    hs_space: HSSpace
    E_hs: sp.csr_matrix
    B_hs: sp.csr_matrix
    E_tx: sp.csr_matrix
    B_tx: sp.csr_matrix
    B_own: sp.csr_matrix
    cf_weights: sp.csr_matrix  # current buyers x codes: how much each code speaks for the buyer (rows sum to 1)
    cf_member: sp.csr_matrix  # history buyers x codes: stating (1) or having liked (0.5) each code
    cf_sum: np.ndarray  # codes x exhibitors: summed past outcomes of the history buyers with each code
    cf_count: np.ndarray  # per code: history buyers with it (weighted by cf_member) + CF_PRIOR
    b_history_row: np.ndarray  # per current buyer: its row in R / cf_member, or -1
    H_rows: np.ndarray  # company id of each history buyer row
    R: sp.csr_matrix  # history buyers x current exhibitors, aggregated outcome value
    pair: sp.csr_matrix  # current buyers x current exhibitors, own past outcome value
    pair_kind: dict  # (buyer row, exhibitor row) -> best/worst outcome kind
    track_positive: np.ndarray  # graded good outcomes per exhibitor
    track_meetings: np.ndarray  # past meetings per exhibitor
    track_base_rate: float  # the overall rate, which a newcomer is assumed to have
    track_prior: float  # prior strength in meetings (given, or estimated from the history)
    lang_ratio: float  # good-outcome rate sharing a language / not sharing one (learnt)
    lang_e: np.ndarray
    lang_b: np.ndarray
    excluded: sp.csr_matrix
    fair_factor: np.ndarray
    e_concepts: list
    b_concepts: list
    b_liked: list  # per buyer row: {code: weight} liked through history
    b_empty: np.ndarray  # buyers with no codes, no text and no history
    # Learnt combination (learning.py); None: the hand-set weights above.
    E_levels: dict = field(default_factory=dict)  # HS level -> exhibitor rows at that level only
    B_codes: sp.csr_matrix = None  # buyers' stated codes, every level, rows summing to 1
    assoc_lift: np.ndarray = None  # codes x codes: learnt lift of stating x on good meetings about y
    assoc_by_e: np.ndarray = None  # code-to-code lift x exhibitors' codes (codes x exhibitors)
    b_has_history: np.ndarray = None  # buyers with any past interaction
    ranker: object = None
    summary: dict = field(default_factory=dict)  # what was learnt, for the run's record

    def dense_right(self):
        """The exhibitor side of every per-chunk product, transposed and dense (float32) where
        small enough, built once per run (see _right_operand)."""
        cached = self.__dict__.get("_dense_right")
        if cached is None:
            cached = {"hs": _right_operand(self.E_hs.T), "text": _right_operand(self.E_tx.T)}
            for level, E in self.E_levels.items():
                cached[f"hs{level}"] = _right_operand(E.T)
            self.__dict__["_dense_right"] = cached
        return cached

    def _track_key(self):
        return (self.weights.track, self.weights.prior_meetings, self.track_prior, self.track_base_rate)

    def _track(self):
        """{"rate", "lift", "factor"} per exhibitor, computed once per run (and again only if
        calibration changes the weights they depend on): the reasons read them per pair."""
        key = self._track_key()
        cached = self.__dict__.get("_track_cache")
        if cached is None or cached[0] != key:
            cached = self.__dict__["_track_cache"] = (key, track_arrays(self))
        return cached[1]

    @property
    def track_factor(self):
        """How much the exhibitor's track record multiplies its relevance (1 = neutral)."""
        return self._track()["factor"]

    @property
    def track_rate(self):
        """Outcome rate smoothed towards the overall rate (Bayesian prior of
        `prior_meetings` meetings), so a newcomer is neither punished nor promoted."""
        return self._track()["rate"]

    @property
    def track_lift(self):
        """log(rate / overall rate), clipped to [-3, 3]."""
        return self._track()["lift"]

    def language_sign(self, rows):
        """Buyers `rows` x all exhibitors: +1 where they share a language, -1 where they
        share none, 0 where either side's languages are unknown (int8; one table lookup
        per pair, the language masks having 4 bits)."""
        return _SIGN_TABLE[self.lang_b[np.asarray(rows)][:, None], self.lang_e[None, :]]

    def exhibitor_factors(self):
        """[buyer language mask] -> the factor of every exhibitor: track record x language
        (16 x exhibitors, float32), built once per run and weights; a chunk multiplies its
        scores by the rows of its buyers' masks, one pass."""
        key = (self._track_key(), self.weights.language, self.lang_ratio)
        cached = self.__dict__.get("_exhibitor_factors")
        if cached is None or cached[0] != key:
            half = 0.5 * self.weights.language
            factors = np.array([self.lang_ratio**-half, 1.0, self.lang_ratio**half])
            table = factors[_SIGN_TABLE[:, self.lang_e] + 1] * self.track_factor[None, :]
            cached = self.__dict__["_exhibitor_factors"] = (key, table.astype(np.float32))
        return cached[1]

    def language_factor(self, rows):
        """Buyers `rows` x all exhibitors: ratio^(w/2) where they share a language,
        ratio^(-w/2) where they share none, 1 where either side's languages are unknown."""
        half = 0.5 * self.weights.language
        factors = np.array([self.lang_ratio**-half, 1.0, self.lang_ratio**half], dtype=np.float32)
        return factors[_SIGN_TABLE + 1][self.lang_b[np.asarray(rows)][:, None], self.lang_e[None, :]]

    @property
    def n_buyers(self):
        return len(self.buyers)

    @property
    def n_exhibitors(self):
        return len(self.exhibitors)


def track_arrays(model):
    """The track record's arrays for the model's weights (see Model._track)."""
    w = model.weights
    m = w.prior_meetings if w.prior_meetings is not None else model.track_prior
    rate = (model.track_positive + m * model.track_base_rate) / (model.track_meetings + m)
    lift = np.clip(np.log(rate / model.track_base_rate), -3.0, 3.0)
    return {"rate": rate, "lift": lift, "factor": np.exp(w.track * lift)}


def _aggregate(history, b_index, e_index):
    """Sum of outcome values per (buyer, exhibitor), clipped to [-1, 1], for pairs whose
    two companies are in the given indexes."""
    cells = {}
    kinds = {}
    for b, e, kind in zip(history.buyer.tolist(), history.exhibitor.tolist(), history.kind, strict=True):
        bi = b_index.get(b)
        ei = e_index.get(e)
        if bi is None or ei is None:
            continue
        value = OUTCOME_VALUE.get(kind, 0.0)
        cells[(bi, ei)] = cells.get((bi, ei), 0.0) + value
        previous = kinds.get((bi, ei))
        if previous is None or abs(OUTCOME_VALUE.get(kind, 0)) > abs(OUTCOME_VALUE.get(previous, 0)):
            kinds[(bi, ei)] = kind
    if not cells:
        return sp.csr_matrix((len(b_index), len(e_index))), {}
    keys = list(cells)
    rows = [k[0] for k in keys]
    cols = [k[1] for k in keys]
    vals = np.clip([cells[k] for k in keys], -1.0, 1.0)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(b_index), len(e_index))), kinds


def prepare(
    exhibitors: Companies,
    buyers: Companies,
    history: History,
    weights: Weights = None,
    excluded=(),
    calibrate=True,
    learn=True,
    learning_features=True,
):
    """Build every matrix the scoring needs, once per run. `excluded` are (buyer id,
    exhibitor id) pairs never to suggest (dismissed or rejected in this exhibition).

    With `learn`, the signals are combined by a model fitted on past exhibitions
    (learning.py); when the history is too thin for that (or without `learn`) and with
    `calibrate`, the hand-set weights are adjusted on the history (calibration.py).
    Without `learning_features` (calibration's replays, baselines) the extra features of the
    learnt combination (HS levels apart, code associations) are not built."""
    weights = weights or Weights()
    # The combination does not depend on the matrices below: on a large history it is worked
    # out in a forked process meanwhile (beside.py; both are CPU-bound Python).
    combination = beside.start(
        _combination, history, weights, learn, calibrate, fork=(learn or calibrate) and len(history.kind) >= FORK_FROM
    )
    e_index = {int(c): i for i, c in enumerate(exhibitors.ids.tolist())}
    b_index = {int(c): i for i, c in enumerate(buyers.ids.tolist())}

    # Past buyers' liked codes: the codes of the exhibitors they had good meetings with.
    liked = {}
    for b, e, kind in zip(history.buyer.tolist(), history.exhibitor.tolist(), history.kind, strict=True):
        value = OUTCOME_VALUE.get(kind, 0.0)
        if value <= 0.2:
            continue
        profile = liked.setdefault(b, {})
        for code in history.hs.get(e, ()):
            profile[code] = profile.get(code, 0.0) + value

    all_codes = list(exhibitors.hs) + list(buyers.hs) + [list(p) for p in liked.values()]
    all_codes += [history.hs[c] for c in history.hs]
    hs_space = HSSpace(all_codes)
    hs_space.fit_idf(list(exhibitors.hs) + list(buyers.hs))
    E_hs = hs_space.matrix(exhibitors.hs)
    B_hs = hs_space.matrix(buyers.hs)

    def expanded_profile(profile):
        out = {}
        for code, w in profile.items():
            for level in (2, 4, 6):
                if len(code) >= level:
                    out[code[:level]] = max(out.get(code[:level], 0.0), w)
        return out

    b_liked = [liked.get(int(c), {}) for c in buyers.ids.tolist()]
    B_own = hs_space.profile_matrix([expanded_profile(p) for p in b_liked])

    # Text.
    e_tokens = [tokens(t) for t in exhibitors.text]
    b_tokens = [tokens(t) for t in buyers.text]
    text_space = TextSpace(e_tokens + b_tokens)
    E_tx = text_space.matrix(e_tokens)
    B_tx = text_space.matrix(b_tokens)

    # Collaborative: past buyers who met some current exhibitor, described by what they
    # state and what they liked, compared with current buyers described the same way.
    h_buyers = sorted(
        {b for b, e in zip(history.buyer.tolist(), history.exhibitor.tolist(), strict=True) if e in e_index}
    )
    h_index = {b: i for i, b in enumerate(h_buyers)}
    R, _ = _aggregate(history, h_index, e_index)
    # Product level (issue 12): per code, the past outcomes of the history buyers that state
    # or liked it, summed per exhibitor; a buyer's cf is the mean over its codes of those
    # codes' mean outcomes. Scoring costs codes x exhibitors per buyer, whatever the history.
    cf_member = _membership(hs_space, [history.hs.get(b, ()) for b in h_buyers], [liked.get(b, {}) for b in h_buyers])
    b_member = _membership(hs_space, list(buyers.hs), b_liked)
    cf_sum = _right_operand(cf_member.T @ R)
    cf_count = np.asarray(cf_member.sum(axis=0)).ravel() + CF_PRIOR
    b_history_row = np.array([h_index.get(int(b), -1) for b in buyers.ids.tolist()], dtype=np.int64)

    pair, pair_kind = _aggregate(history, b_index, e_index)

    # Track record over every past meeting of each current exhibitor; the prior's strength
    # is estimated over every exhibitor in the history.
    track = track_counts(history)
    n_meet = np.zeros(len(exhibitors))
    pos = np.zeros(len(exhibitors))
    for e, (n, s, _s2) in track.items():
        ei = e_index.get(e)
        if ei is not None:
            n_meet[ei], pos[ei] = n, s
    all_n = sum(v[0] for v in track.values())
    all_pos = sum(v[1] for v in track.values())
    p0 = (all_pos + 1.0) / (all_n + 2.0)
    prior = track_prior_strength(track)
    lang_ratio = language_ratio(history)

    excl_rows, excl_cols = [], []
    for b, e in excluded:
        bi, ei = b_index.get(b), e_index.get(e)
        if bi is not None and ei is not None:
            excl_rows.append(bi)
            excl_cols.append(ei)
    excluded_m = sp.csr_matrix((np.ones(len(excl_rows)), (excl_rows, excl_cols)), shape=(len(buyers), len(exhibitors)))

    model = Model(
        exhibitors=exhibitors,
        buyers=buyers,
        weights=weights,
        hs_space=hs_space,
        E_hs=E_hs.tocsr(),
        B_hs=B_hs.tocsr(),
        E_tx=E_tx,
        B_tx=B_tx,
        B_own=B_own.tocsr(),
        cf_weights=_code_weights(hs_space, b_member),
        cf_member=cf_member,
        cf_sum=cf_sum,
        cf_count=cf_count,
        b_history_row=b_history_row,
        H_rows=np.array(h_buyers, dtype=np.int64),
        R=R,
        pair=pair,
        pair_kind=pair_kind,
        track_positive=pos,
        track_meetings=n_meet,
        track_base_rate=p0,
        track_prior=prior,
        lang_ratio=lang_ratio,
        lang_e=_language_mask(exhibitors.languages),
        lang_b=_language_mask(buyers.languages),
        excluded=excluded_m,
        fair_factor=np.ones(len(exhibitors)),
        e_concepts=[{t[2:] for t in toks if t.startswith("c:")} for toks in e_tokens],
        b_concepts=[{t[2:] for t in toks if t.startswith("c:")} for toks in b_tokens],
        b_liked=b_liked,
        b_empty=(np.diff(B_hs.indptr) == 0) & (np.diff(B_tx.indptr) == 0) & (np.diff(B_own.tocsr().indptr) == 0),
    )
    if learning_features:
        for level in (6, 4, 2):
            keep = sp.diags((hs_space.level_of == level).astype(float))
            model.E_levels[level] = (model.E_hs @ keep).tocsr()
        from .associations import association_lift, code_rows

        model.B_codes = code_rows(hs_space, buyers.hs)
        lift = model.assoc_lift = association_lift(history, hs_space)
        model.assoc_by_e = (sp.csr_matrix(lift) @ code_rows(hs_space, exhibitors.hs).T).toarray().astype(np.float32)
    seen = set(history.buyer.tolist())
    model.b_has_history = np.array([int(b) in seen for b in buyers.ids.tolist()], dtype=bool)
    model.weights, model.ranker, summary = combination.result()
    if model.ranker is None and summary:
        summary["hand_set_weights"] = {
            name: getattr(model.weights, name) for name in ("hs", "text", "own", "cf", "track")
        }
    model.summary = summary
    model.fair_factor = _fair_factor(model)
    return model


# From this many past meetings the combination is worked out in a forked process (on a
# smaller history, forking and sending the result back cost more than they save).
FORK_FROM = 5_000


def _combination(history, weights, learn, calibrate):
    """(weights, ranker, summary): the learnt ranker fitted on replays of past shows, or
    without one (thin history, or not `learn`) the hand-set weights, calibrated on those
    replays when `calibrate`."""
    ranker, summary = None, {}
    # One set of replays of past shows for learning and calibration (each show prepared once).
    replays = None
    if learn or calibrate:
        from .replays import Replays

        replays = Replays(history, weights)
    if learn:
        from .learning import fit_ranker

        ranker, summary = fit_ranker(history, weights, replays=replays)
        if ranker is not None:
            from dataclasses import replace

            weights = replace(weights, fairness=ranker.fairness if weights.fairness else 0.0)
    if calibrate and ranker is None:
        from .calibration import calibrate_weights

        weights = calibrate_weights(history, weights, replays=replays)
    return weights, ranker, summary


# A code few history buyers have says little: its mean outcome is shrunk towards 0 as if
# CF_PRIOR more buyers with it had met nobody (the dense neighbour version shrank by 1 too).
CF_PRIOR = 1.0
# Right-hand operands of the per-chunk products are kept dense (float32) up to this many
# cells (80 MB), so each product is sparse rows x dense columns: one pass, a dense result.
DENSE_CELLS = 20_000_000


def _right_operand(m):
    """codes x exhibitors: dense float32 when small enough, else CSR."""
    if m.shape[0] * m.shape[1] <= DENSE_CELLS:
        return np.asarray(m.toarray() if sp.issparse(m) else m, dtype=np.float32)
    return sp.csr_matrix(m, dtype=np.float32)


def _dense_product(left, right):
    """Sparse rows x (dense or sparse) right operand, as a dense float32 array."""
    out = left.astype(np.float32, copy=False) @ right
    return np.asarray(out.toarray() if sp.issparse(out) else out, dtype=np.float32)


def _membership(hs_space, code_lists, liked_lists):
    """Companies x codes (every level): 1 for a code the company states, 0.5 for one it only
    liked through good past meetings, 0 otherwise."""
    rows, cols, vals = [], [], []
    for r, (codes, liked) in enumerate(zip(code_lists, liked_lists, strict=True)):
        cells = {}
        for source, value in ((liked, 0.5), (codes, 1.0)):
            for code in source:
                for level in (6, 4, 2):
                    if len(code) >= level:
                        i = hs_space.index.get(code[:level])
                        if i is not None:
                            cells[i] = max(cells.get(i, 0.0), value)
        rows += [r] * len(cells)
        cols += list(cells)
        vals += list(cells.values())
    shape = (len(code_lists), len(hs_space))
    return sp.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=shape)


def _code_weights(hs_space, member):
    """How much each of a buyer's codes speaks for it: membership x level weight x idf (a
    shared chapter says little, an exact subheading much), rows summing to 1."""
    column = np.array([LEVEL_WEIGHTS[int(level)] for level in hs_space.level_of]) * hs_space.idf
    weights = sp.csr_matrix(member @ sp.diags(column))
    sums = np.asarray(weights.sum(axis=1)).ravel()
    sums[sums == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / sums) @ weights)


def cf_terms(model, rows):
    """cf for buyers `rows` as (W, cells): W @ cf_sum less `cells` (chunk row, exhibitor,
    value; float32), see collaborative(). W is per buyer, so a run can build it once for
    every buyer (learnt_logit.chunk_logit)."""
    rows = np.asarray(rows)
    n_codes = model.cf_weights.shape[1]
    U = model.cf_weights[rows].tocoo()
    h_rows = model.b_history_row[rows]
    # The buyer's own membership of each of its codes in the history (0 if none).
    own = np.zeros(len(U.data))
    mine = np.flatnonzero(h_rows >= 0)
    if len(mine):
        H = model.cf_member[h_rows[mine]].tocoo()
        keys = mine[H.row].astype(np.int64) * n_codes + H.col
        order = np.argsort(keys)
        keys = keys[order]
        wanted = U.row.astype(np.int64) * n_codes + U.col
        at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        found = (keys[at] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
        own[found] = H.data[order][at[found]]
    w = (U.data / (model.cf_count[U.col] - own)).astype(np.float32)
    W = sp.csr_matrix((w, (U.row, U.col)), shape=(len(rows), n_codes))
    # Take the buyer's own outcomes out of the sums of its codes.
    correction = np.bincount(U.row, weights=w * own, minlength=len(rows))
    cells = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
    if len(mine):
        mine = mine[correction[mine] != 0]
        R = model.R[h_rows[mine]].tocoo()
        if R.nnz:
            r = mine[R.row]
            cells = (r, R.col, (correction[r] * R.data).astype(np.float32))
    return W, cells


def collaborative(model, rows):
    """cf for buyers `rows` x all exhibitors: over the buyer's codes (weights cf_weights),
    the mean past outcome with each exhibitor of the history buyers having that code,
    shrunk by CF_PRIOR. A buyer is not its own neighbour: its own history counts through
    `own` and `pair`, so it is taken out of each code's sum and count (exactly)."""
    W, (r, c, v) = cf_terms(model, rows)
    cf = _dense_product(W, model.cf_sum)
    if len(r):
        cf[r, c] -= v
    return cf


def hs_signal(model: Model, rows):
    """The HS signal of buyers `rows` x all exhibitors (float32)."""
    # Divisions in place: the same numbers without a second array per signal.
    hs = _dense_product(model.B_hs[np.asarray(rows)], model.dense_right()["hs"])
    hs /= np.float32(HS_MAX)
    return hs


def components(model: Model, rows, learning=None):
    """Every signal for buyers `rows` x all exhibitors, as dense arrays (chunk-sized); with
    `learning` (default: when the model has a learnt ranker) also the learnt combination's
    extra signals (HS levels apart, code associations)."""
    rows = np.asarray(rows)
    dense = model.dense_right()
    hs = hs_signal(model, rows)
    text = _dense_product(model.B_tx[rows], dense["text"])
    own = _dense_product(model.B_own[rows], dense["hs"])
    own /= np.float32(HS_MAX)
    cf = collaborative(model, rows) if model.R.nnz else np.zeros_like(hs)
    pair = model.pair[rows].astype(np.float32).toarray()  # cast the few cells, not the dense chunk
    out = {"hs": hs, "text": text, "own": own, "cf": cf, "pair": pair}
    if not (model.ranker is not None if learning is None else learning):
        return out
    B = model.B_hs[rows]
    for level in model.E_levels:
        level_signal = out[f"hs{level}"] = _dense_product(B, dense[f"hs{level}"])
        level_signal /= np.float32(LEVEL_WEIGHTS[level])
    if model.assoc_by_e is not None:
        out["assoc"] = _dense_product(model.B_codes[rows], model.assoc_by_e)
    return out


def relevance(model: Model, rows, parts):
    """The score before fairness: the learnt combination when one was fitted, else the
    hand-set one; excluded pairs are -inf."""
    if model.ranker is None:
        return combine(model, rows, parts)
    from .learnt_logit import relevance as learnt

    score = learnt(model.ranker, model, rows, parts)
    excluded = model.excluded[np.asarray(rows)].tocoo()
    score[excluded.row, excluded.col] = -np.inf
    return score


def combine(model: Model, rows, parts):
    """One relevance score per pair from the signals; excluded pairs are -inf. Written with
    in-place operations: it runs on every pair of every chunk and of every calibration
    candidate."""
    w = model.weights
    rows = np.asarray(rows)
    base = w.hs * parts["hs"]
    base += w.text * parts["text"]
    base += w.own * parts["own"]
    base += w.cf * parts["cf"]
    return combine_base(model, rows, base, parts["pair"])


def combine_base(model: Model, rows, base, pair=None):
    """combine() from the weighted sum of the signals (`base`, float32, changed in place);
    the past pairs' values are read from `pair` (the chunk's dense array) or, without it,
    from model.pair (the same float32 numbers)."""
    w = model.weights
    rows = np.asarray(rows)
    # The pairs with a past meeting (few): their cells, read from the sparse matrix.
    past = model.pair[rows].tocoo()
    past_values = pair[past.row, past.col] if pair is not None else past.data.astype(np.float32)
    positive = base > 0
    # Only pairs with some evidence are suggested, except to a buyer that told us nothing:
    # it gets the exhibitors with the best track record.
    relevant = positive.copy()
    relevant[past.row[past_values > 0], past.col[past_values > 0]] = True
    relevant[model.b_empty[rows]] = True
    # Thin evidence counts from a floor (a share of the buyer's best relevance), so that the
    # track record, not noise in the weakest signals, orders the weakly related exhibitors.
    if w.track_floor:
        best = np.maximum(base.max(axis=1, keepdims=True), 0.0)
        np.add(base, w.track_floor * best, out=base, where=positive)
    track = model._track()
    # A hint of the track record breaks ties.
    base += 0.02 * (track["rate"] / max(track["rate"].max(), 1e-9))[None, :]
    base *= model.exhibitor_factors()[model.lang_b[rows]]  # track record x language
    if past.nnz:
        base[past.row, past.col] += np.where(
            past_values > 0, w.pair_positive * past_values, w.pair_negative * past_values
        )
    base *= relevant
    excluded = model.excluded[rows].tocoo()
    base[excluded.row, excluded.col] = -np.inf
    return base


def _top_indices(score, k):
    k = min(k, score.shape[1])
    if k == 0:
        return np.zeros((score.shape[0], 0), dtype=np.int64)
    n = score.shape[1]
    # The k largest without negating a copy of the chunk first.
    idx = np.argpartition(score, n - k, axis=1)[:, n - k :] if k < n else np.tile(np.arange(n), (len(score), 1))
    order = np.argsort(-np.take_along_axis(score, idx, axis=1), axis=1, kind="stable")
    return np.take_along_axis(idx, order, axis=1)


def _fair_factor(model: Model, k=20):
    """How much each exhibitor is damped for appearing in too many buyers' top-K lists,
    estimated on a fixed sample of buyers so every chunk applies the same factor."""
    w = model.weights
    n_b, n_e = model.n_buyers, model.n_exhibitors
    if not w.fairness or n_b == 0 or n_e == 0:
        return np.ones(n_e)
    rng = np.random.default_rng(0)
    sample = np.arange(n_b) if n_b <= w.exposure_sample else np.sort(rng.choice(n_b, w.exposure_sample, replace=False))
    counts = np.zeros(n_e)
    for start in range(0, len(sample), 1000):
        rows = sample[start : start + 1000]
        score = relevance(model, rows, components(model, rows) if _scored_from_signals(model) else {})
        top = _top_indices(score, k)
        valid = np.take_along_axis(score, top, axis=1) > 0
        np.add.at(counts, top[valid], 1)
    counts *= n_b / len(sample)
    fair_share = n_b * min(k, n_e) / n_e
    excess = np.maximum(counts / (w.fair_slack * fair_share), 1.0)
    return 1.0 / (1.0 + w.fairness * np.log2(excess))


def _scored_from_signals(model: Model):
    """Whether the score is computed from the chunk's signals (components): the hand-set
    combination and a boosted ranker; a learnt logistic one is not (learnt_logit.chunk_logit)."""
    from .learnt_logit import folded

    return not folded(model.ranker)


def score_chunk(model: Model, rows, signals=True):
    """Final scores (fairness applied to positive scores) for buyers `rows`, and their
    signals (`parts`). With signals=False, for callers that need only the scores, a learnt
    logistic combination is scored without computing the signals (parts is then empty:
    learnt_logit.chunk_logit does not read them)."""
    parts = components(model, rows) if signals or _scored_from_signals(model) else {}
    score = relevance(model, rows, parts)
    from .learning import damped_rows

    damp = damped_rows(model.ranker, model, rows)[:, None]
    np.multiply(score, model.fair_factor[None, :], out=score, where=(score > 0) & damp)
    return score, parts
