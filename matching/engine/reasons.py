"""Why a pair was suggested, as codes with parameters (rendered later in the reader's
language by matching/reasons.py). Computed for the top pairs only, from the same inputs
as the scores."""

import numpy as np
import scipy.sparse as sp

from .records import POSITIVE_OUTCOMES
from .scoring import _SIGN_TABLE, LANGUAGE_BITS

LANGUAGE_ORDER = ("ja", "ko", "en", "zh")


def _levels(codes):
    """(subheadings, stated headings) of a company's codes, cached on the tuple."""
    return {c for c in codes if len(c) == 6}, {c for c in codes if len(c) == 4}


def _hs_reason(buyer_codes, exhibitor_codes, b_levels=None, e_levels=None):
    # The smallest matching code of the strongest level (min, not sorted()[0]: the same
    # code without sorting a list per pair).
    b6, b4 = b_levels or _levels(buyer_codes)
    e6, e4 = e_levels or _levels(exhibitor_codes)
    exact = b6 & e6
    if exact:
        return {"code": "hs_subheading", "hs": min(exact)}
    covered = min((c for c in e6 if c[:4] in b4), default=None)
    if covered:
        return {"code": "hs_heading_covers", "hs": covered, "heading": covered[:4]}
    broad = min((c for c in e4 if c in b4 or any(b[:4] == c for b in b6)), default=None)
    if broad:
        return {"code": "hs_heading", "hs": broad}
    shared = {c[:4] for c in buyer_codes if len(c) >= 4} & {c[:4] for c in exhibitor_codes if len(c) >= 4}
    if shared:
        return {"code": "hs_heading", "hs": min(shared)}
    chapters = {c[:2] for c in buyer_codes} & {c[:2] for c in exhibitor_codes}
    if chapters:
        return {"code": "hs_chapter", "hs": min(chapters)}
    return None


def _liked_order(liked, buyer_codes):
    """The codes a buyer liked, strongest first, without those it states (once per buyer)."""
    stated = set(buyer_codes)
    ordered = sorted(liked.items(), key=lambda kv: (-kv[1], kv[0]))
    return [code for code, _weight in ordered if code not in stated and code[:4] not in stated]


def _liked_reason(liked, buyer_codes, exhibitor_codes, order=None):
    for code in _liked_order(liked, buyer_codes) if order is None else order:
        if any(e == code or e.startswith(code) or code.startswith(e) for e in exhibitor_codes):
            return {"code": "history_codes", "hs": code}
    return None


def _prefixes(code):
    """Every prefix of `code`, itself and "" included."""
    return frozenset(code[:k] for k in range(len(code) + 1))


class _Sides:
    """What the reasons read per company, computed once per model (not once per pair):
    each side's HS levels, the exhibitors' codes and their prefixes (for the liked codes),
    the buyers' liked codes in order with their prefixes, language masks."""

    def __init__(self, model):
        self.b_levels = [None] * model.n_buyers
        self.e_levels = [_levels(codes) for codes in model.exhibitors.hs]
        self.e_codes = [frozenset(codes) for codes in model.exhibitors.hs]
        self.e_prefixes = [frozenset().union(*(_prefixes(c) for c in codes)) for codes in model.exhibitors.hs]
        self.b_liked = [None] * model.n_buyers
        self.b_speaks = [bool(langs) for langs in model.buyers.languages]
        self.e_speaks = [bool(langs) for langs in model.exhibitors.languages]
        # Language mask (scoring.LANGUAGE_BITS) -> the first common language in LANGUAGE_ORDER.
        self.first_language = [
            next((code for code in LANGUAGE_ORDER if mask & LANGUAGE_BITS[code]), None) for mask in range(16)
        ]

    def track_record(self, model):
        """Per exhibitor: the track_record reason applies (a list of bools, for the track
        weights in force)."""
        key = model._track_key()
        if self.__dict__.get("_track_key") != key:
            meetings = model.track_meetings
            self.__dict__["_track_key"] = key
            self._track_record = ((meetings >= 3) & (model.track_factor > 1.05)).tolist()
            self._newcomer = ((meetings == 0) & (meetings.max(initial=0) >= 3)).tolist()
        return self._track_record

    def newcomer(self, model):
        self.track_record(model)
        return self._newcomer

    def buyer_levels(self, model, b):
        levels = self.b_levels[b]
        if levels is None:
            levels = self.b_levels[b] = _levels(model.buyers.hs[b])
        return levels

    def liked(self, model, b):
        """The buyer's liked codes in _liked_order's order, each with its prefixes."""
        liked = self.b_liked[b]
        if liked is None:
            liked = self.b_liked[b] = [(c, _prefixes(c)) for c in _liked_order(model.b_liked[b], model.buyers.hs[b])]
        return liked

    def liked_reason(self, model, b, e):
        """_liked_reason with the prefixes precomputed: a liked code matches an exhibitor
        code when one is a prefix of the other."""
        e_codes, e_prefixes = self.e_codes[e], self.e_prefixes[e]
        for code, prefixes in self.liked(model, b):
            if code in e_prefixes or not e_codes.isdisjoint(prefixes):
                return {"code": "history_codes", "hs": code}
        return None


