"""The access matrix: every service function that takes an actor, called by every kind of actor,
is allowed or refused as intended, and a refused call changes nothing in the database.

Roles, about one seeded class: its pupil Adam ("pupil"), his classmate Yasmine ("classmate"), the
class's teacher, another teacher of the school, the school's admin, a teacher and an admin of
another school (actors with no row here: an install holds one school), and nobody
("signed_out"). Each case runs in a transaction rolled back at its end, so the world is seeded
once per module and the cases stay independent.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import bcrypt
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from amane import services
from amane.models.content_loader import Catalogue
from amane.models.db import get_engine
from amane.models.impact import BandCheck, CheckItem
from amane.models.pulse_tables import ClassPulse
from amane.models.tables import SchoolClass, StaffUser
from amane.services import (
    accounts,
    assignments,
    audit,
    badges,
    classes,
    dashboard,
    exports,
    help_requests,
    impact,
    last_class,
    lesson_status,
    permissions,
    privacy,
    progress,
    pulse,
    pupil_report,
    quizzes,
    training,
)
from amane.services.errors import AccessDenied
from amane.services.permissions import Actor, PupilActor, StaffActor
from tests.conftest import PASSWORD, finish_lesson, seed_far_school

NEW_PASSWORD = "olive lantern river"
ROLES = ("pupil", "classmate", "teacher", "other_teacher", "admin", "far_teacher", "far_admin", "signed_out")
CLASS_STAFF = ("teacher", "admin")
OUTSIDE_STAFF = ("other_teacher", "far_teacher", "far_admin")
ALL_STAFF = CLASS_STAFF + OUTSIDE_STAFF
RETENTION_DAYS = 365  # the seeded school's; the other school keeps the default (None)
TEACHER_CONFIDENCE = 2  # the teacher's rating before the training module they have started

# ---------------------------------------------------------------- functions outside the matrix

NO_ACTOR: dict[str, str] = {
    "accounts.password_problem": "pure rule on a typed password, no database",
    "accounts.password_too_long": "pure rule on a typed password, no database",
    "accounts.hash_password": "pure helper",
    "accounts.check_password": "pure helper",
    "accounts.needs_setup": "public before sign-in: the first visit asks whether to create the school",
    "accounts.create_school": "first run, before any account exists; refused once a school exists",
    "accounts.sign_in": "public before sign-in: it is the sign-in, and returns the actor",
    "staff_sessions.start": "called by the sign-in with the account sign_in has just checked",
    "staff_sessions.resume": "turns the token of a staff session into the actor",
    "staff_sessions.end_all": "sign-out, and inside the account functions that have already checked",
    "assignments.band_lessons": "pure helper: the catalogue's lessons of an age band",
    "assignments.replace_assignments": "internal: the one writer of assignments, for a class its callers "
    "(set_assignments, create_class) have already checked",
    "classes.clean_name": "pure helper",
    "classes.new_join_code": "pure helper",
    "classes.normalize_code": "pure helper",
    "classes.assigned_lesson_ids": "internal: its callers have already checked access to the class",
    "classes.open_class": "public before sign-in: a class code opens the class's list of names",
    "classes.pupil_sign_in": "public before sign-in: checks a picture password, returns the actor",
    "classes.pictures_to_tap": "public before sign-in: how many pictures a pupil's card has "
    "(the door shows the names already)",
    "pictures.is_old": "pure helper",
    "pictures.picture_count": "pure helper",
    "throttle.staff_key": "pure helper",
    "throttle.class_key": "pure helper",
    "throttle.client_key": "pure helper",
    "throttle.wait_left": "sign-in delays, before anyone is signed in (keys hold no name)",
    "throttle.record_failure": "sign-in delays, before anyone is signed in (keys hold no name)",
    "throttle.failures": "sign-in delays; its callers have already checked access to the class",
    "throttle.clear": "sign-in delays; called by a right sign-in or by a function that has checked",
    "spreadsheet.csv_text": "pure helper: the formula-safe CSV writer, over rows its callers have checked",
    "dashboard.needs_help": "internal: part of class_dashboard, which has already checked the class",
    "demo.seed_demo": "operator command (make demo)",
    "lesson_status.lesson_status": "pure rule",
    "lesson_status.build_grid": "pure rule over rows its callers have already been allowed to read",
    "lesson_status.class_pupils": "internal: its callers have already checked access to the class",
    "lesson_status.progress_rows": "internal: its callers have already checked access to the class or pupil",
    "lesson_status.attempt_rows": "internal: its callers have already checked access to the class or pupil",
    "pictures.new_picture_password": "pure helper",
    "pictures.hash_pictures": "pure helper",
    "pictures.check_pictures": "pure helper",
    "privacy.purge_expired": "operator command (amane purge, daily from cron)",
    "pulse.delete_class_pulses": "internal: the retention purge's, for the classes it deletes",
    "quizzes.display_order": "pure helper: the order options are shown in, from the attempt id",
    "awareness.default_guides": "pure, over the course content (the awareness kit reads no data)",
    "awareness.ordered_guides": "pure, over the course content (the awareness kit reads no data)",
    "awareness.chosen_guides": "pure, over the course content (the awareness kit reads no data)",
    "awareness.evening_screens": "pure, over the course content (the awareness kit reads no data)",
    "awareness.family_summary": "pure, over the course content (the awareness kit reads no data)",
    "awareness.assembly_lessons": "pure, over the course content (the awareness kit reads no data)",
    "awareness.default_assembly_lesson": "pure, over the course content (the awareness kit reads no data)",
    "awareness.assembly_plan": "pure, over the course content (the awareness kit reads no data)",
}

# Functions with an `actor` parameter that is data, not a permission.
ACTOR_AS_DATA: dict[str, str] = {
    "audit.record": "writes who did an action that its caller has already checked",
    "audit.record_read": "writes who read what, after its caller has checked they may",
}


# ---------------------------------------------------------------- the seeded world


@dataclass(frozen=True)
class World:
    catalogue: Catalogue
    actors: dict[str, Actor | None]
    school_id: int
    class_id: int
    pupil_id: int  # Adam, whom the calls are about
    teacher_id: int
    help_id: int  # Adam's open help request
    attempt_id: int  # Adam's unfinished quiz attempt, every question answered
    lesson_id: str
    scenario_step: int


def _cheap_hash(password: str) -> str:
    """bcrypt at its lowest cost: the matrix is about who may call, not how strong the hash is."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode()


