"""Floor plans: booth layouts from a grid spec or a CSV file, and the SVG drawing of a hall.

Pure functions (no writes): the services call them, then save what they return.
Positions and sizes are in metres; one SVG user unit is one metre.
"""

import csv
import io
import re
import string
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Booth

DASHES = "-–—~〜"
MAX_GRID_BOOTHS = 2000
CSV_COLUMNS = ("hall", "code", "kind", "width", "depth", "price", "x", "y")


class LayoutError(ValueError):
    """A grid spec or CSV file that cannot be laid out; `errors` names every problem."""

    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class PlannedBooth:
    code: str
    x: int
    y: int
    width: Decimal
    depth: Decimal
    kind: str = Booth.Kind.STANDARD
    price: Decimal = Decimal(0)
    hall: str = ""
    line: int = 0


def _split_range(text):
    text = (text or "").strip().replace(" ", "")
    for dash in DASHES:
        if dash in text:
            first, _sep, last = text.partition(dash)
            return first, last
    return text, text


def parse_rows(text):
    """'A-H' (or 'A–H', or 'C') → ['A', ..., 'H']."""
    first, last = (part.upper() for part in _split_range(text))
    letters = string.ascii_uppercase
    if len(first) != 1 or len(last) != 1 or first not in letters or last not in letters:
        raise LayoutError([_("Rows must be letters, like A-H.")])
    if letters.index(last) < letters.index(first):
        raise LayoutError([_("Rows must go forwards, like A-H, not H-A.")])
    return list(letters[letters.index(first) : letters.index(last) + 1])


def parse_numbers(text):
    """'1-20' → range(1, 21)."""
    first, last = _split_range(text)
    if not (first.isdigit() and last.isdigit()):
        raise LayoutError([_("Booth numbers must be a range like 1-20.")])
    first, last = int(first), int(last)
    if first < 1 or last < first or last > 999:
        raise LayoutError([_("Booth numbers must go forwards from 1 to at most 999, like 1-20.")])
    return range(first, last + 1)


def parse_size(text):
    """'3x3', '3 x 3 m', '3×2' → (width, depth) in whole metres."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*[x×*]\s*(\d{1,3})\s*m?\s*", text or "", flags=re.IGNORECASE)
    if not match or int(match.group(1)) == 0 or int(match.group(2)) == 0:
        raise LayoutError([_("The booth size must be whole metres, like 3x3.")])
    return Decimal(match.group(1)), Decimal(match.group(2))


def grid_layout(*, rows, numbers, size, kind, price, aisle=2, origin_x=0, origin_y=0):
    """Booths for a grid: one line per row letter, numbered left to right, an aisle between rows.

    Codes are the row letter and the zero-padded number: B-07.
    """
    errors = []
    for parse, value in ((parse_rows, rows), (parse_numbers, numbers), (parse_size, size)):
        try:
            parse(value)
        except LayoutError as exc:
            errors.extend(exc.errors)
    if errors:
        raise LayoutError(errors)
    letters, numbers, (width, depth) = parse_rows(rows), parse_numbers(numbers), parse_size(size)
    if len(letters) * len(numbers) > MAX_GRID_BOOTHS:
        raise LayoutError([_("At most %(n)s booths at once.") % {"n": MAX_GRID_BOOTHS}])
    pad = max(2, len(str(numbers[-1])))
    booths = []
    for row_index, letter in enumerate(letters):
        for column_index, number in enumerate(numbers):
            booths.append(
                PlannedBooth(
                    code=f"{letter}-{number:0{pad}d}",
                    x=origin_x + column_index * int(width),
                    y=origin_y + row_index * (int(depth) + aisle),
                    width=width,
                    depth=depth,
                    kind=kind,
                    price=Decimal(price or 0),
                )
            )
    return booths


def _decimal(value, *, positive):
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not number.is_finite() or number < 0 or (positive and number == 0) or number >= 10**7:
        return None
    return number


def parse_booth_csv(text, hall_names):
    """Rows of a booth CSV (hall, code, kind, width, depth, price, x, y) as PlannedBooths.

    Checks every line and raises LayoutError naming each bad one by its line number, so
    the caller can write all lines or none.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    errors, booths, seen = [], [], {}
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise LayoutError([_("The file is empty.")]) from None
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise LayoutError([_("Line 1: missing columns: %(columns)s.") % {"columns": ", ".join(missing)}])
    index = {column: header.index(column) for column in CSV_COLUMNS}
    kinds = {value for value, _label in Booth.Kind.choices}
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            errors.append(_("Line %(line)s: expected %(n)s columns.") % {"line": line_number, "n": len(header)})
            continue
        cell = {column: row[i].strip() for column, i in index.items()}
        problems = []
        if cell["hall"] not in hall_names:
            problems.append(_("no hall named “%(hall)s”") % {"hall": cell["hall"]})
        code = cell["code"]
        if not code or len(code) > 20 or not re.fullmatch(r"[\w.-]+", code):
            problems.append(_("the booth code “%(code)s” is not valid") % {"code": code})
        elif code in seen:
            problems.append(_("booth %(code)s is already on line %(other)s") % {"code": code, "other": seen[code]})
        else:
            seen[code] = line_number
        kind = cell["kind"].lower() or Booth.Kind.STANDARD
        if kind not in kinds:
            problems.append(_("the type must be one of %(kinds)s") % {"kinds": ", ".join(sorted(kinds))})
        width = _decimal(cell["width"], positive=True)
        depth = _decimal(cell["depth"], positive=True)
        if width is None or depth is None:
            problems.append(_("width and depth must be numbers above 0"))
        price = _decimal(cell["price"] or "0", positive=False)
        if price is None:
            problems.append(_("the price must be a number, 0 or more"))
        if not (cell["x"].isdigit() and cell["y"].isdigit()):
            problems.append(_("x and y must be whole numbers, 0 or more"))
        if problems:
            errors.append(_("Line %(line)s: %(problems)s.") % {"line": line_number, "problems": "; ".join(problems)})
            continue
        booths.append(
            PlannedBooth(
                code=code,
                x=int(cell["x"]),
                y=int(cell["y"]),
                width=width,
                depth=depth,
                kind=kind,
                price=price,
                hall=cell["hall"],
                line=line_number,
            )
        )
    if errors:
        raise LayoutError(errors)
    if not booths:
        raise LayoutError([_("The file has no booths.")])
    return booths


