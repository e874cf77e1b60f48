"""How does the app hold up when a whole class (30) or several (100) sign in and work at once?

    python -m bench.load [--sessions 30 100] [--database-url URL] [--think SECONDS] [--workers 1 2]

Seeds a fresh database with the real services (one school, classes of 25 pupils in the 9-11
band with every 9-11 lesson assigned), starts one real `streamlit run app.py` server, and
drives N simultaneous pupils as real Streamlit clients over the websocket (bench/ws_client.py):
open the home page, type the class code, tap their name and their 3 pictures, land on My
lessons, open a lesson, go through its first steps (trying a scenario choice), go back, open
the quiz and answer two questions. All N sessions connect first and start together. Every
interaction is timed from the message sent until the session is idle again (follow-up runs
from st.rerun / st.switch_page included). A bare page (st.write("x")) on its own server,
timed by the same client with 1 and N sessions, is the baseline the figures are compared to.
Afterwards the database must hold lesson progress for every pupil who ran the journey.

--think adds a pause of 0.5x to 1.5x that many seconds before each interaction (a child
reading the screen); the default 0 is the worst case: everyone clicks again at once.
--database-url runs it on another database (e.g. PostgreSQL); it must be empty.
--workers 1 2 (`make bench-serve`) runs the app as `make serve` does instead (amane/serve.py: that
many app processes behind nginx rendered from deploy/nginx.conf.template), once per number given,
each on pupils of its own, and ends with a table of them side by side.
Exits 1 if any session failed its journey or the app showed an error.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select
from streamlit.proto.WidgetStates_pb2 import WidgetState

from amane import serve
from amane.models.content_loader import load_catalogue
from amane.models.db import get_engine, upgrade
from amane.models.tables import LessonProgress, QuizAnswer, QuizAttempt
from amane.services import accounts, classes
from amane.settings import PACKAGE, ROOT
from amane.testing.browser import wait_healthy
from bench.ws_client import Interaction, Outcome, Screen, SessionError, StreamlitSession, run_sessions

BAND = "9-11"
CLASS_SIZE = 25
LESSON_STEPS = 4  # Next taps in the lesson (the 4th step is a scenario: one choice is tried)
QUIZ_QUESTIONS = 2
BARE_RERUNS = 20  # reruns of the bare page with 1 session (about one journey's interactions)
BARE_RERUNS_LOADED = 10  # reruns per session of the bare page with N sessions
PASSWORD = "load bench password"
SERVER_START_TIMEOUT = 90
BARE = 'bare page st.write("x")'


@dataclass(frozen=True)
class SeededPupil:
    pupil_id: int
    pictures: tuple[str, ...]
    join_code: str
    lesson_id: str


Row = tuple[str, int, list[Outcome]]  # what, sessions, outcomes


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    others: tuple[int, ...] = ()  # the other app processes behind the same nginx

    def memory(self) -> str:
        """Resident memory of the server's app processes together (Linux), e.g. "412 MB"."""
        kilobytes = 0
        for pid in (self.pid, *self.others):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return "unknown"
            kilobytes += int(
                next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
            )
        return f"{kilobytes // 1024} MB"


# ---------------------------------------------------------------- seeding


def seed(url: str, pupils_needed: int) -> list[SeededPupil]:
    """One school, one teacher, classes of CLASS_SIZE pupils with every 9-11 lesson assigned."""
    catalogue = load_catalogue(ROOT)
    lesson_ids = [lesson.id for lesson in catalogue.lessons_for_band(BAND)]
    pupils: list[SeededPupil] = []
    with Session(get_engine(url), expire_on_commit=False) as session:
        if not accounts.needs_setup(session):
            raise SystemExit(f"{url} already holds a school: give an empty database")
        admin = accounts.create_school(session, "Load test school", "direction", "Direction", PASSWORD)
        teacher = accounts.create_staff(session, admin, "teacher", "Teacher", PASSWORD)
        for number in range(1, math.ceil(pupils_needed / CLASS_SIZE) + 1):
            school_class = classes.create_class(session, teacher, f"Class {number}", BAND, "en", catalogue)
            names = "\n".join(f"Pupil {number}-{seat:02d}" for seat in range(1, CLASS_SIZE + 1))
            result = classes.add_pupils(session, teacher, school_class.id, names)
            for added in result.added:
                lesson = lesson_ids[len(pupils) % len(lesson_ids)]
                pupils.append(SeededPupil(added.pupil.id, added.pictures, school_class.join_code, lesson))
        session.commit()
    return pupils


# ---------------------------------------------------------------- the server


