"""Schema of the staff course (issue 16): one `training/<id>.yaml` per module.

A module is written like a pupils' lesson and quiz: the same step kinds (without the pupils'
closing `help` step) and the same question kinds, so the same player and the same feedback
serve both. Each module adds the skill its staff rate 1-5 before and after, and the key points
shown at its end (module 2's key points are also the help inbox's disclosure guidance).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from amane.models.content import (
    ExplainStep,
    KeywordsStep,
    LocalText,
    Question,
    ScenarioStep,
    Slug,
    SourceTags,
    StoryStep,
    Strict,
    TipStep,
)

TrainingStep = Annotated[
    StoryStep | ExplainStep | KeywordsStep | ScenarioStep | TipStep,
    Field(discriminator="kind"),
]

# The six modules, in course order (docs/content-authoring.md "Staff training").
MODULE_IDS: tuple[str, ...] = (
    "recognising-cyber-violence",
    "when-a-pupil-tells-you",
    "images-of-abuse",
    "moroccan-routes",
    "teaching-with-amane",
    "talking-with-families",
)
# The module whose key points are the help inbox's disclosure guidance (one text, not two).
DISCLOSURE_MODULE = "when-a-pupil-tells-you"
MIN_SCENARIOS = 2
MIN_CHECK_KINDS = 2


class TrainingModule(Strict):
    id: Slug
    order: int = Field(ge=1, le=len(MODULE_IDS), description="position in the course, unique")
    minutes: int = Field(ge=10, le=15)
    title: LocalText
    summary: LocalText
    skill: LocalText = Field(description='rated 1-5 before and after: "How sure are you that you can ..."')
    objectives: list[LocalText] = Field(min_length=1, max_length=5, description='"I can..."')
    sources: SourceTags
    key_points: list[LocalText] = Field(min_length=3, max_length=8)
    steps: list[TrainingStep] = Field(min_length=5, max_length=12)
    check: list[Question] = Field(min_length=4, max_length=6)

    @field_validator("check")
    @classmethod
    def _check_questions(cls, value: list) -> list:
        ids = [question.id for question in value]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique within a module's check")
        if any(question.review_of is not None for question in value):
            raise ValueError("a module's check has no review_of questions")
        if len({question.kind for question in value}) < MIN_CHECK_KINDS:
            raise ValueError(f"a module's check mixes at least {MIN_CHECK_KINDS} question kinds")
        return value

    @field_validator("steps")
    @classmethod
    def _scenarios(cls, value: list) -> list:
        if sum(step.kind == "scenario" for step in value) < MIN_SCENARIOS:
            raise ValueError(f"a module needs at least {MIN_SCENARIOS} 'scenario' steps")
        return value

    def scenario_count(self) -> int:
        return sum(1 for step in self.steps if step.kind == "scenario")

    def question(self, question_id: str) -> Question | None:
        return next((question for question in self.check if question.id == question_id), None)