def _sides(model):
    sides = model.__dict__.get("_reason_sides")
    if sides is None:
        sides = model.__dict__["_reason_sides"] = _Sides(model)
    return sides


def _liked_for(model, b, e):
    """_liked_reason for buyer row `b` (per-company work cached on the model)."""
    return _sides(model).liked_reason(model, b, e)


def _assoc_reason(model, b, e):
    """The buyer's stated code and the exhibitor's code with the strongest learnt lift."""
    lift = model.assoc_lift
    if lift is None:
        return None
    index = model.hs_space.index
    best, best_value = None, 0.0
    for x in model.buyers.hs[b]:
        i = index.get(x)
        if i is None:
            continue
        for y in model.exhibitors.hs[e]:
            j = index.get(y)
            if j is not None and lift[i, j] > best_value:
                best, best_value = (x, y), float(lift[i, j])
    return {"code": "product_history", "stated": best[0], "hs": best[1]} if best else None


def _by_group(model, b, e, parts):
    """{group: reason or None} for one pair, each as the hand-set path words it."""
    out = {}
    kind = model.pair_kind.get((b, e))
    out["past"] = {"code": "past_meeting", "outcome": kind} if kind in POSITIVE_OUTCOMES else None
    sides = _sides(model)
    hs = None
    if parts["hs"] > 0:
        hs = _hs_reason(model.buyers.hs[b], model.exhibitors.hs[e], sides.buyer_levels(model, b), sides.e_levels[e])
    out["hs"] = hs
    out["own"] = _liked_for(model, b, e) if parts["own"] > 0.02 else None
    shared = sorted(model.b_concepts[b] & model.e_concepts[e])
    if shared and parts["text"] > 0:
        out["text"] = {"code": "text_concepts", "concepts": shared[:3]}
    else:
        out["text"] = {"code": "text_similar"} if parts["text"] > 0.1 else None
    out["cf"] = {"code": "similar_buyers"} if parts["cf"] > 0.05 else None
    out["track"] = {"code": "track_record"} if sides.track_record(model)[e] else None
    common = sides.first_language[model.lang_b[b] & model.lang_e[e]]
    out["language"] = {"code": "language", "lang": common} if common else None
    out["interpreter"] = {"code": "interpreter"} if not common and sides.b_speaks[b] and sides.e_speaks[e] else None
    return out