@contextmanager
def streamlit_server(
    script: Path, env: dict[str, str], log_path: Path, options: list[str]
) -> Iterator[Server]:
    """`streamlit run script` on a free port, as tests/e2e/conftest.py starts it; `options` are
    extra "section.option=value" settings."""
    port = serve.free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    for option in options:
        name, _, value = option.partition("=")
        command += [f"--{name}", value]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, process, log_path, SERVER_START_TIMEOUT)
            yield Server(base, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


# ---------------------------------------------------------------- journeys


async def answer_question(session: StreamlitSession, screen: Screen) -> Screen:
    """Answer the quiz question on screen (the first option(s), or the steps in the order shown;
    right or wrong does not matter), check it, read the feedback and go on. Changing a radio or
    checkbox, and tapping a step, reruns."""
    widgets = screen.with_key_prefix("q_")
    check = next((w for w in widgets if w.key.endswith("_check")), None)
    if check is None:
        raise SessionError(f"no quiz question on the page (headings: {screen.headings})")
    steps = [w.key for w in widgets if "_step_" in w.key]
    field = next(w for w in widgets if w is not check)
    if steps:  # ordering: tap each step button in turn
        for key in steps:
            screen = await session.click(screen.by_key(key), "tap the next step")
    elif field.kind == "radio":
        state = WidgetState(id=field.id, string_value=field.proto.options[0])
        screen = await session.set_value(state, "choose an answer")
    elif field.kind == "checkbox":
        screen = await session.set_value(WidgetState(id=field.id, bool_value=True), "tick an answer")
    else:
        raise SessionError(f"a quiz widget the load test does not know: {field.kind} {field.key}")
    screen = await session.click(screen.by_key(check.key), "check my answer")
    return await session.click(screen.first_with_key_prefix("quiz_next"), "next question")


async def pupil_journey(session: StreamlitSession, pupil: SeededPupil) -> None:
    screen = await session.open_page("open the home page")
    code = screen.by_label("text_input", "Class code")
    typed = WidgetState(id=code.id, string_value=pupil.join_code)
    go = screen.form_submitter(code.proto.form_id)
    screen = await session.submit_form([typed], go, "type the class code")
    screen = await session.click(screen.by_key(f"name_{pupil.pupil_id}"), "tap my name")
    for picture in pupil.pictures:
        screen = await session.click(screen.by_key(f"pic_{picture}"), "tap a picture")
    if "My lessons" not in screen.headings:
        raise SessionError(f"did not reach My lessons after the pictures (headings: {screen.headings})")
    lesson = pupil.lesson_id
    screen = await session.click(screen.by_key(f"open_{lesson}"), "open a lesson")
    for _ in range(LESSON_STEPS):
        choices = screen.with_key_prefix(f"choice_{lesson}_")
        if choices:
            screen = await session.click(choices[0], "try a scenario choice")
        screen = await session.click(screen.first_with_key_prefix("step_next"), "next step")
    screen = await session.click(screen.by_key("back_to_list"), "back to my lessons")
    screen = await session.click(screen.by_key(f"quiz_{lesson}"), "open the quiz")
    for _ in range(QUIZ_QUESTIONS):
        screen = await answer_question(session, screen)


async def bare_reruns(session: StreamlitSession, reruns: int) -> None:
    await session.open_page("open the page")
    for _ in range(reruns):
        await session.open_page("rerun")


# ---------------------------------------------------------------- report


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def print_table(rows: list[Row], bare_p50: float) -> None:
    print(f"{'what':<26} {'sessions':>8} {'interactions':>12} {'errors':>6}", end="")
    print("".join(f" {head:>7}" for head in ("p50 ms", "p95 ms", "max ms", "p50 x", "p95 x")))
    print("-" * 92)
    for what, sessions, outcomes in rows:
        times = [1000 * i.seconds for o in outcomes for i in o.interactions] or [math.nan]
        count = sum(len(o.interactions) for o in outcomes)
        errors = sum(bool(o.failure) + len(o.app_errors) for o in outcomes)
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        print(
            f"{what:<26} {sessions:>8} {count:>12} {errors:>6}"
            f" {p50:>7.0f} {p95:>7.0f} {max(times):>7.0f}"
            f" {p50 / bare_p50:>7.1f} {p95 / bare_p50:>7.1f}"
        )
    print("p50 x, p95 x: over the p50 of the bare page with 1 session.")


def print_steps(outcomes: list[Outcome], sessions: int) -> None:
    """Where the time goes in the journey: each kind of interaction, with its script runs."""
    by_step: dict[str, list[Interaction]] = {}
    for outcome in outcomes:
        for interaction in outcome.interactions:
            by_step.setdefault(interaction.what, []).append(interaction)
    print(f"\n{sessions} pupils, per interaction:")
    print(f"{'interaction':<26} {'count':>6} {'runs':>5} {'p50 ms':>7} {'p95 ms':>7} {'share':>6}")
    total = sum(i.seconds for items in by_step.values() for i in items)
    for what, items in by_step.items():
        times = [1000 * i.seconds for i in items]
        runs = statistics.mean(i.runs for i in items)
        share = sum(i.seconds for i in items) / total
        print(
            f"{what:<26} {len(items):>6} {runs:>5.1f} {percentile(times, 0.5):>7.0f}"
            f" {percentile(times, 0.95):>7.0f} {share:>6.0%}"
        )


def print_failures(rows: list[Row]) -> None:
    for what, _, outcomes in rows:
        for number, outcome in enumerate(outcomes):
            for problem in ([outcome.failure] if outcome.failure else []) + outcome.app_errors:
                print(f"  {what}, session {number}: {problem[:300]}")


def pupils_with_progress(url: str, pupils: list[SeededPupil]) -> tuple[int, int]:
    """How many of these pupils have LessonProgress rows, and how many quiz answers they gave."""
    ids = [p.pupil_id for p in pupils]
    with Session(get_engine(url)) as session:
        with_progress = session.exec(
            select(func.count(func.distinct(LessonProgress.pupil_id))).where(LessonProgress.pupil_id.in_(ids))
        ).one()
        answers = session.exec(
            select(func.count())
            .select_from(QuizAnswer)
            .join(QuizAttempt, QuizAnswer.attempt_id == QuizAttempt.id)
            .where(QuizAttempt.pupil_id.in_(ids))
        ).one()
    return with_progress, answers


# ---------------------------------------------------------------- main


def server_env(url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "AMANE_DATABASE_URL": url,
        "AMANE_DATA_DIR": str(workdir / "data"),
        "AMANE_DEFAULT_LANGUAGE": "en",
        "AMANE_CONTENT_DIR": str(ROOT),
    }


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


async def measure(
    app_server: Server,
    bare_server: Server,
    pupils: list[SeededPupil],
    sizes: list[int],
    think: float,
    warm_urls: list[str],
) -> tuple[list[Row], dict[int, list[SeededPupil]]]:
    """Warm both servers up (one journey on each app process, by its own address), then: the bare
    page with 1 session, and for each size N the bare page with N sessions and the pupil journey
    with N sessions. `pupils`: one per warm-up address, then the sizes' pupils."""
    app, bare = app_server.url, bare_server.url
    await run_sessions(bare, bare_reruns, [BARE_RERUNS], 0)
    for url, pupil in zip(warm_urls, pupils, strict=False):
        warm = await run_sessions(url, pupil_journey, [pupil], 0)
        if warm[0].failure or warm[0].app_errors:
            raise SystemExit(f"the warm-up journey failed: {warm[0].failure or warm[0].app_errors}")
    rows: list[Row] = [(BARE, 1, await run_sessions(bare, bare_reruns, [BARE_RERUNS], 0))]
    journeys: dict[int, list[SeededPupil]] = {}
    start = len(warm_urls)
    for size in sizes:
        rows.append((BARE, size, await run_sessions(bare, bare_reruns, [BARE_RERUNS_LOADED] * size, 0)))
        journeys[size] = pupils[start : start + size]
        start += size
        print(f"{size} pupils: running (load average {load_average()})", flush=True)
        began = time.perf_counter()
        rows.append(("pupil journey", size, await run_sessions(app, pupil_journey, journeys[size], think)))
        spent = time.perf_counter() - began
        print(f"{size} pupils: done in {spent:.0f} s; app server memory {app_server.memory()}", flush=True)
    return rows, journeys


def streamlit_env(options: list[str]) -> dict[str, str]:
    """Streamlit options ("runner.postScriptGC=false") as the environment variables Streamlit
    reads (STREAMLIT_RUNNER_POST_SCRIPT_GC), for app processes started by amane/serve.py."""
    variables = {}
    for option in options:
        name, _, value = option.partition("=")
        snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.replace(".", "_"))
        variables[f"STREAMLIT_{snake.upper()}"] = value
    return variables


