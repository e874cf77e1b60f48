"""Schema of the YAML content: lessons, quizzes, parent guides and help resources.

Every text a person reads is a `LocalText` with the three languages. Models refuse
fields they do not know (`extra="forbid"`), so a typo in a YAML key is an error, not
silently ignored content.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from amane.i18n import LANGUAGES as UI_LANGUAGES
from amane.i18n import N_

# The same languages, in the course files' order: English (the source) first, then fr, ar.
LANGUAGES: tuple[str, ...] = tuple(reversed(UI_LANGUAGES))
BANDS: tuple[str, ...] = ("6-8", "9-11", "12-14", "15-17")

Band = Literal["6-8", "9-11", "12-14", "15-17"]
Topic = Literal[
    "cyberbullying",
    "personal_info",
    "passwords",
    "relationships",
    "images_consent",
    "sexual_images",
    "digital_footprint",
    "misinformation",
    "scams",
    "wellbeing",
    "hate_speech",
    "copyright",
    "getting_help",
]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]

# Topics that only teenagers are taught, and only teacher-led (curriculum.md, (f) rule 10).
TEEN_ONLY_TOPICS: frozenset[str] = frozenset({"sexual_images"})
TEEN_BANDS: frozenset[str] = frozenset({"12-14", "15-17"})

# The lesson topics each age band must cover (issue 3; curriculum.md section (a)).
REQUIRED_TOPICS: dict[str, frozenset[str]] = {
    "6-8": frozenset(
        {"cyberbullying", "personal_info", "passwords", "relationships", "misinformation", "wellbeing"}
    ),
    "9-11": frozenset(
        {"cyberbullying", "personal_info", "passwords", "relationships", "scams", "images_consent"}
    ),
    "12-14": frozenset(
        {"cyberbullying", "personal_info", "passwords", "relationships", "sexual_images", "hate_speech"}
    ),
    "15-17": frozenset(
        {"cyberbullying", "personal_info", "relationships", "sexual_images", "misinformation", "wellbeing"}
    ),
}

EfcwStrand = Literal[
    "self_image_identity",
    "online_relationships",
    "online_reputation",
    "online_bullying",
    "managing_online_information",
    "health_wellbeing_lifestyle",
    "privacy_security",
    "copyright_ownership",
]
CommonSenseTopic = Literal[
    "media_balance_wellbeing",
    "privacy_security",
    "digital_footprint_identity",
    "relationships_communication",
    "cyberbullying_drama_hate_speech",
    "news_media_literacy",
]
CoeDomain = Literal[
    "access_inclusion",
    "learning_creativity",
    "media_information_literacy",
    "ethics_empathy",
    "health_wellbeing",
    "e_presence_communications",
    "active_participation",
    "rights_responsibilities",
    "privacy_security",
    "consumer_awareness",
]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_TAG = re.compile(r"^S\d{1,3}$")


def shuffled_order(count: int, seed: str) -> list[int]:
    """0..count-1 in an order fixed by `seed` (a string seed gives the same order in every process,
    so a pupil sees the same order after a rerun, signing in again, or on another replica)."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return order


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """One text in the three languages, written together."""

    en: str
    fr: str
    ar: str

    @field_validator("en", "fr", "ar")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be empty")
        return value.strip()

    def get(self, lang: str) -> str:
        return getattr(self, lang if lang in LANGUAGES else "en")


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError("must be lowercase letters, digits and dashes, e.g. 'dont-reply'")
    return value


Slug = Annotated[str, AfterValidator(_slug)]


class Illustration(Strict):
    file: str = Field(description="path under assets/, e.g. illustrations/b-cyberbullying.svg")
    alt: LocalText

    @field_validator("file")
    @classmethod
    def _svg_under_assets(cls, value: str) -> str:
        if not value.startswith("illustrations/") or not value.endswith(".svg") or ".." in value:
            raise ValueError("must be an SVG under illustrations/, e.g. illustrations/my-lesson.svg")
        return value


# ---------------------------------------------------------------- lesson steps


class StoryStep(Strict):
    kind: Literal["story"]
    title: LocalText | None = None
    text: LocalText
    illustration: Illustration | None = None


