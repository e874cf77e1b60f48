"""The before-and-after check of each age band (issue 17, item 1): checks/<band>.yaml names 8 to
10 questions of the band's quizzes, so each question has one text, written once in its quiz.

A check is validated against the lessons and quizzes it names: an unknown lesson or question, a
lesson of another band, the same question twice, or a required topic of the band left out are
errors reported as path:line: field: message, like every other content error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from amane.models.content import BANDS, REQUIRED_TOPICS, Band, Lesson, Question, Quiz, Slug, Strict

MIN_ITEMS = 8
MAX_ITEMS = 10
FOLDER = "checks"


class CheckItem(Strict):
    lesson: Slug
    question: Slug


class BandCheck(Strict):
    band: Band
    items: list[CheckItem] = Field(min_length=MIN_ITEMS, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _each_once(self) -> BandCheck:
        keys = [(item.lesson, item.question) for item in self.items]
        if len(set(keys)) != len(keys):
            raise ValueError("the same question is in the check twice")
        return self


@dataclass(frozen=True)
class CheckQuestion:
    """One item of a check, resolved: the quiz question, and the topic it measures."""

    lesson_id: str
    topic: str
    question: Question

    @property
    def key(self) -> tuple[str, str]:
        return (self.lesson_id, self.question.id)


def resolve(check: BandCheck, lessons: dict[str, Lesson], quizzes: dict[str, Quiz]) -> list[CheckQuestion]:
    """The check's questions in its order (items whose lesson or question is gone are left out:
    the loader has refused such a file, so this only happens with hand-built catalogues)."""
    found = []
    for item in check.items:
        lesson, quiz = lessons.get(item.lesson), quizzes.get(item.lesson)
        question = next((q for q in quiz.questions if q.id == item.question), None) if quiz else None
        if lesson is not None and question is not None:
            found.append(CheckQuestion(lesson.id, lesson.topic, question))
    return found


def load_checks(
    root: Path, lessons: dict[str, Lesson], quizzes: dict[str, Quiz], shown
) -> tuple[dict[str, BandCheck], list]:
    """checks/*.yaml under `root`, validated against the lessons and quizzes: the checks by band,
    and the errors (ContentError). `shown(path)` is how the loader names a file."""
    from amane.models.content_loader import ContentError, parse_file, read_yaml

    checks: dict[str, BandCheck] = {}
    errors: list[ContentError] = []
    folder = root / FOLDER
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        where = shown(path)
        check, problems = parse_file(path, BandCheck, where)
        errors.extend(problems)
        if check is None:
            continue
        _, lines = read_yaml(path)
        found = _cross_check(check, path.stem, lessons, quizzes, where, lines, ContentError)
        errors.extend(found)
        if check.band in checks:
            errors.append(
                ContentError(where, lines.get(("band",), 1), "band", f"band '{check.band}' has two checks")
            )
        elif not found:
            checks[check.band] = check
    return checks, errors


def _cross_check(check: BandCheck, stem: str, lessons, quizzes, where: str, lines: dict, error) -> list:
    problems = []
    if stem in BANDS and stem != check.band:
        problems.append(
            error(where, lines.get(("band",), 1), "band", f"band '{check.band}' but the file is {stem}.yaml")
        )
    covered = set()
    for index, item in enumerate(check.items):
        lesson = lessons.get(item.lesson)
        quiz = quizzes.get(item.lesson)
        if lesson is None:
            line = lines.get(("items", index, "lesson"), 1)
            problems.append(
                error(where, line, f"items[{index}].lesson", f"no lesson with id '{item.lesson}'")
            )
            continue
        if lesson.band != check.band:
            line = lines.get(("items", index, "lesson"), 1)
            problems.append(
                error(where, line, f"items[{index}].lesson", f"'{item.lesson}' is a lesson of {lesson.band}")
            )
        if quiz is None or all(question.id != item.question for question in quiz.questions):
            line = lines.get(("items", index, "question"), 1)
            problems.append(
                error(
                    where,
                    line,
                    f"items[{index}].question",
                    f"the quiz of '{item.lesson}' has no question '{item.question}'",
                )
            )
            continue
        covered.add(lesson.topic)
    missing = sorted(REQUIRED_TOPICS.get(check.band, frozenset()) - covered)
    if missing:
        problems.append(
            error(
                where,
                lines.get(("items",), 1),
                "items",
                f"no item on the required topics: {', '.join(missing)}",
            )
        )
    return problems
