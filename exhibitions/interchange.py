"""exhibition-data/1: validate, plan, import and export exhibitions, companies,
participations and meeting history (contract in shared/formats/README.md).

The flow is the same for the command line and the staff pages:

- `parse_exhibition_data(raw)` turns bytes into JSON (or a problem),
- `plan_import(data)` validates the whole file (JSON Schema, then checks against the
  database) and, when it is valid, works out what would change, without writing anything,
- `import_exhibition_data(data=..., by=...)` does the same inside one transaction and applies
  the plan: all or nothing,
- `export_exhibition_data(exhibition=...)` writes the same format, in a stable order.

Rules of the format as implemented here:
- companies are matched on `ref`, exhibitions on `slug`; a participation on (exhibition,
  company); a meeting on (exhibition, buyer, exhibitor, starts_at), the n-th such meeting of
  the file matching the n-th (oldest first) of the database;
- a field present in a record is set to exactly that value (a text object such as `name`
  as a whole: languages left out are emptied); a field left out is left as it is;
- values are compared as the export would write them, so re-importing an export changes
  nothing, and a record whose values are already there is counted as unchanged.
"""

import datetime
import decimal
import json
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from companies.forms import RESERVED_REFS, ref_validator
from companies.models import Certification, Company, Cooperative, HSCode

from .models import Booth, BuyerRegistration, Exhibition, ExhibitorApplication, Hall, Meeting, Slot

FORMAT = "exhibition-data/1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "exhibition-data.schema.json"
IMPORTED_HALL = "Imported"
DEFAULT_COOPERATIVE = {
    "name_en": "Korea Die Mold Cooperative",
    "name_ko": "한국금형공업협동조합",
    "name_ja": "韓国金型工業協同組合",
}
LANGS = ("en", "ko", "ja")
SECTIONS = ("format", "exhibitions", "companies", "participations", "meetings")
KINDS = ("exhibition", "company", "participation", "meeting")

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
MAX_DEAL_VALUE = decimal.Decimal("1e12")
MAX_EMPLOYEES = 2_147_483_647


@cache
def exhibition_data_schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _schema_validator():
    schema = exhibition_data_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# --- problems ------------------------------------------------------------------------


def json_path(parts):
    """("companies", 3, "hs_codes", 0) -> "companies[3].hs_codes[0]"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(root)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, at a JSON path."""

    parts: tuple
    message: str

    @property
    def path(self):
        return json_path(self.parts)

    def __str__(self):
        return f"{self.path}: {self.message}"

    def sort_key(self):
        key = []
        for i, part in enumerate(self.parts):
            if i == 0 and part in SECTIONS:
                key.append((0, SECTIONS.index(part), ""))
            elif isinstance(part, int):
                key.append((1, part, ""))
            else:
                key.append((2, 0, str(part)))
        return key


class ImportRejected(Exception):
    """The file has problems (or the database refused it); nothing was imported."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def parse_exhibition_data(raw):
    """Bytes or text -> (data, problems). A file that is not JSON is one problem at "(file)"."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(("(file)",), _("the file is not UTF-8 text"))]
    try:
        return json.loads(raw), []
    except RecursionError:
        return None, [Problem(("(file)",), _("not valid JSON: nested too deeply"))]
    except json.JSONDecodeError as exc:
        message = _("not valid JSON: %(error)s (line %(line)s, column %(column)s)") % {
            "error": exc.msg,
            "line": exc.lineno,
            "column": exc.colno,
        }
        return None, [Problem(("(file)",), message)]