def _seed(session: Session, catalogue: Catalogue) -> World:
    admin = accounts.create_school(session, "École Test", "admin", "Admin", PASSWORD)
    teacher = accounts.create_staff(session, admin, "teacher", "Teacher One", PASSWORD)
    other = accounts.create_staff(session, admin, "other", "Teacher Two", PASSWORD)
    session.exec(update(StaffUser).values(password_hash=_cheap_hash(PASSWORD)))
    far = {f"far_{role}": actor for role, actor in seed_far_school(session).items()}
    lesson = catalogue.lessons_for_band("9-11")[0]
    school_class = classes.create_class(session, teacher, "CM2 A", "9-11", "en", catalogue)
    added = classes.add_pupils(session, teacher, school_class.id, "Adam\nYasmine\nOmar").added
    adam, yasmine = (
        PupilActor(new.pupil.id, school_class.id, admin.school_id, new.pupil.display_name)
        for new in added[:2]
    )
    finish_lesson(session, adam, catalogue, lesson.id)
    scenario_step = next(i for i, step in enumerate(lesson.steps) if step.kind == "scenario")
    progress.record_choice(session, adam, lesson.id, scenario_step, 0)
    quiz = catalogue.quiz_for(lesson.id)
    attempt = quizzes.open_attempt(session, adam, quiz)
    for question in quiz.questions:
        quizzes.submit_answer(session, adam, attempt.id, question, question.right_answer())
    request = help_requests.ask_for_help(session, adam, "mean", True)
    training.start_module(session, teacher, catalogue.training_modules()[0], TEACHER_CONFIDENCE)
    privacy.set_retention(session, admin, RETENTION_DAYS)
    class_pulse = pulse.open_pulse(session, teacher, school_class.id, catalogue)  # Adam answers it
    pulse.answer_pulse(session, adam, class_pulse.id, {}, catalogue)
    session.commit()
    actors = {
        "pupil": adam,
        "classmate": yasmine,
        "teacher": teacher,
        "other_teacher": other,
        "admin": admin,
        **far,
        "signed_out": None,
    }
    return World(
        catalogue,
        actors,
        admin.school_id,
        school_class.id,
        adam.id,
        teacher.id,
        request.id,
        attempt.id,
        lesson.id,
        scenario_step,
    )


