"""How fast is each main page of the app, beside a bare Streamlit page? How long does the course
content take to load?

    python -m bench.pages [--profile]

Content first, while this process is fresh: load_catalogue(ROOT) cold (the first load in a new
process, as when the app starts) and again, the check-content checks, and the whole
`manage.py check-content` command as a new process.

Then a SQLite school of 300 pupils (bench/common.py: 10 classes of 30 with varied progress),
and each main page of app.py through AppTest, signed in as the pupil, the teacher of class 1 or
no one. Two figures per page, each beside the bare page (AppTest of st.write("x")) measured
the same way in this run:

- open: a new AppTest session opening the page (AppTest's set-up included, as for the bare page;
  the issue's aims are set on this figure);
- rerun: the same session running the page again, as a click does (the page's own cost).

Aims from the issue: pupil pages within 1.5x the bare page, the 30-pupil class dashboard within
2.5x. A page that misses its aim (every page, with --profile) is profiled (cProfile of one open)
and where its time goes is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from amane.models.content import ScenarioStep
from amane.models.content_checks import completeness_problems
from amane.models.content_loader import Catalogue, load_catalogue
from amane.views import state
from bench.common import (
    ROOT,
    Aim,
    BarePage,
    Baseline,
    Timing,
    beside_bare,
    load_average,
    measure,
    measure_baseline,
    ms,
    open_page,
    paired,
    print_table,
    pupil_state,
    staff_state,
    title_of,
    use_database,
)
from bench.seed import School

SCHOOL_PUPILS = 300
OPENS = 9  # new sessions timed per page (the median is shown)
RERUNS = 10  # reruns timed per page
PUPIL_AIM = 1.5
DASHBOARD_AIM = 2.5


@dataclass(frozen=True)
class Page:
    audience: str  # pupil | teacher | public
    label: str
    url: str
    state: dict[str, object]
    title: str  # what the page's title must say: proof it is the page, not a redirect home
    aim: float | None = None  # x bare page (open), from the issue

    def check(self, at) -> None:
        shown = title_of(at)
        if shown != self.title:
            raise RuntimeError(f"{self.label}: expected the title {self.title!r}, got {shown!r}")


@dataclass
class Result:
    page: Page
    open: Timing
    rerun: Timing
    bare_open: Timing  # the bare page, timed in turn with this page
    bare_rerun: Timing
    profile: list[str] = field(default_factory=list)

    @property
    def open_ratio(self) -> float:
        return self.open.median / self.bare_open.median

    @property
    def rerun_ratio(self) -> float:
        return self.rerun.median / self.bare_rerun.median


# ---------------------------------------------------------------- content


def content_times() -> list[tuple[str, str]]:
    start = time.perf_counter()
    catalogue = load_catalogue(ROOT)
    cold = 1000 * (time.perf_counter() - start)
    again = measure(lambda: load_catalogue(ROOT), repeat=5, budget_s=5, warm=0)
    checks = measure(lambda: completeness_problems(catalogue), repeat=10, budget_s=2)

    def command() -> None:
        subprocess.run(
            [sys.executable, "-m", "amane.cli", "check-content"], cwd=ROOT, check=True, capture_output=True
        )

    whole = measure(command, repeat=3, budget_s=5, warm=0)
    size = (
        f"{len(catalogue.lessons)} lessons, {len(catalogue.quizzes)} quizzes, {len(catalogue.guides)} guides"
    )
    return [
        (f"load_catalogue(ROOT), cold: first load in a new process ({size})", ms(cold)),
        ("load_catalogue(ROOT) again, same process (median)", ms(again.median)),
        ("check-content checks: completeness_problems(catalogue) (median)", ms(checks.median)),
        ("`manage.py check-content`, new process, imports included (median)", ms(whole.median)),
    ]


# ---------------------------------------------------------------- pages


def pages(school: School, catalogue: Catalogue) -> list[Page]:
    pupil = pupil_state(school.pupil)
    teacher = {**staff_state(school.teacher.username), state.CLASS: 1}
    lesson = school.lessons[0]
    scenario = next(i for i, step in enumerate(lesson.steps) if isinstance(step, ScenarioStep))
    step = {**pupil, state.LESSON: {"id": lesson.id, "mode": "lesson"}, f"step_{lesson.id}": scenario}
    quiz = {**pupil, state.LESSON: {"id": lesson.id, "mode": "quiz"}}
    title = lesson.title.get("en")
    return [
        Page("pupil", "home: sign in with class code", "start", {}, "Welcome to Amane", PUPIL_AIM),
        Page("pupil", "My lessons", "lessons", pupil, "My lessons", PUPIL_AIM),
        Page("pupil", "lesson step (a scenario)", "lessons", step, title, PUPIL_AIM),
        Page("pupil", "quiz", "lessons", quiz, f"Quiz: {title}", PUPIL_AIM),
        Page("pupil", "My badges", "badges", pupil, "My badges", PUPIL_AIM),
        Page("pupil", "Talk to my teacher (help request)", "talk", pupil, "Talk to my teacher", PUPIL_AIM),
        Page("teacher", "My classes", "classes", teacher, "My classes"),
        Page(
            "teacher", "class dashboard (30 pupils)", "dashboard", teacher, "Class dashboard", DASHBOARD_AIM
        ),
        Page("teacher", "class progress", "progress", teacher, "Class progress"),
        Page("teacher", "pupil detail", "pupil", {**teacher, state.PUPIL_DETAIL: 1}, "Pupil 1"),
        Page("teacher", "help requests inbox", "requests", teacher, "Help requests"),
        Page("public", "Get help", "help", {}, "Get help"),
        Page("public", "For parents", "parents", {}, "For parents"),
    ]


def measure_page(page: Page, bare: BarePage) -> Result:
    def open_once():
        at = open_page(page.url, page.state)
        page.check(at)
        return at

    bare_open, opened = paired(bare.open, open_once, repeat=OPENS, budget_s=6)
    session = open_once()

    def rerun() -> None:
        session.run()
        if session.exception:
            raise RuntimeError(f"{page.label}: {session.exception[0].message}")
        page.check(session)

    bare_rerun, rerun_timing = paired(bare.rerun, rerun, repeat=RERUNS, budget_s=3)
    return Result(page, opened, rerun_timing, bare_open, bare_rerun)


def where_time_goes(action: Callable[[], object], top: int = 8) -> list[str]:
    """One profiled run of the script thread AppTest starts (the page itself, without AppTest's
    set-up in this thread): self time per package, and our functions that take the most time.
    cProfile inflates code made of many small calls (plotly's validators, for one)."""
    profiler = cProfile.Profile()

    def start_profiling(*_args) -> None:  # runs first thing in each new thread
        sys.setprofile(None)
        if threading.current_thread().name == "ScriptRunner.scriptThread":
            profiler.enable()

    threading.setprofile(start_profiling)
    start = time.perf_counter()
    try:
        action()
    finally:
        threading.setprofile(None)
    wall = 1000 * (time.perf_counter() - start)
    stats = pstats.Stats(profiler).stats  # {(file, line, name): (calls, calls, self, cumulative, ...)}
    total = sum(entry[2] for entry in stats.values())
    per_package: dict[str, float] = defaultdict(float)
    ours: list[tuple[float, str]] = []
    for (file, line, name), (_, _, own, cumulative, _) in stats.items():
        per_package[_package(file)] += own
        path = Path(file)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts and path.parts[len(ROOT.parts)] != "bench":
            ours.append((cumulative, f"{path.relative_to(ROOT)}:{line} {name}"))
    shares = sorted(per_package.items(), key=lambda item: -item[1])[:top]
    lines = [
        f"    the page's script thread: {1000 * total:.0f} ms of this {wall:.0f} ms open (profiled; the rest"
        " is AppTest's session set-up, as for the bare page)",
        "    its self time by package: "
        + ", ".join(f"{package} {100 * own / total:.0f}%" for package, own in shares),
    ]
    lines.append("    our code, cumulative ms:")
    seen = set()
    for cumulative, where in sorted(ours, reverse=True):
        if where not in seen and len(seen) < top:
            seen.add(where)
            lines.append(f"      {1000 * cumulative:7.1f}  {where}")
    return lines


def _package(file: str) -> str:
    if file.startswith("~") or file.startswith("<"):
        return "python builtins"
    path = Path(file)
    if "site-packages" in path.parts:
        parts = path.parts[path.parts.index("site-packages") + 1 :]
        if parts[:2] == ("streamlit", "testing"):
            return "streamlit.testing (AppTest)"
        return parts[0].removesuffix(".py")
    if path.is_relative_to(ROOT):
        return "amane " + path.relative_to(ROOT).parts[0].removesuffix(".py")
    return "python stdlib"


def report_pages(baseline: Baseline, results: list[Result]) -> None:
    rows = []
    for result in results:
        aim = None if result.page.aim is None else Aim(result.page.aim)
        opened = beside_bare(result.open.median, result.bare_open.median, aim)
        rerun = beside_bare(result.rerun.median, result.bare_rerun.median)[:2]
        rows.append([f"{result.page.audience}: {result.page.label}", *opened, *rerun])
    bare = 'bare page: AppTest of st.write("x")'
    print_table(
        f"Pages of app.py through AppTest (SQLite school of {SCHOOL_PUPILS} pupils; medians)",
        ["page", "open ms", "x bare", "aim", "rerun ms", "x bare"],
        [[bare, ms(baseline.open.median), "1.00", "", ms(baseline.rerun.median), "1.00"], *rows],
        "open: a new AppTest session opening the page; rerun: the same session running it again (a\n"
        "click). x bare: over the bare page timed in turn with that page (the machine's load weighs on\n"
        "both alike).",
    )
    for result in results:
        if result.profile:
            print(f"\n  {result.page.label}: one open, profiled (the page's script thread):")
            print("\n".join(result.profile))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile", action="store_true", help="profile every page, not only those missing aims"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    print(load_average())
    content = content_times()  # first, while no catalogue has been loaded in this process
    print_table("Course content", ["what", "ms"], content)
    catalogue = load_catalogue(ROOT)
    with tempfile.TemporaryDirectory(prefix="amane-bench-pages-") as folder:
        workdir = Path(folder)
        url = f"sqlite:///{workdir / 'school.db'}"
        school = School(url, catalogue)
        school.create()
        school.grow_to(SCHOOL_PUPILS)
        use_database(url, workdir / "data")
        bare = BarePage(workdir)
        baseline = measure_baseline(bare)
        results = [measure_page(page, bare) for page in pages(school, catalogue)]
        for result in results:
            missed = result.page.aim is not None and result.open_ratio > result.page.aim
            if missed or args.profile:
                result.profile = where_time_goes(lambda r=result: open_page(r.page.url, r.page.state))
        report_pages(baseline, results)
        school.engine.dispose()
    print(f"\n{load_average()}; pages bench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
