"""Reading a file: JSON, the JSON Schema of its version, and problems named by JSON path."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

FORMAT_1 = "exhibition-data/1"
FORMAT_2 = "exhibition-data/2"
FORMAT = FORMAT_2  # what the export writes
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_PATH = SCHEMAS / "exhibition-data.schema.json"
SCHEMA_2_PATH = SCHEMAS / "exhibition-data-2.schema.json"
LANGS = ("en", "ko", "ja")
SECTIONS = ("format", "exhibitions", "companies", "participations", "meetings", "interpreters", "wishes")
KINDS_1 = ("exhibition", "company", "participation", "meeting")
# Version 2 adds the meeting hours (a block of each exhibition), interpreters and wishes.
KINDS = (*KINDS_1, "meeting_hours", "interpreter", "wish")


def version_of(data):
    """1 for an exhibition-data/1 file, else 2 (a file of an unknown format is checked against
    the newest schema, which names the formats it knows)."""
    return 1 if isinstance(data, dict) and data.get("format") == FORMAT_1 else 2


@cache
def exhibition_data_schema(version=1):
    path = SCHEMA_PATH if version == 1 else SCHEMA_2_PATH
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _schema_validator(version):
    schema = exhibition_data_schema(version)
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
    version = version_of(data)
    problems = _nul_problems(data, ())
    hs_code_schema = exhibition_data_schema(version)["$defs"]["hs_code"]
    for error in _schema_validator(version).iter_errors(data):
        parts = tuple(error.absolute_path)
        if error.validator == "pattern" and error.schema == hs_code_schema:
            message = _("%(value)r is not a HS code") % {"value": error.instance}
        else:
            message = error.message
        problems.append(Problem(parts, message))
    return problems


def _nul_problems(value, parts):
    """A NUL character (\\u0000) in any string: PostgreSQL cannot store one, so it is refused
    here, with its path, rather than failing the import half-way."""
    if isinstance(value, str):
        return (
            [Problem(parts, _("contains a NUL character (\\u0000), which cannot be stored"))] if "\x00" in value else []
        )
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    problems = []
    for key, item in items:
        problems += _nul_problems(item, (*parts, key))
    return problems
