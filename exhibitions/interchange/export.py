"""Writing the format: each record as the export writes it (also what the plan compares
against), and the whole document in a stable order."""

import datetime
import decimal
import json

from django.db.models import Q

from companies.models import Company

from ..models import BuyerRegistration, Exhibition, ExhibitorApplication, Interpreter, Meeting, Wish
from .schema import FORMAT, LANGS

# How the model's meeting states are written in the format, which knows fewer of them.
MEETING_STATUS_OUT = {
    "requested": "requested",
    "proposed": "requested",
    "accepted": "accepted",
    "declined": "declined",
    "cancelled": "cancelled",
    "expired": "cancelled",
    "held": "held",
    "no_show": "cancelled",
}
EXHIBITION_STATUS_OUT = {"draft": "draft", "open": "open", "closed": "closed", "archived": "closed"}


# --- normalised values: how the export writes each field ---------------------------------


def _text_of(obj, field_name):
    return {lang: getattr(obj, f"{field_name}_{lang}") for lang in LANGS if getattr(obj, f"{field_name}_{lang}", "")}


def _norm_text(value):
    return {lang: value[lang] for lang in LANGS if isinstance(value, dict) and value.get(lang)}


def _norm_list(value):
    return list(dict.fromkeys(value))


def _norm_keywords(value):
    return [k.strip() for k in value if k.strip()]


def _norm_set(value):
    return sorted({v.strip() for v in value if v.strip()})


def _same(value):
    return value


def _norm_decimal(value):
    return decimal.Decimal(str(value))


COMPANY_FIELDS = {
    # field: (normaliser, value when absent from an export)
    "name": (_norm_text, {}),
    "country": (_same, ""),
    "city": (_same, ""),
    "website": (_same, ""),
    "languages": (_norm_list, []),
    "description": (_norm_text, {}),
    "hs_codes": (_norm_set, []),
    "keywords": (_norm_keywords, []),
    "certifications": (_norm_set, []),
    "employees": (_same, None),
    "founded": (_same, None),
}
EXHIBITION_FIELDS = {
    "title": (_norm_text, {}),
    "venue": (_same, ""),
    "city": (_same, ""),
    "country": (_same, ""),
    "timezone": (_same, ""),
    "starts_on": (_same, ""),
    "ends_on": (_same, ""),
    "status": (_same, ""),
}


def _norm_datetime(value):
    return datetime.datetime.fromisoformat(value)


def _norm_days(value):
    return sorted(set(value))


MEETING_FIELDS = {
    "status": (_same, ""),
    "outcome": (_same, ""),
    "deal_value_usd": (_norm_decimal, None),
    # exhibition-data/2
    "ends_at": (_norm_datetime, None),
    "place": (_same, None),
    "interpreter": (_same, None),
}
# exhibition-data/2: what a participation says besides its booth.
PARTICIPATION_FIELDS = {
    "visit_days": (_norm_days, []),
    "parallel_meetings": (_same, 1),
    "languages": (_norm_list, []),
}
INTERPRETER_FIELDS = {
    "name": (_same, ""),
    "email": (_same, ""),
    "languages": (_norm_list, []),
    "days": (_norm_days, []),
}
WISH_FIELDS = {"priority": (_same, "")}


def _norm_meeting_days(days):
    return [
        {
            "date": day["date"],
            "starts": day["starts"],
            "ends": day["ends"],
            "breaks": sorted((b["starts"], b["ends"]) for b in day.get("breaks", [])),
        }
        for day in sorted(days, key=lambda day: day["date"])
    ]


# The `meetings` block of an exhibition (exhibition-data/2): a change of its own in the plan.
MEETING_HOURS_FIELDS = {
    "slot_minutes": (_same, None),
    "tables": (_same, 0),
    "days": (_norm_meeting_days, []),
}


def _changed_fields(record, current, fields):
    """Fields present in `record` whose normalised value differs from the `current` export."""
    changed = []
    for name, (normalise, default) in fields.items():
        if name not in record:
            continue
        now = normalise(current[name]) if name in current else default
        if normalise(record[name]) != now:
            changed.append(name)
    return changed


def company_record(company):
    """The export of one company (hs_codes and certifications must be prefetched)."""
    record = {"ref": company.ref, "role": company.kind, "name": _text_of(company, "name"), "country": company.country}
    if company.city:
        record["city"] = company.city
    if company.website:
        record["website"] = company.website
    languages = [code for code in company.language_list if code in ("en", "ko", "ja", "zh")]
    if languages:
        record["languages"] = _norm_list(languages)
    description = _text_of(company, "description")
    if description:
        record["description"] = description
    codes = sorted(code.code for code in company.hs_codes.all())
    if codes:
        record["hs_codes"] = codes
    if company.keyword_list:
        record["keywords"] = company.keyword_list
    certifications = sorted(c.name for c in company.certifications.all())
    if certifications:
        record["certifications"] = certifications
    if company.employees is not None:
        record["employees"] = company.employees
    if company.founded is not None:
        record["founded"] = company.founded
    return record


