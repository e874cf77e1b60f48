#!/usr/bin/env bash
# Extract every t/N_ string and tn/Nn_ counted string (keywords in babel.cfg) into
# amane/i18n/messages.pot and update the fr/ar catalogues (their Plural-Forms headers are kept).
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
$BABEL extract -F babel.cfg --no-wrap --sort-output --omit-header -o amane/i18n/messages.pot amane >/dev/null 2>&1
for lang in fr ar; do
  po=amane/i18n/locales/$lang/LC_MESSAGES/messages.po
  if [ -f "$po" ]; then
    $BABEL update -i amane/i18n/messages.pot -d amane/i18n/locales -D messages -l "$lang" --no-wrap --ignore-obsolete --no-fuzzy-matching >/dev/null 2>&1
  else
    $BABEL init -i amane/i18n/messages.pot -d amane/i18n/locales -D messages -l "$lang" --no-wrap >/dev/null 2>&1
  fi
done
echo "catalogues updated: $(grep -c '^msgid "' amane/i18n/messages.pot) strings ($(grep -c '^msgid_plural "' amane/i18n/messages.pot) counted)"
