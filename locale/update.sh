#!/usr/bin/env bash
# Refresh the ko and ja catalogues: collect every translatable string of the project, fill
# in translations kept in locale/compendium/*.po, and compile. Needs GNU gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
$py manage.py makemessages -l ko -l ja --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*" \
  --ignore "tests/*" --ignore "bench/*" --ignore "docs/*" --ignore "test-artifacts/*"
for lang in ko ja; do
  po=locale/$lang/LC_MESSAGES/django.po
  compendia=(locale/compendium/*."$lang".po)
  # ko and ja have one plural form; makemessages leaves an empty msgstr[1] that would stop
  # msgmerge from taking the compendium's plural entries.
  sed -i '/^msgstr\[1\] ""$/d' "$po"
  # The compendia are the one source of translations: start from empty strings, so that a
  # stale or guessed (fuzzy) translation never survives a change in the compendium.
  msgattrib --clear-fuzzy --no-wrap -o "$po" "$po"
  msgfilter --keep-header --no-wrap -i "$po" -o "$po" sed -e d
  if [ -e "${compendia[0]}" ]; then
    args=()
    for c in "${compendia[@]}"; do args+=(--compendium="$c"); done
    msgmerge --quiet --no-fuzzy-matching --no-wrap "${args[@]}" -o "$po.new" "$po" "$po"
    mv "$po.new" "$po"
  fi
done
$py manage.py compilemessages -l ko -l ja --ignore ".venv/*"
msgfmt --statistics -o /dev/null locale/ko/LC_MESSAGES/django.po
msgfmt --statistics -o /dev/null locale/ja/LC_MESSAGES/django.po
