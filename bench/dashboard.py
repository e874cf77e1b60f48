"""How fast is the class dashboard, and does it stay fast as the school grows?

    python bench/dashboard.py

Seeds three SQLite schools (30, 300 and 3,000 pupils in classes of 30, with varied progress,
scenario choices, quiz attempts and help requests on the real 9-11 lessons) with bulk inserts,
then times, for the same 30-pupil class in each school: class_dashboard, difficult_questions,
pupil_report, and the whole dashboard page through AppTest. Every figure is also given as a
ratio to a baseline measured in the same run: AppTest running a one-line script
(st.write("x")), so the numbers compare across machines.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert  # noqa: E402
from sqlmodel import Session  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from models.content import MultipleChoice, Ordering, ScenarioStep, SingleChoice, TrueFalse  # noqa: E402
from models.content_loader import Catalogue, load_catalogue  # noqa: E402
from models.db import get_engine, upgrade  # noqa: E402
from models.tables import (  # noqa: E402
    Assignment,
    HelpRequest,
    LessonProgress,
    Pupil,
    QuizAnswer,
    QuizAttempt,
    ScenarioChoice,
    School,
    SchoolClass,
    StaffUser,
    utcnow,
)
from services import dashboard, pupil_report  # noqa: E402
from services.permissions import StaffActor  # noqa: E402
from settings import get_settings  # noqa: E402

SCHOOL_SIZES = (30, 300, 3_000)
CLASS_SIZE = 30  # at most 60 (MAX_PUPILS_PER_CLASS)
CLASSES_PER_TEACHER = 4
BAND = "9-11"
REPEAT = 25  # timed runs of each service call (the median is shown)
PAGE_REPEAT = 5  # timed AppTest runs of each page
DUMMY_HASH = "bench-not-a-real-picture-hash"
SEED = 20240501
Row = tuple[str, int, str, float, float]  # what, class size, queries, median ms, fastest ms


# ---------------------------------------------------------------- seeding


def _answer(question, right: bool, rng: random.Random) -> list:
    if isinstance(question, SingleChoice):
        options = [o.id for o in question.options if o.correct == right]
        return [rng.choice(options)]
    if isinstance(question, MultipleChoice):
        good = [o.id for o in question.options if o.correct]
        bad = [o.id for o in question.options if not o.correct]
        return good if right else good[:-1] + [rng.choice(bad)]
    if isinstance(question, TrueFalse):
        return [question.answer if right else not question.answer]
    assert isinstance(question, Ordering)
    order = list(range(len(question.items)))
    return order if right else order[::-1]


def seed_school(url: str, pupils_total: int, catalogue: Catalogue, rng: random.Random) -> dict[str, object]:
    """One school with `pupils_total` pupils; returns the measured class and its teacher."""
    lessons = catalogue.lessons_for_band(BAND)
    now = utcnow()
    rows: dict[type, list[dict]] = {table: [] for table in (StaffUser, SchoolClass, Assignment, Pupil)}
    progress, choices, attempts, answers, helps = [], [], [], [], []
    class_count = -(-pupils_total // CLASS_SIZE)
    teacher_count = -(-class_count // CLASSES_PER_TEACHER)
    for teacher in range(1, teacher_count + 1):
        rows[StaffUser].append(
            dict(
                id=teacher,
                school_id=1,
                username=f"teacher{teacher}",
                display_name=f"Teacher {teacher}",
                password_hash=DUMMY_HASH,
                role="teacher",
            )
        )
    pupil_id = attempt_id = 0
    for class_id in range(1, class_count + 1):
        rows[SchoolClass].append(
            dict(
                id=class_id,
                school_id=1,
                teacher_id=(class_id - 1) // CLASSES_PER_TEACHER + 1,
                name=f"Class {class_id:03d}",
                age_band=BAND,
                language="en",
                join_code=f"B{class_id:07d}",
            )
        )
        for position, lesson in enumerate(lessons):
            rows[Assignment].append(dict(class_id=class_id, lesson_id=lesson.id, position=position))
        for _ in range(min(CLASS_SIZE, pupils_total - pupil_id)):
            pupil_id += 1
            rows[Pupil].append(
                dict(
                    id=pupil_id, class_id=class_id, display_name=f"Pupil {pupil_id}", picture_hash=DUMMY_HASH
                )
            )
            skill = rng.uniform(0.3, 0.95)
            if rng.random() < 0.05:
                status = rng.choice(["new", "acknowledged", "resolved"])
                helps.append(dict(pupil_id=pupil_id, class_id=class_id, category="other", status=status))
            for lesson in lessons:
                state = rng.choices(["new", "started", "done"], weights=[3, 3, 4])[0]
                if state == "new":
                    continue
                total = len(lesson.steps)
                step = total - 1 if state == "done" else rng.randrange(total - 1)
                when = now - timedelta(days=rng.uniform(0, 20))
                progress.append(
                    dict(
                        pupil_id=pupil_id,
                        lesson_id=lesson.id,
                        step=step,
                        furthest_step=step,
                        completed_at=when if state == "done" else None,
                        updated_at=when,
                    )
                )
                for index, scenario in enumerate(lesson.steps[: step + 1]):
                    if isinstance(scenario, ScenarioStep):
                        tried = rng.sample(range(len(scenario.choices)), rng.randint(1, 2))
                        for choice in tried:
                            choices.append(
                                dict(pupil_id=pupil_id, lesson_id=lesson.id, step=index, choice=choice)
                            )
                quiz = catalogue.quiz_for(lesson.id)
                tries = rng.randint(1, 3) if state == "done" else rng.randint(0, 1)
                for number in range(1, tries + 1):
                    attempt_id += 1
                    finished = state == "done"
                    score = 0
                    for question in quiz.questions:
                        right = rng.random() < skill
                        score += right
                        answers.append(
                            dict(
                                attempt_id=attempt_id,
                                question_id=question.id,
                                answer=_answer(question, right, rng),
                                correct=right,
                                created_at=when,
                            )
                        )
                    attempts.append(
                        dict(
                            id=attempt_id,
                            pupil_id=pupil_id,
                            lesson_id=lesson.id,
                            number=number,
                            score=score if finished else 0,
                            max_score=len(quiz.questions),
                            started_at=when,
                            finished_at=when if finished else None,
                        )
                    )
    engine = get_engine(url)
    with Session(engine) as session:
        session.execute(insert(School), [dict(id=1, name=f"Bench school {pupils_total}")])
        for table, table_rows in [
            *rows.items(),
            (LessonProgress, progress),
            (ScenarioChoice, choices),
            (QuizAttempt, attempts),
            (QuizAnswer, answers),
            (HelpRequest, helps),
        ]:
            if table_rows:
                session.execute(insert(table), table_rows)
        session.commit()
    first_teacher = rows[StaffUser][0]
    actor = StaffActor(first_teacher["id"], 1, "teacher", first_teacher["username"], "Teacher 1")
    return {"actor": actor, "class_id": 1, "pupil_id": 1, "lesson_id": lessons[0].id, "answers": len(answers)}


# ---------------------------------------------------------------- timing


def timed_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, fastest) of `repeat` runs after a warm-up run, in milliseconds."""
    action()  # warm up (caches, connection pool)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times), 1000 * min(times)