class ExplainStep(Strict):
    kind: Literal["explain"]
    title: LocalText
    text: LocalText
    points: list[LocalText] = Field(default_factory=list, max_length=6)
    illustration: Illustration | None = None


class Keyword(Strict):
    term: LocalText
    meaning: LocalText


class KeywordsStep(Strict):
    kind: Literal["keywords"]
    title: LocalText | None = None
    words: list[Keyword] = Field(min_length=1, max_length=6)


class Choice(Strict):
    text: LocalText
    best: bool = False
    consequence: LocalText = Field(description="what happens next in the story")
    explanation: LocalText = Field(description="one line of coaching: why")


class ScenarioStep(Strict):
    kind: Literal["scenario"]
    title: LocalText | None = None
    situation: LocalText
    question: LocalText
    choices: list[Choice] = Field(min_length=2, max_length=4)
    illustration: Illustration | None = None

    @model_validator(mode="after")
    def _one_best_choice(self) -> ScenarioStep:
        if not any(choice.best for choice in self.choices):
            raise ValueError("a scenario needs at least one choice marked best: true")
        return self


class TipStep(Strict):
    kind: Literal["tip"]
    title: LocalText | None = None
    tips: list[LocalText] = Field(min_length=1, max_length=5)


class HelpStep(Strict):
    """The closing "who can help me" step of every lesson."""

    kind: Literal["help"]
    title: LocalText | None = None
    text: LocalText
    resources: list[str] = Field(default_factory=list, description="ids from guidance/help.yaml")


Step = Annotated[
    StoryStep | ExplainStep | KeywordsStep | ScenarioStep | TipStep | HelpStep,
    Field(discriminator="kind"),
]
STEP_KINDS: tuple[str, ...] = ("story", "explain", "keywords", "scenario", "tip", "help")


def _source_tags(value: list[str]) -> list[str]:
    for tag in value:
        if not SOURCE_TAG.match(tag):
            raise ValueError(f"'{tag}' is not a source tag from curriculum.md, e.g. S26")
    return value


# Where a text's facts come from: tags of ../shared/curriculum.md's sources (lessons, staff course).
SourceTags = Annotated[list[str], Field(min_length=1), AfterValidator(_source_tags)]


class Tags(Strict):
    efcw: EfcwStrand
    common_sense: CommonSenseTopic
    coe: CoeDomain


class TeacherNotes(Strict):
    duration_minutes: int = Field(ge=10, le=90)
    plan: list[LocalText] = Field(min_length=2)
    discussion: list[LocalText] = Field(min_length=2)
    content_note: LocalText | None = None
    disclosure: LocalText | None = Field(
        default=None, description="what to do if a child discloses something"
    )


class Lesson(Strict):
    id: Slug
    band: Band
    topic: Topic
    order: int = Field(ge=1, description="position in the band's default sequence")
    title: LocalText
    summary: LocalText
    objectives: list[LocalText] = Field(min_length=1, max_length=5, description='"I can..."')
    illustration: Illustration
    tags: Tags
    sources: SourceTags
    sensitive: bool = False
    teacher_notes: TeacherNotes
    steps: list[Step] = Field(min_length=6, max_length=12)

    @model_validator(mode="after")
    def _pedagogy(self) -> Lesson:
        kinds = [step.kind for step in self.steps]
        if kinds[-1] != "help":
            raise ValueError("the last step must be the 'help' step (who can help me)")
        if kinds.count("scenario") < 2:
            raise ValueError("a lesson needs at least two 'scenario' steps")
        if "keywords" not in kinds:
            raise ValueError("a lesson needs a 'keywords' step before its first scenario")
        if kinds.index("keywords") > kinds.index("scenario"):
            raise ValueError("key words must be taught before the first scenario")
        if self.topic in TEEN_ONLY_TOPICS:
            if self.band not in TEEN_BANDS:
                raise ValueError(f"topic '{self.topic}' is only for ages 12-14 and 15-17")
            if not self.sensitive:
                raise ValueError(f"topic '{self.topic}' must be marked sensitive: true")
        if self.sensitive and (
            self.teacher_notes.content_note is None or self.teacher_notes.disclosure is None
        ):
            raise ValueError("a sensitive lesson needs teacher_notes.content_note and .disclosure")
        return self

    def scenario_count(self) -> int:
        return sum(1 for step in self.steps if step.kind == "scenario")


