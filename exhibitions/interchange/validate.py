"""Checking a parsed file against the database: every problem, with its JSON path."""

import decimal
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from companies.forms import RESERVED_REFS, ref_validator
from companies.models import Company, HSCode

from ..models import Exhibition, ExhibitorApplication, Meeting
from .export import _norm_keywords
from .records import _parse_date, _parse_datetime, _records, _str
from .schema import LANGS, Problem, _nul_problems, _schema_problems, version_of
from .validate_scheduling import check_scheduling

MAX_DEAL_VALUE = decimal.Decimal("1e12")
MAX_EMPLOYEES = 2_147_483_647


def _usable_ref(ref):
    """Whether a new company may get `ref`, by the same rules as the sign-up form."""
    try:
        ref_validator(ref)
    except ValidationError:
        return False
    return ref.lower() not in RESERVED_REFS


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
        for section in ("meetings", "wishes"):
            for _i, record in _records(data, section):
                slugs.add(_str(record, "exhibition"))
                refs.update((_str(record, "buyer"), _str(record, "exhibitor")))
        for _i, record in _records(data, "interpreters"):
            slugs.add(_str(record, "exhibition"))
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

    def check_sides(self, at, record):
        """The buyer and exhibitor of a meeting or a wish: known companies of the right role,
        not one company twice."""
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

    def check_meetings(self):
        for i, record in _records(self.data, "meetings"):
            at = ("meetings", i)
            slug = _str(record, "exhibition")
            if slug is not None:
                self.check_reference((*at, "exhibition"), slug=slug)
            self.check_sides(at, record)
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


def _validate(data):
    problems = _schema_problems(data)
    checker = None
    # A NUL character would make the database lookups below fail on PostgreSQL.
    if isinstance(data, dict) and not _nul_problems(data, ()):
        checker = _Checker(data)
        checker.check()
        if version_of(data) == 2:
            check_scheduling(checker, schema_ok=not problems)
        problems += checker.problems
    return sorted(dict.fromkeys(problems), key=Problem.sort_key), checker


def validate_exhibition_data(data):
    """Every problem of a parsed file, in file order: the JSON Schema's (of the file's
    version), then the database's (HS codes, references, roles, booths, duplicates, dates;
    version 2: hours, days, places, interpreters, wishes, who is busy when)."""
    return _validate(data)[0]


# Where each section names its exhibition.
EXHIBITION_KEYS = {
    "exhibitions": "slug",
    "participations": "exhibition",
    "meetings": "exhibition",
    "interpreters": "exhibition",
    "wishes": "exhibition",
}


def _named_exhibitions(data):
    """(section, index, key, value) of every record that names an exhibition. Malformed
    sections are the schema's business and are skipped here."""
    if not isinstance(data, dict):
        return
    for section, key in EXHIBITION_KEYS.items():
        records = data.get(section)
        if not isinstance(records, list):
            continue
        for i, record in enumerate(records):
            if isinstance(record, dict) and key in record:
                yield section, i, key, record[key]


def problems_outside_exhibition(data, slug):
    """A problem for every record that names another exhibition than `slug`: an import scoped
    to one exhibition (the staff API) touches that exhibition only."""
    message = _("only the exhibition %(slug)s may be imported here") % {"slug": slug}
    return [Problem((section, i, key), message) for section, i, key, value in _named_exhibitions(data) if value != slug]


def problems_of_other_cooperatives(data, user):
    """A problem for every record that names an exhibition run by another cooperative than
    `user`'s: staff import into their own cooperative's shows only (admins anywhere; the
    management command, with no user, too)."""
    if user is None or user.is_superuser:
        return []
    named = [(section, i, key, value) for section, i, key, value in _named_exhibitions(data) if isinstance(value, str)]
    foreign = set(
        Exhibition.objects.filter(slug__in={slug for *_where, slug in named})
        .exclude(cooperative_id=user.cooperative_id)
        .values_list("slug", flat=True)
    )
    return [
        Problem(
            (section, i, key), _("%(slug)s is run by another cooperative; it cannot be imported here") % {"slug": slug}
        )
        for section, i, key, slug in named
        if slug in foreign
    ]
