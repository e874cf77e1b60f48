"""Classes, their pupils, join codes and assigned lessons."""

from __future__ import annotations

import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlmodel import Session, select, update

from amane.clock import utcnow
from amane.i18n import LANGUAGES, N_, Nn_
from amane.models.content import BANDS
from amane.models.content_loader import Catalogue
from amane.models.tables import Assignment, Pupil, SchoolClass, SignInThrottle
from amane.services import assignments, audit, throttle
from amane.services.errors import Invalid
from amane.services.permissions import (
    Actor,
    PupilActor,
    StaffActor,
    require_class,
    require_pupil,
    require_staff,
    require_staff_account,
    require_staff_pupil,
    visible_classes,
)
from amane.services.pictures import (
    check_pictures,
    hash_pictures,
    is_old,
    new_picture_password,
    picture_count,
)
from amane.services.rules import (
    CLASS_ALERT_WINDOW,
    CLASS_CODE_ALPHABET,
    CLASS_CODE_LENGTH,
    CLASS_PICTURE_DELAYS,
    CLIENT_DELAYS,
    MAX_CLASS_CODE_INPUT,
    MAX_CLASS_NAME_LENGTH,
    MAX_PASTE_CHARS,
    MAX_PUPIL_NAME_LENGTH,
    MAX_PUPILS_PER_CLASS,
    MAX_PUPILS_PER_PASTE,
    PICTURE_PASSWORD_LENGTH,
    PUPIL_LOCKOUT,
    PUPIL_MAX_FAILED_LOGINS,
)

security_log = logging.getLogger("amane.security")  # ids and counts only: never a name or a code


@dataclass(frozen=True)
class ClassInfo:
    """A class as the pages see it."""

    id: int
    school_id: int
    teacher_id: int
    name: str
    age_band: str
    language: str
    join_code: str
    archived_at: datetime | None


def _class_info(row: SchoolClass) -> ClassInfo:
    return ClassInfo(
        row.id,
        row.school_id,
        row.teacher_id,
        row.name,
        row.age_band,
        row.language,
        row.join_code,
        row.archived_at,
    )


@dataclass(frozen=True)
class PupilInfo:
    """A pupil as the teacher's pages see them (never their picture password's hash)."""

    id: int
    class_id: int
    display_name: str
    locked_until: datetime | None  # wrong pictures: no sign-in until then (may be past)
    pictures: int  # how many pictures their card has (fewer than PICTURE_PASSWORD_LENGTH: an old card)

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > utcnow()

    @property
    def old_card(self) -> bool:
        return self.pictures < PICTURE_PASSWORD_LENGTH


def _pupil_info(row: Pupil) -> PupilInfo:
    return PupilInfo(
        row.id, row.class_id, row.display_name, row.locked_until, picture_count(row.picture_hash)
    )


def clean_name(raw: str) -> str:
    """Collapse spaces and strip control characters; keep every script."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", raw) if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def new_join_code() -> str:
    return "".join(secrets.choice(CLASS_CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))


def _unused_code(session: Session) -> str:
    code = new_join_code()
    while session.exec(select(SchoolClass.id).where(SchoolClass.join_code == code)).first():
        code = new_join_code()
    return code


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def _valid_class(name: str, age_band: str, language: str) -> str:
    """The cleaned class name, once name, band and language are checked."""
    name = clean_name(name)
    if not name or len(name) > MAX_CLASS_NAME_LENGTH:
        raise Invalid(
            Nn_(
                "Please give the class a name (up to {n} character).",
                "Please give the class a name (up to {n} characters).",
            ),
            n=MAX_CLASS_NAME_LENGTH,
        )
    if age_band not in BANDS:
        raise Invalid(N_("Please choose an age band."))
    if language not in LANGUAGES:
        raise Invalid(N_("Please choose a language."))
    return name


def create_class(
    session: Session, actor: Actor, name: str, age_band: str, language: str, catalogue: Catalogue
) -> ClassInfo:
    """A new class of the acting teacher, with every lesson of its age band assigned in the
    course's order (the teacher then chooses on the class's Lessons tab)."""
    staff = StaffActor.of(require_staff_account(session, actor))
    name = _valid_class(name, age_band, language)
    code = _unused_code(session)
    school_class = SchoolClass(
        school_id=staff.school_id,
        teacher_id=staff.id,
        name=name,
        age_band=age_band,
        language=language,
        join_code=code,
    )
    session.add(school_class)
    session.flush()
    lesson_ids = assignments.band_lessons(catalogue, age_band)
    assignments.replace_assignments(session, school_class, lesson_ids, {}, catalogue)
    audit.record(session, staff, "class_created", f"class:{school_class.id}")
    return _class_info(school_class)


def list_classes(session: Session, actor: Actor, include_archived: bool = False) -> list[ClassInfo]:
    """The acting teacher's classes; an admin sees every class of the school."""
    require_staff(actor)
    query = select(SchoolClass).where(visible_classes(actor))
    if not include_archived:
        query = query.where(SchoolClass.archived_at == None)  # noqa: E711
    return [_class_info(row) for row in session.exec(query.order_by(SchoolClass.name, SchoolClass.id)).all()]