def reasons_for(model, b, e, parts, chunk_row=None, chunk_parts=None):
    """The reasons for buyer row `b` and exhibitor row `e`, strongest first.

    With a learnt combination, the reasons are those of the features that raised this
    pair's score most (their contributions to the fitted model, against an average pair),
    in that order; an interpreter need is always said. Otherwise the hand-set order."""
    ranker = model.ranker
    if ranker is not None and ranker.coef is not None and chunk_parts is not None:
        from .learning import group_contributions, pair_features, reason_groups

        # Every pair of one buyer at once (its picks are asked for one after the other).
        cache = model.__dict__.setdefault("_pair_features", {})
        contributions = cache.get(b)
        if contributions is None:
            cache.clear()
            feats = pair_features(
                model,
                [b],
                {name: value[chunk_row : chunk_row + 1] for name, value in chunk_parts.items()},
                hand_set=False,
            )
            contributions = cache[b] = group_contributions(ranker, feats, model.n_exhibitors)
        candidates = _by_group(model, b, e, parts)
        if "assoc" in parts:
            candidates["assoc"] = _assoc_reason(model, b, e)
        out = []
        for group, _contribution in reason_groups(contributions, e):
            if group == "newcomer":
                reason = {"code": "newcomer"} if model.track_meetings[e] == 0 and out else None
            else:
                reason = candidates.get(group)
            if reason and reason not in out:
                out.append(reason)
        if candidates["interpreter"]:
            out.append(candidates["interpreter"])
        return out
    return hand_set_reasons(model, b, e, parts["hs"], parts["own"], parts["text"], parts["cf"])


def hand_set_reasons(model, b, e, hs, own, text, cf):
    """The hand-set path's reasons for buyer row `b` and exhibitor row `e` from the pair's
    hs, own, text and cf signals (floats), strongest first. shortlist.top_k calls it for every kept
    pair of a chunk, so the per-company work is read from _Sides, not redone per pair."""
    sides = _sides(model)
    out = []
    kind = model.pair_kind.get((b, e))
    if kind in POSITIVE_OUTCOMES:
        out.append({"code": "past_meeting", "outcome": kind})
    if hs > 0:
        reason = _hs_reason(model.buyers.hs[b], model.exhibitors.hs[e], sides.buyer_levels(model, b), sides.e_levels[e])
        if reason:
            out.append(reason)
    if own > 0.02:
        liked = sides.liked_reason(model, b, e)
        if liked:
            out.append(liked)
    if text > 0:
        shared = model.b_concepts[b] & model.e_concepts[e]
        if shared:
            out.append({"code": "text_concepts", "concepts": sorted(shared)[:3]})
        elif text > 0.1:
            out.append({"code": "text_similar"})
    if cf > 0.05:
        out.append({"code": "similar_buyers"})
    if sides.track_record(model)[e]:
        out.append({"code": "track_record"})
    elif out and sides.newcomer(model)[e]:
        out.append({"code": "newcomer"})
    common = sides.first_language[model.lang_b[b] & model.lang_e[e]]
    if common:
        out.append({"code": "language", "lang": common})
    elif sides.b_speaks[b] and sides.e_speaks[e]:
        out.append({"code": "interpreter"})
    return out


def _code_matrix(sets, column):
    """Sparse rows (one per company) marking the codes of each set, columns from `column`
    (a code -> column dict whose order is the codes' sorted order)."""
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sets], out=indptr[1:])
    indices = np.fromiter((column[c] for s in sets for c in s), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.int8)
    m = sp.csr_matrix((data, indices, indptr), shape=(len(sets), len(column)))
    m.sort_indices()
    return m


def _first_common(left, right, b, e):
    """Per pair (b[i], e[i]): the first column that row b[i] of `left` and row e[i] of
    `right` both mark, -1 if none; with columns in sorted code order, min() of the two
    code sets' intersection. Data: the left matrix's value at that column."""
    both = left[b].multiply(right[e]).tocsr()
    both.eliminate_zeros()
    both.sort_indices()
    starts, counts = both.indptr[:-1], np.diff(both.indptr)
    first = np.full(len(b), -1, dtype=np.int64)
    has = counts > 0
    first[has] = both.indices[starts[has]]
    return first, has, both