# ---------------------------------------------------------------- quizzes


class Option(Strict):
    id: Slug
    text: LocalText
    correct: bool = False
    feedback: LocalText = Field(description="shown when this option is chosen: why right or wrong")
    misconception: LocalText | None = Field(
        default=None, description="for a wrong option: the belief it stands for"
    )

    @model_validator(mode="after")
    def _wrong_has_misconception(self) -> Option:
        if not self.correct and self.misconception is None:
            raise ValueError("a wrong option needs a 'misconception'")
        return self


Label = LocalText | str  # content text, or an English msgid the page translates
TRUE = N_("True")
FALSE = N_("False")
RIGHT_ORDER = N_("Right order")
WRONG_ORDER = N_("Wrong order")
CHOOSE_AN_ANSWER = N_("Please choose an answer.")
PLACE_EVERY_ITEM = N_("Please put every item in a place.")


@dataclass(frozen=True)
class OptionCount:
    """How often the class gave one answer to a question (the teacher's difficult questions)."""

    label: Label
    chosen: int
    correct: bool
    misconception: LocalText | None = None  # for a wrong answer


class _Question(Strict):
    """A quiz question. Answers are lists, as the database stores them: chosen option ids (single,
    multiple), [True] or [False] (true/false), or item indexes in the order given (ordering).
    Each kind knows how to check, grade and describe its answers."""

    id: Slug
    prompt: LocalText
    review_of: str | None = Field(default=None, description="lesson id this question revisits")

    def right_answer(self) -> list:
        raise NotImplementedError

    def wrong_answers(self) -> list[list]:
        """Some well-formed wrong answers (for demos, benchmarks and tests)."""
        raise NotImplementedError

    def answer_problem(self, answer: list) -> str | None:
        """Why this answer cannot be recorded (an English msgid), or None if it is well formed."""
        raise NotImplementedError

    def grade(self, answer: list) -> bool:
        return list(answer) == self.right_answer()

    def describe(self, answer: list) -> list[Label]:
        """The answer as the teacher reads it: option texts, True/False, or the items in order."""
        raise NotImplementedError

    def display_order(self, seed: str) -> list[int]:
        """The order its options (or steps) are shown in, for this seed (one per quiz attempt)."""
        return []

    def tally(self, given: list[list]) -> list[OptionCount]:
        """How often each answer was given, for the teacher's difficult questions."""
        raise NotImplementedError


class _Choice(_Question):
    options: list[Option]

    def answer_problem(self, answer: list) -> str | None:
        ids = {option.id for option in self.options}
        if not answer or any(item not in ids for item in answer) or len(set(answer)) != len(answer):
            return CHOOSE_AN_ANSWER
        return None

    def display_order(self, seed: str) -> list[int]:
        return shuffled_order(len(self.options), seed)

    def describe(self, answer: list) -> list[Label]:
        texts = {option.id: option.text for option in self.options}
        return [texts.get(item, str(item)) for item in answer]

    def tally(self, given: list[list]) -> list[OptionCount]:
        chosen = Counter(option_id for answer in given for option_id in answer)
        return [
            OptionCount(option.text, chosen[option.id], option.correct, option.misconception)
            for option in self.options
        ]


def _unique_option_ids(options: list[Option]) -> None:
    ids = [option.id for option in options]
    if len(set(ids)) != len(ids):
        raise ValueError("option ids must be unique within a question")


class SingleChoice(_Choice):
    kind: Literal["single"]
    options: list[Option] = Field(min_length=2, max_length=5)

    def right_answer(self) -> list:
        return [option.id for option in self.options if option.correct]

    def wrong_answers(self) -> list[list]:
        return [[option.id] for option in self.options if not option.correct]

    def answer_problem(self, answer: list) -> str | None:
        return super().answer_problem(answer) or (CHOOSE_AN_ANSWER if len(answer) != 1 else None)

    @model_validator(mode="after")
    def _exactly_one(self) -> SingleChoice:
        _unique_option_ids(self.options)
        if sum(option.correct for option in self.options) != 1:
            raise ValueError("a 'single' question needs exactly one correct option")
        return self


