"""Classroom mode: a lesson shown on a projector in large text; the class votes on the
scenario choices by show of hands. Nothing is recorded for pupils."""

from __future__ import annotations

import streamlit as st

from amane.i18n import ltr, t, tn
from amane.models.content import (
    BANDS,
    ExplainStep,
    HelpStep,
    KeywordsStep,
    ScenarioStep,
    StoryStep,
    TipStep,
    shuffled_order,
)
from amane.views.common import catalogue, local, show_points

LETTERS = "ABCD"
STEP = "amane_present_step"


def _step(step) -> None:
    if isinstance(step, (StoryStep, ExplainStep)):
        if step.title:
            st.header(local(step.title))
        st.markdown(local(step.text))
        show_points(getattr(step, "points", []))
    elif isinstance(step, KeywordsStep):
        st.header(local(step.title) if step.title else t("Key words"))
        for word in step.words:
            st.markdown(f"**{local(word.term)}**: {local(word.meaning)}")
    elif isinstance(step, ScenarioStep):
        if step.title:
            st.header(local(step.title))
        st.markdown(local(step.situation))
        st.markdown(f"**{local(step.question)}**")
        st.caption(t("Ask the class to vote with a show of hands, then reveal what happens."))
        reveal = st.toggle(t("Reveal what happens"), key=f"reveal_{id(step)}")
        shown = [step.choices[number] for number in shuffled_order(len(step.choices), local(step.situation))]
        for letter, choice in zip(LETTERS, shown, strict=False):
            st.markdown(f"**{letter}.** {local(choice.text)}")
            if reveal:
                box = st.success if choice.best else st.warning
                box(f"{local(choice.consequence)} {local(choice.explanation)}")
    elif isinstance(step, TipStep):
        st.header(local(step.title) if step.title else t("Tips"))
        for tip in step.tips:
            st.markdown(f"- {local(tip)}")
    elif isinstance(step, HelpStep):
        st.header(local(step.title) if step.title else t("Who can help me?"))
        st.markdown(local(step.text))


def render() -> None:
    st.title(t("Classroom mode"))
    st.caption(t("Show a lesson on the projector. Nothing is recorded for pupils."))
    content = catalogue()
    band = st.selectbox(
        t("Age band"), BANDS, format_func=lambda b: t("{band} years", band=ltr(b)), key="present_band"
    )
    lessons = content.lessons_for_band(band)
    if not lessons:
        st.info(t("No lessons for this age band."))
        return
    lesson_id = st.selectbox(
        t("Lesson"),
        [lesson.id for lesson in lessons],
        format_func=lambda i: local(content.lesson(i).title),
        key="present_lesson",
    )
    lesson = content.lesson(lesson_id)
    if lesson.sensitive and lesson.teacher_notes.content_note:
        st.warning(local(lesson.teacher_notes.content_note))
    position = st.session_state.setdefault(STEP, {}).get(lesson.id, 0)
    st.progress(
        (position + 1) / len(lesson.steps),
        text=t("Step {step} of {total}", step=position + 1, total=len(lesson.steps)),
    )
    with st.container(border=True, key="classroom-step"):
        _step(lesson.steps[position])
    previous, _, forward = st.columns([1, 2, 1])
    if position > 0 and previous.button(t("Back"), key="present_back", use_container_width=True):
        st.session_state[STEP][lesson.id] = position - 1
        st.rerun()
    if position < len(lesson.steps) - 1 and forward.button(
        t("Next"), key="present_next", type="primary", use_container_width=True
    ):
        st.session_state[STEP][lesson.id] = position + 1
        st.rerun()
    with st.expander(t("Teacher notes")):
        notes = lesson.teacher_notes
        st.markdown(tn("Duration: {n} minute", "Duration: {n} minutes", notes.duration_minutes))
        st.subheader(t("Lesson plan"))
        for item in notes.plan:
            st.markdown(f"1. {local(item)}")
        st.subheader(t("Discussion"))
        for item in notes.discussion:
            st.markdown(f"- {local(item)}")
        if notes.disclosure:
            st.subheader(t("If a pupil tells you something"))
            st.markdown(local(notes.disclosure))