def _schema_problems(data):
    problems = []
    hs_code_schema = exhibition_data_schema()["$defs"]["hs_code"]
    for error in _schema_validator().iter_errors(data):
        parts = tuple(error.absolute_path)
        if error.validator == "pattern" and error.schema == hs_code_schema:
            message = _("%(value)r is not a HS code") % {"value": error.instance}
        else:
            message = error.message
        problems.append(Problem(parts, message))
    return problems


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
MEETING_FIELDS = {
    "status": (_same, ""),
    "outcome": (_same, ""),
    "deal_value_usd": (_norm_decimal, None),
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
        record["starts_at"] = start.astimezone(meeting.exhibition.tzinfo).isoformat(timespec="seconds")
    return record


# --- export ----------------------------------------------------------------------------


def export_exhibition_data(*, exhibition=None):
    """The exhibition-data/1 document for one exhibition (with the companies it involves) or
    for everything (every approved company, and any other that takes part). Stable order:
    exhibitions by start date and slug, companies by ref, participations by exhibition and
    company, meetings by exhibition, start, buyer, exhibitor."""
    exhibitions = Exhibition.objects.all() if exhibition is None else Exhibition.objects.filter(pk=exhibition.pk)
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
    ).select_related("exhibition", "buyer", "exhibitor", "slot")

    participations = []
    company_ids = set()
    for application in applications:
        record = {"exhibition": application.exhibition.slug, "company": application.company.ref}
        if application.booth_id:
            record["booth"] = application.booth.code
        participations.append((order[application.exhibition_id], application.company.ref, record))
        company_ids.add(application.company_id)
    for registration in registrations:
        record = {"exhibition": registration.exhibition.slug, "company": registration.company.ref}
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

    companies = Company.objects.filter(pk__in=company_ids)
    if exhibition is None:
        companies = Company.objects.filter(Q(pk__in=company_ids) | Q(status=Company.Status.APPROVED))
    # Sorted here, not by the database, whose collation may order punctuation differently.
    companies = sorted(companies.prefetch_related("hs_codes", "certifications"), key=lambda c: c.ref)

    return {
        "format": FORMAT,
        "exhibitions": [exhibition_record(e) for e in exhibitions],
        "companies": [company_record(c) for c in companies],
        "participations": [row[2] for row in participations],
        "meetings": [row[2] for row in meeting_rows],
    }


