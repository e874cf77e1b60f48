"""Does the app stay fast as the school grows, on SQLite and on PostgreSQL?

    python -m bench.dashboard [--database-url postgresql+psycopg://user@host:port/db]

Seeds one school per size, 30, 300, 3,000 and 30,000 pupils (bench/common.py: classes of 30
pupils of the 9-11 band, varied progress, scenario choices, quiz attempts and help requests,
with bulk inserts), in temporary SQLite files and, given --database-url, in new databases
beside that PostgreSQL one (created and dropped here: give a throwaway server). Then it times
and counts the SQL statements of:

- the teacher's views of class 1, the same 30 pupils at every size: the class dashboard, its
  difficult questions, a pupil's page, the progress table, and the dashboard page of app.py;
- the school-wide views of the admin: every class, the help inbox, the count of new requests
  (shown on every staff page), the staff list, the sign-in credentials (every staff account,
  read by the sign-in form), and the admin's classes, help requests, teachers and dashboard
  pages of app.py.

Each view is timed at the four sizes in turn (30, 300, 3,000, 30,000, 30, 300, ...), so the
machine's load weighs on every size alike. Pages run through AppTest, signed in, timed as a
rerun of the same session (a click). The growth column compares 30,000 pupils with 30: x time
for x data, and the exponent e = log(time ratio) / log(data ratio): 0 flat, 1 proportional.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from amane.models.content_loader import Catalogue, load_catalogue
from amane.services import accounts, classes, dashboard, help_requests, lesson_status, pupil_report
from amane.views import state
from bench.common import (
    ROOT,
    BarePage,
    QueryCounter,
    Timing,
    count_queries,
    gc_paused,
    growth,
    load_average,
    measure_baseline,
    ms,
    open_page,
    print_table,
    staff_state,
    title_of,
    use_database,
)
from bench.seed import School

SIZES = (30, 300, 3_000, 30_000)
SLOW_PAGE_MS = 2_000  # a page whose first run takes longer is timed on one rerun only

Call = Callable[[Session, School, Catalogue], object]


@dataclass(frozen=True)
class View:
    scope: str  # class: class 1's 30 pupils | school: the whole school
    name: str
    call: Call | None = None  # a service call
    page: tuple[str, str, str] | None = None  # url, who (teacher | admin), the page's title


def _difficult(session: Session, school: School, catalogue: Catalogue) -> object:
    return dashboard.difficult_questions(session, school.teacher, 1, school.lessons[0].id, catalogue)


VIEWS = (
    View("class", "class_dashboard", lambda s, school, c: dashboard.class_dashboard(s, school.teacher, 1, c)),
    View("class", "difficult_questions", _difficult),
    View("class", "pupil_report", lambda s, school, c: pupil_report.pupil_report(s, school.teacher, 1, c)),
    View("class", "class_grid", lambda s, school, c: lesson_status.class_grid(s, school.teacher, 1, c)),
    View("class", "dashboard page (teacher)", page=("dashboard", "teacher", "Class dashboard")),
    View("school", "list_classes (admin)", lambda s, school, _: classes.list_classes(s, school.admin, True)),
    View("school", "help inbox (admin)", lambda s, school, _: help_requests.inbox(s, school.admin)),
    View("school", "new_count (admin, every page)", lambda s, sc, _: help_requests.new_count(s, sc.admin)),
    View("school", "list_staff (admin)", lambda s, school, _: accounts.list_staff(s, school.admin)),
    View("school", "classes page (admin)", page=("classes", "admin", "My classes")),
    View("school", "help requests page (admin)", page=("requests", "admin", "Help requests")),
    View("school", "teachers page (admin)", page=("teachers", "admin", "Teachers")),
    View("school", "dashboard page (admin)", page=("dashboard", "admin", "Class dashboard")),
)  # fmt: skip


@dataclass(frozen=True)
class Measured:
    queries: int
    timing: Timing


def in_turn(actions: dict[int, Callable[[], object]], repeat: int, budget_s: float) -> dict[int, Timing]:
    """Each action timed in turn, round after round (at least 3, up to `repeat` or the budget)."""
    times: dict[int, list[float]] = {key: [] for key in actions}
    spent, rounds = 0.0, 0
    with gc_paused():
        while rounds < repeat and (rounds < 3 or spent < budget_s):
            for key, action in actions.items():
                start = time.perf_counter()
                action()
                times[key].append(time.perf_counter() - start)
                spent += times[key][-1]
            rounds += 1
    return {key: Timing(1000 * statistics.median(t), 1000 * min(t), len(t)) for key, t in times.items()}


def measure_call(view: View, schools: dict[int, School], catalogue: Catalogue) -> dict[int, Measured]:
    def action(school: School) -> Callable[[], object]:
        def run() -> object:
            with Session(school.engine) as session:  # a new session each time, as a page run has
                return view.call(session, school, catalogue)

        return run

    actions = {size: action(school) for size, school in schools.items()}
    queries = {size: count_queries(schools[size].engine, run) for size, run in actions.items()}
    timings = in_turn(actions, repeat=15, budget_s=3)
    return {size: Measured(queries[size], timings[size]) for size in schools}


def measure_page(view: View, schools: dict[int, School], workdir: Path) -> dict[int, Measured]:
    """Reruns of a signed-in session per size, in turn; one rerun for a page slower than
    SLOW_PAGE_MS (its first run)."""
    url, who, title = view.page
    results: dict[int, Measured] = {}
    reruns: dict[int, Callable[[], object]] = {}
    for size, school in schools.items():
        session_state = {**staff_state(getattr(school, who).username), state.CLASS: 1}
        use_database(school.url, workdir / "data")
        if school.url not in _warmed or url not in _warmed:
            open_page(url, session_state)  # a first run imports the page's modules, checks migrations, ...
            _warmed.update({school.url, url})
        start = time.perf_counter()
        rerun = _rerun(open_page(url, session_state), school.url, workdir, title)
        if time.perf_counter() - start > SLOW_PAGE_MS / 1000:
            with QueryCounter(school.engine) as counter:
                start = time.perf_counter()
                rerun()
                took = 1000 * (time.perf_counter() - start)
            results[size] = Measured(counter.count, Timing(took, took, 1))
        else:
            reruns[size] = rerun
    queries = {size: count_queries(schools[size].engine, rerun) for size, rerun in reruns.items()}
    for size, timing in in_turn(reruns, repeat=7, budget_s=4).items():
        results[size] = Measured(queries[size], timing)
    return results


_warmed: set[str] = set()  # databases and pages run once already


def _rerun(at, database_url: str, workdir: Path, title: str) -> Callable[[], None]:
    def rerun() -> None:
        use_database(database_url, workdir / "data")
        at.run()
        if at.exception or title_of(at) != title:
            raise RuntimeError(f"{title}: {at.exception or title_of(at)}")

    return rerun


def seed(label: str, urls: dict[int, str], catalogue: Catalogue) -> dict[int, School]:
    schools = {}
    for size, url in urls.items():
        start = time.perf_counter()
        school = School(url, catalogue)
        school.create()
        school.grow_to(size)
        print(
            f"{label}: {size:>6,} pupils, {sum(school.counts.values()):>9,} rows "
            f"({school.counts['quiz_answer']:,} quiz answers), seeded in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        schools[size] = school
    return schools


def bench_database(label: str, urls: dict[int, str], catalogue: Catalogue, workdir: Path) -> None:
    schools = seed(label, urls, catalogue)
    results = {
        view.name: (
            measure_page(view, schools, workdir) if view.page else measure_call(view, schools, catalogue)
        )
        for view in VIEWS
    }
    report(label, results)
    for school in schools.values():
        school.engine.dispose()


def report(label: str, results: dict[str, dict[int, Measured]]) -> None:
    first, last = SIZES[0], SIZES[-1]
    scopes = {view.name: view.scope for view in VIEWS}
    rows = []
    for name, by_size in results.items():
        counts = {by_size[size].queries for size in SIZES}
        queries = str(counts.pop()) if len(counts) == 1 else "/".join(str(by_size[s].queries) for s in SIZES)
        cells = [
            ms(by_size[size].timing.median) + ("*" if by_size[size].timing.runs == 1 else "")
            for size in SIZES
        ]
        low, high = by_size[first].timing.median, by_size[last].timing.median
        rows.append([f"{scopes[name]}: {name}", queries, *cells, growth(low, high, first, last)])
    print_table(
        f"{label}: median ms by school size (class: class 1's 30 pupils; school: the whole school)",
        ["view", "queries", *(f"{size:,}" for size in SIZES), f"growth {first:,} -> {last:,} pupils"],
        rows,
        "queries: SQL statements in one call or page run (one figure when the same at every size).\n"
        f"*: a page slower than {SLOW_PAGE_MS / 1000:.0f} s: one rerun timed.",
    )  # fmt: skip


class PostgresDatabases:
    """One new database per size beside the given one, dropped at the end."""

    def __init__(self, url: str):
        self.base = make_url(url)
        self.names = {size: f"{self.base.database}_bench_{size}" for size in SIZES}

    def __enter__(self) -> dict[int, str]:
        self._run([f'DROP DATABASE IF EXISTS "{n}"' for n in self.names.values()])
        self._run([f'CREATE DATABASE "{n}"' for n in self.names.values()])
        return {
            size: self.base.set(database=name).render_as_string(hide_password=False)
            for size, name in self.names.items()
        }

    def __exit__(self, *_exc) -> None:
        self._run([f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in self.names.values()])

    def _run(self, statements: list[str]) -> None:
        engine = create_engine(self.base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a throwaway PostgreSQL server's database to bench as well")
    args = parser.parse_args()
    started = time.perf_counter()
    print(load_average(), flush=True)
    catalogue = load_catalogue(ROOT)
    with tempfile.TemporaryDirectory(prefix="amane-bench-scale-") as folder:
        workdir = Path(folder)
        baseline = measure_baseline(BarePage(workdir))
        print(
            f'bare page (AppTest of st.write("x")): open {ms(baseline.open.median)} ms, '
            f"rerun {ms(baseline.rerun.median)} ms",
            flush=True,
        )
        sqlite = {size: f"sqlite:///{workdir / f'school-{size}.db'}" for size in SIZES}
        bench_database("SQLite", sqlite, catalogue, workdir)
        if args.database_url:
            with PostgresDatabases(args.database_url) as postgres:
                bench_database("PostgreSQL", postgres, catalogue, workdir)
    print(f"\n{load_average()}; growth bench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
