"""Curriculum-level checks over a loaded catalogue (beyond what each file's schema checks).

The schema makes each file well-formed; these rules make the course complete: every band has
its required topics, every lesson its quiz, review questions look back, the youngest
bands never touch teen-only topics, every file uses the glossary's terms (glossary_check.py)
and each band's quizzes follow the item-writing rules (item_rules.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from amane.models.content import BANDS, LANGUAGES, REQUIRED_TOPICS, TEEN_BANDS, TOPICS, LocalText
from amane.models.content_loader import Catalogue, ContentError, read_yaml
from amane.models.glossary_check import CONTENT_FOLDERS, glossary_violations
from amane.models.item_rules import item_problems
from amane.models.training_checks import training_coverage, training_problems

MIN_LESSONS_PER_BAND = 6
MIN_GUIDES = 10

# Words that must not appear in lessons for ages 6-11 (teen-only themes), per language.
TEEN_ONLY_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("nude", "sexual", "sextortion", "sexting", "naked"),
    "fr": ("nude", "nudes", "sexuel", "sexuelle", "sextorsion", "sextage"),
    "ar": ("جنسي", "جنسية", "عاري", "عارية", "ابتزاز جنسي"),
}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    @classmethod
    def from_error(cls, error: ContentError) -> Problem:
        """A loader-style error (path, line, field) as a problem: `path:line: field: message`."""
        return cls(f"{error.path}:{error.line}", f"{error.field or '(file)'}: {error.message}")


def _texts(value: object):
    """Every LocalText inside a content object."""
    if isinstance(value, LocalText):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif hasattr(value, "__pydantic_fields__"):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))


def glossary_problems(catalogue: Catalogue) -> list[Problem]:
    if catalogue.glossary is None:
        return []
    problems = []
    for folder in CONTENT_FOLDERS:
        for path in sorted((catalogue.root / folder).rglob("*.yaml")):
            if path.name == "glossary.yaml":
                continue
            label = str(path.relative_to(catalogue.root))
            lines = read_yaml(path)[1]  # every file parsed when the catalogue loaded
            text = path.read_text(encoding="utf-8")
            found = glossary_violations(catalogue.glossary, label, text, lines)
            problems += [Problem.from_error(error) for error in found]
    return problems


def completeness_problems(catalogue: Catalogue) -> list[Problem]:
    problems = glossary_problems(catalogue)
    problems += [Problem.from_error(error) for error in item_problems(catalogue)]
    problems += [Problem.from_error(error) for error in training_problems(catalogue)]
    where = catalogue.files.get
    for band in BANDS:
        lessons = catalogue.lessons_for_band(band)
        if len(lessons) < MIN_LESSONS_PER_BAND:
            problems.append(
                Problem(f"lessons/{band}", f"{len(lessons)} lessons, at least {MIN_LESSONS_PER_BAND} needed")
            )
        missing = REQUIRED_TOPICS[band] - {lesson.topic for lesson in lessons}
        if missing:
            problems.append(
                Problem(f"lessons/{band}", f"no lesson on required topic(s): {', '.join(sorted(missing))}")
            )
        orders = [lesson.order for lesson in lessons]
        if len(set(orders)) != len(orders):
            problems.append(Problem(f"lessons/{band}", "two lessons share the same 'order'"))

    for lesson in catalogue.lessons.values():
        here = where(lesson.id, lesson.id)
        if lesson.band not in TEEN_BANDS:
            for text in _texts(lesson):
                for lang in LANGUAGES:
                    words = TEEN_ONLY_WORDS[lang]
                    found = [
                        w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.get(lang).lower())
                    ]
                    if found:
                        problems.append(
                            Problem(here, f"teen-only word(s) {found} in a lesson for {lesson.band} ({lang})")
                        )
        quiz = catalogue.quiz_for(lesson.id)
        if quiz is None:
            problems.append(Problem(here, "has no quiz"))
            continue
        reviews = [q for q in quiz.questions if q.review_of]
        earlier_in_band = [e for e in catalogue.lessons_for_band(lesson.band) if e.order < lesson.order]
        if earlier_in_band and not reviews:
            problems.append(
                Problem(
                    where(quiz.id, quiz.id), "needs 1-2 review questions from earlier lessons of its band"
                )
            )
        for question in reviews:
            earlier = catalogue.lesson(question.review_of)
            same_band_earlier = earlier.band == lesson.band and earlier.order < lesson.order
            previous_band = BANDS.index(earlier.band) < BANDS.index(lesson.band)
            if not (same_band_earlier or (not earlier_in_band and previous_band)):
                problems.append(
                    Problem(
                        where(quiz.id, quiz.id),
                        f"question '{question.id}' reviews '{earlier.id}', which is not an earlier lesson",
                    )
                )

    if len(catalogue.guides) < MIN_GUIDES:
        problems.append(
            Problem("guidance", f"{len(catalogue.guides)} parent guides, at least {MIN_GUIDES} needed")
        )
    if not any(guide.agreement for guide in catalogue.guides.values()):
        problems.append(Problem("guidance", "no family agreement guide"))
    if catalogue.help is None:
        problems.append(Problem("guidance/help.yaml", "missing"))
    if catalogue.privacy is None:
        problems.append(Problem("guidance/privacy.yaml", "missing"))
    return problems


def coverage_table(catalogue: Catalogue) -> str:
    """Topics x bands: lessons / quiz questions per cell, as a Markdown table."""
    header = "| topic | " + " | ".join(BANDS) + " |"
    rows = [header, "|---|" + "---|" * len(BANDS)]
    totals = {band: [0, 0, 0] for band in BANDS}
    for topic in TOPICS:
        cells = []
        for band in BANDS:
            lessons = [lesson for lesson in catalogue.lessons_for_band(band) if lesson.topic == topic]
            questions = sum(len(q.questions) for lesson in lessons if (q := catalogue.quiz_for(lesson.id)))
            scenarios = sum(lesson.scenario_count() for lesson in lessons)
            totals[band][0] += len(lessons)
            totals[band][1] += scenarios
            totals[band][2] += questions
            cells.append(f"{len(lessons)} / {questions}" if lessons else "·")
        if any(cell != "·" for cell in cells):
            rows.append(f"| {topic} | " + " | ".join(cells) + " |")
    rows.append(
        "| **lessons / scenarios / questions** | "
        + " | ".join(f"**{t[0]} / {t[1]} / {t[2]}**" for t in totals.values())
        + " |"
    )
    return "\n".join(rows) + "\n\nCells: lessons / quiz questions.\n\n" + training_coverage(catalogue)
