"""Search in any of the three languages: the HS code picker, and the words-to-SQL condition
of the exhibitor directory. Both read a query through the matcher's trilingual glossary
(matching/engine/glossary.py), so 금형, 金型 and "mould" are one concept, "moulds and dies".

A query becomes units, every one of which a result should match:
- a glossary concept (射出成形金型 -> injection_mold), matched by any of its terms in any
  language (and, for HS codes, by the codes listed for it in HS_FOR_CONCEPT);
- a leftover word, matched at the start of a word (Latin: "inj" finds "injection") or
  anywhere (Korean, Japanese: no spaces between words);
- for HS codes, a number: a code prefix ("8480 사출" -> 8480.71 first).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from matching.engine.glossary import CONCEPTS, concepts_in, fold

from .hs import hs_catalogue

# The codes that are a concept, for concepts that have a code of their own: the picker puts
# them first (금형 -> 8480, 사출 금형 -> 8480.71), the directory finds companies filed under them.
HS_FOR_CONCEPT = {
    "mold": ("8480",),
    "injection_mold": ("848071",),
    "rubber_mold": ("848071", "848079"),
    "blow_mold": ("848079",),
    "die_casting": ("848041",),
    "mold_base": ("848020",),
    "press_die": ("820730",),
    "progressive_die": ("820730",),
    "forging_die": ("820730",),
    "cutting_tool": ("820770",),
    "edm": ("845630",),
    "cnc": ("845710",),
    "plastic_parts": ("3926",),
    "automotive": ("8708",),
    "ev_battery": ("8507",),
    "semiconductor": ("8541", "8542"),
    "medical": ("9018",),
    "inspection": ("9031",),
    "optical": ("9001", "9002"),
    "aluminium": ("76",),
}

# How well one code answers one unit of the query, best first.
CURATED = 9  # the concept's own code (金型 -> 8480)
OWN_UNDER_CURATED = 8  # the concept (or the word) in the name, and filed under (or holding) its code
OWN_CONCEPT = 7  # the concept in the code's name, in any language
WHOLE_WORD = 6  # the word as a whole word of the name ("moulds")
UNDER_CURATED = 5  # filed under the concept's code (8480.20 for 金型)
WORD_START = 5  # the start of a word ("mould" in "moulded"), or Korean/Japanese anywhere
INHERITED = 3  # the concept only in a parent's name
SUBSTRING = 2  # inside a word
ANCESTOR = 1  # the word only in a parent's name
_WORD_CHARS = "a-z0-9"


def normalise(text):
    """Full-width to half-width (ＭＯＵＬＤ, ８４８０), lower case, "mould" to "mold"."""
    return fold(unicodedata.normalize("NFKC", text or "")).strip()


@dataclass(frozen=True)
class Unit:
    concept: str | None  # a glossary concept, or None for a plain word
    word: str  # the text the user typed for it (normalised)


def query_units(text):
    """The units of a query (concepts first, then leftover words), at most 8."""
    text = normalise(text)
    concepts, rest = concepts_in(text)
    units = []
    for concept in dict.fromkeys(concepts):
        units.append(Unit(concept, _surface(text, concept)))
    for word in re.split(r"[\s,.;:/()（）「」、。・·ㆍ]+", rest):
        # A lone character left over is a particle (을, の) or an initial, not a word.
        if len(word) > 1:
            units.append(Unit(None, word))
    return list(dict.fromkeys(units))[:8]


def _surface(text, concept):
    """The longest term of `concept` found in `text` (what the user typed for it)."""
    terms = sorted((fold(t) for t in CONCEPTS[concept][1]), key=len, reverse=True)
    return next((t for t in terms if t in text), terms[0])


# --- The HS code picker ------------------------------------------------------------------


@dataclass(frozen=True)
class _Indexed:
    code: str
    level: int
    text: str  # description, Korean and Japanese names, normalised
    ancestors_text: str
    concepts: frozenset
    inherited: frozenset
    ancestors: tuple


@functools.cache
def _hs_index():
    """Every code with its searchable text and concepts, built once per process (about 0.3 s)."""
    catalogue = hs_catalogue()
    texts, concepts = {}, {}
    for code, entry in catalogue.items():
        texts[code] = normalise("\n".join((entry.description, entry.name_ko, entry.name_ja)))
        concepts[code] = frozenset(concepts_in(texts[code])[0])
    index = []
    for code, entry in catalogue.items():
        ancestors, parent = [], entry.parent
        while parent:
            ancestors.append(parent)
            parent = catalogue[parent].parent
        index.append(
            _Indexed(
                code=code,
                level=entry.level,
                text=texts[code],
                ancestors_text="\n".join(texts[a] for a in ancestors),
                concepts=concepts[code],
                inherited=frozenset().union(*(concepts[a] for a in ancestors)),
                ancestors=tuple(ancestors),
            )
        )
    return sorted(index, key=lambda item: item.code)


def _word_score(word, text):
    if word not in text:
        return 0
    if not word.isascii():
        return WORD_START  # no word boundaries to look for in Korean or Japanese
    if re.search(rf"(?<![{_WORD_CHARS}]){re.escape(word)}(s|es)?(?![{_WORD_CHARS}])", text):
        return WHOLE_WORD
    if re.search(rf"(?<![{_WORD_CHARS}]){re.escape(word)}", text):
        return WORD_START
    return SUBSTRING


def _unit_score(unit, item):
    if unit.word.isdigit():  # a number among words ("8480 사출"): a code prefix
        return CURATED if item.code.startswith(unit.word) else 0
    best = _word_score(unit.word, item.text) or (ANCESTOR if unit.word in item.ancestors_text else 0)
    if unit.concept is None:
        return best
    curated = HS_FOR_CONCEPT.get(unit.concept, ())
    if item.code in curated:
        return CURATED
    # Filed under the concept's code, or the heading that holds it (8207 for 8207.30).
    under_curated = any(a in curated for a in item.ancestors) or any(c.startswith(item.code) for c in curated)
    named = unit.concept in item.concepts or best >= WORD_START  # the concept, or the very word typed
    if named and under_curated:
        return OWN_UNDER_CURATED
    if unit.concept in item.concepts:
        return max(best, OWN_CONCEPT)
    if under_curated:
        return max(best, UNDER_CURATED)
    if unit.concept in item.inherited:
        return max(best, INHERITED)
    return best


@functools.cache
def _codes_of_concept(concept):
    """Codes a concept can match: its own codes and those under them, and codes whose name
    (or a parent's) holds one of its terms."""
    curated = HS_FOR_CONCEPT.get(concept, ())
    return frozenset(
        item.code
        for item in _hs_index()
        if concept in item.concepts or concept in item.inherited or (curated and item.code.startswith(curated))
    )


def _candidates(units, index):
    """The codes that can match a unit at all (a cheap pass, so only these are scored)."""
    codes = set()
    for unit in units:
        if unit.concept:
            codes |= _codes_of_concept(unit.concept)
        if unit.word.isdigit():
            codes.update(item.code for item in index if item.code.startswith(unit.word))
        else:
            codes.update(item.code for item in index if unit.word in item.text or unit.word in item.ancestors_text)
    return [item for item in index if item.code in codes]


def rank_hs(text, limit=25):
    """Codes matching `text`, best first: a number lists the codes it starts; words rank codes
    by how many units they match, then how well (the concept's own code, the concept in the
    code's name, a whole word, a word start, only in a parent's name), then broader first."""
    text = (text or "").strip()[:100]
    digits = re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", text))
    if digits.isdigit():
        return [item.code for item in _hs_index() if item.code.startswith(digits)][:limit]
    units = query_units(text)
    if not units:
        return []
    index = _hs_index()
    ranked = []
    for item in _candidates(units, index):
        scores = [_unit_score(unit, item) for unit in units]
        matched = sum(1 for score in scores if score)
        if matched:
            ranked.append((-matched, -sum(scores), item.level, item.code))
    ranked.sort()
    return [code for *_key, code in ranked[:limit]]


# --- Free text in the database (the exhibitor directory) -------------------------------


def _latin(term):
    """A Latin term as a regular expression: "mold" also finds "mould", a space also a hyphen."""
    return re.escape(term).replace("\\ ", " ").replace(" ", "[ -]?").replace("mold", "mou?ld")


@functools.cache
def _concept_pattern(concept):
    """One regular expression for all the terms of a concept, which PostgreSQL (~*) and Python
    (SQLite's REGEXP) read alike: Latin terms on word boundaries ("ev" is not in "every"),
    Korean and Japanese anywhere. One per concept and field keeps the SQL short: a condition
    per term and field took Django longer to compile than the database to run."""
    terms = list(dict.fromkeys(fold(t) for t in CONCEPTS[concept][1]))
    latin = "|".join(_latin(t) for t in terms if t.isascii())
    cjk = "|".join(re.escape(t).replace("\\ ", " ") for t in terms if not t.isascii())
    parts = [f"(^|[^{_WORD_CHARS}])({latin})([^{_WORD_CHARS}]|$)"] if latin else []
    return "|".join(parts + ([cjk] if cjk else []))


def _word_condition(word, fields):
    """A leftover word: the start of a word (Latin), or anywhere (Korean, Japanese)."""
    condition = Q()
    for field in fields:
        if word.isascii():
            # The LIKE first (both backends test equal-cost conditions in the order written):
            # most rows fail it, and spare the regex.
            guard = max(re.split(r"mold|[ -]", word), key=len)  # the same in "mould" and "mold"
            condition |= Q(**{f"{field}__icontains": guard}) & Q(
                **{f"{field}__iregex": f"(^|[^{_WORD_CHARS}]){_latin(word)}"}
            )
        else:  # Korean and Japanese have no case: a plain LIKE, without UPPER() over long text
            condition |= Q(**{f"{field}__contains": word})
    return condition


def text_condition(text, fields, filed_under=None):
    """A Q that a row matches when each unit of `text` is in one of `fields`: a concept by any
    of its terms in any language (or by `filed_under(code)`, an expression true for rows filed
    under a code prefix, for concepts in HS_FOR_CONCEPT), a word at the start of a word.
    Empty Q for an empty query."""
    condition = Q()
    for unit in query_units(text):
        if unit.concept is None:
            word = unit.word if not unit.word.isascii() else re.sub(rf"[^{_WORD_CHARS} -]", "", unit.word).strip()
            if word:
                condition &= _word_condition(word, fields)
            continue
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__iregex": _concept_pattern(unit.concept)})
        if filed_under is not None:
            for code in HS_FOR_CONCEPT.get(unit.concept, ()):
                either |= filed_under(code)
        condition &= either
    return condition