def dump_exhibition_data(data):
    """The document as text, the same bytes for the same data."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- validation and plan -------------------------------------------------------------------


@dataclass
class Change:
    """What importing one record does: create, update (which fields) or nothing."""

    kind: str
    action: str
    label: str
    fields: list = field(default_factory=list)
    record: dict = field(default_factory=dict)
    obj: object = None
    index: int = 0


@dataclass
class ImportPlan:
    problems: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def of(self, kind, action=None):
        return [c for c in self.changes if c.kind == kind and (action is None or c.action == action)]

    def counts(self):
        """{"company": {"create": 2, "update": 1, "unchanged": 0}, ...} for every kind."""
        counts = {kind: {"create": 0, "update": 0, "unchanged": 0} for kind in KINDS}
        for change in self.changes:
            counts[change.kind][change.action] += 1
        return counts

    @property
    def changes_anything(self):
        return any(c.action != "unchanged" for c in self.changes)

    def summary_lines(self):
        names = {
            "exhibition": _("exhibitions"),
            "company": _("companies"),
            "participation": _("participations"),
            "meeting": _("meetings"),
        }
        return [
            _("%(kind)s: %(create)s created, %(update)s updated, %(unchanged)s unchanged")
            % {"kind": names[kind], **numbers}
            for kind, numbers in self.counts().items()
        ]


def _records(data, section):
    """(index, record) for the records of a section that are objects (the schema reports the rest)."""
    items = data.get(section) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _usable_ref(ref):
    """Whether a new company may get `ref`, by the same rules as the sign-up form."""
    try:
        ref_validator(ref)
    except ValidationError:
        return False
    return ref.lower() not in RESERVED_REFS


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


class _Checker:
    """Collects the problems of one file; knows what the file and the database hold."""

    def __init__(self, data):
        self.data = data
        self.problems = []
        self.file_exhibitions = {}  # slug -> index of its first record
        self.file_companies = {}  # ref -> (index, role)
        for i, record in _records(data, "exhibitions"):
            slug = _str(record, "slug")
            if slug is not None:
                self.file_exhibitions.setdefault(slug, i)
        for i, record in _records(data, "companies"):
            ref = _str(record, "ref")
            if ref is not None and ref not in self.file_companies:
                self.file_companies[ref] = (i, _str(record, "role"))
        slugs, refs = set(self.file_exhibitions), set(self.file_companies)
        for _i, record in _records(data, "participations"):
            slugs.add(_str(record, "exhibition"))
            refs.add(_str(record, "company"))
        for _i, record in _records(data, "meetings"):
            slugs.add(_str(record, "exhibition"))
            refs.update((_str(record, "buyer"), _str(record, "exhibitor")))
        slugs.discard(None)
        refs.discard(None)
        self.db_exhibitions = {e.slug: e for e in Exhibition.objects.filter(slug__in=slugs)}
        self.db_companies = {
            c.ref: c for c in Company.objects.filter(ref__in=refs).prefetch_related("hs_codes", "certifications")
        }
        codes = {
            code
            for _i, record in _records(data, "companies")
            if isinstance(record.get("hs_codes"), list)
            for code in record["hs_codes"]
            if isinstance(code, str)
        }
        self.hs_codes = set(HSCode.objects.filter(code__in=codes).values_list("code", flat=True))

    def add(self, parts, message):
        self.problems.append(Problem(tuple(parts), message))

    def role_of(self, ref):
        if ref in self.file_companies:
            return self.file_companies[ref][1]
        company = self.db_companies.get(ref)
        return company.kind if company else None

    def check_length(self, parts, value, limit):
        if isinstance(value, str) and len(value) > limit:
            self.add(parts, _("is longer than %(limit)s characters") % {"limit": limit})

    def check_text(self, parts, value, limit, required):
        if not isinstance(value, dict):
            return
        if required and value and not any(isinstance(v, str) and v.strip() for v in value.values()):
            self.add(parts, _("needs a non-empty text in at least one language"))
        for lang in LANGS:
            if limit:
                self.check_length((*parts, lang), value.get(lang), limit)

    def check(self):
        self.check_exhibitions()
        self.check_companies()
        self.check_participations()
        self.check_meetings()
        return self.problems

    def check_exhibitions(self):
        for i, record in _records(self.data, "exhibitions"):
            at = ("exhibitions", i)
            slug = _str(record, "slug")
            if slug is not None and self.file_exhibitions.get(slug) != i:
                self.add(
                    (*at, "slug"),
                    _("%(slug)r appears more than once in this file (first at exhibitions[%(first)s])")
                    % {"slug": slug, "first": self.file_exhibitions[slug]},
                )
            self.check_length((*at, "slug"), slug, 80)
            self.check_text((*at, "title"), record.get("title"), 200, required=True)
            self.check_length((*at, "venue"), record.get("venue"), 200)
            self.check_length((*at, "city"), record.get("city"), 100)
            tz = _str(record, "timezone")
            if tz is not None:
                try:
                    zoneinfo.ZoneInfo(tz)
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    self.add((*at, "timezone"), _("%(tz)r is not an IANA time zone, e.g. Asia/Tokyo") % {"tz": tz})
                else:
                    self.check_length((*at, "timezone"), tz, 64)
            dates = {}
            for key in ("starts_on", "ends_on"):
                value = _str(record, key)
                if value is None:
                    continue
                dates[key] = _parse_date(value)
                if dates[key] is None:
                    self.add((*at, key), _("%(value)r is not a date (YYYY-MM-DD)") % {"value": value})
            if dates.get("starts_on") and dates.get("ends_on") and dates["ends_on"] < dates["starts_on"]:
                self.add(
                    (*at, "ends_on"),
                    _("%(ends)s is before the first day, %(starts)s")
                    % {"ends": dates["ends_on"], "starts": dates["starts_on"]},
                )

    def check_companies(self):
        validate_url = URLValidator(schemes=["http", "https"])
        for i, record in _records(self.data, "companies"):
            at = ("companies", i)
            ref = _str(record, "ref")
            if ref is not None and self.file_companies[ref][0] != i:
                self.add(
                    (*at, "ref"),
                    _("%(ref)r appears more than once in this file (first at companies[%(first)s])")
                    % {"ref": ref, "first": self.file_companies[ref][0]},
                )
            existing = self.db_companies.get(ref)
            if ref is not None and existing is None and not _usable_ref(ref):
                # It names the company's page (/companies/<ref>/): a slash or a space there
                # breaks every page that links to the company.
                self.add(
                    (*at, "ref"),
                    _("%(ref)r cannot be a company reference: use letters, digits, hyphens and underscores")
                    % {"ref": ref},
                )
            role = _str(record, "role")
            if existing and role in Company.Kind.values and existing.kind != role:
                if existing.kind == Company.Kind.EXHIBITOR:
                    message = _("%(ref)r is an exhibitor in the database; an import cannot change its role")
                else:
                    message = _("%(ref)r is a buyer in the database; an import cannot change its role")
                self.add((*at, "role"), message % {"ref": ref})
            self.check_text((*at, "name"), record.get("name"), 200, required=True)
            self.check_length((*at, "city"), record.get("city"), 100)
            website = _str(record, "website")
            if website:
                try:
                    validate_url(website)
                except ValidationError:
                    self.add((*at, "website"), _("%(value)r is not a web address (https://...)") % {"value": website})
                self.check_length((*at, "website"), website, 200)
            codes = record.get("hs_codes")
            if isinstance(codes, list):
                for j, code in enumerate(codes):
                    if (
                        isinstance(code, str)
                        and code.isdigit()
                        and len(code) in (2, 4, 6)
                        and code not in self.hs_codes
                    ):
                        self.add((*at, "hs_codes", j), _("%(value)r is not a HS code") % {"value": code})
            keywords = record.get("keywords")
            if isinstance(keywords, list) and all(isinstance(k, str) for k in keywords):
                for j, keyword in enumerate(keywords):
                    if "," in keyword:
                        self.add((*at, "keywords", j), _("a keyword cannot contain a comma"))
                if len(", ".join(_norm_keywords(keywords))) > 500:
                    self.add((*at, "keywords"), _("the keywords are longer than 500 characters together"))
            certifications = record.get("certifications")
            if isinstance(certifications, list):
                for j, name in enumerate(certifications):
                    if isinstance(name, str) and not name.strip():
                        self.add((*at, "certifications", j), _("is empty"))
                    self.check_length((*at, "certifications", j), name, 80)
            employees = record.get("employees")
            if isinstance(employees, int) and employees > MAX_EMPLOYEES:
                self.add((*at, "employees"), _("is too large"))

    def check_reference(self, parts, slug=None, ref=None):
        """Problem unless the exhibition slug / company ref is in the file or the database."""
        if slug is not None and slug not in self.file_exhibitions and slug not in self.db_exhibitions:
            self.add(parts, _("no exhibition %(slug)r in this file or the database") % {"slug": slug})
            return False
        if ref is not None and ref not in self.file_companies and ref not in self.db_companies:
            self.add(parts, _("no company %(ref)r in this file or the database") % {"ref": ref})
            return False
        return True

    def check_participations(self):
        seen = {}
        booths_in_file = {}
        moving = {}  # (slug, ref) -> booth code the file gives it
        for _i, record in _records(self.data, "participations"):
            slug, ref, booth = _str(record, "exhibition"), _str(record, "company"), _str(record, "booth")
            if slug and ref and booth:
                moving[(slug, ref)] = booth
        held = self._booths_held(moving)
        for i, record in _records(self.data, "participations"):
            at = ("participations", i)
            slug, ref = _str(record, "exhibition"), _str(record, "company")
            slug_ok = slug is not None and self.check_reference((*at, "exhibition"), slug=slug)
            ref_ok = ref is not None and self.check_reference((*at, "company"), ref=ref)
            if slug_ok and ref_ok:
                if (slug, ref) in seen:
                    self.add(
                        at,
                        _(
                            "%(ref)r takes part in %(slug)r more than once in this file (first at participations[%(first)s])"
                        )
                        % {"ref": ref, "slug": slug, "first": seen[(slug, ref)]},
                    )
                else:
                    seen[(slug, ref)] = i
            booth = _str(record, "booth")
            if booth is None:
                continue
            if not booth.strip():
                self.add((*at, "booth"), _("is empty"))
                continue
            self.check_length((*at, "booth"), booth, 20)
            if ref_ok and self.role_of(ref) == Company.Kind.BUYER:
                self.add((*at, "booth"), _("%(ref)r is a buyer; only exhibitors have booths") % {"ref": ref})
                continue
            if not (slug_ok and ref_ok):
                continue
            other = booths_in_file.setdefault((slug, booth), (i, ref))
            if other[1] != ref:
                self.add(
                    (*at, "booth"),
                    _("booth %(booth)s is given to %(other)r too (participations[%(first)s])")
                    % {"booth": booth, "other": other[1], "first": other[0]},
                )
                continue
            holder = held.get((slug, booth))
            if holder is not None and holder != ref and moving.get((slug, holder), booth) == booth:
                self.add(
                    (*at, "booth"),
                    _("booth %(booth)s of %(slug)r is already assigned to %(other)r")
                    % {"booth": booth, "slug": slug, "other": holder},
                )

    def _booths_held(self, moving):
        """(slug, booth code) -> ref of the company whose application holds it, for the booths the file names."""
        slugs = {slug for slug, _ref in moving if slug in self.db_exhibitions}
        if not slugs:
            return {}
        rows = ExhibitorApplication.objects.filter(
            exhibition__slug__in=slugs, booth__code__in=set(moving.values())
        ).values_list("exhibition__slug", "booth__code", "company__ref")
        return {(slug, code): ref for slug, code, ref in rows}

    def check_meetings(self):
        for i, record in _records(self.data, "meetings"):
            at = ("meetings", i)
            slug = _str(record, "exhibition")
            if slug is not None:
                self.check_reference((*at, "exhibition"), slug=slug)
            refs = {}
            for side in ("buyer", "exhibitor"):
                ref = _str(record, side)
                if ref is None or not self.check_reference((*at, side), ref=ref):
                    continue
                refs[side] = ref
                role = self.role_of(ref)
                if role in Company.Kind.values and role != side:
                    if side == "buyer":
                        message = _("%(ref)r is an exhibitor, not a buyer")
                    else:
                        message = _("%(ref)r is a buyer, not an exhibitor")
                    self.add((*at, side), message % {"ref": ref})
            if refs.get("buyer") and refs.get("buyer") == refs.get("exhibitor"):
                self.add((*at, "exhibitor"), _("a company cannot meet itself"))
            status = _str(record, "status")
            for key in ("outcome", "deal_value_usd"):
                if key in record and status in Meeting.Status.values and status != Meeting.Status.HELD:
                    self.add(
                        (*at, key),
                        _("only a held meeting has an outcome or a deal value (this one is %(status)s)")
                        % {"status": status},
                    )
            value = record.get("deal_value_usd")
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                number = decimal.Decimal(str(value))
                if number >= MAX_DEAL_VALUE:
                    self.add((*at, "deal_value_usd"), _("is too large"))
                elif number != number.quantize(decimal.Decimal("0.01")):
                    self.add((*at, "deal_value_usd"), _("has more than two decimals"))
            starts_at = _str(record, "starts_at")
            if starts_at is not None and _parse_datetime(starts_at) is None:
                self.add(
                    (*at, "starts_at"),
                    _("%(value)r is not a date and time with a UTC offset (2027-04-14T10:30:00+09:00)")
                    % {"value": starts_at},
                )
            if status == Meeting.Status.ACCEPTED and "starts_at" not in record:
                self.add(at, _("an accepted meeting needs its starts_at"))


def _nul_problems(value, parts=()):
    """Every place holding a NUL character: PostgreSQL cannot store it in text, so the
    file is refused at preview, naming the place, instead of failing at confirm."""
    if isinstance(value, str):
        return (
            [Problem(parts, _("contains a NUL character (\\u0000), which cannot be stored"))] if "\x00" in value else []
        )
    problems = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                problems.append(Problem(parts, _("has a key with a NUL character (\\u0000)")))
            problems += _nul_problems(item, (*parts, key.replace("\x00", "")))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            problems += _nul_problems(item, (*parts, i))
    return problems


def _validate(data):
    nul = _nul_problems(data)
    if nul:
        return sorted(dict.fromkeys(nul), key=Problem.sort_key), None
    problems = _schema_problems(data)
    checker = None
    if isinstance(data, dict):
        checker = _Checker(data)
        problems += checker.check()
    return sorted(dict.fromkeys(problems), key=Problem.sort_key), checker


def validate_exhibition_data(data):
    """Every problem of a parsed file, in file order: the JSON Schema's, then the database's
    (HS codes, references, roles, booths, duplicates, dates)."""
    return _validate(data)[0]


def plan_import(data):
    """Validate `data` and, when it is valid, say what importing it would change. Reads only."""
    problems, checker = _validate(data)
    if problems:
        return ImportPlan(problems=problems)
    plan = ImportPlan()
    roles = {ref: role for ref, (_i, role) in checker.file_companies.items()}
    roles.update({ref: c.kind for ref, c in checker.db_companies.items() if ref not in roles})

    for i, record in _records(data, "exhibitions"):
        existing = checker.db_exhibitions.get(record["slug"])
        plan.changes.append(
            _change("exhibition", record["slug"], record, existing, i, exhibition_record, EXHIBITION_FIELDS)
        )
    for i, record in _records(data, "companies"):
        existing = checker.db_companies.get(record["ref"])
        plan.changes.append(_change("company", record["ref"], record, existing, i, company_record, COMPANY_FIELDS))
    _plan_participations(plan, data, checker, roles)
    _plan_meetings(plan, data, checker)
    return plan


def _change(kind, label, record, existing, index, to_record, fields):
    if existing is None:
        return Change(kind=kind, action="create", label=label, record=record, index=index)
    changed = _changed_fields(record, to_record(existing), fields)
    action = "update" if changed else "unchanged"
    return Change(kind=kind, action=action, label=label, fields=changed, record=record, obj=existing, index=index)


def _plan_participations(plan, data, checker, roles):
    records = _records(data, "participations")
    slugs = {r["exhibition"] for _i, r in records}
    refs = {r["company"] for _i, r in records}
    applications = {
        (a.exhibition.slug, a.company.ref): a
        for a in ExhibitorApplication.objects.filter(exhibition__slug__in=slugs, company__ref__in=refs).select_related(
            "exhibition", "company", "booth"
        )
    }
    registrations = {
        (r.exhibition.slug, r.company.ref): r
        for r in BuyerRegistration.objects.filter(exhibition__slug__in=slugs, company__ref__in=refs).select_related(
            "exhibition", "company"
        )
    }
    for i, record in records:
        key = (record["exhibition"], record["company"])
        label = f"{key[0]} / {key[1]}"
        is_exhibitor = roles[record["company"]] == Company.Kind.EXHIBITOR
        existing = (applications if is_exhibitor else registrations).get(key)
        if existing is None:
            plan.changes.append(Change(kind="participation", action="create", label=label, record=record, index=i))
            continue
        changed = []
        if existing.status != "approved":
            changed.append("status")
        if (
            is_exhibitor
            and "booth" in record
            and (existing.booth.code if existing.booth_id else None) != record["booth"]
        ):
            changed.append("booth")
        plan.changes.append(
            Change(
                kind="participation",
                action="update" if changed else "unchanged",
                label=label,
                fields=changed,
                record=record,
                obj=existing,
                index=i,
            )
        )


def _meeting_label(record):
    when = f" {record['starts_at']}" if record.get("starts_at") else ""
    return f"{record['exhibition']}: {record['buyer']} × {record['exhibitor']}{when}"


def _plan_meetings(plan, data, checker):
    records = _records(data, "meetings")
    slugs = {r["exhibition"] for _i, r in records}
    existing = defaultdict(list)
    for meeting in (
        Meeting.objects.filter(exhibition__slug__in=slugs).select_related("exhibition", "buyer", "exhibitor", "slot")
    ).order_by("id"):
        existing[(meeting.exhibition.slug, meeting.buyer.ref, meeting.exhibitor.ref, _meeting_start(meeting))].append(
            meeting
        )
    for i, record in records:
        start = _parse_datetime(record["starts_at"]) if "starts_at" in record else None
        matches = existing.get((record["exhibition"], record["buyer"], record["exhibitor"], start))
        label = _meeting_label(record)
        if not matches:
            plan.changes.append(Change(kind="meeting", action="create", label=label, record=record, index=i))
            continue
        meeting = matches.pop(0)
        changed = _changed_fields(record, meeting_record(meeting), MEETING_FIELDS)
        plan.changes.append(
            Change(
                kind="meeting",
                action="update" if changed else "unchanged",
                label=label,
                fields=changed,
                record=record,
                obj=meeting,
                index=i,
            )
        )


# --- import ------------------------------------------------------------------------------


def import_exhibition_data(*, data, by=None):
    """Validate and import an exhibition-data/1 document in one transaction; returns the plan
    that was applied. Raises ImportRejected (nothing written) when the file has problems.

    Side effects: creates or updates exhibitions (new ones belong to the first cooperative,
    created if there is none), companies (new ones approved, reviewed by `by`), their HS codes
    and certifications (new certification names are created), approved exhibitor
    applications (with the named booth, created in a hall "Imported" when missing) and
    approved buyer registrations, and meetings (history: companies, status, outcome, value,
    start; a slot at that start for accepted ones). Sends no notification.
    """
    try:
        with transaction.atomic():
            _serialise_imports()
            plan = plan_import(data)
            if plan.problems:
                raise ImportRejected(plan.problems)
            _apply(plan, by=by)
    except (IntegrityError, OperationalError) as exc:
        raise ImportRejected(
            [Problem(("(database)",), _("the database refused the import, try again: %(error)s") % {"error": exc})]
        ) from exc
    return plan


IMPORT_LOCK = 0x46A1_1D47  # any constant shared by every import: "one import at a time"


def _serialise_imports():
    """Two imports at once would both plan to create the same rows; on PostgreSQL the second
    waits here (a transaction-level advisory lock) and then plans against the first's result.
    SQLite allows one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _set_text(obj, field_name, value):
    for lang in LANGS:
        setattr(obj, f"{field_name}_{lang}", value.get(lang, ""))


