"""Schema of the guidance content: parent guides, privacy notices and help resources
(models/content.py holds the lessons and quizzes and the shared text type)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from amane.models.content import BANDS, Band, LocalText, Slug, Strict, Topic

# ---------------------------------------------------------------- parent guides


class GuideSection(Strict):
    heading: LocalText
    body: LocalText | None = None
    bullets: list[LocalText] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> GuideSection:
        if self.body is None and not self.bullets:
            raise ValueError("a section needs a body or bullets")
        return self


class AgreementSection(Strict):
    heading: LocalText
    items: list[LocalText] = Field(min_length=1)


class Guide(Strict):
    id: Slug
    order: int = Field(ge=1)
    title: LocalText
    summary: LocalText
    topics: list[Topic | Literal["general"]] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1, description="the ages this guide is for")
    sections: list[GuideSection] = Field(min_length=1)
    conversation_starters: dict[Band, list[LocalText]] = Field(default_factory=dict)
    agreement: list[AgreementSection] = Field(
        default_factory=list, description="for a family agreement: sections of items to tick"
    )
    sources: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- privacy notices


class PrivacyNotice(Strict):
    audience: Literal["pupil", "teacher", "parent"]
    band: Band | None = Field(default=None, description="for pupils: the age band it is written for")
    title: LocalText
    sections: list[GuideSection] = Field(min_length=3)


class PrivacyNotices(Strict):
    """guidance/privacy.yaml: what is stored, who sees it, how long, how to have it deleted."""

    notices: list[PrivacyNotice]

    @model_validator(mode="after")
    def _one_per_audience(self) -> PrivacyNotices:
        keys = [(notice.audience, notice.band) for notice in self.notices]
        wanted = [("pupil", band) for band in BANDS] + [("teacher", None), ("parent", None)]
        if sorted(keys, key=str) != sorted(wanted, key=str):
            raise ValueError("one notice for pupils of each age band, one for teachers, one for parents")
        return self

    def for_audience(self, audience: str, band: str | None = None) -> PrivacyNotice:
        return next(n for n in self.notices if n.audience == audience and n.band == band)


# ---------------------------------------------------------------- help resources


class Contact(Strict):
    kind: Literal["phone", "web", "in_app", "in_person"]
    value: str = Field(description="the number, the address, or a short label")
    label: LocalText | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Contact:
        if self.kind == "phone" and not re.fullmatch(r"\d{2,12}", self.value):
            raise ValueError("a phone contact is digits only, e.g. 2511")
        if self.kind == "web" and not re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", self.value):
            raise ValueError("a web contact is a full https:// address")
        return self


Audience = Literal["child", "parent", "teacher"]


class HelpResource(Strict):
    id: Slug
    name: LocalText
    purpose: LocalText
    how: LocalText
    contacts: list[Contact] = Field(default_factory=list)
    audience: list[Audience] = Field(min_length=1)
    urgent: bool = False
    min_band: Band | None = Field(default=None, description="youngest band shown this resource")
    topics: list[Topic] = Field(default_factory=list)
    confidence: Literal["H", "M"] = Field(
        description="curriculum.md's mark for the resource: H is shown as fact; M (e.g. in-app reporting,"
        " whose steps change) is shown with a note that the details change"
    )
    sources: list[str] = Field(default_factory=list)

    def for_band(self, band: str) -> bool:
        """Shown to pupils of this age band (and in take-home letters of its lessons)."""
        return self.min_band is None or BANDS.index(self.min_band) <= BANDS.index(band)


class HelpDirectory(Strict):
    """guidance/help.yaml: one country's list; another country replaces the file."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    country_name: LocalText
    first_steps: list[LocalText] = Field(min_length=3, description="what to do now")
    report_on_apps: list[LocalText] = Field(min_length=2, description="how to report, in general")
    trusted_adults: LocalText
    resources: list[HelpResource] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> HelpDirectory:
        ids = [resource.id for resource in self.resources]
        if len(set(ids)) != len(ids):
            raise ValueError("resource ids must be unique")
        return self


class TermUse(Strict):
    use: str = Field(min_length=1, description="the term the course teaches")
    avoid: list[str] = Field(default_factory=list, description="variants that must not appear")


class Term(Strict):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    en: TermUse
    fr: TermUse
    ar: TermUse


class Glossary(Strict):
    """guidance/glossary.yaml: one term per concept per language, across every band."""

    terms: list[Term] = Field(min_length=1)