def exhibition_record(exhibition):
    record = {"slug": exhibition.slug, "title": _text_of(exhibition, "title")}
    if exhibition.venue:
        record["venue"] = exhibition.venue
    record.update(
        city=exhibition.city,
        country=exhibition.country,
        timezone=exhibition.timezone,
        starts_on=exhibition.starts_on.isoformat(),
        ends_on=exhibition.ends_on.isoformat(),
        status=EXHIBITION_STATUS_OUT.get(exhibition.status, "closed"),
    )
    return record


def _meeting_start(meeting):
    if meeting.starts_at is not None:
        return meeting.starts_at
    return meeting.slot.starts_at if meeting.slot_id else None


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def meeting_record(meeting):
    status = MEETING_STATUS_OUT.get(meeting.status, "cancelled")
    record = {
        "exhibition": meeting.exhibition.slug,
        "buyer": meeting.buyer.ref,
        "exhibitor": meeting.exhibitor.ref,
        "status": status,
    }
    if status == "held" and meeting.outcome:
        record["outcome"] = meeting.outcome
    if status == "held" and meeting.deal_value_usd is not None:
        record["deal_value_usd"] = _number(meeting.deal_value_usd)
    start = _meeting_start(meeting)
    if start is not None:
        tz = meeting.exhibition.tzinfo
        record["starts_at"] = start.astimezone(tz).isoformat(timespec="seconds")
        # A meeting in a slot ends with it; history imported by version 1 has a start only: it
        # lasted one slot length.
        end = meeting.slot.ends_at if meeting.slot_id else meeting.ends_at
        end = end or start + datetime.timedelta(minutes=meeting.exhibition.meeting_slot_minutes)
        record["ends_at"] = end.astimezone(tz).isoformat(timespec="seconds")
    place = meeting_place(meeting)
    if place is not None:
        record["place"] = place
    if meeting.interpreter_id:
        record["interpreter"] = meeting.interpreter.ref
    return record


def meeting_place(meeting):
    """How the format names where a meeting takes place: the booth code or table-N."""
    if meeting.booth_id:
        return meeting.booth.code
    if meeting.table_id:
        return table_place(meeting.table.number)
    return None


def table_place(number):
    return f"table-{number}"


def _clock(value):
    return value.strftime("%H:%M")


def meeting_hours_record(exhibition):
    """The exhibition's `meetings` block, or None when it has neither meeting hours nor tables.
    Breaks on a day without meeting hours have no place in the format and are left out."""
    hours = list(exhibition.meeting_hours.order_by("day"))
    tables = exhibition.meeting_tables.count()
    if not hours and not tables:
        return None
    breaks = {}
    for pause in exhibition.meeting_breaks.order_by("day", "starts", "ends"):
        breaks.setdefault(pause.day, []).append({"starts": _clock(pause.starts), "ends": _clock(pause.ends)})
    days = []
    for day in hours:
        record = {"date": day.day.isoformat(), "starts": _clock(day.starts), "ends": _clock(day.ends)}
        if breaks.get(day.day):
            record["breaks"] = breaks[day.day]
        days.append(record)
    return {"slot_minutes": exhibition.meeting_slot_minutes, "tables": tables, "days": days}


def application_record(application):
    """The export of an approved exhibitor application (booth must be selected)."""
    record = {"exhibition": application.exhibition.slug, "company": application.company.ref}
    if application.booth_id:
        record["booth"] = application.booth.code
    if application.parallel_meetings != 1:
        record["parallel_meetings"] = application.parallel_meetings
    languages = _known_languages(application.stand_languages)
    if languages:
        record["languages"] = languages
    return record


def registration_record(registration):
    record = {"exhibition": registration.exhibition.slug, "company": registration.company.ref}
    if registration.visit_days:
        record["visit_days"] = _norm_days(registration.visit_days)
    languages = _known_languages(registration.languages)
    if languages:
        record["languages"] = languages
    return record


def _known_languages(text):
    return _norm_list(code for code in (text or "").split() if code in ("en", "ko", "ja", "zh"))


def interpreter_record(interpreter):
    record = {"exhibition": interpreter.exhibition.slug, "ref": interpreter.ref, "name": interpreter.name}
    if interpreter.email:
        record["email"] = interpreter.email
    record["languages"] = _known_languages(interpreter.languages)
    if interpreter.days:
        record["days"] = _norm_days(interpreter.days)
    return record


