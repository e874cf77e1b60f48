"""A school seeded with bulk inserts for the benchmarks: schools of any size, with varied
progress, scenario choices, quiz attempts and help requests on the real 9-11 lessons."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, SQLModel

import amane.models.tables as tables
from amane.models.content import Lesson, Question, ScenarioStep
from amane.models.content_loader import Catalogue
from amane.models.db import get_engine, upgrade
from amane.services.accounts import hash_password
from amane.services.dashboard import class_dashboard
from amane.services.help_requests import CATEGORIES
from amane.services.permissions import PupilActor, StaffActor
from amane.services.pictures import hash_pictures

PASSWORD = "bench correct horse battery"
PICTURES = ("sun", "cat", "apple", "heart")  # every seeded pupil's picture password
CLASS_SIZE = 30  # at most 60 (MAX_PUPILS_PER_CLASS)
CLASSES_PER_TEACHER = 4
BAND = "9-11"
SEED = 20240501
ADMIN_ID = 1  # staff ids: the admin, then teacher1, teacher2, ...


# ---------------------------------------------------------------- seeding


def _answer_variants(question: Question) -> tuple[list[str], list[str]]:
    """Right and wrong answers to a question, as the JSON the answer column stores."""
    right, wrong = [question.right_answer()], question.wrong_answers()
    return [json.dumps(a) for a in right], [json.dumps(a) for a in wrong]


@dataclass
class Rows:
    """Rows to insert, as tuples in the order of `columns`, per table."""

    columns: dict[type[SQLModel], tuple[str, ...]]
    rows: dict[type[SQLModel], list[tuple]]

    @classmethod
    def empty(cls) -> Rows:
        columns = {
            tables.StaffUser: ("id", "school_id", "username", "display_name", "password_hash", "role"),
            tables.SchoolClass: (
                "id", "school_id", "teacher_id", "name", "age_band", "language", "join_code",
            ),
            tables.Assignment: ("class_id", "lesson_id", "position"),
            tables.Pupil: ("id", "class_id", "display_name", "picture_hash"),
            tables.HelpRequest: ("pupil_id", "class_id", "category", "status", "created_at", "updated_at"),
            tables.LessonProgress: (
                "pupil_id", "lesson_id", "step", "furthest_step", "completed_at", "updated_at",
            ),
            tables.ScenarioChoice: ("pupil_id", "lesson_id", "step", "choice", "created_at"),
            tables.QuizAttempt: (
                "id", "pupil_id", "lesson_id", "number", "score", "max_score", "started_at", "finished_at",
            ),
            tables.QuizAnswer: ("attempt_id", "question_id", "answer", "correct", "created_at"),
        }  # fmt: skip
        return cls(columns, {table: [] for table in columns})


class School:
    """One school in a migrated database, grown class by class with bulk inserts: an admin,
    a teacher for every 4 classes, classes of 30 pupils of the 9-11 band with all its lessons
    assigned, varied progress, scenario choices, quiz attempts and help requests.

    Each class is drawn from its own random generator, so class 1 (the measured one) is the
    same in a school of 30 and in a school of 30,000. Staff passwords are PASSWORD and every
    pupil's pictures are PICTURES, so the app's sign-in works."""

    def __init__(self, url: str, catalogue: Catalogue):
        self.url = url
        self.engine = get_engine(url)
        self.catalogue = catalogue
        self.lessons = catalogue.lessons_for_band(BAND)
        self.variants = {
            lesson.id: [(q.id, *_answer_variants(q)) for q in catalogue.quiz_for(lesson.id).questions]
            for lesson in self.lessons
        }
        self.now = tables.utcnow()
        self.sqlite = self.engine.dialect.name == "sqlite"
        self.superuser = not self.sqlite and self._is_superuser()
        # Datetimes go in as the driver takes them: text on SQLite, aware datetimes on PostgreSQL.
        self.stamp: Callable[[datetime], object] = sqlite_text if self.sqlite else lambda value: value
        self.password_hash = hash_password(PASSWORD)
        self.picture_hash = hash_pictures(PICTURES)
        self.classes = self.pupils = self.teachers = self.attempts = 0
        self.counts: dict[str, int] = {}

    def _is_superuser(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar()

    # -- who to act as

    @property
    def admin(self) -> StaffActor:
        return StaffActor(ADMIN_ID, 1, "admin", "admin", "Admin")

    @property
    def teacher(self) -> StaffActor:
        """The teacher of class 1."""
        return StaffActor(ADMIN_ID + 1, 1, "teacher", "teacher1", "Teacher 1")

    @property
    def pupil(self) -> PupilActor:
        """The first pupil of class 1."""
        return PupilActor(1, 1, 1, "Pupil 1")

    # -- seeding

    def create(self) -> None:
        """An empty database: migrate, then the school and its admin."""
        if not self.sqlite:
            with self.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(self.url)
        rows = Rows.empty()
        rows.rows[tables.StaffUser].append((ADMIN_ID, 1, "admin", "Admin", self.password_hash, "admin"))
        self._insert({tables.School: (("id", "name"), [(1, "Bench school")])})
        self._insert_rows(rows)

    def grow_to(self, pupils_total: int, chunk: int = 100) -> None:
        """Add classes until the school has `pupils_total` pupils (`chunk` classes per insert)."""
        target = -(-pupils_total // CLASS_SIZE)
        while self.classes < target:
            rows = Rows.empty()
            for _ in range(min(chunk, target - self.classes)):
                self.classes += 1
                self._class(rows, self.classes, min(CLASS_SIZE, pupils_total - self.pupils))
            self._insert_rows(rows)
        self._after_insert()
        self._check()

    def _check(self) -> None:
        """The services read the raw rows back as the app wrote them (dates compared as dates)."""
        with Session(self.engine) as session:
            board = class_dashboard(session, self.teacher, 1, self.catalogue)
        recent = sum(day.answers + day.steps for day in board.activity)
        if len(board.pupils) != min(CLASS_SIZE, self.pupils) or not recent or not board.needs_help:
            raise RuntimeError(f"seeded school reads back wrong: {len(board.pupils)} pupils, {recent} recent")

    def _class(self, rows: Rows, class_id: int, size: int) -> None:
        rng = random.Random(f"{SEED}:{class_id}")
        teacher = (class_id - 1) // CLASSES_PER_TEACHER + 1
        if teacher > self.teachers:
            self.teachers = teacher
            rows.rows[tables.StaffUser].append(
                (
                    ADMIN_ID + teacher,
                    1,
                    f"teacher{teacher}",
                    f"Teacher {teacher}",
                    self.password_hash,
                    "teacher",
                )
            )
        rows.rows[tables.SchoolClass].append(
            (class_id, 1, ADMIN_ID + teacher, f"Class {class_id:04d}", BAND, "en", f"B{class_id:07d}")
        )
        for position, lesson in enumerate(self.lessons):
            rows.rows[tables.Assignment].append((class_id, lesson.id, position))
        for _ in range(size):
            self.pupils += 1
            self._pupil(rows, class_id, self.pupils, rng)

    def _pupil(self, rows: Rows, class_id: int, pupil_id: int, rng: random.Random) -> None:
        rows.rows[tables.Pupil].append((pupil_id, class_id, f"Pupil {pupil_id}", self.picture_hash))
        if rng.random() < 0.05:
            when = self.stamp(self.now - timedelta(days=rng.uniform(0, 60)))
            status = rng.choice(["new", "acknowledged", "resolved"])
            rows.rows[tables.HelpRequest].append(
                (pupil_id, class_id, rng.choice(list(CATEGORIES)), status, when, when)
            )
        skill = rng.uniform(0.3, 0.95)
        for lesson in self.lessons:
            state = rng.random()  # 30% not started, 30% started, 40% done
            if state >= 0.3:
                self._lesson(rows, pupil_id, lesson, state >= 0.6, skill, rng)

    def _lesson(
        self, rows: Rows, pupil_id: int, lesson: Lesson, done: bool, skill: float, rng: random.Random
    ) -> None:
        total = len(lesson.steps)
        step = total - 1 if done else int(rng.random() * (total - 1))
        when = self.stamp(self.now - timedelta(days=rng.uniform(0, 20)))
        rows.rows[tables.LessonProgress].append(
            (pupil_id, lesson.id, step, step, when if done else None, when)
        )
        choices = rows.rows[tables.ScenarioChoice]
        for index, scenario in enumerate(lesson.steps[: step + 1]):
            if isinstance(scenario, ScenarioStep):
                count = len(scenario.choices)
                first = int(rng.random() * count)
                choices.append((pupil_id, lesson.id, index, first, when))
                if rng.random() < 0.5:  # a second choice tried
                    second = (first + 1 + int(rng.random() * (count - 1))) % count
                    choices.append((pupil_id, lesson.id, index, second, when))
        questions = self.variants[lesson.id]
        answers = rows.rows[tables.QuizAnswer]
        tries = 1 + int(rng.random() * 3) if done else int(rng.random() * 2)
        for number in range(1, tries + 1):
            self.attempts += 1
            score = 0
            for question_id, right, wrong in questions:
                draw = rng.random()  # one draw: right or wrong, and which answer
                if draw < skill:
                    score += 1
                    answers.append(
                        (self.attempts, question_id, right[int(draw / skill * len(right))], True, when)
                    )
                else:
                    given = wrong[int((draw - skill) / (1 - skill) * len(wrong))]
                    answers.append((self.attempts, question_id, given, False, when))
            rows.rows[tables.QuizAttempt].append(
                (
                    self.attempts,
                    pupil_id,
                    lesson.id,
                    number,
                    score if done else 0,
                    len(questions),
                    when,
                    when if done else None,
                )
            )

    # -- inserting

    def _insert_rows(self, rows: Rows) -> None:
        self._insert({table: (rows.columns[table], rows.rows[table]) for table in rows.columns})

    def _insert(self, batches: dict[type[SQLModel], tuple[tuple[str, ...], list[tuple]]]) -> None:
        """COPY on PostgreSQL, executemany on SQLite, in one transaction, with the models'
        defaults for the columns not given (created_at, failed_logins, ...)."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            # The rows are consistent by construction: no foreign-key check per row (on again
            # below for SQLite; PostgreSQL's SET LOCAL ends with the transaction).
            if self.sqlite:
                cursor.execute("PRAGMA foreign_keys=OFF")
            elif self.superuser:
                cursor.execute("SET LOCAL session_replication_role = replica")
            for model, (columns, table_rows) in batches.items():
                if not table_rows:
                    continue
                name = model.__tablename__
                self.counts[name] = self.counts.get(name, 0) + len(table_rows)
                names, values = self._with_defaults(model, columns, table_rows)
                if self.sqlite:
                    marks = ", ".join("?" * len(names))
                    cursor.executemany(f"INSERT INTO {name} ({', '.join(names)}) VALUES ({marks})", values)
                else:
                    with cursor.copy(f"COPY {name} ({', '.join(names)}) FROM STDIN") as copy:
                        for row in values:
                            copy.write_row(row)
            connection.commit()
            if self.sqlite:
                cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            connection.close()

    def _with_defaults(
        self, model: type[SQLModel], columns: tuple[str, ...], rows: list[tuple]
    ) -> tuple[tuple[str, ...], list[tuple]]:
        missing = [
            column.name
            for column in model.__table__.columns
            if column.name not in columns and not column.nullable and not column.primary_key
        ]
        if not missing:
            return columns, rows
        defaults = (model.model_fields[name].get_default(call_default_factory=True) for name in missing)
        extra = tuple(self.stamp(value) if isinstance(value, datetime) else value for value in defaults)
        return (*columns, *missing), [row + extra for row in rows]

    def _after_insert(self) -> None:
        """PostgreSQL: move the id sequences past the ids given, and refresh the planner's
        statistics as autovacuum would in a live database. SQLite is left as the app leaves it
        (no ANALYZE)."""
        if self.sqlite:
            return
        with self.engine.begin() as connection:
            for table in SQLModel.metadata.sorted_tables:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def sqlite_text(value: datetime) -> str:
    """How SQLAlchemy keeps a datetime in SQLite: UTC, as text."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