@contextmanager
def app_server(
    workers: int, env: dict[str, str], workdir: Path, options: list[str]
) -> Iterator[tuple[Server, list[str]]]:
    """The app as the load test drives it, and the addresses of its processes (for the warm-up):
    with `workers` 0, one `streamlit run app.py`; else `make serve`'s nginx and app processes."""
    if not workers:
        with streamlit_server(PACKAGE / "app.py", env, workdir / "app.log", options) as server:
            yield server, [server.url]
        return
    with ExitStack() as stack:
        folder = serve.nginx_folder(stack)
        listen = f"127.0.0.1:{serve.free_port()}"
        env = env | streamlit_env(options)
        running = stack.enter_context(serve.cluster(workers, listen, env, folder, logs=True))
        first, *others = (process.pid for process in running.processes[:-1])
        yield Server(running.url, first, tuple(others)), running.replicas


def label(workers: int) -> str:
    return "one server" if not workers else f"{workers} worker{'s' if workers > 1 else ''} + nginx"


def print_workers(results: dict[int, list[Row]]) -> None:
    """The configurations side by side: each size's journey p50 and p95, with the bare page's."""
    print("\nthe pupil journey with 1 and more app processes (`make serve WORKERS=n`):")
    heads = ("pupils", "errors", "p50 ms", "p95 ms", "max ms", "bare p95")
    print(f"{'app processes':<20}" + "".join(f" {head:>8}" for head in heads))
    print("-" * 74)
    for workers, rows in results.items():
        bare = {sessions: outcomes for what, sessions, outcomes in rows if what == BARE}
        for what, sessions, outcomes in rows:
            if what != "pupil journey":
                continue
            times = [1000 * i.seconds for o in outcomes for i in o.interactions] or [math.nan]
            bare_times = [1000 * i.seconds for o in bare[sessions] for i in o.interactions]
            errors = sum(bool(o.failure) + len(o.app_errors) for o in outcomes)
            print(
                f"{label(workers):<20} {sessions:>8} {errors:>8} {percentile(times, 0.5):>8.0f}"
                f" {percentile(times, 0.95):>8.0f} {max(times):>8.0f} {percentile(bare_times, 0.95):>8.0f}"
            )
    print("bare p95: the bare page (its own `streamlit run`, no nginx) with as many sessions, same run.")