class _ChunkSides:
    """What the reasons of a whole chunk read as sparse code matrices (built once per model):
    each of _hs_reason's five tests is the smallest code common to a buyer set and an
    exhibitor set, so one sparse product per test answers it for every pair of a chunk."""

    def __init__(self, model, sides):
        b_hs, e_hs = model.buyers.hs, model.exhibitors.hs
        b_levels = [sides.buyer_levels(model, b) for b in range(model.n_buyers)]
        e_levels = sides.e_levels
        children = {}  # heading -> the exhibitors' subheadings under it
        for e6, _e4 in e_levels:
            for c in e6:
                children.setdefault(c[:4], set()).add(c)
        tests = {
            # exact: same subheading
            "exact": ([b6 for b6, _b4 in b_levels], [e6 for e6, _e4 in e_levels]),
            # covered: the exhibitor's subheading under a heading the buyer states
            "covered": (
                [{c for h in b4 for c in children.get(h, ())} for _b6, b4 in b_levels],
                [e6 for e6, _e4 in e_levels],
            ),
            # broad: the exhibitor's stated heading, stated by the buyer or over one of its subheadings
            "broad": ([b4 | {c[:4] for c in b6} for b6, b4 in b_levels], [e4 for _e6, e4 in e_levels]),
            "shared": (
                [{c[:4] for c in codes if len(c) >= 4} for codes in b_hs],
                [{c[:4] for c in codes if len(c) >= 4} for codes in e_hs],
            ),
            "chapter": ([{c[:2] for c in codes} for codes in b_hs], [{c[:2] for c in codes} for codes in e_hs]),
        }
        self.codes = sorted({c for left, right in tests.values() for sets in (left, right) for s in sets for c in s})
        column = {c: i for i, c in enumerate(self.codes)}
        self.tests = {
            name: (_code_matrix(left, column), _code_matrix(right, column)) for name, (left, right) in tests.items()
        }
        # Liked codes: per buyer its ordered list (position + 1 as the matrix value), per
        # exhibitor the liked codes it matches (one of them a prefix of the other).
        self.liked = [
            _liked_order(liked, codes) if liked else [] for liked, codes in zip(model.b_liked, b_hs, strict=True)
        ]
        liked_codes = sorted({c for codes in self.liked for c in codes})
        liked_column = {c: i for i, c in enumerate(liked_codes)}
        indptr = np.zeros(model.n_buyers + 1, dtype=np.int64)
        np.cumsum([len(codes) for codes in self.liked], out=indptr[1:])
        self.b_liked = sp.csr_matrix(
            (
                np.fromiter((p + 1 for codes in self.liked for p in range(len(codes))), np.int32, int(indptr[-1])),
                np.fromiter((liked_column[c] for codes in self.liked for c in codes), np.int64, int(indptr[-1])),
                indptr,
            ),
            shape=(model.n_buyers, len(liked_codes)),
        )
        having_prefix, having_code = {}, {}
        for e in range(model.n_exhibitors):
            for p in sides.e_prefixes[e]:
                having_prefix.setdefault(p, []).append(e)
            for c in sides.e_codes[e]:
                having_code.setdefault(c, []).append(e)
        matches = [
            set(having_prefix.get(code, ())).union(*(having_code.get(p, ()) for p in _prefixes(code)))
            for code in liked_codes
        ]
        cols = np.fromiter((i for i, es in enumerate(matches) for _e in es), np.int64)
        rows = np.fromiter((e for es in matches for e in es), np.int64, len(cols))
        self.e_liked = sp.csr_matrix(
            (np.ones(len(cols), dtype=np.int32), (rows, cols)), shape=(model.n_exhibitors, len(liked_codes))
        )

        # Product-level associations: each side's codes in the space, in list order.
        self.assoc_lift = model.assoc_lift
        index = model.hs_space.index

        def flat(code_lists):
            kept = [[c for c in codes if index.get(c) is not None] for codes in code_lists]
            ptr = np.zeros(len(kept) + 1, dtype=np.int64)
            np.cumsum([len(codes) for codes in kept], out=ptr[1:])
            codes = [c for cs in kept for c in cs]
            return ptr, np.array([index[c] for c in codes], dtype=np.int64), codes

        self.assoc_b, self.assoc_e = flat(b_hs), flat(e_hs)

    def hs_reasons(self, b, e):
        """_hs_reason for each pair (b[i], e[i]): a dict or None."""
        out = [None] * len(b)
        todo = np.arange(len(b))
        for name, (left, right) in self.tests.items():
            if not len(todo):
                break
            first, has, _both = _first_common(left, right, b[todo], e[todo])
            for i, column in zip(todo[has].tolist(), first[has].tolist(), strict=True):
                code = self.codes[column]
                if name == "exact":
                    out[i] = {"code": "hs_subheading", "hs": code}
                elif name == "covered":
                    out[i] = {"code": "hs_heading_covers", "hs": code, "heading": code[:4]}
                elif name in ("broad", "shared"):
                    out[i] = {"code": "hs_heading", "hs": code}
                else:
                    out[i] = {"code": "hs_chapter", "hs": code}
            todo = todo[~has]
        return out

    def assoc_reasons(self, b, e):
        """_assoc_reason for each pair (b[i], e[i]): over the buyer's codes x the exhibitor's
        codes (each in its list order, codes outside the space skipped), the first pair of
        the largest positive lift, as a dict, or None."""
        out = [None] * len(b)
        if self.assoc_lift is None or not len(b):
            return out
        b_ptr, b_idx, b_code = self.assoc_b
        e_ptr, e_idx, e_code = self.assoc_e
        nb, ne = np.diff(b_ptr)[b], np.diff(e_ptr)[e]
        count = nb * ne
        total = int(count.sum())
        if not total:
            return out
        # Every (buyer code, exhibitor code) of every pair, buyer code outer, in loop order.
        pair = np.repeat(np.arange(len(b)), count)
        k = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        x = b_ptr[b][pair] + k // ne[pair]
        y = e_ptr[e][pair] + k % ne[pair]
        value = self.assoc_lift[b_idx[x], e_idx[y]]
        best = np.full(len(b), -np.inf)
        np.fmax.at(best, pair, value)  # a NaN lift never wins, as in the loop
        # The first cell of each pair at its (positive) maximum: strictly larger ones win.
        hits = np.flatnonzero((value == best[pair]) & (value > 0))
        pairs, first = np.unique(pair[hits], return_index=True)
        for i, cell in zip(pairs.tolist(), hits[first].tolist(), strict=True):
            out[i] = {"code": "product_history", "stated": b_code[x[cell]], "hs": e_code[y[cell]]}
        return out

    def liked_reasons(self, b, e):
        """liked_reason for each pair (b[i], e[i]): the first of the buyer's liked codes
        (in its order) that the exhibitor matches, as a dict, or None."""
        out = [None] * len(b)
        _first, has, both = _first_common(self.b_liked, self.e_liked, b, e)
        if has.any():
            # Positions are the left values: the smallest of a row is the first liked code.
            nonempty = np.flatnonzero(has)
            position = np.minimum.reduceat(both.data, both.indptr[:-1][nonempty])
            for i, p in zip(nonempty.tolist(), position.tolist(), strict=True):
                out[i] = {"code": "history_codes", "hs": self.liked[int(b[i])][p - 1]}
        return out


