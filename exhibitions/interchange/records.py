"""Reading a parsed file's records: sections, strings, dates, and which database meeting a
meeting record updates. Shared by the checks, the plan and the import."""

import datetime

from ..models import Meeting
from .export import _meeting_start


def _records(data, section):
    """(index, record) for the records of a section that are objects (the schema reports the rest)."""
    items = data.get(section) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _str(record, key):
    value = record.get(key)
    return value if isinstance(value, str) else None


def _parse_date(value):
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _parse_datetime(value):
    """An aware datetime, or None when `value` is not an RFC 3339 date-time with an offset."""
    if len(value) < 19 or value[10] not in "Tt ":
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def meeting_matches(data):
    """{index of a meeting record: the database meeting it updates} and every database meeting
    of the exhibitions the file's meetings name. A meeting is matched on (exhibition, buyer,
    exhibitor, starts_at), the n-th such meeting of the file with the n-th oldest of the database."""
    records = _records(data, "meetings")
    slugs = {r["exhibition"] for _i, r in records}
    in_database = list(
        Meeting.objects.filter(exhibition__slug__in=slugs)
        .select_related("exhibition", "buyer", "exhibitor", "slot", "booth", "table", "interpreter")
        .order_by("id")
    )
    existing = {}
    for meeting in in_database:
        key = (meeting.exhibition.slug, meeting.buyer.ref, meeting.exhibitor.ref, _meeting_start(meeting))
        existing.setdefault(key, []).append(meeting)
    matches = {}
    for i, record in records:
        start = _parse_datetime(record["starts_at"]) if "starts_at" in record else None
        candidates = existing.get((record["exhibition"], record["buyer"], record["exhibitor"], start))
        if candidates:
            matches[i] = candidates.pop(0)
    return matches, in_database