def _apply(plan, *, by):
    exhibitions = {}
    for change in plan.of("exhibition"):
        exhibitions[change.label] = _apply_exhibition(change)
    companies = _apply_companies(plan.of("company"), by=by)
    # Company rows and their codes are written in bulk, which sends no signals.
    Exhibition.objects.filter(applications__company__in=list(companies.values())).touch_directory()

    def exhibition(slug):
        if slug not in exhibitions:
            exhibitions[slug] = Exhibition.objects.get(slug=slug)
        return exhibitions[slug]

    def company(ref):
        if ref not in companies:
            companies[ref] = Company.objects.get(ref=ref)
        return companies[ref]

    participations = plan.of("participation")
    # Booths that move first let go of the old one, so that two companies can swap.
    for change in participations:
        if "booth" in change.fields and change.obj.booth_id:
            change.obj.booth = None
            change.obj.save(update_fields=["booth", "updated_at"])
    halls = {}
    for change in participations:
        if change.action != "unchanged":
            record = change.record
            _apply_participation(change, exhibition(record["exhibition"]), company(record["company"]), by, halls)
    for change in plan.of("meeting"):
        if change.action != "unchanged":
            record = change.record
            _apply_meeting(
                change, exhibition(record["exhibition"]), company(record["buyer"]), company(record["exhibitor"])
            )


