"""exhibition-data/1 and /2: validate, plan, import and export exhibitions, companies,
participations and meetings, and (version 2) meeting hours and tables, the interpreter pool
and wishes (contract in shared/formats/README.md). Import reads both versions; export
writes version 2.

The flow is the same for the command line and the staff pages:

- `parse_exhibition_data(raw)` turns bytes into JSON (or a problem),
- `plan_import(data, by=...)` validates the whole file (JSON Schema, then checks against the
  database; with a `by` who is staff, not an admin, records of exhibitions another
  cooperative runs are problems) and, when it is valid, works out what would change,
  without writing anything,
- `import_exhibition_data(data=..., by=...)` does the same inside one transaction and applies
  the plan: all or nothing,
- `export_exhibition_data(exhibition=..., cooperative=...)` writes the same format, in a
  stable order (one exhibition, one cooperative's, or everything).

Rules of the format as implemented here:
- companies are matched on `ref`, exhibitions on `slug`; a participation on (exhibition,
  company); a meeting on (exhibition, buyer, exhibitor, starts_at), the n-th such meeting of
  the file matching the n-th (oldest first) of the database; an interpreter on (exhibition,
  ref); a wish on (exhibition, buyer, exhibitor, by); an exhibition's `meetings` block is
  one record (its hours, breaks, slot length and tables);
- a field present in a record is set to exactly that value (a text object such as `name`
  as a whole: languages left out are emptied); a field left out is left as it is;
- values are compared as the export would write them, so re-importing an export changes
  nothing, and a record whose values are already there is counted as unchanged.
"""

from .apply import import_exhibition_data
from .export import (
    company_record,
    dump_exhibition_data,
    exhibition_record,
    export_exhibition_data,
    meeting_record,
)
from .plan import Change, ImportPlan, plan_import
from .schema import (
    FORMAT,
    KINDS,
    SCHEMA_PATH,
    ImportRejected,
    Problem,
    _schema_problems,
    exhibition_data_schema,
    json_path,
    parse_exhibition_data,
)
from .validate import validate_exhibition_data

__all__ = [
    "FORMAT",
    "KINDS",
    "SCHEMA_PATH",
    "Change",
    "ImportPlan",
    "ImportRejected",
    "Problem",
    "_schema_problems",
    "company_record",
    "dump_exhibition_data",
    "exhibition_data_schema",
    "exhibition_record",
    "export_exhibition_data",
    "import_exhibition_data",
    "json_path",
    "meeting_record",
    "parse_exhibition_data",
    "plan_import",
    "validate_exhibition_data",
]
