"""The anonymous class climate pulse: a teacher opens it for a class, its pupils answer a few
questions about their online life (guidance/pulse.yaml), and the class sees counts only.

What is stored cannot lead back to a pupil (models/pulse_tables.py): counts per question and
choice, incremented in the answering pupil's transaction; days, never times; no pupil id. A pupil
answers once, checked with a marker, an HMAC of their id under the pulse's secret, deleted with
the secret when the pulse closes. Results show only once the pulse is closed (so nobody can watch
the counts move as a given pupil answers), only from PULSE_MIN_ANSWERS answers, and a question is
held back when one of its answers was chosen by fewer pupils than that (but more than none).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, exists, tuple_, update
from sqlmodel import Session, select

from amane.clock import utcnow
from amane.i18n import N_
from amane.models.content import LocalText
from amane.models.content_loader import Catalogue
from amane.models.db import insert_if_absent
from amane.models.pulse_content import PulseSet
from amane.models.pulse_tables import ClassPulse, PulseCount, PulseMarker
from amane.models.tables import SchoolClass
from amane.services import audit
from amane.services.errors import AccessDenied, Invalid
from amane.services.permissions import Actor, require_admin, require_class, require_pupil, visible_classes
from amane.services.rules import PULSE_MIN_ANSWERS


@dataclass(frozen=True)
class OpenPulse:
    """A pulse still taking answers, as its class's teacher sees it."""

    id: int
    opened_on: date
    answered: int


@dataclass(frozen=True)
class ChoiceCount:
    choice_id: str
    text: LocalText
    count: int
    previous: int | None  # the class's previous pulse's count, when that one was shown too


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    text: LocalText
    shown: bool  # False: held back, one of its answers was chosen by 1 to PULSE_MIN_ANSWERS-1 pupils
    choices: tuple[ChoiceCount, ...]  # empty when held back

    @property
    def answered(self) -> int:
        return sum(choice.count for choice in self.choices)


@dataclass(frozen=True)
class PulseResult:
    """A closed pulse: counts only, and nothing at all below PULSE_MIN_ANSWERS answers."""

    id: int
    opened_on: date
    closed_on: date
    answered: int
    previous_closed_on: date | None  # the pulse the changes are measured from
    questions: tuple[QuestionResult, ...]  # empty when too few pupils answered

    @property
    def enough(self) -> bool:
        return self.answered >= PULSE_MIN_ANSWERS


@dataclass(frozen=True)
class ClassPulses:
    open: OpenPulse | None
    results: tuple[PulseResult, ...]  # closed pulses, newest first


@dataclass(frozen=True)
class PupilPulse:
    """The open pulse of a pupil's class, and whether they have answered it."""

    id: int
    band: str
    answered: bool


@dataclass(frozen=True)
class BandSummary:
    """An admin's school summary for one age band: each class's latest closed pulse, added up
    question by question, counting only the questions each class was shown."""

    band: str
    classes: int  # classes with a closed pulse of this band
    answered: int
    questions: tuple[QuestionResult, ...]
    held_back: dict[str, int]  # question id -> classes whose answers to it were held back


def _today() -> date:
    return utcnow().date()


def _questions(catalogue: Catalogue, band: str) -> PulseSet:
    if catalogue.pulse is None or band not in catalogue.pulse.bands:
        raise Invalid(N_("There are no pulse questions for this age band."))
    return catalogue.pulse.for_band(band)


def _marker(secret: str, pupil_id: int) -> str:
    return hmac.new(bytes.fromhex(secret), str(pupil_id).encode(), hashlib.sha256).hexdigest()


def _open_row(session: Session, class_id: int) -> ClassPulse | None:
    return session.exec(select(ClassPulse).where(ClassPulse.open_class_id == class_id)).first()


# ---------------------------------------------------------------- the teacher


def open_pulse(session: Session, actor: Actor, class_id: int, catalogue: Catalogue) -> OpenPulse:
    """Open a pulse for the class, its counts at zero. One open pulse per class at a time."""
    school_class = require_class(session, actor, class_id)
    if school_class.archived_at is not None:
        raise Invalid(N_("This class is archived."))
    questions = _questions(catalogue, school_class.age_band)
    if _open_row(session, class_id) is not None:
        raise Invalid(N_("A pulse is already open for this class."))
    pulse = ClassPulse(
        class_id=class_id,
        open_class_id=class_id,
        band=school_class.age_band,
        opened_on=_today(),
        secret=secrets.token_hex(32),
    )
    session.add(pulse)
    session.flush()
    session.add_all(
        PulseCount(pulse_id=pulse.id, question_id=question.id, choice_id=choice.id)
        for question in questions.questions
        for choice in catalogue.pulse.choices(question)
    )
    audit.record(session, actor, "pulse_opened", f"class:{class_id}")
    session.flush()
    return OpenPulse(pulse.id, pulse.opened_on, 0)


