"""The HS 2022 nomenclature shipped in companies/data/: load it into HSCode, with its Korean
and Japanese names, and keep it in memory for naming and searching codes without queries."""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from .models import hs_name_in

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "harmonized-system.csv"
NAME_LANGUAGES = ("ko", "ja")


def read_hs2022():
    """Rows of (code, description, level, parent_code, section), parents before children."""
    with DATA_FILE.open(encoding="utf-8-sig", newline="") as handle:
        rows = [
            (
                row["hscode"],
                row["description"],
                int(row["level"]),
                None if row["parent"] == "TOTAL" else row["parent"],
                row["section"],
            )
            for row in csv.DictReader(handle)
            if row["level"] in ("2", "4", "6")  # the file also has a "TOTAL" root row
        ]
    return sorted(rows, key=lambda row: (row[2], row[0]))


def load_hs2022(hs_model=None):
    """Create or update all 6,940 codes. Idempotent; returns how many codes there are."""
    if hs_model is None:
        from companies.models import HSCode as hs_model
    rows = read_hs2022()
    existing = set(hs_model.objects.values_list("code", flat=True))
    new = [
        hs_model(code=code, description=description, level=level, parent_id=parent, section=section)
        for code, description, level, parent, section in rows
        if code not in existing
    ]
    # Parents first (rows are sorted by level), so foreign keys hold at every insert.
    hs_model.objects.bulk_create(new, batch_size=1000)
    return len(rows)


def names_file(language):
    return DATA_DIR / f"hs2022-names-{language}.csv"


def read_hs_names(language):
    """{code: name} from companies/data/hs2022-names-<language>.csv (`hscode,name`); a missing
    file or an empty name gives no entry, so the English description stands in."""
    path = names_file(language)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:  # tolerate a byte-order mark
        return {
            row["hscode"].strip(): " ".join(row["name"].split())
            for row in csv.DictReader(handle)
            if (row.get("hscode") or "").strip() and (row.get("name") or "").strip()
        }


def load_hs_names(hs_model=None):
    """Set name_ko and name_ja of every code from the data files (codes without a row get "").
    Idempotent: run it again after replacing the files. Returns {language: codes named}."""
    if hs_model is None:
        from companies.models import HSCode as hs_model
    names = {language: read_hs_names(language) for language in NAME_LANGUAGES}
    changed = []
    for code in hs_model.objects.only("code", "name_ko", "name_ja"):
        new = {f"name_{language}": names[language].get(code.code, "") for language in NAME_LANGUAGES}
        if any(getattr(code, field) != value for field, value in new.items()):
            for field, value in new.items():
                setattr(code, field, value)
            changed.append(code)
    hs_model.objects.bulk_update(changed, ["name_ko", "name_ja"], batch_size=500)
    return {language: len(names[language]) for language in NAME_LANGUAGES}


@dataclass(frozen=True)
class HSEntry:
    """One code as the in-memory catalogue holds it (same fields as HSCode)."""

    code: str
    level: int
    parent: str | None
    description: str
    name_ko: str
    name_ja: str

    def name_in(self, language=None):
        return hs_name_in(self.code, self.description, self.name_ko, self.name_ja, language)


@functools.cache
def hs_catalogue():
    """{code: HSEntry} for all codes, read once per process from the files the migrations load
    into HSCode (the same data, without a query: match reasons and the picker name codes
    from it)."""
    names = {language: read_hs_names(language) for language in NAME_LANGUAGES}
    return {
        code: HSEntry(code, level, parent, description, names["ko"].get(code, ""), names["ja"].get(code, ""))
        for code, description, level, parent, _section in read_hs2022()
    }


def hs_name(code, language=None):
    """The name of a code (str) in the reader's language, else English; the code if unknown."""
    entry = hs_catalogue().get(code)
    return entry.name_in(language) if entry else code


def search_hs(queryset, text, limit=20):
    """The codes of `queryset` that best match `text`, best first (see companies/search.py)."""
    from .search import rank_hs

    codes = rank_hs(text, limit=limit)
    found = {h.code: h for h in queryset.filter(code__in=codes)}
    return [found[code] for code in codes if code in found]