def hand_set_reasons_chunk(model, b, e, hs, own, text, cf):
    """hand_set_reasons for many pairs at once: b, e (rows) and the pairs' hs, own, text
    and cf signals as arrays of one length; a list of reasons per pair, the same as pair by
    pair. The HS and liked-code reasons are sparse products over the chunk (_ChunkSides);
    what is left per pair is a few lookups and building the list."""
    sides = _sides(model)
    chunk = sides.__dict__.get("_chunk")
    if chunk is None:
        chunk = sides.__dict__["_chunk"] = _ChunkSides(model, sides)
    b, e = np.asarray(b, dtype=np.int64), np.asarray(e, dtype=np.int64)
    # Compared as Python floats (float64), as hand_set_reasons does.
    hs, own, text, cf = (np.asarray(x, dtype=np.float64) for x in (hs, own, text, cf))
    n = len(b)
    hs_reason = [None] * n
    wanted = np.flatnonzero(hs > 0)
    for i, reason in zip(wanted.tolist(), chunk.hs_reasons(b[wanted], e[wanted]), strict=True):
        hs_reason[i] = reason
    liked_reason = [None] * n
    wanted = np.flatnonzero(own > 0.02)
    for i, reason in zip(wanted.tolist(), chunk.liked_reasons(b[wanted], e[wanted]), strict=True):
        liked_reason[i] = reason
    common = np.asarray(model.lang_b)[b] & np.asarray(model.lang_e)[e]
    track_record, newcomer = sides.track_record(model), sides.newcomer(model)
    first_language, b_speaks, e_speaks = sides.first_language, sides.b_speaks, sides.e_speaks
    pair_kind, b_concepts, e_concepts = model.pair_kind, model.b_concepts, model.e_concepts
    text_positive, text_similar, cf_similar = (text > 0).tolist(), (text > 0.1).tolist(), (cf > 0.05).tolist()
    out = []
    for i, (bi, ei, mask) in enumerate(zip(b.tolist(), e.tolist(), common.tolist(), strict=True)):
        reasons = []
        kind = pair_kind.get((bi, ei))
        if kind in POSITIVE_OUTCOMES:
            reasons.append({"code": "past_meeting", "outcome": kind})
        if hs_reason[i]:
            reasons.append(hs_reason[i])
        if liked_reason[i]:
            reasons.append(liked_reason[i])
        if text_positive[i]:
            shared = b_concepts[bi] & e_concepts[ei]
            if shared:
                reasons.append({"code": "text_concepts", "concepts": sorted(shared)[:3]})
            elif text_similar[i]:
                reasons.append({"code": "text_similar"})
        if cf_similar[i]:
            reasons.append({"code": "similar_buyers"})
        if track_record[ei]:
            reasons.append({"code": "track_record"})
        elif reasons and newcomer[ei]:
            reasons.append({"code": "newcomer"})
        lang = first_language[mask]
        if lang:
            reasons.append({"code": "language", "lang": lang})
        elif b_speaks[bi] and e_speaks[ei]:
            reasons.append({"code": "interpreter"})
        out.append(reasons)
    return out