def report(
    url: str, rows: list[Row], journeys: dict[int, list[SeededPupil]], workers: int, args: argparse.Namespace
) -> list[Row]:
    """Print one configuration's tables and check its pupils' progress in the database; returns
    the rows, with a failed row for pupils whose progress is missing."""
    bare_p50 = percentile([1000 * i.seconds for i in rows[0][2][0].interactions], 0.5)
    print(f"\n{label(workers)}: load average {load_average()}; think time {args.think} s; options {args.set}")
    print_table(rows, bare_p50)
    print_steps(rows[-1][2], rows[-1][1])
    print("\nthe journeys on the server (database):")
    for size, ran in journeys.items():
        with_progress, answers = pupils_with_progress(url, ran)
        print(f"  {size} pupils: {with_progress} with LessonProgress rows, {answers} quiz answers")
        if with_progress != size:
            rows.append(("missing progress", size, [Outcome([], [], "no LessonProgress")]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[30, 100])
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause before each interaction, s")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[], help="app processes behind nginx, e.g. 1 2"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a Streamlit option for both servers, e.g. runner.postScriptGC=false (to try a fix)",
    )
    args = parser.parse_args()
    # A `timeout` or Ctrl-C still stops the servers and removes the temporary folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    print(f"load average at start: {load_average()} ({os.cpu_count()} CPUs)")
    configurations = args.workers or [0]  # 0: one `streamlit run app.py`, no nginx
    results: dict[int, list[Row]] = {}
    with tempfile.TemporaryDirectory(prefix="amane-load-") as folder:
        workdir = Path(folder)
        url = args.database_url or f"sqlite:///{workdir / 'load.db'}"
        upgrade(url)
        pupils = seed(url, sum(max(workers, 1) + sum(args.sessions) for workers in configurations))
        print(f"seeded {len(pupils)} pupils in {time.perf_counter() - started:.0f} s", flush=True)
        bare_script = workdir / "bare.py"
        bare_script.write_text('import streamlit as st\n\nst.write("x")\n')
        env = server_env(url, workdir)
        with streamlit_server(bare_script, env, workdir / "bare.log", args.set) as bare:
            for workers in configurations:
                print(f"\n== {label(workers)}", flush=True)
                ours, pupils = (
                    pupils[: max(workers, 1) + sum(args.sessions)],
                    pupils[max(workers, 1) + sum(args.sessions) :],
                )
                with app_server(workers, env, workdir, args.set) as (app, warm_urls):
                    rows, journeys = asyncio.run(
                        measure(app, bare, ours, args.sessions, args.think, warm_urls)
                    )
                results[workers] = report(url, rows, journeys, workers, args)
        get_engine(url).dispose()
    if args.workers:
        print_workers(results)
    failed = [
        row for rows in results.values() for row in rows if any(o.failure or o.app_errors for o in row[2])
    ]
    if failed:
        print("\nFAILED:")
        print_failures(failed)
    print(f"whole load test: {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