def update_class(
    session: Session,
    actor: Actor,
    class_id: int,
    name: str,
    age_band: str,
    language: str,
    catalogue: Catalogue,
) -> ClassInfo:
    """Rename a class or change its band or language. A new age band brings every lesson of that
    band, as for a new class (due dates cleared; pupils' progress stays, see set_assignments)."""
    school_class = require_class(session, actor, class_id)
    new_band = age_band != school_class.age_band
    name = _valid_class(name, age_band, language)
    changed = sorted(
        field
        for field, value in (("name", name), ("age_band", age_band), ("language", language))
        if getattr(school_class, field) != value
    )
    school_class.name = name
    school_class.age_band = age_band
    school_class.language = language
    session.add(school_class)
    if changed:
        audit.record(session, actor, "class_updated", f"class:{class_id}", fields=changed)
    if new_band:
        lesson_ids = assignments.band_lessons(catalogue, age_band)
        assignments.set_assignments(session, actor, class_id, lesson_ids, {}, catalogue)
    return _class_info(school_class)


def archive_class(session: Session, actor: Actor, class_id: int) -> ClassInfo:
    """Hide the class and close its code; the retention period counts from the first archiving."""
    school_class = require_class(session, actor, class_id)
    if school_class.archived_at is None:
        school_class.archived_at = utcnow()
        session.add(school_class)
        audit.record(session, actor, "class_archived", f"class:{class_id}")
    return _class_info(school_class)


def unarchive_class(session: Session, actor: Actor, class_id: int) -> ClassInfo:
    school_class = require_class(session, actor, class_id)
    if school_class.archived_at is not None:
        school_class.archived_at = None
        session.add(school_class)
        audit.record(session, actor, "class_unarchived", f"class:{class_id}")
    return _class_info(school_class)


@dataclass(frozen=True)
class NewPupil:
    pupil: PupilInfo
    pictures: tuple[str, ...]  # shown once, on the sign-in cards


@dataclass(frozen=True)
class AddPupilsResult:
    added: list[NewPupil]
    duplicates: list[str]  # names already in the class or repeated in the list
    too_long: list[str]
    blank_lines: int