class MultipleChoice(_Choice):
    kind: Literal["multiple"]
    options: list[Option] = Field(min_length=3, max_length=6)

    def right_answer(self) -> list:
        return [option.id for option in self.options if option.correct]

    def wrong_answers(self) -> list[list]:
        right = self.right_answer()
        return [right[:-1] + [option.id] for option in self.options if not option.correct]

    def grade(self, answer: list) -> bool:
        return set(answer) == set(self.right_answer())

    @model_validator(mode="after")
    def _some_right_some_wrong(self) -> MultipleChoice:
        _unique_option_ids(self.options)
        right = sum(option.correct for option in self.options)
        if right < 1 or right == len(self.options):
            raise ValueError("a 'multiple' question needs correct and wrong options")
        return self


class TrueFalse(_Question):
    kind: Literal["true_false"]
    answer: bool
    explanation: LocalText
    misconception: LocalText = Field(description="the belief of someone who answers wrongly")

    def right_answer(self) -> list:
        return [self.answer]

    def wrong_answers(self) -> list[list]:
        return [[not self.answer]]

    def answer_problem(self, answer: list) -> str | None:
        return None if len(answer) == 1 and isinstance(answer[0], bool) else CHOOSE_AN_ANSWER

    def describe(self, answer: list) -> list[Label]:
        return [TRUE if item else FALSE for item in answer]

    def tally(self, given: list[list]) -> list[OptionCount]:
        chosen = Counter(bool(answer[0]) for answer in given if answer)
        return [
            OptionCount(label, chosen[value], right, None if right else self.misconception)
            for value, label in ((True, TRUE), (False, FALSE))
            for right in (value == self.answer,)
        ]


class Ordering(_Question):
    kind: Literal["ordering"]
    items: list[LocalText] = Field(min_length=3, max_length=6, description="in the right order")
    explanation: LocalText
    misconception: LocalText

    def right_answer(self) -> list:
        return list(range(len(self.items)))

    def wrong_answers(self) -> list[list]:
        return [self.right_answer()[::-1]]

    def answer_problem(self, answer: list) -> str | None:
        return None if sorted(answer) == self.right_answer() else PLACE_EVERY_ITEM

    def display_order(self, seed: str) -> list[int]:
        order = shuffled_order(len(self.items), seed)
        return order[::-1] if order == self.right_answer() else order  # never shown already in order

    def describe(self, answer: list) -> list[Label]:
        return [
            self.items[item] if isinstance(item, int) and 0 <= item < len(self.items) else str(item)
            for item in answer
        ]

    def tally(self, given: list[list]) -> list[OptionCount]:
        good = sum(1 for answer in given if list(answer) == self.right_answer())
        return [
            OptionCount(RIGHT_ORDER, good, True),
            OptionCount(WRONG_ORDER, len(given) - good, False, self.misconception),
        ]


Question = Annotated[SingleChoice | MultipleChoice | TrueFalse | Ordering, Field(discriminator="kind")]
QUESTION_KINDS: tuple[str, ...] = ("single", "multiple", "true_false", "ordering")


class Quiz(Strict):
    id: Slug
    lesson: str
    questions: list[Question] = Field(min_length=5, max_length=10)

    @model_validator(mode="after")
    def _shape(self) -> Quiz:
        ids = [question.id for question in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique within a quiz")
        own = [q for q in self.questions if q.review_of is None]
        if not 5 <= len(own) <= 8:
            raise ValueError("a quiz needs 5 to 8 questions on its own lesson (plus 1-2 review)")
        if len(self.questions) - len(own) > 2:
            raise ValueError("a quiz has at most 2 review questions")
        if len({q.kind for q in self.questions}) < 3:
            raise ValueError("a quiz mixes at least 3 question kinds")
        return self
