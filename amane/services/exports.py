"""Spreadsheets (CSV) of a class for its teacher: the progress table and every quiz answer,
written by services/spreadsheet.py (Arabic-safe for Excel, formula-safe)."""

from __future__ import annotations

from sqlmodel import Session, select

from amane.i18n import t
from amane.models.content_loader import Catalogue
from amane.models.tables import Pupil, QuizAnswer, QuizAttempt
from amane.services import audit
from amane.services.classes import assigned_lesson_ids
from amane.services.lesson_status import class_grid
from amane.services.permissions import Actor, require_class
from amane.services.spreadsheet import csv_text

RIGHT, WRONG = "right", "wrong"


def _title(catalogue: Catalogue, lesson_id: str, lang: str) -> str:
    lesson = catalogue.lesson(lesson_id)
    return lesson.title.get(lang) if lesson else lesson_id


def dashboard_csv(session: Session, actor: Actor, class_id: int, catalogue: Catalogue, lang: str) -> str:
    """One row per pupil: the name, then status and best score for each assigned lesson."""
    table = class_grid(session, actor, class_id, catalogue)
    lesson_ids = table.lesson_ids
    header = [t("Pupil", lang=lang), *[_title(catalogue, lid, lang) for lid in lesson_ids]]
    rows = [
        [name, *[table.cell(pupil_id, lesson_id).text for lesson_id in lesson_ids]]
        for pupil_id, name in table.pupils
    ]
    audit.record(session, actor, "class_exported", f"class:{class_id}", kind="progress")
    return csv_text(header, rows)


def quiz_results_csv(session: Session, actor: Actor, class_id: int, catalogue: Catalogue, lang: str) -> str:
    """One row per finished quiz attempt of the class's pupils, with right/wrong per question."""
    require_class(session, actor, class_id)
    order = {lesson_id: index for index, lesson_id in enumerate(assigned_lesson_ids(session, class_id))}
    names = {
        pupil_id: (index, name)
        for index, (pupil_id, name) in enumerate(
            session.exec(
                select(Pupil.id, Pupil.display_name)
                .where(Pupil.class_id == class_id)
                .order_by(Pupil.display_name, Pupil.id)
            ).all()
        )
    }
    finished = (QuizAttempt.finished_at != None, Pupil.class_id == class_id)  # noqa: E711
    attempts = session.exec(
        select(QuizAttempt).join(Pupil, Pupil.id == QuizAttempt.pupil_id).where(*finished)
    ).all()
    results: dict[int, dict[str, bool]] = {}
    for attempt_id, question_id, correct in session.exec(
        select(QuizAnswer.attempt_id, QuizAnswer.question_id, QuizAnswer.correct)
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .join(Pupil, Pupil.id == QuizAttempt.pupil_id)
        .where(*finished)
    ).all():
        results.setdefault(attempt_id, {})[question_id] = correct

    def lesson_key(lesson_id: str) -> tuple[int, str]:  # assigned lessons first, in their order
        return order.get(lesson_id, len(order)), lesson_id

    attempts = sorted(attempts, key=lambda a: (names[a.pupil_id][0], lesson_key(a.lesson_id), a.number))
    question_ids: list[str] = []
    for lesson_id in sorted({a.lesson_id for a in attempts}, key=lesson_key):
        quiz = catalogue.quiz_for(lesson_id)
        question_ids += [q.id for q in quiz.questions] if quiz else []
    question_ids += sorted({qid for answers in results.values() for qid in answers} - set(question_ids))
    question_ids = list(dict.fromkeys(question_ids))
    header = [
        t("Pupil", lang=lang),
        t("Lesson", lang=lang),
        t("Attempt", lang=lang),
        t("Score", lang=lang),
        t("Out of", lang=lang),
        t("Finished on", lang=lang),
        *question_ids,
    ]
    rows = []
    for attempt in attempts:
        answered = results.get(attempt.id, {})
        rows.append(
            [
                names[attempt.pupil_id][1],
                _title(catalogue, attempt.lesson_id, lang),
                attempt.number,
                attempt.score,
                attempt.max_score,
                attempt.finished_at.date().isoformat(),
                *["" if qid not in answered else RIGHT if answered[qid] else WRONG for qid in question_ids],
            ]
        )
    audit.record(session, actor, "class_exported", f"class:{class_id}", kind="quiz_results")
    return csv_text(header, rows)