def wish_record(wish):
    return {
        "exhibition": wish.exhibition.slug,
        "buyer": wish.buyer.ref,
        "exhibitor": wish.exhibitor.ref,
        "by": wish.by,
        "priority": wish.priority,
    }


# --- export ----------------------------------------------------------------------------


def export_exhibition_data(*, exhibition=None, cooperative=None):
    """The exhibition-data/2 document for one exhibition (with the companies it involves) or
    for everything (every approved company, and any other that takes part), or, with
    `cooperative`, for everything of that cooperative's exhibitions. Stable order:
    exhibitions by start date and slug, companies by ref, participations by exhibition and
    company, meetings by exhibition, start, buyer, exhibitor, interpreters by exhibition and
    ref, wishes by exhibition, buyer, exhibitor and side."""
    exhibitions = Exhibition.objects.all() if exhibition is None else Exhibition.objects.filter(pk=exhibition.pk)
    if cooperative is not None:
        exhibitions = exhibitions.filter(cooperative=cooperative)
    exhibitions = list(exhibitions.order_by("starts_on", "slug"))
    order = {e.pk: i for i, e in enumerate(exhibitions)}
    applications = (
        ExhibitorApplication.objects.approved()
        .filter(exhibition__in=exhibitions, company__kind=Company.Kind.EXHIBITOR)
        .select_related("exhibition", "company", "booth")
    )
    registrations = BuyerRegistration.objects.filter(
        exhibition__in=exhibitions, status=BuyerRegistration.Status.APPROVED, company__kind=Company.Kind.BUYER
    ).select_related("exhibition", "company")
    meetings = Meeting.objects.filter(
        exhibition__in=exhibitions, buyer__kind=Company.Kind.BUYER, exhibitor__kind=Company.Kind.EXHIBITOR
    ).select_related("exhibition", "buyer", "exhibitor", "slot", "booth", "table", "interpreter")
    interpreters = Interpreter.objects.filter(exhibition__in=exhibitions).select_related("exhibition")
    wishes = Wish.objects.filter(
        exhibition__in=exhibitions, buyer__kind=Company.Kind.BUYER, exhibitor__kind=Company.Kind.EXHIBITOR
    ).select_related("exhibition", "buyer", "exhibitor")

    participations = []
    company_ids = set()
    for application in applications:
        record = application_record(application)
        participations.append((order[application.exhibition_id], application.company.ref, record))
        company_ids.add(application.company_id)
    for registration in registrations:
        record = registration_record(registration)
        participations.append((order[registration.exhibition_id], registration.company.ref, record))
        company_ids.add(registration.company_id)
    participations.sort(key=lambda row: row[:2])

    epoch = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
    meeting_rows = []
    for meeting in meetings:
        start = _meeting_start(meeting)
        key = (
            order[meeting.exhibition_id],
            start is not None,
            start or epoch,
            meeting.buyer.ref,
            meeting.exhibitor.ref,
        )
        meeting_rows.append((key, meeting.pk, meeting_record(meeting)))
        company_ids.update((meeting.buyer_id, meeting.exhibitor_id))
    meeting_rows.sort(key=lambda row: row[:2])
    interpreter_rows = sorted(((order[i.exhibition_id], i.ref), interpreter_record(i)) for i in interpreters)
    wish_rows = []
    for wish in wishes:
        wish_rows.append(((order[wish.exhibition_id], wish.buyer.ref, wish.exhibitor.ref, wish.by), wish_record(wish)))
        company_ids.update((wish.buyer_id, wish.exhibitor_id))
    wish_rows.sort(key=lambda row: row[0])

    companies = Company.objects.filter(pk__in=company_ids)
    if exhibition is None:
        companies = Company.objects.filter(Q(pk__in=company_ids) | Q(status=Company.Status.APPROVED))
    # Sorted here, not by the database, whose collation may order punctuation differently.
    companies = sorted(companies.prefetch_related("hs_codes", "certifications"), key=lambda c: c.ref)

    return {
        "format": FORMAT,
        "exhibitions": [_exhibition_with_hours(e) for e in exhibitions],
        "companies": [company_record(c) for c in companies],
        "participations": [row[2] for row in participations],
        "meetings": [row[2] for row in meeting_rows],
        "interpreters": [row[1] for row in interpreter_rows],
        "wishes": [row[1] for row in wish_rows],
    }


def _exhibition_with_hours(exhibition):
    record = exhibition_record(exhibition)
    hours = meeting_hours_record(exhibition)
    if hours is not None:
        record["meetings"] = hours
    return record


def dump_exhibition_data(data):
    """The document as text, the same bytes for the same data."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
