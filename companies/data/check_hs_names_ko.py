"""Check hs2022-names-ko.csv against harmonized-system.csv.

Run from the repository root: ``python companies/data/check_hs_names_ko.py``.
Exits non-zero and lists the problems when the Korean names file is not what the
app expects: a header ``hscode,name``, no byte-order mark, each code once, only
codes that exist in the HS 2022 file at the same level, no empty names, rows
sorted by code, and a name for every chapter, heading and subheading.
"""

import csv
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
HS_FILE = DATA_DIR / "harmonized-system.csv"
NAMES_FILE = DATA_DIR / "hs2022-names-ko.csv"


def find_problems():
    with HS_FILE.open(encoding="utf-8-sig", newline="") as hs_file:
        level_by_code = {row["hscode"]: row["level"] for row in csv.DictReader(hs_file)}

    raw = NAMES_FILE.read_bytes()
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("file starts with a byte-order mark")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    if not rows or rows[0] != ["hscode", "name"]:
        problems.append(f"header is {rows[0] if rows else None}, expected ['hscode', 'name']")
    body = rows[1:]

    seen = set()
    for line_number, row in enumerate(body, start=2):
        if len(row) != 2:
            problems.append(f"line {line_number}: expected 2 fields, got {len(row)}")
            continue
        code, name = row
        if level_by_code.get(code) != str(len(code)):
            problems.append(f"line {line_number}: {code} is not an HS 2022 code of level {len(code)}")
        if code in seen:
            problems.append(f"line {line_number}: {code} appears twice")
        if not name.strip():
            problems.append(f"line {line_number}: {code} has an empty name")
        seen.add(code)

    codes = [row[0] for row in body if row]
    if codes != sorted(codes):
        problems.append("rows are not sorted by code")

    missing = [code for code, level in level_by_code.items() if level in ("2", "4", "6") and code not in seen]
    if missing:
        problems.append(f"{len(missing)} required codes have no name: {' '.join(missing[:20])}")
    return problems


def main():
    problems = find_problems()
    for problem in problems:
        print(problem)
    if not problems:
        print("hs2022-names-ko.csv: OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
