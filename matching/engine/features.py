"""Feature matrices: HS codes one-hot at 2/4/6 digits, and TF-IDF over glossary concepts
and words. Plain numpy / scipy.sparse; rows are companies."""

import math
import re
from collections import Counter

import numpy as np
import scipy.sparse as sp

from .glossary import concepts_in

LEVELS = (6, 4, 2)
# How much a match at each level counts: same subheading > same heading > same chapter.
LEVEL_WEIGHTS = {6: 1.0, 4: 0.5, 2: 0.2}
# A stated heading covers its subheadings, a little less surely than a stated subheading.
COVER_WEIGHT = 0.8


class HSSpace:
    """The vocabulary of codes (all three levels) that the companies of one run use."""

    def __init__(self, code_lists):
        codes = set()
        for codes_of_one in code_lists:
            for code in codes_of_one:
                for level in LEVELS:
                    if len(code) >= level:
                        codes.add(code[:level])
                if len(code) == 4:
                    codes.add(code + "**")
        self.codes = sorted(codes)
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.level_of = np.array([len(c) for c in self.codes], dtype=np.int8)
        self.children = {}
        for code in self.codes:
            if len(code) > 2 and not code.endswith("*"):
                self.children.setdefault(code[: len(code) - 2], []).append(code)
        self.idf = np.ones(len(self.codes))

    def __len__(self):
        return len(self.codes)

    def fit_idf(self, code_lists):
        """Codes that many companies share (chapter 84) say less than rare ones."""
        df = np.zeros(len(self.codes))
        for codes_of_one in code_lists:
            seen = {code[:level] for code in codes_of_one for level in LEVELS if len(code) >= level}
            for code in seen:
                i = self.index.get(code)
                if i is not None:
                    df[i] += 1
        n = max(len(code_lists), 1)
        self.idf = np.log((1 + n) / (1 + df)) + 1.0

    def expand(self, codes):
        """{code: weight} at every level for one company's stated codes.

        848071 gives 84, 8480 and 848071; a stated heading 8480 also gives each of its
        subheadings that anyone uses, at COVER_WEIGHT (the heading covers them), and a
        pseudo-subheading 8480** for the rest of the heading."""
        out = {}
        for code in codes:
            for level in LEVELS:
                if len(code) >= level:
                    out[code[:level]] = 1.0
            if len(code) == 4:
                # The heading itself, at the subheading level: a broad statement never
                # matches a subheading quite as well as the same subheading does.
                out[code + "**"] = 1.0
                for child in self.children.get(code, ()):
                    out.setdefault(child, COVER_WEIGHT)
        return out

    def matrix(self, code_lists, weights=None):
        """Sparse rows: level-weighted, idf-weighted, each level L2-normalised, so a dot
        product of two rows is sum over levels of LEVEL_WEIGHT * cosine at that level."""
        rows, cols, vals = [], [], []
        for r, codes in enumerate(code_lists):
            expanded = self.expand(codes) if weights is None else weights[r]
            by_level = {6: [], 4: [], 2: []}
            for code, w in expanded.items():
                i = self.index.get(code)
                if i is not None:
                    by_level[len(code)].append((i, w * self.idf[i]))
            for level, items in by_level.items():
                norm = math.sqrt(sum(v * v for _, v in items))
                if not norm:
                    continue
                scale = math.sqrt(LEVEL_WEIGHTS[level]) / norm
                for i, v in items:
                    rows.append(r)
                    cols.append(i)
                    vals.append(v * scale)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(code_lists), len(self.codes)))

    def profile_matrix(self, weighted_lists):
        """Rows from {code: weight} dicts (already expanded), e.g. a buyer's liked codes."""
        return self.matrix([None] * len(weighted_lists), weights=weighted_lists)


HS_MAX = sum(LEVEL_WEIGHTS.values())

_WORD_RE = re.compile(r"[a-z][a-z0-9\-]{2,}")
_CJK_RUN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "our",
        "are",
        "you",
        "your",
        "that",
        "this",
        "have",
        "has",
        "was",
        "were",
        "will",
        "can",
        "all",
        "any",
        "also",
        "more",
        "most",
        "such",
        "other",
        "into",
        "over",
        "per",
        "not",
        "but",
        "its",
        "their",
        "them",
        "they",
        "who",
        "what",
        "which",
        "when",
        "where",
        "how",
        "than",
        "then",
        "very",
        "including",
        "include",
        "includes",
        "made",
        "make",
        "makes",
        "making",
        "offer",
        "offers",
        "provide",
        "provides",
        "supplier",
        "suppliers",
        "company",
        "co",
        "ltd",
        "inc",
        "corp",
        "looking",
        "source",
        "sourcing",
        "seek",
        "seeking",
        "need",
        "needs",
        "parts",
        "product",
        "products",
    ]
)


def tokens(text):
    """Concept tokens from the glossary, then leftover words (Latin) and character bigrams
    (Korean, Japanese) for what the glossary does not know."""
    concepts, rest = concepts_in(text)
    out = ["c:" + c for c in concepts]
    out += [w for w in _WORD_RE.findall(rest) if w not in STOPWORDS]
    for run in _CJK_RUN_RE.findall(rest):
        if len(run) == 1:
            continue
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


class TextSpace:
    """TF-IDF (sublinear tf, smoothed idf, L2 rows) fitted on one run's companies."""

    # Concept tokens are the glossary's curated, cross-language evidence: weight them up.
    CONCEPT_BOOST = 2.0

    def __init__(self, token_lists):
        df = Counter()
        for toks in token_lists:
            df.update(set(toks))
        # A token one company uses cannot connect two companies.
        self.vocab = {t: i for i, t in enumerate(sorted(t for t, n in df.items() if n >= 2))}
        n = max(len(token_lists), 1)
        self.idf = np.zeros(len(self.vocab))
        for t, i in self.vocab.items():
            self.idf[i] = math.log((1 + n) / (1 + df[t])) + 1.0
            if t.startswith("c:"):
                self.idf[i] *= self.CONCEPT_BOOST

    def matrix(self, token_lists):
        rows, cols, vals = [], [], []
        for r, toks in enumerate(token_lists):
            counts = Counter(t for t in toks if t in self.vocab)
            items = [(self.vocab[t], (1 + math.log(c)) * self.idf[self.vocab[t]]) for t, c in counts.items()]
            norm = math.sqrt(sum(v * v for _, v in items))
            for i, v in items:
                rows.append(r)
                cols.append(i)
                vals.append(v / norm)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(token_lists), len(self.vocab)))
