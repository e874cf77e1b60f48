"""Tables of the before-and-after check (issue 17, item 1): filled in by migration 0005."""

from __future__ import annotations