def _num(value):
    """Decimal metres as short SVG numbers: 3.0 → '3', 2.5 → '2.5'."""
    text = format(Decimal(value).normalize(), "f")
    return text


def render_hall_svg(hall, booths, *, my_company_id=None, highlight="", booth_url="", page_url=""):
    """An accessible inline SVG of one hall: each booth a focusable link, coloured free /
    taken / yours. `booth_url` contains `__code__`, replaced by the booth code."""
    if not booths:
        return ""
    width = max(b.x + b.width_m for b in booths) + 1
    height = max(b.y + b.depth_m for b in booths) + 1
    free_label, taken_label, mine_label = _("free"), _("taken"), _("your booth")
    page_url = escape(page_url)
    parts = [
        f'<svg class="floorplan" viewBox="-1 -1 {_num(width + 1)} {_num(height + 1)}" role="group" '
        f'aria-label="{escape(hall.name)}" hx-target="#booth-info" xmlns="http://www.w3.org/2000/svg">'
    ]
    for booth in booths:
        application = getattr(booth, "application", None)
        company = application.company if application is not None else None
        if company is not None and company.pk == my_company_id:
            state, label = "mine", mine_label
        elif company is not None:
            state, label = "taken", taken_label
        else:
            state, label = "free", free_label
        code = escape(booth.code)
        classes = f"booth {state}" + (" highlight" if booth.code == highlight else "")
        who = f" · {escape(company.name)}" if company is not None else ""
        fragment = escape(booth_url.replace("__code__", booth.code))
        # The <title> names the link for screen readers and shows as a tooltip.
        parts.append(
            f'<a id="booth-{code}" class="{classes}" href="{page_url}?booth={code}#floorplan" hx-get="{fragment}">'
            f"<title>{code} ({label}){who}</title>"
            f'<rect x="{booth.x}" y="{booth.y}" width="{_num(booth.width_m)}" height="{_num(booth.depth_m)}"/>'
            f'<text x="{_num(booth.x + booth.width_m / 2)}" y="{_num(booth.y + booth.depth_m / 2)}" '
            f'text-anchor="middle" dominant-baseline="middle">{code}</text></a>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is escaped above