def add_pupils(session: Session, actor: Actor, class_id: int, pasted: str) -> AddPupilsResult:
    """Add one pupil per non-blank line; each gets a new picture password (shown once)."""
    school_class = require_class(session, actor, class_id)
    if len(pasted) > MAX_PASTE_CHARS:
        raise Invalid(
            Nn_(
                "The list is too long: paste at most {n} character at a time.",
                "The list is too long: paste at most {n} characters at a time.",
            ),
            n=MAX_PASTE_CHARS,
        )
    lines = pasted.splitlines()
    names = [clean_name(line) for line in lines]
    blank = sum(1 for name in names if not name)
    names = [name for name in names if name]
    if len(names) > MAX_PUPILS_PER_PASTE:
        raise Invalid(
            Nn_("Paste at most {n} name at a time.", "Paste at most {n} names at a time."),
            n=MAX_PUPILS_PER_PASTE,
        )
    existing = {
        p.casefold() for p in session.exec(select(Pupil.display_name).where(Pupil.class_id == class_id)).all()
    }
    if len(existing) + len(set(n.casefold() for n in names)) > MAX_PUPILS_PER_CLASS:
        raise Invalid(
            Nn_("A class can have at most {n} pupil.", "A class can have at most {n} pupils."),
            n=MAX_PUPILS_PER_CLASS,
        )
    added: list[tuple[Pupil, tuple[str, ...]]] = []
    duplicates: list[str] = []
    too_long: list[str] = []
    for name in names:
        if len(name) > MAX_PUPIL_NAME_LENGTH:
            too_long.append(name)
            continue
        if name.casefold() in existing:
            duplicates.append(name)
            continue
        existing.add(name.casefold())
        pictures = new_picture_password()
        pupil = Pupil(class_id=school_class.id, display_name=name, picture_hash=hash_pictures(pictures))
        session.add(pupil)
        added.append((pupil, pictures))
    session.flush()
    if added:
        audit.record(session, actor, "pupils_added", f"class:{class_id}", count=len(added))
    new_pupils = [NewPupil(_pupil_info(pupil), pictures) for pupil, pictures in added]
    return AddPupilsResult(new_pupils, duplicates, too_long, blank)


def rename_pupil(session: Session, actor: Actor, pupil_id: int, new_name: str) -> PupilInfo:
    """Same cleaning and limits as add_pupils; refused if another pupil of the class has the name."""
    pupil, _ = require_staff_pupil(session, actor, pupil_id)
    name = clean_name(new_name)
    if not name or len(name) > MAX_PUPIL_NAME_LENGTH:
        raise Invalid(
            Nn_("Please type a name of up to {n} character.", "Please type a name of up to {n} characters."),
            n=MAX_PUPIL_NAME_LENGTH,
        )
    others = session.exec(
        select(Pupil.display_name).where(Pupil.class_id == pupil.class_id, Pupil.id != pupil.id)
    ).all()
    if name.casefold() in {other.casefold() for other in others}:
        raise Invalid(N_("Another pupil in this class already has this name."))
    if name != pupil.display_name:
        pupil.display_name = name
        session.add(pupil)
        audit.record(session, actor, "pupil_renamed", f"pupil:{pupil.id}")
    return _pupil_info(pupil)


def list_pupils(session: Session, actor: Actor, class_id: int) -> list[PupilInfo]:
    require_class(session, actor, class_id)
    rows = session.exec(
        select(Pupil.id, Pupil.class_id, Pupil.display_name, Pupil.locked_until, Pupil.picture_hash)
        .where(Pupil.class_id == class_id)
        .order_by(Pupil.display_name, Pupil.id)
    ).all()
    return [PupilInfo(*row[:4], picture_count(row[4])) for row in rows]


def assigned_lesson_ids(session: Session, class_id: int) -> list[str]:
    """Internal: callers have already checked access to the class."""
    rows = session.exec(
        select(Assignment.lesson_id)
        .where(Assignment.class_id == class_id)
        .order_by(Assignment.position, Assignment.id)
    ).all()
    return list(rows)


# ---------------------------------------------------------------- pupil sign-in


@dataclass(frozen=True)
class ClassDoor:
    """What a child sees after typing a class code: the class and its pupils' names."""

    class_id: int
    name: str
    language: str
    pupils: list[tuple[int, str]]
    join_code: str  # what a class computer's cookie names


class TryLater(Invalid):
    """Too many wrong tries just now, in this class or from this computer: no check at all until
    the growing delay (services/throttle.py) has passed."""

    def __init__(self) -> None:
        super().__init__(N_("Wait a little, then try again."))