# The chunk signals learnt_reasons_chunk reads per kept pair (shortlist.top_k gathers them).
LEARNT_SIGNALS = ("hs", "hs6", "hs4", "hs2", "text", "own", "cf", "assoc", "pair")


def _learnt_values(model, b, e, signals):
    """{feature: 1-D array over the pairs (b[i], e[i])} for the features of a reason group,
    the same numbers (and dtypes) as learning.pair_features gives those pairs."""
    from .learning import REASON_GROUP, _exhibitor_features

    side = _exhibitor_features(model)
    cold = 1.0 - model.b_has_history[b].astype(np.float32)
    language = _SIGN_TABLE[model.lang_b[b], model.lang_e[e]].astype(np.float32)
    out = {name: signals[name] for name in ("hs", "hs6", "hs4", "hs2", "text", "own", "cf", "assoc") if name in signals}
    out.update(
        track=side["track"][0][e],
        popularity=side["popularity"][0][e],
        pair_good=np.maximum(signals["pair"], 0.0),
        language=language,
        new_exhibitor=side["new_exhibitor"][0][e],
        hs_cold=signals["hs"] * cold,
    )
    if "assoc" in signals:
        out["assoc_cold"] = signals["assoc"] * cold
    for level in ("hs6", "hs4", "hs2"):
        if level in signals:
            out[f"same_{level}"] = (signals[level] > 0).astype(np.float32)
    if "same_hs2" in out:
        out["language_same_hs2"] = language * out["same_hs2"]
    return {name: value for name, value in out.items() if name in REASON_GROUP}


