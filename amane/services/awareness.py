"""The school's awareness kit, built from the course content alone: a parents' evening screen by
screen, the families' one-page summary, and a school-assembly plan from one of a band's lessons.
Pure functions over the catalogue: nothing is read from or written to the database (the pages
are staff-only through navigation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from amane.models.content import BANDS, Keyword, Lesson, LocalText, ScenarioStep, StoryStep
from amane.models.content_loader import Catalogue
from amane.models.guidance import Guide, HelpResource
from amane.services.rules import ASSEMBLY_MINUTES, ASSEMBLY_SCENARIOS

# The evening's default guides, in the order presented (what staff training module 6 advises):
# the good side of the internet first, then the harm the campaign is about and its signs, what a
# parent does when their child tells them, where help and the law are, and questions to try at
# home to end on something to do.
DEFAULT_EVENING_GUIDES = (
    "four-cs-of-risk",
    "signs-of-bullying",
    "if-your-child-tells-you",
    "help-and-law-in-morocco",
    "conversation-starters",
)
FALLBACK_GUIDE_COUNT = 4  # a content folder without those guides: its first ones

ScreenKind = Literal["opening", "guide", "section", "starters", "help", "more_help"]


@dataclass(frozen=True)
class Starters:
    band: str
    questions: tuple[LocalText, ...]


@dataclass(frozen=True)
class Screen:
    """One projected screen. `heading` is None where the page supplies a UI string (opening, help)."""

    kind: ScreenKind
    heading: LocalText | None = None
    guide: LocalText | None = None  # the guide this screen belongs to
    body: LocalText | None = None
    bullets: tuple[LocalText, ...] = ()
    starters: tuple[Starters, ...] = ()
    resources: tuple[HelpResource, ...] = ()


@dataclass(frozen=True)
class FamilySummary:
    guides: tuple[Guide, ...]
    starters: tuple[Starters, ...]  # one question per age, to try at home
    resources: tuple[HelpResource, ...]


@dataclass(frozen=True)
class AssemblyPlan:
    lesson: Lesson
    story: StoryStep | None
    scenarios: tuple[ScenarioStep, ...]
    discussion: tuple[LocalText, ...]
    keywords: tuple[Keyword, ...]
    help_text: LocalText | None
    resources: tuple[HelpResource, ...]
    minutes: dict[str, int]  # part -> minutes, only the parts this plan has

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())


def default_guides(content: Catalogue) -> list[str]:
    present = [guide_id for guide_id in DEFAULT_EVENING_GUIDES if guide_id in content.guides]
    return present or [guide.id for guide in ordered_guides(content)][:FALLBACK_GUIDE_COUNT]


def ordered_guides(content: Catalogue) -> list[Guide]:
    return sorted(content.guides.values(), key=lambda guide: guide.order)


def chosen_guides(content: Catalogue, guide_ids: list[str]) -> list[Guide]:
    """The guides in the order chosen, unknown ids left out."""
    return [content.guides[guide_id] for guide_id in dict.fromkeys(guide_ids) if guide_id in content.guides]


def _guide_starters(guide: Guide, bands: list[str]) -> tuple[Starters, ...]:
    """A guide's conversation starters for the chosen ages: one per age when several ages are
    chosen (one question to try at home, as the training advises), all of them for a single age."""
    per_band = None if len(bands) == 1 else 1
    return tuple(
        Starters(band, tuple(guide.conversation_starters[band][:per_band]))
        for band in BANDS
        if band in bands and guide.conversation_starters.get(band)
    )


def _family_resources(content: Catalogue, bands: list[str]) -> tuple[HelpResource, ...]:
    """Where families get help: resources for parents that curriculum.md marks [H] and that reach
    someone (a number or an address), for the children's ages."""
    if content.help is None:
        return ()
    return tuple(
        resource
        for resource in content.help.resources
        if "parent" in resource.audience
        and resource.confidence == "H"
        and resource.contacts
        and any(resource.for_band(band) for band in bands or BANDS)
    )


