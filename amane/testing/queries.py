"""Counting the SQL statements a piece of work sends, for the exact query counts the tests
assert and the benchmarks print."""

from __future__ import annotations

from sqlalchemy import Engine, event


class QueryCounter:
    """`with QueryCounter(engine) as counter: ...; counter.count` counts SQL statements sent."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.count = 0

    def _before(self, *_args, **_kwargs) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
