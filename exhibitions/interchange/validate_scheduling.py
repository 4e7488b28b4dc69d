"""Checking what exhibition-data/2 adds: meeting hours and tables, participations' visit days,
parallel meetings and languages, the interpreter pool, wishes, and where, when and with whom
a meeting takes place. The database's constraints on booked meetings (a buyer in one meeting
at a time, an exhibitor in at most its parallel meetings, a place and an interpreter in one)
are checked here too, on what the database will hold after the import, so that they are
named problems rather than a refused transaction."""

import datetime
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company

from ..meetings.services import slot_times_from
from ..models import ExhibitorApplication, Interpreter, Meeting, MeetingBreak, MeetingHours, MeetingTable, Slot
from .export import MEETING_HOURS_FIELDS, _changed_fields, meeting_hours_record, meeting_place
from .records import _parse_date, _parse_datetime, _records, _str, meeting_matches

MAX_TABLES = 500  # as meeting_tables_set allows
TABLE_PLACE = re.compile(r"^table-([1-9][0-9]{0,3})$")
BOOKED = set(Meeting.BOOKED) | {"held"}


def _clock(value):
    try:
        return datetime.time.fromisoformat(value) if isinstance(value, str) and len(value) == 5 else None
    except ValueError:
        return None


@dataclass
class _Show:
    """One exhibition as it will be after the import: days, time zone, slots, tables."""

    slug: str
    days: set
    tz: datetime.tzinfo
    slot_minutes: int
    tables: int
    slots: dict = field(default_factory=dict)  # start (UTC) -> end
    regenerates: bool = False  # the import makes its slots anew from new hours

    def local(self, moment):
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")


def check_scheduling(checker, *, schema_ok):
    """Adds the version 2 problems to `checker`. Who is busy when is checked only once every
    other check passed (it relies on the records being well formed)."""
    _SchedulingChecker(checker, schema_ok).check()


