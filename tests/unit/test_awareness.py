"""The awareness kit built from the real course: the parents' evening's screens, the summary for
families and the assembly plans (services/awareness.py), and their HTML in the families' language
(views/teacher/awareness.py). Nothing here touches the database."""

from __future__ import annotations

import html
from datetime import date, time

import pytest

from amane.models.content import BANDS, ScenarioStep, StoryStep
from amane.services import awareness
from amane.services.rules import ASSEMBLY_SCENARIOS
from amane.views.teacher.awareness import assembly_html, invitation_html, screen_html, summary_html


def test_the_default_evening_starts_with_the_good_side_and_ends_with_help(real_catalogue):
    chosen = awareness.default_guides(real_catalogue)
    assert chosen == list(awareness.DEFAULT_EVENING_GUIDES)
    screens = awareness.evening_screens(real_catalogue, chosen, list(BANDS))
    assert screens[0].kind == "opening" and [s.kind for s in screens[-2:]] == ["help", "more_help"]
    assert [title.en for title in screens[0].bullets] == [real_catalogue.guides[g].title.en for g in chosen]
    first_section = next(screen for screen in screens if screen.kind == "section")
    assert first_section.heading.en == "Start with the good side"


def test_each_guide_shows_every_section_then_its_conversation_starters(real_catalogue):
    guide = real_catalogue.guides["conversation-starters"]
    screens = awareness.evening_screens(real_catalogue, ["conversation-starters"], ["9-11", "15-17"])
    kinds = [screen.kind for screen in screens]
    assert kinds == ["opening", "guide"] + ["section"] * len(guide.sections) + [
        "starters",
        "help",
        "more_help",
    ]
    starters = screens[-3].starters
    # Several ages: one question per age, to try at home; only the ages chosen.
    assert [(group.band, len(group.questions)) for group in starters] == [("9-11", 1), ("15-17", 1)]
    single = awareness.evening_screens(real_catalogue, ["conversation-starters"], ["12-14"])[-3].starters
    assert single[0].questions == tuple(guide.conversation_starters["12-14"])  # one age: all of them


def test_a_guide_without_starters_for_the_ages_has_no_starters_screen(real_catalogue):
    screens = awareness.evening_screens(
        real_catalogue, ["help-and-law-in-morocco", "nothing-such"], list(BANDS)
    )
    assert "starters" not in [screen.kind for screen in screens]
    assert len(screens[0].bullets) == 1  # an unknown guide id is left out


def test_families_are_sent_only_to_trusted_help_for_parents_that_they_can_reach(real_catalogue):
    *_, first, then = awareness.evening_screens(real_catalogue, [], list(BANDS))
    assert (first.kind, then.kind) == ("help", "more_help")
    assert [resource.id for resource in first.resources] == ["onde-2511", "e-blagh"]  # the urgent ones first
    resources = first.resources + then.resources
    ids = [resource.id for resource in resources]
    assert {"e-blagh", "cyberconfiance", "e-himaya"} <= set(ids)
    assert "platform-reporting" not in ids  # [M] in curriculum.md
    assert "trusted-adult" not in ids and "school-listening-unit" not in ids  # for children
    assert all(r.confidence == "H" and "parent" in r.audience and r.contacts for r in resources)
    young = {
        r.id
        for screen in awareness.evening_screens(real_catalogue, [], ["6-8"])[-2:]
        for r in screen.resources
    }
    assert "e-blagh" not in young and "onde-2511" in young  # chosen for the children's ages


def test_the_summary_has_one_question_per_age_from_the_first_guide_that_has_one(real_catalogue):
    summary = awareness.family_summary(
        real_catalogue, ["help-and-law-in-morocco", "signs-of-bullying"], ["6-8"]
    )
    assert [guide.id for guide in summary.guides] == ["help-and-law-in-morocco", "signs-of-bullying"]
    assert summary.starters[0].questions == (
        real_catalogue.guides["signs-of-bullying"].conversation_starters["6-8"][0],
    )


@pytest.mark.parametrize("band", BANDS)
def test_each_band_has_an_assembly_of_30_to_40_minutes_from_a_lesson_that_is_not_sensitive(
    real_catalogue, band
):
    lesson = awareness.default_assembly_lesson(real_catalogue, band)
    assert lesson.band == band and lesson.topic == "cyberbullying" and not lesson.sensitive
    assert all(not option.sensitive for option in awareness.assembly_lessons(real_catalogue, band))
    plan = awareness.assembly_plan(real_catalogue, lesson)
    assert 30 <= plan.total_minutes <= 40
    assert plan.story == next(step for step in lesson.steps if isinstance(step, StoryStep))
    assert (
        plan.scenarios == tuple(s for s in lesson.steps if isinstance(s, ScenarioStep))[:ASSEMBLY_SCENARIOS]
    )
    assert plan.discussion == tuple(lesson.teacher_notes.discussion)
    assert plan.keywords and plan.resources and all(r.confidence == "H" for r in plan.resources)


def test_the_assembly_plan_letters_choices_as_classroom_mode_and_names_the_best(real_catalogue):
    lesson = real_catalogue.lesson("dont-feed-the-bully-9-11")
    plan = awareness.assembly_plan(real_catalogue, lesson)
    page = html.unescape(assembly_html(plan, "fr"))
    assert 'dir="ltr" lang="fr"' in page
    assert plan.story.text.fr in page
    for scenario in plan.scenarios:
        assert scenario.situation.fr in page
        best = next(choice for choice in scenario.choices if choice.best)
        assert best.explanation.fr in page and f"{best.text.fr}" in page
    assert all(question.fr in page for question in lesson.teacher_notes.discussion)


def test_screens_and_printables_are_in_the_families_language_and_escape_what_is_typed(real_catalogue):
    screens = awareness.evening_screens(real_catalogue, ["four-cs-of-risk"], list(BANDS))
    section = screen_html(screens[2], "ar", 3, len(screens))
    assert 'dir="rtl" lang="ar"' in section and html.escape(screens[2].heading.ar) in section
    assert f">3 / {len(screens)}<" in section
    titles = [real_catalogue.guides["four-cs-of-risk"].title.ar]
    invitation = invitation_html(titles, "ar", "<script>x</script>", date(2027, 1, 14), time(18, 0), "")
    assert "<script>" not in invitation and "&lt;script&gt;" in invitation
    assert "14 يناير 2027" in invitation  # the date, in Arabic
    assert "______" in invitation  # no place typed: a line to write it by hand
    summary = summary_html(awareness.family_summary(real_catalogue, ["four-cs-of-risk"], ["9-11"]), "fr")
    assert 'lang="fr"' in summary and "2511" in summary