def close_pulse(session: Session, actor: Actor, pulse_id: int) -> None:
    """Close the pulse: no more answers, and its markers and secret are deleted (a closed pulse
    keeps counts only). Closing a closed pulse changes nothing."""
    pulse = session.get(ClassPulse, pulse_id)
    if pulse is None:
        raise AccessDenied()
    require_class(session, actor, pulse.class_id)
    if pulse.closed_on is not None:
        return
    pulse.closed_on = _today()
    pulse.open_class_id = None
    pulse.secret = None
    session.add(pulse)
    session.flush()
    session.exec(delete(PulseMarker).where(PulseMarker.pulse_id == pulse.id))
    audit.record(session, actor, "pulse_closed", f"class:{pulse.class_id}")


def _counts(session: Session, pulse_ids: list[int]) -> dict[int, dict[tuple[str, str], int]]:
    found: dict[int, dict[tuple[str, str], int]] = {pulse_id: {} for pulse_id in pulse_ids}
    if pulse_ids:
        rows = session.exec(select(PulseCount).where(PulseCount.pulse_id.in_(pulse_ids))).all()
        for row in rows:
            found[row.pulse_id][(row.question_id, row.choice_id)] = row.count
    return found


def _shown(counts: list[int]) -> bool:
    return all(count == 0 or count >= PULSE_MIN_ANSWERS for count in counts)


def _question_results(
    catalogue: Catalogue,
    band: str,
    counts: dict[tuple[str, str], int],
    previous: dict[str, dict[str, int]],
) -> tuple[QuestionResult, ...]:
    """Each question's counts, or held back; `previous`: the earlier pulse's shown counts."""
    results = []
    for question in _questions(catalogue, band).questions:
        choices = catalogue.pulse.choices(question)
        numbers = [counts.get((question.id, choice.id), 0) for choice in choices]
        if not _shown(numbers):
            results.append(QuestionResult(question.id, question.text, False, ()))
            continue
        before = previous.get(question.id)
        results.append(
            QuestionResult(
                question.id,
                question.text,
                True,
                tuple(
                    ChoiceCount(choice.id, choice.text, number, before.get(choice.id, 0) if before else None)
                    for choice, number in zip(choices, numbers, strict=True)
                ),
            )
        )
    return tuple(results)


def class_pulses(session: Session, actor: Actor, class_id: int, catalogue: Catalogue) -> ClassPulses:
    """The class's open pulse (how many answered so far) and its closed pulses, newest first, each
    with the change since the class's previous closed pulse of the same questions. 3 queries."""
    require_class(session, actor, class_id)
    pulses = session.exec(
        select(ClassPulse).where(ClassPulse.class_id == class_id).order_by(ClassPulse.id)
    ).all()
    closed = [pulse for pulse in pulses if pulse.closed_on is not None]
    counts = _counts(session, [pulse.id for pulse in closed])
    results: list[PulseResult] = []
    shown_before: dict[str, tuple[date, dict[str, dict[str, int]]]] = {}  # band -> last shown pulse
    for pulse in closed:  # oldest first, so that each knows the one before
        enough = pulse.answered >= PULSE_MIN_ANSWERS
        previous_on, previous = shown_before.get(pulse.band, (None, {}))
        questions = _question_results(catalogue, pulse.band, counts[pulse.id], previous) if enough else ()
        results.append(
            PulseResult(pulse.id, pulse.opened_on, pulse.closed_on, pulse.answered, previous_on, questions)
        )
        if enough:
            shown_before[pulse.band] = (
                pulse.closed_on,
                {q.question_id: {c.choice_id: c.count for c in q.choices} for q in questions if q.shown},
            )
    still_open = next((p for p in pulses if p.closed_on is None), None)
    current = OpenPulse(still_open.id, still_open.opened_on, still_open.answered) if still_open else None
    return ClassPulses(current, tuple(reversed(results)))


