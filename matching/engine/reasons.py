"""Why a pair was suggested, as codes with parameters (rendered later in the reader's
language by matching/reasons.py). Computed for the top pairs only, from the same inputs
as the scores."""

from .scoring import LANGUAGE_BITS, POSITIVE_OUTCOMES

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
    hs, own, text and cf signals (floats), strongest first. top_k calls it for every kept
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
