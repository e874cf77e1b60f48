#!/usr/bin/env bash
# Extract every t("...") and N_("...") string into i18n/messages.pot and update the fr/ar catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
$BABEL extract -F babel.cfg -k t -k N_ --no-wrap --sort-output --omit-header -o i18n/messages.pot . >/dev/null 2>&1
for lang in fr ar; do
  po=i18n/locales/$lang/LC_MESSAGES/messages.po
  if [ -f "$po" ]; then
    $BABEL update -i i18n/messages.pot -d i18n/locales -D messages -l "$lang" --no-wrap --ignore-obsolete --no-fuzzy-matching >/dev/null 2>&1
  else
    $BABEL init -i i18n/messages.pot -d i18n/locales -D messages -l "$lang" --no-wrap >/dev/null 2>&1
  fi
done
echo "catalogues updated: $(grep -c '^msgid "' i18n/messages.pot) strings"