def school_summary(session: Session, actor: Actor, catalogue: Catalogue) -> list[BandSummary]:
    """For the school's admin: per age band, every class's latest closed pulse added up. A class's
    answers to a question count only where that class was shown them (enough answers, no small
    group), so that no total can be taken apart into what a class was not shown. 2 queries."""
    admin = require_admin(actor)
    pulses = session.exec(
        select(ClassPulse)
        .join(SchoolClass, SchoolClass.id == ClassPulse.class_id)
        .where(visible_classes(admin), ClassPulse.closed_on != None)  # noqa: E711
        .order_by(ClassPulse.id)
    ).all()
    latest = {pulse.class_id: pulse for pulse in pulses}  # the newest closed pulse of each class
    counts = _counts(session, [pulse.id for pulse in latest.values()])
    summaries = []
    for band in catalogue.pulse.bands if catalogue.pulse else {}:
        of_band = [pulse for pulse in latest.values() if pulse.band == band]
        if not of_band:
            continue
        totals: dict[tuple[str, str], int] = {}
        held_back: dict[str, int] = {}
        for pulse in of_band:
            enough = pulse.answered >= PULSE_MIN_ANSWERS
            for result in _question_results(catalogue, band, counts[pulse.id], {}):
                if not (enough and result.shown):
                    held_back[result.question_id] = held_back.get(result.question_id, 0) + 1
                    continue
                for choice in result.choices:
                    key = (result.question_id, choice.choice_id)
                    totals[key] = totals.get(key, 0) + choice.count
        questions = _question_results(catalogue, band, {}, {})
        # A question left out for every class has nothing to add up: held back, not a row of zeros.
        summed = tuple(
            QuestionResult(q.question_id, q.text, False, ())
            if held_back.get(q.question_id, 0) == len(of_band)
            else QuestionResult(
                q.question_id,
                q.text,
                True,
                tuple(
                    ChoiceCount(c.choice_id, c.text, totals.get((q.question_id, c.choice_id), 0), None)
                    for c in q.choices
                ),
            )
            for q in questions
        )
        answered = sum(pulse.answered for pulse in of_band)
        summaries.append(BandSummary(band, len(of_band), answered, summed, held_back))
    return summaries


# ---------------------------------------------------------------- the pupil


def my_pulse(session: Session, actor: Actor) -> PupilPulse | None:
    """The open pulse of the pupil's class, if any, and whether they have answered it."""
    pupil = require_pupil(actor)
    pulse = _open_row(session, pupil.class_id)
    if pulse is None:
        return None
    marker = _marker(pulse.secret, pupil.id)
    answered = session.exec(
        select(PulseMarker.marker).where(PulseMarker.pulse_id == pulse.id, PulseMarker.marker == marker)
    ).first()
    return PupilPulse(pulse.id, pulse.band, answered is not None)


def answer_pulse(
    session: Session, actor: Actor, pulse_id: int, answers: Mapping[str, str], catalogue: Catalogue
) -> bool:
    """Count the pupil's answers (question id -> choice id; a skipped question is left out) once:
    True if counted, False if they had already answered. Nothing about the pupil is stored."""
    pupil = require_pupil(actor)
    pulse = session.get(ClassPulse, pulse_id)
    if pulse is None or pulse.class_id != pupil.class_id:
        raise AccessDenied()
    if pulse.closed_on is not None:
        raise Invalid(N_("This pulse is closed: thank you all the same."))
    questions = _questions(catalogue, pulse.band)
    offered = {q.id: {c.id for c in catalogue.pulse.choices(q)} for q in questions.questions}
    if any(choice not in offered.get(question, ()) for question, choice in answers.items()):
        raise Invalid(N_("Please choose one of the answers shown."))
    still_open = exists().where(ClassPulse.id == pulse.id, ClassPulse.closed_on == None)  # noqa: E711
    marker = PulseMarker(pulse_id=pulse.id, marker=_marker(pulse.secret, pupil.id))
    if not insert_if_absent(session, marker, "pulse_id", "marker", only_if=still_open):
        return False
    counted = session.exec(
        update(ClassPulse)
        .where(ClassPulse.id == pulse.id, ClassPulse.closed_on == None)  # noqa: E711
        .values(answered=ClassPulse.answered + 1)
    )
    if counted.rowcount != 1:  # closed by the teacher meanwhile: the caller rolls the marker back
        raise Invalid(N_("This pulse is closed: thank you all the same."))
    if answers:
        session.exec(
            update(PulseCount)
            .where(
                PulseCount.pulse_id == pulse.id,
                tuple_(PulseCount.question_id, PulseCount.choice_id).in_(list(answers.items())),
            )
            .values(count=PulseCount.count + 1)
        )
    return True


# ---------------------------------------------------------------- deletion


def delete_class_pulses(session: Session, class_ids: list[int]) -> None:
    """Delete every pulse of these classes (a class being deleted)."""
    pulse_ids = select(ClassPulse.id).where(ClassPulse.class_id.in_(class_ids))
    session.exec(delete(PulseMarker).where(PulseMarker.pulse_id.in_(pulse_ids)))
    session.exec(delete(PulseCount).where(PulseCount.pulse_id.in_(pulse_ids)))
    session.exec(delete(ClassPulse).where(ClassPulse.class_id.in_(class_ids)))