class _SchedulingChecker:
    def __init__(self, checker, schema_ok):
        self.checker = checker
        self.schema_ok = schema_ok
        self.data = checker.data
        self.add = checker.add
        self.shows = {}
        slugs = set(checker.db_exhibitions)
        db_ids = [e.pk for e in checker.db_exhibitions.values()]
        self.db_hours = defaultdict(list)
        for row in MeetingHours.objects.filter(exhibition_id__in=db_ids).values_list(
            "exhibition__slug", "day", "starts", "ends"
        ):
            self.db_hours[row[0]].append(row[1:])
        self.db_breaks = defaultdict(list)
        for row in MeetingBreak.objects.filter(exhibition_id__in=db_ids).values_list(
            "exhibition__slug", "day", "starts", "ends"
        ):
            self.db_breaks[row[0]].append(row[1:])
        self.db_tables = defaultdict(int)
        for slug in MeetingTable.objects.filter(exhibition_id__in=db_ids).values_list("exhibition__slug", flat=True):
            self.db_tables[slug] += 1
        self.db_slots = defaultdict(dict)
        for slug, starts_at, ends_at in Slot.objects.filter(exhibition_id__in=db_ids).values_list(
            "exhibition__slug", "starts_at", "ends_at"
        ):
            self.db_slots[slug][starts_at] = ends_at
        self.db_interpreters = {
            (slug, ref): days
            for slug, ref, days in Interpreter.objects.filter(exhibition__slug__in=slugs).values_list(
                "exhibition__slug", "ref", "days"
            )
        }
        self.db_applications = {
            (slug, ref): (booth, parallel)
            for slug, ref, booth, parallel in ExhibitorApplication.objects.approved()
            .filter(exhibition__slug__in=slugs)
            .values_list("exhibition__slug", "company__ref", "booth__code", "parallel_meetings")
        }

    def check(self):
        self.check_meeting_hours()
        self.check_participations()
        self.check_interpreters()
        self.check_wishes()
        self.check_meetings()

    # --- the exhibitions' meeting hours ------------------------------------------------

    def show(self, slug):
        """The exhibition `slug` as the import leaves it, or None when the file or database
        does not say enough (a problem reported elsewhere)."""
        if slug in self.shows:
            return self.shows[slug]
        record = None
        if slug in self.checker.file_exhibitions:
            record = self.data["exhibitions"][self.checker.file_exhibitions[slug]]
        existing = self.checker.db_exhibitions.get(slug)
        dates = {}
        for key in ("starts_on", "ends_on"):
            value = _parse_date(record[key]) if record and isinstance(record.get(key), str) else None
            dates[key] = value or (getattr(existing, key) if existing else None)
        tz_name = (record or {}).get("timezone") or (existing.timezone if existing else "Asia/Tokyo")
        try:
            tz = zoneinfo.ZoneInfo(tz_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            tz = None
        if None in dates.values() or tz is None or dates["ends_on"] < dates["starts_on"]:
            self.shows[slug] = None
            return None
        days = {
            dates["starts_on"] + datetime.timedelta(days=n)
            for n in range((dates["ends_on"] - dates["starts_on"]).days + 1)
        }
        block = (record or {}).get("meetings")
        if isinstance(block, dict) and block.get("slot_minutes") in (15, 20, 30, 45, 60):
            hours, breaks = self._hours_in(block)
            tables = block["tables"] if isinstance(block.get("tables"), int) else self.db_tables[slug]
            show = _Show(slug, days, tz, block["slot_minutes"], tables)
            show.regenerates = self._regenerates(block, existing)
            if show.regenerates:
                wanted = slot_times_from(tz=tz, slot_minutes=show.slot_minutes, hours=hours, breaks=breaks)
                show.slots = dict(wanted)
            else:
                show.slots = dict(self.db_slots[slug])
        else:
            minutes = existing.meeting_slot_minutes if existing else 30
            show = _Show(slug, days, tz, minutes, self.db_tables[slug])
            show.slots = dict(self.db_slots[slug])
        self.shows[slug] = show
        return show

    @staticmethod
    def _regenerates(block, existing):
        """Whether importing `block` makes the exhibition's slots anew (its hours or slot length change)."""
        current = meeting_hours_record(existing) if existing is not None else None
        if current is None:
            return True
        try:
            return bool({"slot_minutes", "days"} & set(_changed_fields(block, current, MEETING_HOURS_FIELDS)))
        except (KeyError, TypeError, AttributeError):
            return True

    def _hours_in(self, block):
        hours, breaks = [], []
        for day in block.get("days", []) if isinstance(block.get("days"), list) else []:
            if not isinstance(day, dict):
                continue
            date, starts, ends = (
                _parse_date(str(day.get("date", ""))),
                _clock(day.get("starts")),
                _clock(day.get("ends")),
            )
            if date is None or starts is None or ends is None or ends <= starts:
                continue
            hours.append((date, starts, ends))
            for pause in day.get("breaks", []) if isinstance(day.get("breaks"), list) else []:
                if isinstance(pause, dict) and _clock(pause.get("starts")) and _clock(pause.get("ends")):
                    breaks.append((date, _clock(pause["starts"]), _clock(pause["ends"])))
        return hours, breaks

    def not_a_day(self, parts, day, slug):
        self.add(parts, _("%(day)s is not a day of %(slug)s") % {"day": day, "slug": slug})

    def check_days(self, parts, values, slug):
        """Each of `values` a date of the exhibition `slug`."""
        show = self.show(slug) if slug else None
        if not isinstance(values, list):
            return
        for j, value in enumerate(values):
            if not isinstance(value, str):
                continue
            day = _parse_date(value)
            if day is None:
                self.add((*parts, j), _("%(value)r is not a date (YYYY-MM-DD)") % {"value": value})
            elif show is not None and day not in show.days:
                self.not_a_day((*parts, j), day, slug)

    def check_meeting_hours(self):
        for i, record in _records(self.data, "exhibitions"):
            block = record.get("meetings")
            slug = _str(record, "slug")
            if not isinstance(block, dict) or slug is None:
                continue
            at = ("exhibitions", i, "meetings")
            show = self.show(slug)
            tables = block.get("tables")
            if isinstance(tables, int) and tables > MAX_TABLES:
                self.add((*at, "tables"), _("at most %(count)s tables") % {"count": MAX_TABLES})
            seen = {}
            for j, day in enumerate(block.get("days", []) if isinstance(block.get("days"), list) else []):
                if isinstance(day, dict):
                    self.check_day((*at, "days", j), day, slug, show, seen)
            if show is not None and slug in self.checker.db_exhibitions:
                self.check_nothing_booked_is_removed(at, slug, show, tables if tables != self.db_tables[slug] else None)

    def check_day(self, at, day, slug, show, seen):
        date = _parse_date(day["date"]) if isinstance(day.get("date"), str) else None
        if isinstance(day.get("date"), str) and date is None:
            self.add((*at, "date"), _("%(value)r is not a date (YYYY-MM-DD)") % {"value": day["date"]})
        elif date is not None and show is not None and date not in show.days:
            self.not_a_day((*at, "date"), date, slug)
        elif date is not None and date in seen:
            self.add(
                (*at, "date"),
                _("the meeting hours of %(day)s are given more than once (first at %(first)s)")
                % {"day": date, "first": seen[date]},
            )
        elif date is not None:
            seen[date] = f"days[{at[-1]}]"
        starts, ends = _clock(day.get("starts")), _clock(day.get("ends"))
        if starts and ends and ends <= starts:
            self.add((*at, "ends"), _("the meeting hours must end after they start"))
            return
        for k, pause in enumerate(day.get("breaks", []) if isinstance(day.get("breaks"), list) else []):
            if not isinstance(pause, dict):
                continue
            pause_starts, pause_ends = _clock(pause.get("starts")), _clock(pause.get("ends"))
            if not (pause_starts and pause_ends):
                continue
            if pause_ends <= pause_starts:
                self.add((*at, "breaks", k, "ends"), _("the break must end after it starts"))
            elif starts and ends and (pause_starts < starts or pause_ends > ends):
                self.add((*at, "breaks", k), _("the break is outside the meeting hours"))

    def check_nothing_booked_is_removed(self, at, slug, show, tables):
        """New hours or fewer tables must not remove a slot or a table that holds a booked meeting."""
        booked = (
            Meeting.objects.filter(exhibition__slug=slug, status__in=Meeting.BOOKED, slot__isnull=False)
            .select_related("slot", "table")
            .order_by("slot__starts_at")
        )
        lost_slots, lost_tables = [], set()
        for meeting in booked:
            if show.regenerates and show.slots.get(meeting.slot.starts_at) != meeting.slot.ends_at:
                lost_slots.append(show.local(meeting.slot.starts_at))
            if isinstance(tables, int) and meeting.table_id and meeting.table.number > tables:
                lost_tables.add(meeting.table.number)
        if lost_slots:
            self.add(
                (*at, "days"),
                _(
                    "these hours remove slots that hold meetings in the database: %(times)s. "
                    "Move or cancel those meetings first."
                )
                % {"times": ", ".join(sorted(set(lost_slots)))},
            )
        if lost_tables:
            self.add(
                (*at, "tables"),
                _("tables that hold meetings in the database cannot be removed: %(tables)s")
                % {"tables": ", ".join(str(n) for n in sorted(lost_tables))},
            )

    # --- participations, interpreters, wishes --------------------------------------------

    def check_participations(self):
        for i, record in _records(self.data, "participations"):
            at = ("participations", i)
            slug, ref = _str(record, "exhibition"), _str(record, "company")
            role = self.checker.role_of(ref) if ref else None
            if "visit_days" in record:
                if role == Company.Kind.EXHIBITOR:
                    self.add((*at, "visit_days"), _("only buyers have visit days"))
                else:
                    self.check_days((*at, "visit_days"), record["visit_days"], slug)
            if "parallel_meetings" in record and role == Company.Kind.BUYER:
                self.add((*at, "parallel_meetings"), _("only exhibitors hold parallel meetings"))

    def interpreters(self):
        """(slug, ref) -> available days (list of ISO dates; empty: every day), after the import."""
        if not hasattr(self, "_interpreters"):
            pool = dict(self.db_interpreters)
            for _i, record in _records(self.data, "interpreters"):
                slug, ref = _str(record, "exhibition"), _str(record, "ref")
                if slug and ref:
                    days = record.get("days", pool.get((slug, ref), []))
                    pool[(slug, ref)] = days if isinstance(days, list) else []
            self._interpreters = pool
        return self._interpreters

    def check_interpreters(self):
        seen = {}
        for i, record in _records(self.data, "interpreters"):
            at = ("interpreters", i)
            slug, ref = _str(record, "exhibition"), _str(record, "ref")
            slug_ok = slug is not None and self.checker.check_reference((*at, "exhibition"), slug=slug)
            if slug_ok and ref is not None:
                first = seen.setdefault((slug, ref), i)
                if first != i:
                    self.add(
                        (*at, "ref"),
                        _("%(ref)r appears more than once for %(slug)r in this file (first at interpreters[%(first)s])")
                        % {"ref": ref, "slug": slug, "first": first},
                    )
            name = _str(record, "name")
            if name is not None and not name.strip():
                self.add((*at, "name"), _("is empty"))
            self.checker.check_length((*at, "name"), name, 150)
            email = _str(record, "email")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.add((*at, "email"), _("%(value)r is not an email address") % {"value": email})
                self.checker.check_length((*at, "email"), email, 254)
            if slug_ok:
                self.check_days((*at, "days"), record.get("days"), slug)

    def check_wishes(self):
        seen = {}
        for i, record in _records(self.data, "wishes"):
            at = ("wishes", i)
            slug = _str(record, "exhibition")
            if slug is not None:
                self.checker.check_reference((*at, "exhibition"), slug=slug)
            self.checker.check_sides(at, record)
            key = tuple(record.get(k) for k in ("exhibition", "buyer", "exhibitor", "by"))
            if all(isinstance(k, str) for k in key):
                first = seen.setdefault(key, i)
                if first != i:
                    self.add(
                        at,
                        _("this wish appears more than once in this file (first at wishes[%(first)s])")
                        % {"first": first},
                    )

    # --- meetings: time, place, interpreter, and who is busy when ------------------------

    def booths(self):
        """(slug, exhibitor ref) -> its booth code after the import, and (slug, code) -> ref."""
        if not hasattr(self, "_booths"):
            of_company = {key: booth for key, (booth, _parallel) in self.db_applications.items() if booth}
            for _i, record in _records(self.data, "participations"):
                slug, ref, booth = _str(record, "exhibition"), _str(record, "company"), _str(record, "booth")
                if slug and ref and booth:
                    of_company[(slug, ref)] = booth
            self._booths = of_company, {(slug, code): ref for (slug, ref), code in of_company.items()}
        return self._booths

    def parallel_meetings(self, slug, ref):
        """How many meetings the exhibitor holds at once after the import (absent: 1)."""
        if not hasattr(self, "_parallel"):
            self._parallel = {key: parallel for key, (_booth, parallel) in self.db_applications.items()}
            for _i, record in _records(self.data, "participations"):
                if isinstance(record.get("parallel_meetings"), int):
                    self._parallel[(record.get("exhibition"), record.get("company"))] = record["parallel_meetings"]
        return self._parallel.get((slug, ref), 1)

    def check_meetings(self):
        entries = []
        for i, record in _records(self.data, "meetings"):
            entry = self.check_meeting(("meetings", i), record)
            if entry is not None:
                entries.append((i, entry))
        if self.schema_ok and not self.checker.problems:
            self.check_busy(entries)

    def check_meeting(self, at, record):
        """Checks of one meeting; returns (slug, start, buyer, exhibitor, place, interpreter)
        for a booked meeting whose time is known, else None."""
        slug = _str(record, "exhibition")
        show = self.show(slug) if slug in self.checker.file_exhibitions or slug in self.checker.db_exhibitions else None
        starts_at = _parse_datetime(record["starts_at"]) if isinstance(record.get("starts_at"), str) else None
        ends_at = None
        if isinstance(record.get("ends_at"), str):
            ends_at = _parse_datetime(record["ends_at"])
            if ends_at is None:
                self.add(
                    (*at, "ends_at"),
                    _("%(value)r is not a date and time with a UTC offset (2027-04-14T10:30:00+09:00)")
                    % {"value": record["ends_at"]},
                )
            elif "starts_at" not in record:
                self.add((*at, "ends_at"), _("a meeting with an end needs its starts_at"))
            elif starts_at is not None and ends_at <= starts_at:
                self.add((*at, "ends_at"), _("the meeting must end after it starts"))
        place = _str(record, "place")
        if place is not None and "starts_at" not in record:
            self.add((*at, "place"), _("a meeting with a place needs its starts_at"))
        elif place is not None and show is not None:
            self.check_place((*at, "place"), place, show, _str(record, "exhibitor"))
        interpreter = _str(record, "interpreter")
        if interpreter is not None and slug is not None:
            days = self.interpreters().get((slug, interpreter))
            if days is None:
                self.add(
                    (*at, "interpreter"),
                    _("%(ref)r is not an interpreter of this exhibition") % {"ref": interpreter},
                )
            elif days and starts_at is not None and show is not None:
                day = starts_at.astimezone(show.tz).date()
                if day.isoformat() not in days:
                    self.add(
                        (*at, "interpreter"),
                        _("%(ref)r is not available on %(day)s") % {"ref": interpreter, "day": day},
                    )
        if record.get("status") not in BOOKED or starts_at is None or show is None:
            return None
        self.check_slot(at, show, starts_at, ends_at)
        return (slug, starts_at, record.get("buyer"), record.get("exhibitor"), place, interpreter)

    def check_place(self, at, place, show, exhibitor):
        match = TABLE_PLACE.match(place)
        if match:
            number = int(match.group(1))
            if number > show.tables:
                self.add(
                    at,
                    ngettext(
                        "%(place)r but the exhibition has %(count)s table",
                        "%(place)r but the exhibition has %(count)s tables",
                        show.tables,
                    )
                    % {"place": place, "count": show.tables},
                )
            return
        of_company, holder_of = self.booths()
        if exhibitor is None or of_company.get((show.slug, exhibitor)) == place:
            return
        holder = holder_of.get((show.slug, place))
        if holder is not None:
            self.add(
                at,
                _("%(place)r is the booth of %(other)r, not of %(ref)r")
                % {"place": place, "other": holder, "ref": exhibitor},
            )
        else:
            self.add(
                at,
                _("%(place)r is neither the booth of %(ref)r at %(slug)s nor a table (table-1, table-2, …)")
                % {"place": place, "ref": exhibitor, "slug": show.slug},
            )

    def check_slot(self, at, show, starts_at, ends_at):
        """A booked meeting takes the slot at its start; within the meeting hours it must start
        a slot (and end with it); outside them a slot is made for it, as in version 1."""
        end_of_slot = show.slots.get(starts_at)
        if end_of_slot is not None:
            if ends_at is not None and ends_at != end_of_slot:
                self.add(
                    (*at, "ends_at"),
                    _("the slot at %(time)s ends at %(end)s")
                    % {"time": show.local(starts_at), "end": show.local(end_of_slot)},
                )
            return
        end = ends_at or starts_at + datetime.timedelta(minutes=show.slot_minutes)
        if any(start < end and starts_at < slot_end for start, slot_end in show.slots.items()):
            self.add(
                (*at, "starts_at"),
                _("%(time)s overlaps the meeting slots of %(slug)s without starting one")
                % {"time": show.local(starts_at), "slug": show.slug},
            )

    def check_busy(self, entries):
        """Nobody and nothing in two booked meetings at once, counting the database's booked
        meetings that the file does not update; an exhibitor in at most its parallel meetings."""
        matches, in_database = self.checker.meeting_matches = meeting_matches(self.data)
        updated = {meeting.pk for meeting in matches.values()}
        at_time = defaultdict(list)  # (slug, start) -> [(index or None, buyer, exhibitor, place, interpreter)]
        for meeting in in_database:
            if meeting.pk in updated or meeting.status not in Meeting.BOOKED or meeting.slot_id is None:
                continue
            interpreter = meeting.interpreter.ref if meeting.interpreter_id else None
            at_time[(meeting.exhibition.slug, meeting.slot.starts_at)].append(
                (None, meeting.buyer.ref, meeting.exhibitor.ref, meeting_place(meeting), interpreter)
            )
        for i, (slug, start, buyer, exhibitor, place, interpreter) in entries:
            existing = matches.get(i)
            if existing is not None:
                place = place if "place" in self.data["meetings"][i] else meeting_place(existing)
                if "interpreter" not in self.data["meetings"][i] and existing.interpreter_id:
                    interpreter = existing.interpreter.ref
            at_time[(slug, start)].append((i, buyer, exhibitor, place, interpreter))
        for (slug, start), meetings in at_time.items():
            self.check_one_time(self.show(slug), start, meetings)

    def check_one_time(self, show, start, meetings):
        when = show.local(start)
        buyers, places, interpreters, exhibitors = {}, {}, {}, defaultdict(list)
        for index, buyer, exhibitor, place, interpreter in meetings:
            exhibitors[exhibitor].append(index)
            if index is None:
                buyers[buyer] = places[place] = interpreters[interpreter] = None
                continue
            at = ("meetings", index)
            for key, value, seen, message in (
                ("buyer", buyer, buyers, _("%(value)r already has a meeting at %(time)s (%(other)s)")),
                ("place", place, places, _("%(value)s already holds a meeting at %(time)s (%(other)s)")),
                (
                    "interpreter",
                    interpreter,
                    interpreters,
                    _("%(value)r is already in a meeting at %(time)s (%(other)s)"),
                ),
            ):
                if value is None:
                    continue
                if value in seen:
                    self.add((*at, key), message % {"value": value, "time": when, "other": self.other(seen[value])})
                else:
                    seen[value] = index
        for exhibitor, indexes in exhibitors.items():
            limit = self.parallel_meetings(show.slug, exhibitor)
            for index in [i for i in indexes if i is not None][max(0, limit - indexes.count(None)) :]:
                self.add(
                    ("meetings", index, "exhibitor"),
                    ngettext(
                        "%(ref)r holds at most %(count)s meeting at a time and has more at %(time)s",
                        "%(ref)r holds at most %(count)s meetings at a time and has more at %(time)s",
                        limit,
                    )
                    % {"ref": exhibitor, "count": limit, "time": when},
                )

    @staticmethod
    def other(index):
        return _("a meeting in the database") if index is None else f"meetings[{index}]"
