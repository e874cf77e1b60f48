"""Tables of the anonymous class climate pulse (issue 17, item 2): filled in by migration 0006."""

from __future__ import annotations