def open_class(
    session: Session, code: str, client: str | None = None, now: datetime | None = None
) -> ClassDoor | None:
    """The class whose code was typed (spaces, dashes and case ignored), or None. `client`
    (throttle.client_key of the browser's address) when a person typed the code: wrong codes then
    slow that client down (raises TryLater) and are logged, without the code. None for a code we
    signed ourselves (a class computer's cookie)."""
    now = now or utcnow()
    if client is not None and throttle.wait_left(session, client, now):
        raise TryLater()
    door = _door(session, code)
    if door is None and client is not None:
        wait = throttle.record_failure(session, client, CLIENT_DELAYS, now)
        count = throttle.failures(session, client, now - CLIENT_DELAYS.forget_after)
        security_log.warning(
            "wrong class code from client %s (%d wrong tries lately%s)",
            client.removeprefix("client:")[:8],
            count,
            f", next try waits {wait.total_seconds():.0f} s" if wait else "",
        )
    return door


def _door(session: Session, code: str) -> ClassDoor | None:
    if len(code) > MAX_CLASS_CODE_INPUT:
        return None
    code = normalize_code(code)
    if len(code) != CLASS_CODE_LENGTH:
        return None
    school_class = session.exec(
        select(SchoolClass).where(SchoolClass.join_code == code, SchoolClass.archived_at == None)
    ).first()  # noqa: E711
    if school_class is None:
        return None
    pupils = session.exec(
        select(Pupil.id, Pupil.display_name)
        .where(Pupil.class_id == school_class.id)
        .order_by(Pupil.display_name, Pupil.id)
    ).all()
    return ClassDoor(
        school_class.id,
        school_class.name,
        school_class.language,
        [tuple(p) for p in pupils],
        school_class.join_code,
    )


def pictures_to_tap(session: Session, class_id: int, pupil_id: int) -> int:
    """How many pictures this pupil's card has (4, or 3 on a card printed before): the picture
    step asks for that many taps. Public, like the names on the door."""
    stored = session.exec(
        select(Pupil.picture_hash).where(Pupil.id == pupil_id, Pupil.class_id == class_id)
    ).first()
    return picture_count(stored) if stored else PICTURE_PASSWORD_LENGTH


class PupilLocked(Invalid):
    def __init__(self) -> None:
        super().__init__(N_("Too many tries. Wait a little, or ask your teacher to unlock your pictures."))


class WrongPictures(Invalid):
    def __init__(self, tries_left: int) -> None:
        super().__init__(
            N_("Those pictures are not right. Try again slowly. Tries left: {tries}"), tries=tries_left
        )
        self.tries_left = tries_left


def pupil_sign_in(
    session: Session,
    code: str,
    pupil_id: int,
    pictures: list[str],
    client: str,
    now: datetime | None = None,
) -> PupilActor:
    """Check a pupil's picture password, tapped at the door of the class whose code is `code`
    (ClassDoor.join_code: once the class has a new code, a door opened with the old one signs
    nobody in), from `client` (throttle.client_key of the browser's address). Returns a
    PupilActor; raises TryLater (the class or this client must wait first: no check),
    PupilLocked (PUPIL_MAX_FAILED_LOGINS wrong tries: PUPIL_LOCKOUT, or until the teacher
    unlocks) or WrongPictures. A wrong try counts for the pupil, the class and the client."""
    now = now or utcnow()
    pupil = session.get(Pupil, pupil_id)
    school_class = session.exec(select(SchoolClass).where(SchoolClass.join_code == code)).first()
    if pupil is None or school_class is None or pupil.class_id != school_class.id or school_class.archived_at:
        raise Invalid(N_("Please choose your name again."))
    class_id = school_class.id
    if throttle.wait_left(session, throttle.class_key(class_id), now) or throttle.wait_left(
        session, client, now
    ):
        raise TryLater()
    if pupil.locked_until is not None and pupil.locked_until > now:
        raise PupilLocked()
    if check_pictures(pictures, pupil.picture_hash):
        if is_old(pupil.picture_hash):  # same pictures, stored with scrypt from now on
            pupil.picture_hash = hash_pictures(pictures)
        pupil.failed_logins = 0
        pupil.locked_until = None
        session.add(pupil)
        return PupilActor(pupil.id, class_id, school_class.school_id, pupil.display_name)
    _wrong_pictures(session, pupil, school_class, client, now)


