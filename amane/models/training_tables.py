"""Tables of the staff training course (issue 16): filled in by its migration 0004."""

from __future__ import annotations
