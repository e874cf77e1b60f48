"""The one CSV writer for downloads (progress, quiz answers, the audit log), with no import from
the other services, so that any of them can use it.

UTF-8 with a byte order mark, so that Excel opens Arabic names correctly. Cells that a
spreadsheet would run as a formula (a name typed as "=..." for instance) are made inert.
"""

from __future__ import annotations

import csv
import io
import unicodedata

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """A cell a spreadsheet would run as a formula gets a leading quote; full-width signs (＝, ＋)
    count too, since some spreadsheets read them as the ASCII ones."""
    if isinstance(value, str) and unicodedata.normalize("NFKC", value[:1]).startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    """The one CSV writer for downloads: formula-safe cells, and a BOM so Excel reads Arabic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_inert(value) for value in header])
    writer.writerows([_inert(value) for value in row] for row in rows)
    return BOM + buffer.getvalue()