def count_queries(engine, action: Callable[[], object]) -> int:
    counter = [0]

    def before(*_args, **_kwargs):
        counter[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return counter[0]


def trivial_script() -> None:
    import streamlit as st

    st.write("x")


def dashboard_script() -> None:
    from i18n import set_language
    from views.teacher import dashboard as page

    set_language("en")
    page.render()


def run_app(script: Callable[[], None], state: dict[str, object]) -> AppTest:
    at = AppTest.from_function(script, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return at


def main() -> None:
    started = time.perf_counter()
    catalogue = load_catalogue(ROOT)
    with tempfile.TemporaryDirectory(prefix="amane-bench-") as folder:
        run(Path(folder), catalogue)
    print(f"whole bench: {time.perf_counter() - started:.0f} s")


def run(workdir: Path, catalogue: Catalogue) -> None:
    os.environ.update(
        AMANE_DATA_DIR=str(workdir / "data"),
        AMANE_CONTENT_DIR=str(ROOT),
        AMANE_LOGIN_SLEEP="0",
        AMANE_DEFAULT_LANGUAGE="en",
    )
    template = workdir / "template.db"
    upgrade(f"sqlite:///{template}")
    get_engine(f"sqlite:///{template}").dispose()

    baseline, fastest = timed_ms(lambda: run_app(trivial_script, {}), PAGE_REPEAT * 2)
    table: list[Row] = [('AppTest of st.write("x") (baseline)', 0, "-", baseline, fastest)]
    for size in SCHOOL_SIZES:
        path = workdir / f"school-{size}.db"
        path.write_bytes(template.read_bytes())
        table += measure_school(f"sqlite:///{path}", size, catalogue)

    print()
    heads = ("class", "queries", "median ms", "x base", "min ms", "x base")
    print(f"{'what':<44} {heads[0]:>5} {heads[1]:>7} {heads[2]:>9} {heads[3]:>6} {heads[4]:>7} {heads[5]:>6}")
    print("-" * 90)
    for what, pupils, queries, ms, low in table:
        print(
            f"{what:<44} {pupils or '-':>5} {queries:>7} {ms:>9.1f} {ms / baseline:>6.2f}"
            f" {low:>7.1f} {low / fastest:>6.2f}"
        )
    print("x base: the median over the baseline's median, the fastest over the baseline's fastest.")
    print()


def measure_school(url: str, size: int, catalogue: Catalogue) -> list[Row]:
    seed_start = time.perf_counter()
    # The same seed for every school: the measured class (the first 30 pupils) is the same.
    seeded = seed_school(url, size, catalogue, random.Random(SEED))
    print(
        f"seeded {size:>5} pupils, {seeded['answers']:>6} quiz answers "
        f"in {time.perf_counter() - seed_start:.1f} s",
        flush=True,
    )
    engine = get_engine(url)
    actor, class_id = seeded["actor"], seeded["class_id"]

    def fresh(call: Callable[[Session], object]) -> Callable[[], object]:
        def action() -> object:
            with Session(engine) as session:  # a new session each time, as a page run has
                return call(session)

        return action

    calls = {
        "class_dashboard": fresh(lambda s: dashboard.class_dashboard(s, actor, class_id, catalogue)),
        "difficult_questions": fresh(
            lambda s: dashboard.difficult_questions(s, actor, class_id, seeded["lesson_id"], catalogue)
        ),
        "pupil_report": fresh(lambda s: pupil_report.pupil_report(s, actor, seeded["pupil_id"], catalogue)),
    }
    rows = []
    for name, action in calls.items():
        queries = count_queries(engine, action)
        rows.append((f"{name}, school of {size}", CLASS_SIZE, str(queries), *timed_ms(action, REPEAT)))

    os.environ["AMANE_DATABASE_URL"] = url
    get_settings.cache_clear()
    state = {"amane_staff": actor, "amane_class": class_id}
    shown = run_app(dashboard_script, state)
    charts, headers = len(shown.get("plotly_chart")), [h.value for h in shown.header]
    assert charts == 4 and headers == ["Needs help", "Progress", "Difficult questions"], (charts, headers)
    page = timed_ms(lambda: run_app(dashboard_script, state), PAGE_REPEAT)
    rows.append((f"dashboard page (AppTest), school of {size}", CLASS_SIZE, "-", *page))
    engine.dispose()
    return rows


if __name__ == "__main__":
    main()
