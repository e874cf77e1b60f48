"""What the benchmarks share: timing, query counting, the bare-page baseline, plain-text tables,
and AppTest sessions of app.py (the seeded school is in bench/seed.py).

Pages are compared with a bare Streamlit page measured in the same run, so the figures compare
across machines (and across the moods of a shared, noisy one).
"""

from __future__ import annotations

import gc
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from amane.services.permissions import PupilActor
from amane.settings import ROOT, get_settings
from amane.testing.apptest import goto, new_app
from amane.testing.queries import QueryCounter
from amane.views import state
from amane.views.auth import STAFF_TOKEN

# ---------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    median: float  # ms
    fastest: float  # ms
    runs: int


@contextmanager
def gc_paused() -> Iterator[None]:
    """Like timeit: no garbage collection while timing, so a collection (whose moment follows
    the allocations, hence the same place in every round) does not land on one action only."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def measure(
    action: Callable[[], object], repeat: int = 15, budget_s: float = 2.0, warm: int = 1, least: int = 3
) -> Timing:
    """Median and fastest of up to `repeat` timed runs (at least `least`, fewer than `repeat` once
    `budget_s` is spent), after `warm` untimed runs (caches, connection pool)."""
    for _ in range(warm):
        action()
    times: list[float] = []
    spent = 0.0
    with gc_paused():
        while len(times) < repeat and (len(times) < least or spent < budget_s):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
            spent += times[-1]
    return Timing(1000 * statistics.median(times), 1000 * min(times), len(times))


def paired(
    first: Callable[[], object], second: Callable[[], object], repeat: int, budget_s: float
) -> tuple[Timing, Timing]:
    """Both actions timed in turn (first, second, first, ...) after a warm-up run of each, so a
    machine that slows down or speeds up meanwhile weighs on both alike."""
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    spent = 0.0
    with gc_paused():
        while len(times[1]) < repeat and (len(times[1]) < 3 or spent < budget_s):
            for action, bucket in zip((first, second), times, strict=True):
                start = time.perf_counter()
                action()
                bucket.append(time.perf_counter() - start)
                spent += bucket[-1]
    a, b = (Timing(1000 * statistics.median(t), 1000 * min(t), len(t)) for t in times)
    return a, b


def count_queries(engine: Engine, action: Callable[[], object]) -> int:
    with QueryCounter(engine) as counter:
        action()
    return counter.count


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def growth(base_ms: float, ms: float, base_size: int, size: int) -> str:
    """How time grew against the data: "x T for x D data, exponent e" where e = log T / log D
    (0: constant, 1: proportional to the data, above 1: faster than the data)."""
    time_ratio, data_ratio = ms / base_ms, size / base_size
    exponent = math.log(max(time_ratio, 1e-9)) / math.log(data_ratio)
    return f"x{time_ratio:.2f} for x{data_ratio:,.0f} (e={exponent:+.2f})"


# ---------------------------------------------------------------- tables


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]], note: str = "") -> None:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]

    def line(row: Sequence[str]) -> str:
        first, *rest = row
        return "  ".join(
            [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    print()
    print(title)
    print(line([str(h) for h in header]))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in cells:
        print(line(row))
    if note:
        print(note)
    sys.stdout.flush()


def ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


@dataclass(frozen=True)
class Aim:
    """An issue's aim for a figure: at most `limit` times the bare page's (unit "x"), or at most
    `limit` in the figure's own unit (e.g. "ms", "MiB")."""

    limit: float
    unit: str = "x"

    def met(self, value: float, ratio: float) -> bool:
        return (ratio if self.unit == "x" else value) <= self.limit

    def __str__(self) -> str:
        return f"≤{self.limit:g}x" if self.unit == "x" else f"≤{self.limit:g} {self.unit}"


def beside_bare(value: float, bare: float, aim: Aim | None = None) -> list[str]:
    """A figure's table cells beside the bare page's: its value, the ratio, and its aim with "ok"
    or "MISSED" (empty without an aim)."""
    ratio = value / bare
    verdict = "" if aim is None else f"{aim} {'ok' if aim.met(value, ratio) else 'MISSED'}"
    return [ms(value), f"{ratio:.2f}", verdict]


# ---------------------------------------------------------------- the bare page and app.py


BARE_SCRIPT = 'import streamlit as st\n\nst.write("x")\n'


class BarePage:
    """The baseline: a bare Streamlit page (AppTest of st.write("x")), measured the two ways the
    app's pages are: opened in a new AppTest session (AppTest's own set-up included), and run
    again in the same session (a click)."""

    def __init__(self, folder: Path):
        self.script = folder / "bare_page.py"
        self.script.write_text(BARE_SCRIPT)
        self.session = self.open()
        # AppTest runs log warnings on every run ("missing ScriptRunContext", deprecations). The
        # first run set the log level from Streamlit's config; now quieten them for readable tables.
        set_log_level("error")

    def open(self) -> AppTest:
        return AppTest.from_file(str(self.script), default_timeout=60).run()

    def rerun(self) -> None:
        self.session.run()


@dataclass(frozen=True)
class Baseline:
    open: Timing
    rerun: Timing


def measure_baseline(bare: BarePage, repeat: int = 15) -> Baseline:
    return Baseline(
        measure(bare.open, repeat=repeat, budget_s=10, warm=2),
        measure(bare.rerun, repeat=repeat * 2, budget_s=5, warm=2),
    )


def use_database(url: str, data_dir: Path) -> None:
    """Point the app's settings (read by app.py under AppTest) at this database."""
    os.environ.update(
        AMANE_DATABASE_URL=url,
        AMANE_DATA_DIR=str(data_dir),
        AMANE_CONTENT_DIR=str(ROOT),
        AMANE_DEFAULT_LANGUAGE="en",
    )
    get_settings.cache_clear()


def staff_state(username: str) -> dict[str, object]:
    """Session state of a signed-in staff member, as the sign-in form leaves it: the token of a
    session started on the server, which app.py resumes on every run."""
    from sqlmodel import select

    from amane.models.db import get_engine, session_scope
    from amane.models.tables import StaffUser
    from amane.services import staff_sessions

    with session_scope(get_engine(get_settings().database_url)) as session:
        staff_id = session.exec(select(StaffUser.id).where(StaffUser.username == username)).one()
        return {STAFF_TOKEN: staff_sessions.start(session, staff_id)}


def pupil_state(actor: PupilActor) -> dict[str, object]:
    return {state.PUPIL: actor}


def open_page(url: str, state: dict[str, object]) -> AppTest:
    """A new AppTest session of app.py with this session state, on the page at `url`."""
    at = new_app()
    for key, value in state.items():
        at.session_state[key] = value
    goto(at, url)
    if at.exception:
        raise RuntimeError(f"{url}: {at.exception[0].message}")
    return at


def title_of(at: AppTest) -> str:
    return at.title[0].value if at.title else ""