def _apply_exhibition(change):
    record = change.record
    if change.action == "unchanged":
        return change.obj
    exhibition = change.obj
    if exhibition is None:
        cooperative = Cooperative.objects.order_by("id").first() or Cooperative.objects.create(**DEFAULT_COOPERATIVE)
        exhibition = Exhibition(slug=record["slug"], cooperative=cooperative)
    names = list(record) if change.action == "create" else change.fields
    for name in names:
        if name == "title":
            _set_text(exhibition, "title", _norm_text(record["title"]))
        elif name in ("starts_on", "ends_on"):
            setattr(exhibition, name, datetime.date.fromisoformat(record[name]))
        elif name in EXHIBITION_FIELDS:
            setattr(exhibition, name, record[name])
    exhibition.save()
    return exhibition


def _fill_company(company, record, names):
    for name in names:
        value = COMPANY_FIELDS[name][0](record[name])
        if name in ("name", "description"):
            _set_text(company, name, value)
        elif name == "languages":
            company.languages = " ".join(value)
        elif name == "keywords":
            company.keywords = ", ".join(value)
        elif name not in ("hs_codes", "certifications"):
            setattr(company, name, value)


def _apply_companies(changes, *, by):
    """Companies: new ones in bulk (with their codes and certifications), changed ones one by
    one (so that the matcher hears of the change). Returns {ref: company}."""
    wanted = {
        name
        for c in changes
        if c.action == "create" or "certifications" in c.fields
        for name in COMPANY_FIELDS["certifications"][0](c.record.get("certifications", []))
    }
    certifications = {c.name: c for c in Certification.objects.filter(name__in=wanted)}
    missing = [Certification(name=name) for name in sorted(wanted - set(certifications))]
    if missing:
        Certification.objects.bulk_create(missing)
        certifications.update({c.name: c for c in Certification.objects.filter(name__in=[c.name for c in missing])})

    companies = {c.label: c.obj for c in changes if c.obj is not None}
    now = timezone.now()
    new = []
    for change in changes:
        if change.action == "create":
            company = Company(ref=change.record["ref"], kind=change.record["role"], status=Company.Status.APPROVED)
            company.reviewed_by, company.reviewed_at = by, now
            _fill_company(company, change.record, [n for n in change.record if n in COMPANY_FIELDS])
            new.append(company)
    Company.objects.bulk_create(new, batch_size=500)
    new = {c.ref: c for c in Company.objects.filter(ref__in=[c.ref for c in new])}
    companies.update(new)
    codes_through, certs_through = Company.hs_codes.through, Company.certifications.through
    codes, certs = [], []
    for change in changes:
        if change.action != "create":
            continue
        company = new[change.label]
        for code in COMPANY_FIELDS["hs_codes"][0](change.record.get("hs_codes", [])):
            codes.append(codes_through(company_id=company.pk, hscode_id=code))
        for name in COMPANY_FIELDS["certifications"][0](change.record.get("certifications", [])):
            certs.append(certs_through(company_id=company.pk, certification_id=certifications[name].pk))
    codes_through.objects.bulk_create(codes, batch_size=1000)
    certs_through.objects.bulk_create(certs, batch_size=1000)

    for change in changes:
        if change.action != "update":
            continue
        company, record = change.obj, change.record
        _fill_company(company, record, change.fields)
        company.save()
        if "hs_codes" in change.fields:
            company.hs_codes.set(COMPANY_FIELDS["hs_codes"][0](record["hs_codes"]))
        if "certifications" in change.fields:
            names = COMPANY_FIELDS["certifications"][0](record["certifications"])
            company.certifications.set([certifications[name] for name in names])
    return companies


