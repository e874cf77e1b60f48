"""Schema of the class climate pulse's questions (guidance/pulse.yaml): a few questions per age
band about pupils' online life, each answered with one of a fixed scale's choices (no free text)."""

from __future__ import annotations

from pydantic import Field, model_validator

from amane.models.content import BANDS, Band, LocalText, Slug, Strict


class PulseChoice(Strict):
    id: Slug
    text: LocalText


class PulseQuestion(Strict):
    id: Slug
    text: LocalText
    scale: Slug = Field(description="the id of one of the file's scales: the answers offered")


class PulseSet(Strict):
    """The questions of one age band, in the order pupils see them."""

    intro: LocalText
    questions: list[PulseQuestion] = Field(min_length=4, max_length=6)

    @model_validator(mode="after")
    def _unique_ids(self) -> PulseSet:
        ids = [question.id for question in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique within a band")
        return self


class PulseQuestions(Strict):
    """Every band's questions, and the answer scales they share (the same choice ids from one
    pulse to the next, so that a class's pulses can be compared)."""

    scales: dict[Slug, list[PulseChoice]]
    bands: dict[Band, PulseSet]

    @model_validator(mode="after")
    def _complete(self) -> PulseQuestions:
        if sorted(self.bands, key=BANDS.index) != list(BANDS):
            raise ValueError(f"one set of questions for each age band: {', '.join(BANDS)}")
        for scale, choices in self.scales.items():
            ids = [choice.id for choice in choices]
            if not 2 <= len(ids) <= 5 or len(set(ids)) != len(ids):
                raise ValueError(f"scale '{scale}' needs 2 to 5 choices with different ids")
        for band, questions in self.bands.items():
            for question in questions.questions:
                if question.scale not in self.scales:
                    raise ValueError(f"{band}: question '{question.id}': no scale '{question.scale}'")
        return self

    def for_band(self, band: str) -> PulseSet:
        return self.bands[band]

    def choices(self, question: PulseQuestion) -> list[PulseChoice]:
        return self.scales[question.scale]
