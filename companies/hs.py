"""The HS 2022 nomenclature shipped in companies/data/: load it into HSCode and search it."""

import csv
from pathlib import Path

from django.db.models import Q

DATA_FILE = Path(__file__).resolve().parent / "data" / "harmonized-system.csv"


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


def search_hs(queryset, text, limit=20):
    """Codes whose number starts with `text`, or whose description has every word of it."""
    text = (text or "").strip()
    if not text:
        return queryset.none()
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit():
        return queryset.filter(code__startswith=digits).order_by("code")[:limit]
    condition = Q()
    for word in text.split():
        condition &= Q(description__icontains=word)
    return queryset.filter(condition).order_by("-level", "code")[:limit]