def learnt_reasons_chunk(model, b, e, signals):
    """reasons_for with a learnt (logistic) combination for many pairs at once: b, e (rows)
    and `signals`, {name: the pairs' values} of the chunk's signals (LEARNT_SIGNALS, 1-D
    arrays of one length); a list of reasons per pair, the same as pair by pair. The
    groups' contributions are computed for these pairs only and ordered in one argsort; the
    HS and liked-code reasons are sparse products over the pairs (_ChunkSides), the
    product-level one is looked up only where its group raised the pair."""
    from .learning import FEATURES, GROUPS, REASON_GROUP

    ranker = model.ranker
    sides = _sides(model)
    chunk = sides.__dict__.get("_chunk")
    if chunk is None:
        chunk = sides.__dict__["_chunk"] = _ChunkSides(model, sides)
    b, e = np.asarray(b, dtype=np.int64), np.asarray(e, dtype=np.int64)
    n = len(b)
    values = _learnt_values(model, b, e, signals)
    # group_contributions, pair by pair: the same operations in the same order (float64).
    contributions = np.zeros((len(GROUPS), n))
    for j, name in enumerate(FEATURES):
        group = REASON_GROUP.get(name)
        if group and ranker.coef[j]:
            contributions[GROUPS.index(group)] += (ranker.coef[j] / ranker.scale[j]) * (values[name] - ranker.mean[j])
    contributions = contributions.T
    raised = contributions > 0  # pair x group: the group's reason may be said

    # Compared as Python floats (float64), as reasons_for does with the pick's signals.
    hs, own, text, cf = (np.asarray(signals[name], dtype=np.float64) for name in ("hs", "own", "text", "cf"))

    def wanted_reasons(group, condition, compute):
        """The group's reason where it raised the pair and `condition` holds, else None."""
        reasons = [None] * n
        wanted = np.flatnonzero(raised[:, GROUPS.index(group)] & condition)
        if len(wanted):
            for i, reason in zip(wanted.tolist(), compute(b[wanted], e[wanted]), strict=True):
                reasons[i] = reason
        return reasons

    # Per group, its reason for each pair where the group raised the pair (None elsewhere).
    candidates = [[None] * n for _ in GROUPS]
    candidates[GROUPS.index("hs")] = wanted_reasons("hs", hs > 0, chunk.hs_reasons)
    candidates[GROUPS.index("own")] = wanted_reasons("own", own > 0.02, chunk.liked_reasons)
    if "assoc" in signals:
        candidates[GROUPS.index("assoc")] = wanted_reasons("assoc", np.ones(n, dtype=bool), chunk.assoc_reasons)
    b_list, e_list = b.tolist(), e.tolist()
    common = (np.asarray(model.lang_b)[b] & np.asarray(model.lang_e)[e]).tolist()
    first_language = sides.first_language
    languages = [first_language[mask] for mask in common]

    def fill(group, reason):
        """The group's candidates from reason(i, b, e) for the pairs it raised."""
        column = candidates[GROUPS.index(group)]
        for i in np.flatnonzero(raised[:, GROUPS.index(group)]).tolist():
            column[i] = reason(i, b_list[i], e_list[i])

    pair_kind, b_concepts, e_concepts = model.pair_kind, model.b_concepts, model.e_concepts
    text_positive, text_similar, cf_similar = (text > 0).tolist(), (text > 0.1).tolist(), (cf > 0.05).tolist()
    track_record = sides.track_record(model)

    def past(_i, bi, ei):
        kind = pair_kind.get((bi, ei))
        return {"code": "past_meeting", "outcome": kind} if kind in POSITIVE_OUTCOMES else None

    def text_reason(i, bi, ei):
        shared = b_concepts[bi] & e_concepts[ei]
        if shared and text_positive[i]:
            return {"code": "text_concepts", "concepts": sorted(shared)[:3]}
        return {"code": "text_similar"} if text_similar[i] else None

    fill("past", past)
    fill("text", text_reason)
    fill("cf", lambda i, _b, _e: {"code": "similar_buyers"} if cf_similar[i] else None)
    fill("track", lambda _i, _b, ei: {"code": "track_record"} if track_record[ei] else None)
    fill("language", lambda i, _b, _e: {"code": "language", "lang": languages[i]} if languages[i] else None)
    # A newcomer is said only after another reason: decided in the loop below.
    newcomer = GROUPS.index("newcomer")
    new = (model.track_meetings == 0).tolist()
    # reason_groups for every pair: the groups by decreasing contribution, positive ones
    # (the first `count` of each row) only.
    order = np.argsort(-contributions, axis=1, kind="stable").tolist()
    counts = raised.sum(axis=1).tolist()
    b_speaks, e_speaks = sides.b_speaks, sides.e_speaks
    out = []
    for i, (bi, ei, count) in enumerate(zip(b_list, e_list, counts, strict=True)):
        reasons = []
        for g in order[i][:count]:
            reason = candidates[g][i]
            if g == newcomer:
                reason = {"code": "newcomer"} if new[ei] and reasons else None
            if reason and reason not in reasons:
                reasons.append(reason)
        if not languages[i] and b_speaks[bi] and e_speaks[ei]:
            reasons.append({"code": "interpreter"})
        out.append(reasons)
    return out