def _truncate(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def world_engine(pg_url, _pg_migrated, sqlite_template, tmp_path_factory) -> Iterator[Engine]:
    """One database for the whole module (the conftest's is per test)."""
    if pg_url:
        engine = get_engine(pg_url)
        _truncate(engine)
        yield engine
        _truncate(engine)  # the next module's tests expect an empty database
    else:
        path = tmp_path_factory.mktemp("matrix") / "amane.db"
        shutil.copy(sqlite_template, path)
        engine = get_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def world(world_engine, fixture_catalogue) -> World:
    with Session(world_engine, expire_on_commit=False) as session:
        return _seed(session, fixture_catalogue)


@pytest.fixture
def unit(world_engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back whatever the call did, even a commit."""
    with world_engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="rollback_only", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


# ---------------------------------------------------------------- the matrix

Call = Callable[[Session, Actor | None, World], object]
Reveals = Callable[[object, World], bool]


@dataclass(frozen=True)
class Entry:
    """How to call a function, and who may. `allowed` act on the seeded class or pupil; `own`
    may call it too but only reach their own things: the result must not `reveal` the seeded
    class's data, and no existing row but their own may change. Everyone else is refused."""

    call: Call
    allowed: tuple[str, ...]
    own: tuple[str, ...] = ()
    reveals: Reveals | None = None

    def expected(self, role: str) -> str:
        return "allowed" if role in self.allowed else "own" if role in self.own else "refused"


def _quiz(w: World):
    return w.catalogue.quiz_for(w.lesson_id)


def _steps(w: World) -> int:
    return len(w.catalogue.lesson(w.lesson_id).steps)


def _pulse(s: Session, w: World) -> int:
    return s.scalars(select(ClassPulse.id).where(ClassPulse.class_id == w.class_id)).one()


def _checked(w: World) -> Catalogue:
    """The fixture course with a before/after check of two questions of its lesson (issue 17)."""
    items = [CheckItem(lesson=w.lesson_id, question=q.id) for q in _quiz(w).questions[:2]]
    return dataclasses.replace(
        w.catalogue, checks={"9-11": BandCheck.model_construct(band="9-11", items=items)}
    )


def _check_answer(s: Session, a: Actor | None, w: World) -> bool:
    """Adam's lesson is done, so he owes the after check: his answer goes into it."""
    impact.open_check(s, a, _checked(w), "after")
    question = _quiz(w).questions[0]
    return impact.record_answer(s, a, _checked(w), "after", w.lesson_id, question.id, question.right_answer())


def _can_manage(s: Session, a: Actor | None, w: World) -> None:
    if not permissions.can_manage_class(a, s.get(SchoolClass, w.class_id)):
        raise AccessDenied()


def _last_class_named(s: Session, a: Actor | None, w: World) -> int | None:
    """Where the actor's sign-in lands once their own row names the seeded class."""
    if isinstance(a, StaffActor):
        s.exec(update(StaffUser).where(StaffUser.id == a.id).values(last_class_id=w.class_id))
    return last_class.last_class(s, a)


def _train(s: Session, a: Actor | None, w: World, through: str) -> object:
    """Start the first training module (a no-op for the teacher, who has), then go `through`:
    a step, the check's answers, or completion, on the actor's own record."""
    module = w.catalogue.training_modules()[0]
    training.start_module(s, a, module, 3)
    if through == "step":
        return training.save_step(s, a, module, 1)
    answers = [training.answer_question(s, a, module, q, q.right_answer()) for q in module.check]
    return answers if through == "answers" else training.complete_module(s, a, module, 4)


PUPIL_SELF = {"allowed": ("pupil",), "own": ("classmate",)}
# Any active staff member of the school trains; only the teacher has a record to reveal.
TRAINING_SELF = {"allowed": ("teacher",), "own": ("other_teacher", "admin", "far_teacher", "far_admin")}
STAFF_SELF = {"allowed": CLASS_STAFF, "own": OUTSIDE_STAFF}
ADMIN_SELF = {"allowed": ("admin",), "own": ("far_admin",)}

MATRIX: dict[str, Entry] = {
    # accounts
    "accounts.create_staff": Entry(
        lambda s, a, w: accounts.create_staff(s, a, "newcomer", "New Teacher", NEW_PASSWORD), **ADMIN_SELF
    ),
    "accounts.list_staff": Entry(
        lambda s, a, w: accounts.list_staff(s, a),
        **ADMIN_SELF,
        reveals=lambda r, w: any(member.id == w.teacher_id for member in r),
    ),
    "accounts.set_staff_active": Entry(
        lambda s, a, w: accounts.set_staff_active(s, a, w.teacher_id, False), ("admin",)
    ),
    "accounts.reset_staff_password": Entry(
        lambda s, a, w: accounts.reset_staff_password(s, a, w.teacher_id, NEW_PASSWORD), ("admin",)
    ),
    "accounts.change_own_password": Entry(
        lambda s, a, w: accounts.change_own_password(s, a, PASSWORD, NEW_PASSWORD), **STAFF_SELF
    ),
    "accounts.set_staff_language": Entry(
        lambda s, a, w: accounts.set_staff_language(s, a, "ar"), **STAFF_SELF
    ),
    "accounts.staff_language": Entry(lambda s, a, w: accounts.staff_language(s, a), **STAFF_SELF),
    "accounts.sign_in_wait_minutes": Entry(
        lambda s, a, w: accounts.sign_in_wait_minutes(s, a, w.teacher_id), ("admin",)
    ),
    "accounts.unlock_staff": Entry(lambda s, a, w: accounts.unlock_staff(s, a, w.teacher_id), ("admin",)),
    # where a staff member's sign-in lands: a class they may manage, read back only by themselves
    "last_class.remember_class": Entry(
        lambda s, a, w: last_class.remember_class(s, a, w.class_id), CLASS_STAFF
    ),
    "last_class.last_class": Entry(_last_class_named, **STAFF_SELF, reveals=lambda r, w: r == w.class_id),
    # audit log (admins, their own school's rows only)
    "audit.events": Entry(lambda s, a, w: audit.events(s, a), **ADMIN_SELF, reveals=lambda r, w: bool(r)),
    "audit.events[pupil]": Entry(lambda s, a, w: audit.events(s, a, pupil_id=w.pupil_id), ("admin",)),
    "audit.events_csv": Entry(
        lambda s, a, w: audit.events_csv(s, a, "en"), **ADMIN_SELF, reveals=lambda r, w: r.count("\n") > 1
    ),
    # assignments
    "assignments.assignments": Entry(lambda s, a, w: assignments.assignments(s, a, w.class_id), CLASS_STAFF),
    "assignments.set_assignments": Entry(
        lambda s, a, w: assignments.set_assignments(
            s, a, w.class_id, [w.lesson_id], {w.lesson_id: date(2030, 1, 1)}, w.catalogue
        ),
        CLASS_STAFF,
    ),
    # badges
    "badges.my_badges": Entry(
        lambda s, a, w: badges.my_badges(s, a, w.catalogue),
        **PUPIL_SELF,
        reveals=lambda r, w: bool(r.lessons),
    ),
    # classes
    "classes.change_class_code": Entry(
        lambda s, a, w: classes.change_class_code(s, a, w.class_id), CLASS_STAFF
    ),
    "classes.classes_with_many_wrong_tries": Entry(  # the seeded class has no wrong tries to reveal
        lambda s, a, w: classes.classes_with_many_wrong_tries(s, a), **STAFF_SELF
    ),
    "classes.create_class": Entry(
        lambda s, a, w: classes.create_class(s, a, "CM1 B", "9-11", "fr", w.catalogue), **STAFF_SELF
    ),
    "classes.list_classes": Entry(
        lambda s, a, w: classes.list_classes(s, a, include_archived=True),
        **STAFF_SELF,
        reveals=lambda r, w: any(c.id == w.class_id for c in r),
    ),
    "classes.update_class": Entry(
        lambda s, a, w: classes.update_class(s, a, w.class_id, "Renamed", "9-11", "fr", w.catalogue),
        CLASS_STAFF,
    ),
    "classes.update_class[band]": Entry(  # a new band also replaces the class's lessons
        lambda s, a, w: classes.update_class(s, a, w.class_id, "CM2 A", "6-8", "en", w.catalogue), CLASS_STAFF
    ),
    "classes.archive_class": Entry(lambda s, a, w: classes.archive_class(s, a, w.class_id), CLASS_STAFF),
    "classes.unarchive_class": Entry(lambda s, a, w: classes.unarchive_class(s, a, w.class_id), CLASS_STAFF),
    "classes.add_pupils": Entry(lambda s, a, w: classes.add_pupils(s, a, w.class_id, "Zoé"), CLASS_STAFF),
    "classes.list_pupils": Entry(lambda s, a, w: classes.list_pupils(s, a, w.class_id), CLASS_STAFF),
    "classes.rename_pupil": Entry(
        lambda s, a, w: classes.rename_pupil(s, a, w.pupil_id, "Adam B"), CLASS_STAFF
    ),
    "classes.unlock_pupil": Entry(lambda s, a, w: classes.unlock_pupil(s, a, w.pupil_id), CLASS_STAFF),
    "classes.reset_pictures": Entry(lambda s, a, w: classes.reset_pictures(s, a, w.pupil_id), CLASS_STAFF),
    # Re-read on every page of a signed-in pupil; for anyone else there is no pupil to re-read.
    "classes.current_pupil": Entry(
        lambda s, a, w: classes.current_pupil(s, a), **PUPIL_SELF, reveals=lambda r, w: r.id == w.pupil_id
    ),
    # dashboard, pupil report, reports, exports
    "dashboard.class_dashboard": Entry(
        lambda s, a, w: dashboard.class_dashboard(s, a, w.class_id, w.catalogue), CLASS_STAFF
    ),
    "dashboard.difficult_questions": Entry(
        lambda s, a, w: dashboard.difficult_questions(s, a, w.class_id, w.lesson_id, w.catalogue), CLASS_STAFF
    ),
    "pupil_report.pupil_report": Entry(
        lambda s, a, w: pupil_report.pupil_report(s, a, w.pupil_id, w.catalogue), CLASS_STAFF
    ),
    "lesson_status.class_grid": Entry(
        lambda s, a, w: lesson_status.class_grid(s, a, w.class_id, w.catalogue), CLASS_STAFF
    ),
    "exports.dashboard_csv": Entry(
        lambda s, a, w: exports.dashboard_csv(s, a, w.class_id, w.catalogue, "en"), CLASS_STAFF
    ),
    "exports.quiz_results_csv": Entry(
        lambda s, a, w: exports.quiz_results_csv(s, a, w.class_id, w.catalogue, "en"), CLASS_STAFF
    ),
    # help requests
    "help_requests.ask_for_help": Entry(
        lambda s, a, w: help_requests.ask_for_help(s, a, "contact", False), **PUPIL_SELF
    ),
    "help_requests.my_requests": Entry(
        lambda s, a, w: help_requests.my_requests(s, a),
        **PUPIL_SELF,
        reveals=lambda r, w: any(request.id == w.help_id for request in r),
    ),
    "help_requests.inbox": Entry(
        lambda s, a, w: help_requests.inbox(s, a),
        **STAFF_SELF,
        reveals=lambda r, w: any(item.request.id == w.help_id for item in r),
    ),
    "help_requests.inbox[class]": Entry(lambda s, a, w: help_requests.inbox(s, a, w.class_id), CLASS_STAFF),
    "help_requests.new_count": Entry(
        lambda s, a, w: help_requests.new_count(s, a), **STAFF_SELF, reveals=lambda r, w: r > 0
    ),
    "help_requests.set_status": Entry(
        lambda s, a, w: help_requests.set_status(s, a, w.help_id, "acknowledged"), CLASS_STAFF
    ),
    # permissions (the checks themselves)
    "permissions.require_staff": Entry(lambda s, a, w: permissions.require_staff(a), ALL_STAFF),
    "permissions.require_admin": Entry(lambda s, a, w: permissions.require_admin(a), **ADMIN_SELF),
    "permissions.require_staff_account": Entry(
        lambda s, a, w: permissions.require_staff_account(s, a), **STAFF_SELF
    ),
    "permissions.require_pupil": Entry(lambda s, a, w: permissions.require_pupil(a), **PUPIL_SELF),
    "permissions.can_manage_class": Entry(_can_manage, CLASS_STAFF),
    "permissions.require_class": Entry(
        lambda s, a, w: permissions.require_class(s, a, w.class_id), CLASS_STAFF
    ),
    "permissions.require_pupil_record": Entry(
        lambda s, a, w: permissions.require_pupil_record(s, a, w.pupil_id), ("pupil", *CLASS_STAFF)
    ),
    "permissions.require_staff_pupil": Entry(
        lambda s, a, w: permissions.require_staff_pupil(s, a, w.pupil_id), CLASS_STAFF
    ),
    "permissions.visible_classes": Entry(
        lambda s, a, w: s.scalars(select(SchoolClass.id).where(permissions.visible_classes(a))).all(),
        CLASS_STAFF,
        own=OUTSIDE_STAFF,
        reveals=lambda r, w: w.class_id in r,
    ),
    "permissions.require_own_attempt": Entry(
        lambda s, a, w: permissions.require_own_attempt(s, a, w.attempt_id), ("pupil",)
    ),
    "permissions.require_school_staff": Entry(
        lambda s, a, w: permissions.require_school_staff(s, a, w.teacher_id), ("admin",)
    ),
    # privacy
    "privacy.export_pupil": Entry(
        lambda s, a, w: privacy.export_pupil(s, a, w.pupil_id, w.catalogue), CLASS_STAFF
    ),
    "privacy.delete_pupil": Entry(lambda s, a, w: privacy.delete_pupil(s, a, w.pupil_id), CLASS_STAFF),
    "privacy.set_retention": Entry(lambda s, a, w: privacy.set_retention(s, a, 400), **ADMIN_SELF),
    "privacy.retention": Entry(
        lambda s, a, w: privacy.retention(s, a), **ADMIN_SELF, reveals=lambda r, w: r == RETENTION_DAYS
    ),
    # class pulse: its class's staff open, close and read it; only the admin sees the school's
    "pulse.open_pulse": Entry(  # one open pulse per class: the seeded one is closed first
        lambda s, a, w: (
            pulse.close_pulse(s, a, _pulse(s, w)),
            pulse.open_pulse(s, a, w.class_id, w.catalogue),
        ),
        CLASS_STAFF,
    ),
    "pulse.close_pulse": Entry(lambda s, a, w: pulse.close_pulse(s, a, _pulse(s, w)), CLASS_STAFF),
    "pulse.class_pulses": Entry(
        lambda s, a, w: pulse.class_pulses(s, a, w.class_id, w.catalogue),
        CLASS_STAFF,
        reveals=lambda r, w: r.open.answered == 1,
    ),
    "pulse.school_summary": Entry(lambda s, a, w: pulse.school_summary(s, a, w.catalogue), **ADMIN_SELF),
    "pulse.my_pulse": Entry(  # the classmate sees the class's pulse, but not that Adam answered it
        lambda s, a, w: pulse.my_pulse(s, a), **PUPIL_SELF, reveals=lambda r, w: r.answered
    ),
    "pulse.answer_pulse": Entry(  # every pupil of the class may answer (Adam has: nothing changes)
        lambda s, a, w: pulse.answer_pulse(s, a, _pulse(s, w), {}, w.catalogue), ("pupil", "classmate")
    ),
    # before-and-after check: the pupil's own; the class's staff read the class, the admin the school
    "impact.owed_check": Entry(
        lambda s, a, w: impact.owed_check(s, a, _checked(w)), **PUPIL_SELF, reveals=lambda r, w: r == "after"
    ),
    "impact.open_check": Entry(lambda s, a, w: impact.open_check(s, a, _checked(w), "after"), ("pupil",)),
    "impact.record_answer": Entry(_check_answer, ("pupil",)),
    "impact.my_results": Entry(lambda s, a, w: impact.my_results(s, a, _checked(w)), **PUPIL_SELF),
    "impact.class_summary": Entry(
        lambda s, a, w: impact.class_summary(s, a, w.class_id, w.catalogue), CLASS_STAFF
    ),
    "impact.class_csv": Entry(
        lambda s, a, w: impact.class_csv(s, a, w.class_id, w.catalogue, "en", str), CLASS_STAFF
    ),
    "impact.school_summary": Entry(lambda s, a, w: impact.school_summary(s, a, w.catalogue), **ADMIN_SELF),
    "impact.school_csv": Entry(lambda s, a, w: impact.school_csv(s, a, w.catalogue, "en", str), **ADMIN_SELF),
    # progress
    "progress.my_band": Entry(lambda s, a, w: progress.my_band(s, a), **PUPIL_SELF),
    "progress.choice_order": Entry(
        lambda s, a, w: progress.choice_order(a, w.lesson_id, w.scenario_step, 3), **PUPIL_SELF
    ),
    "permissions.require_assigned": Entry(
        lambda s, a, w: permissions.require_assigned(s, a, w.lesson_id), **PUPIL_SELF
    ),
    "progress.current_step": Entry(
        lambda s, a, w: progress.current_step(s, a, w.lesson_id), **PUPIL_SELF, reveals=lambda r, w: r != 0
    ),
    "progress.save_step": Entry(
        lambda s, a, w: progress.save_step(s, a, w.lesson_id, 2, _steps(w)), **PUPIL_SELF
    ),
    "progress.complete_lesson": Entry(
        lambda s, a, w: progress.complete_lesson(s, a, w.lesson_id, _steps(w)), **PUPIL_SELF
    ),
    "progress.record_choice": Entry(
        lambda s, a, w: progress.record_choice(s, a, w.lesson_id, w.scenario_step, 1), **PUPIL_SELF
    ),
    "progress.tried_choices": Entry(
        lambda s, a, w: progress.tried_choices(s, a, w.lesson_id, w.scenario_step),
        **PUPIL_SELF,
        reveals=lambda r, w: bool(r),
    ),
    "progress.my_lessons": Entry(
        lambda s, a, w: progress.my_lessons(s, a, w.catalogue),
        **PUPIL_SELF,
        reveals=lambda r, w: any(cell.status != "new" for _lesson, cell in r),
    ),
    # quizzes: an attempt is its pupil's alone (teachers read it in the pupil report)
    "quizzes.open_attempt": Entry(
        lambda s, a, w: quizzes.open_attempt(s, a, _quiz(w)),
        **PUPIL_SELF,
        reveals=lambda r, w: r.id == w.attempt_id,
    ),
    "quizzes.get_attempt": Entry(lambda s, a, w: quizzes.get_attempt(s, a, w.attempt_id), ("pupil",)),
    "quizzes.answers": Entry(lambda s, a, w: quizzes.answers(s, a, w.attempt_id), ("pupil",)),
    "quizzes.submit_answer": Entry(
        lambda s, a, w: quizzes.submit_answer(
            s, a, w.attempt_id, _quiz(w).questions[0], _quiz(w).questions[0].right_answer()
        ),
        ("pupil",),
    ),
    "quizzes.finish_attempt": Entry(
        lambda s, a, w: quizzes.finish_attempt(s, a, w.attempt_id, _quiz(w)), ("pupil",)
    ),
    # staff training: a staff member's own record; the admin reads their own school's
    "training.start_module": Entry(
        lambda s, a, w: training.start_module(s, a, w.catalogue.training_modules()[0], 3),
        **TRAINING_SELF,
        reveals=lambda r, w: r.confidence_before == TEACHER_CONFIDENCE,
    ),
    "training.module_record": Entry(
        lambda s, a, w: training.module_record(s, a, w.catalogue.training_modules()[0]),
        **TRAINING_SELF,
        reveals=lambda r, w: r is not None,
    ),
    "training.save_step": Entry(lambda s, a, w: _train(s, a, w, "step"), **TRAINING_SELF),
    "training.answer_question": Entry(lambda s, a, w: _train(s, a, w, "answers"), **TRAINING_SELF),
    "training.complete_module": Entry(
        lambda s, a, w: _train(s, a, w, "complete"),
        **TRAINING_SELF,
        reveals=lambda r, w: r.confidence_before == TEACHER_CONFIDENCE,
    ),
    "training.my_record": Entry(
        lambda s, a, w: training.my_record(s, a, w.catalogue),
        **TRAINING_SELF,
        reveals=lambda r, w: any(item.status != "new" for item in r.modules),
    ),
    "training.certificate": Entry(
        lambda s, a, w: training.certificate(s, a, w.catalogue),
        **TRAINING_SELF,
        reveals=lambda r, w: r.name == "Teacher One",
    ),
    "training.school_record": Entry(
        lambda s, a, w: training.school_record(s, a, w.catalogue),
        **ADMIN_SELF,
        reveals=lambda r, w: any(row.staff_id == w.teacher_id and row.records for row in r),
    ),
    "training.school_record_csv": Entry(
        lambda s, a, w: training.school_record_csv(s, a, w.catalogue, "en"),
        **ADMIN_SELF,
        reveals=lambda r, w: "Teacher One" in r,
    ),
}


# ---------------------------------------------------------------- every function is in a table


def _service_functions() -> dict[str, inspect.Signature]:
    """Every public function defined in services/*.py, as module.function."""
    found = {}
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"amane.services.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{info.name}.{name}"] = inspect.signature(function)
    return found


def test_every_function_taking_an_actor_is_in_the_matrix():
    with_actor = {name for name, sig in _service_functions().items() if "actor" in sig.parameters}
    in_matrix = {key.split("[")[0] for key in MATRIX}
    assert sorted(with_actor - in_matrix - set(ACTOR_AS_DATA)) == [], "add these to MATRIX"
    assert sorted((in_matrix | set(ACTOR_AS_DATA)) - with_actor) == [], "gone, or no longer take an actor"


def test_every_function_without_an_actor_says_why():
    without_actor = {name for name, sig in _service_functions().items() if "actor" not in sig.parameters}
    assert sorted(without_actor - set(NO_ACTOR)) == [], "add to NO_ACTOR with the reason it needs no actor"
    assert sorted(set(NO_ACTOR) - without_actor) == [], "gone, or now take an actor"


def test_the_signed_out_may_call_nothing_and_every_other_role_something():
    """Also guards the table against a misspelt role (which would silently mean "refused")."""
    named = {role for entry in MATRIX.values() for role in (*entry.allowed, *entry.own)}
    assert named <= set(ROLES)
    assert {entry.expected("signed_out") for entry in MATRIX.values()} == {"refused"}
    for role in ROLES[:-1]:
        outcomes = {entry.expected(role) for entry in MATRIX.values()}
        assert {"refused"} < outcomes, role


# ---------------------------------------------------------------- one case per function and role

Dump = dict[str, dict[object, tuple]]


def _dump(session: Session) -> Dump:
    """Every row of every table, by table and primary key (pending writes flushed first)."""
    session.flush()
    return {
        table.name: {
            row[0]: tuple(row) for row in session.execute(select(table).order_by(*table.primary_key))
        }
        for table in SQLModel.metadata.sorted_tables
    }


def _changed(before: Dump, after: Dump) -> set[tuple[str, object]]:
    """Rows that existed before and were updated or deleted."""
    return {
        (table, key)
        for table, rows in before.items()
        for key, row in rows.items()
        if after[table].get(key) != row
    }


def _own_rows(actor: Actor | None) -> set[tuple[str, object]]:
    if isinstance(actor, PupilActor):
        return {("pupil", actor.id)}
    if isinstance(actor, StaffActor):
        return {("staff_user", actor.id)} | ({("school", actor.school_id)} if actor.is_admin else set())
    return set()


@pytest.mark.parametrize(
    ("key", "role"), [pytest.param(key, role, id=f"{key}-{role}") for key in MATRIX for role in ROLES]
)
def test_access(world, unit, key, role):
    entry = MATRIX[key]
    actor = world.actors[role]
    before = _dump(unit)
    expected = entry.expected(role)
    if expected == "refused":
        with pytest.raises(AccessDenied):
            entry.call(unit, actor, world)
        assert _dump(unit) == before, "a refused call changed the database"
        return
    if expected == "own" and role.startswith("far_"):
        # An install holds one school, so another school's actor has no row here (conftest's
        # seed_far_school): it may be refused outright, or reach only its own (nothing).
        try:
            result = entry.call(unit, actor, world)
        except AccessDenied:
            assert _dump(unit) == before, "a refused call changed the database"
            return
    else:
        result = entry.call(unit, actor, world)
    if expected == "allowed":
        assert entry.reveals is None or entry.reveals(result, world), "the reveals check sees nothing"
        return
    assert entry.reveals is None or not entry.reveals(result, world), "shows the seeded class's data"
    assert _changed(before, _dump(unit)) <= _own_rows(actor), "changed rows that are not the actor's"