def _wrong_pictures(
    session: Session, pupil: Pupil, school_class: SchoolClass, client: str, now: datetime
) -> NoReturn:
    """Count a wrong try everywhere it counts, commit (the try counts even though we raise), raise."""
    # One UPDATE each, so wrong tries at the same moment (two tablets) all count.
    session.exec(update(Pupil).where(Pupil.id == pupil.id).values(failed_logins=Pupil.failed_logins + 1))
    locked = session.exec(
        update(Pupil)
        .where(Pupil.id == pupil.id, Pupil.failed_logins >= PUPIL_MAX_FAILED_LOGINS)
        .values(failed_logins=0, locked_until=now + PUPIL_LOCKOUT)
    ).rowcount
    if locked:
        audit.record(session, "system", "pupil_locked", f"pupil:{pupil.id}", school_class.school_id)
    class_key = throttle.class_key(school_class.id)
    class_wait = throttle.record_failure(session, class_key, CLASS_PICTURE_DELAYS, now)
    throttle.record_failure(session, client, CLIENT_DELAYS, now)
    if class_wait:
        security_log.warning(
            "wrong pictures in class %s: the class waits %.0f s", school_class.id, class_wait.total_seconds()
        )
    session.refresh(pupil)
    session.commit()
    if locked:
        raise PupilLocked()
    raise WrongPictures(PUPIL_MAX_FAILED_LOGINS - pupil.failed_logins)


def current_pupil(session: Session, actor: Actor) -> PupilActor | None:
    """The signed-in pupil, re-read on every page: None once deleted or their class archived. A lock
    by wrong tries does not sign out a pupil already in (anyone can make those tries)."""
    actor = require_pupil(actor)
    pupil = session.get(Pupil, actor.id)
    if pupil is None or pupil.class_id != actor.class_id:
        return None
    school_class = session.get(SchoolClass, pupil.class_id)
    if school_class is None or school_class.archived_at is not None:
        return None
    return PupilActor(pupil.id, pupil.class_id, school_class.school_id, pupil.display_name)


def unlock_pupil(session: Session, actor: Actor, pupil_id: int) -> None:
    pupil, _ = require_staff_pupil(session, actor, pupil_id)
    pupil.locked_until = None
    pupil.failed_logins = 0
    session.add(pupil)
    audit.record(session, actor, "pupil_unlocked", f"pupil:{pupil.id}")


def reset_pictures(session: Session, actor: Actor, pupil_id: int) -> tuple[str, ...]:
    """A new picture password (and unlock); returned once so the teacher can print a card."""
    pupil, _ = require_staff_pupil(session, actor, pupil_id)
    pictures = new_picture_password()
    pupil.picture_hash = hash_pictures(pictures)
    pupil.locked_until = None
    pupil.failed_logins = 0
    session.add(pupil)
    audit.record(session, actor, "pupil_pictures_reset", f"pupil:{pupil.id}")
    return pictures


# ---------------------------------------------------------------- guessing in a class


def classes_with_many_wrong_tries(
    session: Session, actor: Actor, now: datetime | None = None
) -> list[ClassInfo]:
    """The acting teacher's classes (an admin's: the school's) whose picture door has had its
    growing delays on within CLASS_ALERT_WINDOW: someone may be guessing. As throttle.failures,
    for every class in one query."""
    require_staff(actor)
    since = (now or utcnow()) - CLASS_ALERT_WINDOW
    keys = {throttle.class_key(c.id): c for c in list_classes(session, actor)}
    if not keys:
        return []
    guessed = session.exec(
        select(SignInThrottle.key).where(
            SignInThrottle.key.in_(keys),
            SignInThrottle.last_failure_at > since,
            SignInThrottle.failures > CLASS_PICTURE_DELAYS.free,
        )
    ).all()
    return [keys[key] for key in sorted(guessed, key=list(keys).index)]


def change_class_code(session: Session, actor: Actor, class_id: int) -> str:
    """A new code for the class (the old one opens nothing any more), and its picture door's
    delays forgotten. Class computers set to the old code show the class-code door again."""
    school_class = require_class(session, actor, class_id)
    school_class.join_code = _unused_code(session)
    session.add(school_class)
    throttle.clear(session, throttle.class_key(class_id))
    audit.record(session, actor, "class_code_changed", f"class:{class_id}")
    return school_class.join_code
