"""Item-writing rules for quizzes (issue 12, docs/content-authoring.md "Item-writing rules").

What can be measured is measured per age band, over every question of the band's quizzes (review
questions included), and in every language: a pupil reading French must not find the answer by
its length any more than one reading English. Problems come back as the loader's
`path:line: field: message` errors, pointing at the questions to rewrite; `content_report` prints
the same measurements as a table, one row per band.

Two rules are not measurable and are left to review: wrong options are real misconceptions (no
joke distractors), and ordering items never grade "tell a trusted adult" by its position.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from amane.models.content import (
    BANDS,
    LANGUAGES,
    QUESTION_KINDS,
    MultipleChoice,
    Question,
    SingleChoice,
    TrueFalse,
)
from amane.models.content_loader import Catalogue, ContentError, read_yaml

MIN_SINGLE_OPTIONS = 3
# The right option is "given away" at this multiple of the longest wrong option's length.
GIVEAWAY_RATIO = Fraction(7, 5)  # 1.4
# Share of a band's single-choice items whose right option is strictly the longest.
MAX_RIGHT_LONGEST_SHARE = Fraction(1, 3)
# Share of a band's true/false items whose answer is true.
MIN_TRUE_SHARE = Fraction(2, 5)
MAX_TRUE_SHARE = Fraction(3, 5)
# A band with 1 or 3 true/false items cannot be 40-60% true: one item more of either answer is
# as balanced as the count allows, and is accepted (from 5 items on, this is the 40-60% rule).
MAX_TRUE_FALSE_GAP = 1
# Share of a band's multiple-choice items where every option but one is right.
MAX_ALL_BUT_ONE_SHARE = Fraction(1, 4)
# Where the right option ranks by length (shortest, in between, longest) must not be a habit either:
# once "never the longest" is known, "always the middle one" would be the next cue.
MAX_SAME_LENGTH_RANK_SHARE = Fraction(1, 2)
LENGTH_RANKS = ("shortest", "between", "longest")


def field_name(path: tuple) -> str:
    """A data path as the loader names fields: ('questions', 2, 'options') -> questions[2].options."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def line_of(lines: dict[tuple, int], path: tuple) -> int:
    """The line of `path`, or of its nearest parent the file has a line for (else 1)."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


@dataclass(frozen=True)
class PlacedQuestion:
    """A quiz question and where it is written."""

    question: Question
    path: str  # relative to the content root, e.g. quizzes/9-11/sample-9-11.yaml
    index: int  # position in the quiz's `questions`
    lines: dict[tuple, int]

    def error(self, keys: tuple, message: str) -> ContentError:
        path = ("questions", self.index, *keys)
        return ContentError(self.path, line_of(self.lines, path), field_name(path), message)


def band_questions(catalogue: Catalogue) -> dict[str, list[PlacedQuestion]]:
    """Every quiz question of each band (the band of the quiz's lesson), in course order."""
    found: dict[str, list[PlacedQuestion]] = {band: [] for band in BANDS}
    for band in BANDS:
        for lesson in catalogue.lessons_for_band(band):
            quiz = catalogue.quiz_for(lesson.id)
            if quiz is None:
                continue
            path = catalogue.files.get(quiz.id, quiz.id)
            file = catalogue.root / path
            lines = read_yaml(file)[1] if file.is_file() else {}
            found[band] += [PlacedQuestion(q, path, i, lines) for i, q in enumerate(quiz.questions)]
    return found


# ---------------------------------------------------------------- one question


def right_option_index(question: SingleChoice) -> int:
    return next(index for index, option in enumerate(question.options) if option.correct)


def lengths(question: SingleChoice, language: str) -> tuple[int, int]:
    """(right option, longest wrong option) lengths in characters, in one language."""
    right = len(question.options[right_option_index(question)].text.get(language))
    wrong = max(len(option.text.get(language)) for option in question.options if not option.correct)
    return right, wrong


def right_is_longest(question: SingleChoice, language: str) -> bool:
    right, wrong = lengths(question, language)
    return right > wrong


def length_rank(question: SingleChoice, language: str) -> str:
    """Where the right option stands among the options by length: shortest, between or longest."""
    right = len(question.options[right_option_index(question)].text.get(language))
    others = [len(option.text.get(language)) for option in question.options if not option.correct]
    if right > max(others):
        return "longest"
    if right < min(others):
        return "shortest"
    return "between"


def gives_answer_away(question: SingleChoice, language: str) -> bool:
    right, wrong = lengths(question, language)
    return right >= GIVEAWAY_RATIO * wrong


def all_but_one_right(question: MultipleChoice) -> bool:
    return sum(option.correct for option in question.options) == len(question.options) - 1


# ---------------------------------------------------------------- one band


def _share(count: int, total: int) -> Fraction | None:
    return Fraction(count, total) if total else None


@dataclass(frozen=True)
class BandStats:
    band: str
    kinds: dict[str, int]  # questions per kind, every kind of QUESTION_KINDS
    single_options: tuple[int, ...]  # options of each single-choice item
    right_longest: dict[str, int]  # per language: single-choice items whose right option is longest
    ranks: dict[str, Counter]  # per language: how many right options are shortest, between, longest
    true_answers: int
    all_but_one: int
    reviews: int  # questions with review_of

    @property
    def questions(self) -> int:
        return sum(self.kinds.values())

    @property
    def singles(self) -> int:
        return self.kinds["single"]

    @property
    def true_false(self) -> int:
        return self.kinds["true_false"]

    @property
    def multiples(self) -> int:
        return self.kinds["multiple"]

    def right_longest_share(self, language: str) -> Fraction | None:
        return _share(self.right_longest[language], self.singles)

    def right_longest_ok(self, language: str) -> bool:
        share = self.right_longest_share(language)
        return share is None or share <= MAX_RIGHT_LONGEST_SHARE

    def crowded_rank(self, language: str) -> str | None:
        """The length rank that holds more than MAX_SAME_LENGTH_RANK_SHARE of the right options."""
        for rank, count in self.ranks[language].items():
            if rank == "longest":
                continue  # a stricter rule of its own (MAX_RIGHT_LONGEST_SHARE)
            share = _share(count, self.singles)
            if share is not None and share > MAX_SAME_LENGTH_RANK_SHARE:
                return rank
        return None

    @property
    def true_share(self) -> Fraction | None:
        return _share(self.true_answers, self.true_false)

    @property
    def true_false_ok(self) -> bool:
        share = self.true_share
        gap = abs(2 * self.true_answers - self.true_false)  # |true - false|
        return share is None or MIN_TRUE_SHARE <= share <= MAX_TRUE_SHARE or gap <= MAX_TRUE_FALSE_GAP

    @property
    def all_but_one_share(self) -> Fraction | None:
        return _share(self.all_but_one, self.multiples)

    @property
    def all_but_one_ok(self) -> bool:
        share = self.all_but_one_share
        return share is None or share <= MAX_ALL_BUT_ONE_SHARE


def measure(band: str, placed: list[PlacedQuestion]) -> BandStats:
    questions = [p.question for p in placed]
    singles = [q for q in questions if isinstance(q, SingleChoice)]
    kinds = Counter(q.kind for q in questions)
    return BandStats(
        band=band,
        kinds={kind: kinds[kind] for kind in QUESTION_KINDS},
        single_options=tuple(len(q.options) for q in singles),
        right_longest={lang: sum(right_is_longest(q, lang) for q in singles) for lang in LANGUAGES},
        ranks={lang: Counter(length_rank(q, lang) for q in singles) for lang in LANGUAGES},
        true_answers=sum(q.answer for q in questions if isinstance(q, TrueFalse)),
        all_but_one=sum(all_but_one_right(q) for q in questions if isinstance(q, MultipleChoice)),
        reviews=sum(q.review_of is not None for q in questions),
    )


def _percent(count: int, total: int) -> str:
    return f"{count}/{total} ({count / total:.0%})" if total else "-"


def band_problems(band: str, placed: list[PlacedQuestion]) -> list[ContentError]:
    stats = measure(band, placed)
    problems: list[ContentError] = []
    over = [lang for lang in LANGUAGES if not stats.right_longest_ok(lang)]
    too_many_all_but_one = not stats.all_but_one_ok
    for item in placed:
        question = item.question
        if isinstance(question, SingleChoice):
            right = right_option_index(question)
            if len(question.options) < MIN_SINGLE_OPTIONS:
                problems.append(
                    item.error(
                        ("options",),
                        f"a single-choice question needs at least {MIN_SINGLE_OPTIONS} options, "
                        f"this one has {len(question.options)}",
                    )
                )
            for lang in LANGUAGES:
                if gives_answer_away(question, lang):
                    long, wrong = lengths(question, lang)
                    problems.append(
                        item.error(
                            ("options", right, "text", lang),
                            f"the right option ({long} characters) is {long / wrong:.1f} times the longest "
                            f"wrong option ({wrong}): its length gives it away (keep it under "
                            f"{float(GIVEAWAY_RATIO)} times)",
                        )
                    )
            for lang in LANGUAGES:
                crowded = stats.crowded_rank(lang)
                if crowded is not None and length_rank(question, lang) == crowded:
                    count = stats.ranks[lang][crowded]
                    problems.append(
                        item.error(
                            ("options", right, "text", lang),
                            f"the right option is the {crowded} by length ({lang}), as in "
                            f"{_percent(count, stats.singles)} single-choice items of band {band}; at most "
                            "half: vary which option is longest, shortest and in between",
                        )
                    )
            longest_in = [lang for lang in over if right_is_longest(question, lang)]
            if longest_in:
                counts = ", ".join(
                    f"{lang} {_percent(stats.right_longest[lang], stats.singles)}" for lang in over
                )
                problems.append(
                    item.error(
                        ("options", right),
                        f"the right option is the longest ({', '.join(longest_in)}), as in too many "
                        f"single-choice items of band {band}: {counts}; at most a third: make a wrong "
                        "option as full, or the right one shorter",
                    )
                )
        elif isinstance(question, TrueFalse) and not stats.true_false_ok:
            majority = 2 * stats.true_answers > stats.true_false
            if question.answer == majority:
                problems.append(
                    item.error(
                        ("answer",),
                        f"band {band} has {_percent(stats.true_answers, stats.true_false)} true/false "
                        f"items answered true; keep 40-60%: rewrite some {str(majority).lower()} "
                        f"statements as {str(not majority).lower()} ones",
                    )
                )
        elif isinstance(question, MultipleChoice) and too_many_all_but_one and all_but_one_right(question):
            problems.append(
                item.error(
                    ("options",),
                    f"every option but one is right, as in {_percent(stats.all_but_one, stats.multiples)} "
                    f"multiple-choice items of band {band}; at most a quarter: add wrong options or make "
                    "fewer right",
                )
            )
    return problems


# ---------------------------------------------------------------- the course


def item_problems(catalogue: Catalogue) -> list[ContentError]:
    """Every measurable item-writing rule, over every band."""
    return [
        problem
        for band, placed in band_questions(catalogue).items()
        for problem in band_problems(band, placed)
    ]


def content_report(catalogue: Catalogue) -> str:
    """The measurements per band, one table row each; '!' marks a value outside its rule."""

    def mark(ok: bool) -> str:
        return "" if ok else " !"

    header = (
        "| band | questions | " + " / ".join(QUESTION_KINDS) + " | options per single (min / mean) | "
        "right option longest (" + " / ".join(LANGUAGES) + ") | true/false answered true | "
        "multiple: all but one right | review questions | right option shortest / between / longest ("
        + "; ".join(LANGUAGES)
        + ") |"
    )
    rows = [header, "|---" * 9 + "|"]
    for band, placed in band_questions(catalogue).items():
        stats = measure(band, placed)
        options = stats.single_options
        options_cell = (
            f"{min(options)}{mark(min(options) >= MIN_SINGLE_OPTIONS)} / {sum(options) / len(options):.1f}"
            if options
            else "-"
        )
        longest = " / ".join(
            f"{_percent(stats.right_longest[lang], stats.singles)}{mark(stats.right_longest_ok(lang))}"
            for lang in LANGUAGES
        )
        rows.append(
            f"| {band} | {stats.questions} | "
            + " / ".join(str(stats.kinds[kind]) for kind in QUESTION_KINDS)
            + f" | {options_cell} | {longest} | "
            f"{_percent(stats.true_answers, stats.true_false)}{mark(stats.true_false_ok)} | "
            f"{_percent(stats.all_but_one, stats.multiples)}{mark(stats.all_but_one_ok)} | {stats.reviews} | "
            + "; ".join(
                "/".join(str(stats.ranks[lang][rank]) for rank in LENGTH_RANKS)
                + mark(stats.crowded_rank(lang) is None)
                for lang in LANGUAGES
            )
            + " |"
        )
    rules = (
        f"Rules: single choice >= {MIN_SINGLE_OPTIONS} options; right option strictly the longest in at "
        f"most {MAX_RIGHT_LONGEST_SHARE} of a band's single-choice items in each language, never "
        f"{float(GIVEAWAY_RATIO)} x the longest wrong option; true/false {float(MIN_TRUE_SHARE):.0%}-"
        f"{float(MAX_TRUE_SHARE):.0%} true; all but one right in at most {MAX_ALL_BUT_ONE_SHARE} of the "
        f"multiple-choice items; no length rank (shortest, between, longest) holds more than "
        f"{MAX_SAME_LENGTH_RANK_SHARE} of a band's right options. '!' marks a band outside a rule "
        "(make check-content names the questions)."
    )
    return "\n".join(rows) + "\n\n" + rules
