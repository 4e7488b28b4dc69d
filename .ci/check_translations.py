"""Fail when a ko or ja catalogue has an untranslated or fuzzy entry, or its compiled .mo is missing."""

import re
import sys
from pathlib import Path

# A Korean particle whose form depends on the sound before it (을/를, 이/가, 은/는, 와/과,
# 으로/로) cannot follow a placeholder: the value decides which form is right ("A-01를" is
# wrong). Such sentences are written around a fixed noun or as "label: value" instead.
PLACEHOLDER = r"(?:%\([a-z_]+\)[sdr]|%[sd])"
KOREAN_PARTICLE_AFTER_VALUE = re.compile(PLACEHOLDER + r"(?:을|를|이|가|은|는|와|과|으로|로)(?:\(|(?![가-힣]))")

ROOT = Path(__file__).resolve().parent.parent


def problems_in(po_path):
    entries, problems = [], []
    current = {"fuzzy": False, "msgid": None, "msgstr": None, "field": None}

    def finish():
        if current["msgid"] is not None:
            entries.append(dict(current))

    for raw in po_path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            current = {"fuzzy": False, "msgid": None, "msgstr": None, "field": None}
        elif line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            current["msgid"], current["field"] = line[6:].strip('"'), "msgid"
        elif line.startswith("msgid_plural"):
            current["field"] = "plural"
        elif line.startswith("msgstr"):
            value = line.split(" ", 1)[1].strip('"')
            if current["msgstr"] in (None, ""):
                current["msgstr"] = value
            current["field"] = "msgstr"
        elif line.startswith('"'):
            if current["field"] == "msgid":
                current["msgid"] += line.strip('"')
            elif current["field"] == "msgstr":
                current["msgstr"] = (current["msgstr"] or "") + line.strip('"')
    for entry in entries:
        if entry["msgid"] == "":
            continue
        if entry["fuzzy"]:
            problems.append(f"{po_path}: fuzzy: {entry['msgid'][:60]!r}")
        elif not entry["msgstr"]:
            problems.append(f"{po_path}: untranslated: {entry['msgid'][:60]!r}")
        elif "/ko/" in str(po_path) and KOREAN_PARTICLE_AFTER_VALUE.search(entry["msgstr"]):
            problems.append(f"{po_path}: a particle after a value: {entry['msgstr'][:70]!r}")
    if not po_path.with_suffix(".mo").exists():
        problems.append(f"{po_path.with_suffix('.mo')}: missing (run compilemessages)")
    return problems


def main():
    problems = []
    for lang in ("ko", "ja"):
        po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        if not po.exists():
            problems.append(f"{po}: missing")
            continue
        problems += problems_in(po)
    for problem in problems:
        print(problem)
    print(f"translations: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