def evening_screens(content: Catalogue, guide_ids: list[str], bands: list[str]) -> list[Screen]:
    """The parents' evening: an opening screen listing the guides; for each guide its title and
    summary, one screen per section, and its conversation starters; then where to get help: the
    school first and the urgent numbers, then the other places on a screen of their own."""
    guides = chosen_guides(content, guide_ids)
    screens = [Screen("opening", bullets=tuple(guide.title for guide in guides))]
    for guide in guides:
        screens.append(Screen("guide", heading=guide.title, body=guide.summary))
        screens += [
            Screen("section", section.heading, guide.title, section.body, tuple(section.bullets))
            for section in guide.sections
        ]
        starters = _guide_starters(guide, bands)
        if starters:
            screens.append(Screen("starters", guide=guide.title, starters=starters))
    resources = _family_resources(content, bands)
    screens.append(Screen("help", resources=tuple(r for r in resources if r.urgent)))
    others = tuple(r for r in resources if not r.urgent)
    if others:
        screens.append(Screen("more_help", resources=others))
    return screens


def family_summary(content: Catalogue, guide_ids: list[str], bands: list[str]) -> FamilySummary:
    """The one page families take home: each guide's summary, one question per age to try at
    home (the first chosen guide's that has one), and where to get help."""
    guides = chosen_guides(content, guide_ids)
    starters = []
    for band in [band for band in BANDS if band in (bands or BANDS)]:
        question = next(
            (g.conversation_starters[band][0] for g in guides if g.conversation_starters.get(band)), None
        )
        if question is not None:
            starters.append(Starters(band, (question,)))
    return FamilySummary(tuple(guides), tuple(starters), _family_resources(content, bands))


def assembly_lessons(content: Catalogue, band: str) -> list[Lesson]:
    """The band's lessons an assembly can use: sensitive ones (sexual images, grooming, controlling
    relationships) are left to a class teacher who knows the pupils and can follow each one up."""
    return [lesson for lesson in content.lessons_for_band(band) if not lesson.sensitive]


def default_assembly_lesson(content: Catalogue, band: str) -> Lesson | None:
    """The band's lesson on cyberbullying, what the campaign was about; else its first usable one."""
    lessons = assembly_lessons(content, band)
    return next(
        (lesson for lesson in lessons if lesson.topic == "cyberbullying"), lessons[0] if lessons else None
    )


def assembly_plan(content: Catalogue, lesson: Lesson) -> AssemblyPlan:
    """A 30-40 minute assembly from a lesson: its opening story, its first scenarios voted on by
    show of hands, the teacher notes' discussion questions, its key words, and where to get help."""
    story = next((step for step in lesson.steps if isinstance(step, StoryStep)), None)
    scenarios = tuple(step for step in lesson.steps if isinstance(step, ScenarioStep))[:ASSEMBLY_SCENARIOS]
    keywords = tuple(word for step in lesson.steps if step.kind == "keywords" for word in step.words)
    help_step = next((step for step in lesson.steps if step.kind == "help"), None)
    resources = _help_resources(content, lesson, help_step.resources if help_step else [])
    parts = {
        "opening": True,
        "story": story is not None,
        "scenarios": bool(scenarios),
        "discussion": True,
        "keywords": bool(keywords),
        "closing": True,
    }
    minutes = {
        part: ASSEMBLY_MINUTES[part] * (len(scenarios) if part == "scenarios" else 1)
        for part, shown in parts.items()
        if shown
    }
    return AssemblyPlan(
        lesson=lesson,
        story=story,
        scenarios=scenarios,
        discussion=tuple(lesson.teacher_notes.discussion),
        keywords=keywords,
        help_text=help_step.text if help_step else None,
        resources=resources,
        minutes=minutes,
    )


def _help_resources(content: Catalogue, lesson: Lesson, ids: list[str]) -> tuple[HelpResource, ...]:
    """The help step's own resources, else those for children of the band; [H] ones only."""
    if content.help is None:
        return ()
    named = [r for r in content.help.resources if r.id in ids]
    for_band = [r for r in content.help.resources if "child" in r.audience and r.for_band(lesson.band)]
    return tuple(r for r in (named or for_band) if r.confidence == "H")