def _booth(exhibition, code, halls):
    """The booth with that code, or a new one in the exhibition's hall "Imported"."""
    booth = Booth.objects.filter(exhibition=exhibition, code=code).first()
    if booth is not None:
        return booth
    if exhibition.pk not in halls:
        hall, _created = Hall.objects.get_or_create(
            exhibition=exhibition, name=IMPORTED_HALL, defaults={"position": 99}
        )
        halls[exhibition.pk] = [hall, hall.booths.count()]
    hall, placed = halls[exhibition.pk]
    halls[exhibition.pk][1] += 1
    return Booth.objects.create(exhibition=exhibition, hall=hall, code=code, x=(placed % 10) * 3, y=(placed // 10) * 3)


def _apply_participation(change, exhibition, company, by, halls):
    record = change.record
    if company.kind == Company.Kind.BUYER:
        registration = change.obj or BuyerRegistration(exhibition=exhibition, company=company, submitted_by=by)
        registration.status = BuyerRegistration.Status.APPROVED
        registration.save()
        return
    application = change.obj or ExhibitorApplication(exhibition=exhibition, company=company, submitted_by=by)
    application.status = ExhibitorApplication.Status.APPROVED
    if "booth" in record and (change.obj is None or "booth" in change.fields):
        application.booth = _booth(exhibition, record["booth"], halls)
    application.save()


def _apply_meeting(change, exhibition, buyer, exhibitor):
    record = change.record
    meeting = change.obj
    if meeting is None:
        start = _parse_datetime(record["starts_at"]) if "starts_at" in record else None
        meeting = Meeting(exhibition=exhibition, buyer=buyer, exhibitor=exhibitor, starts_at=start)
        if start is not None:
            meeting.ends_at = start + datetime.timedelta(minutes=exhibition.meeting_slot_minutes)
    names = [n for n in record if n in MEETING_FIELDS] if change.action == "create" else change.fields
    for name in names:
        setattr(meeting, name, MEETING_FIELDS[name][0](record[name]))
    if meeting.status == Meeting.Status.ACCEPTED and meeting.slot_id is None:
        # The model wants a slot for an accepted meeting; history has none, so make one.
        ends_at = meeting.ends_at or meeting.starts_at + datetime.timedelta(minutes=exhibition.meeting_slot_minutes)
        meeting.slot, _created = Slot.objects.get_or_create(
            exhibition=exhibition, starts_at=meeting.starts_at, defaults={"ends_at": ends_at}
        )
    meeting.save()
