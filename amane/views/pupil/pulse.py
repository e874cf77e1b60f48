"""The class pulse for a pupil: a few questions about their online life, anonymous, each one
skippable, fixed answers only; Get help at the end. And its card on the pupil's lesson home."""

from __future__ import annotations

import streamlit as st

from amane.i18n import N_, t
from amane.services import pulse
from amane.services.errors import ServiceError
from amane.views.common import catalogue, db, help_link, local, page_link, pupil
from amane.views.widgets import resource_card

FORM = "pulse_form"
JUST_SENT = "amane_pulse_sent"  # the pulse answered (or refused) in this run's callback: its msgid
SKIP = "skip"  # the radio's value for a question left out: never stored


def render_card() -> None:
    """On My lessons: an open pulse this pupil has not answered yet."""
    with db() as session:
        mine = pulse.my_pulse(session, pupil())
    if mine is None or mine.answered:
        return
    with st.container(border=True, key="pulse-card"):
        st.markdown("**" + t("How is it going online?") + "**")
        st.write(t("Your teacher asks the class a few questions. Nobody will know what you answer."))
        page_link("pulse", t("Answer the questions"), "💬")


def _question_key(pulse_id: int, question_id: str) -> str:
    return f"pulse_{pulse_id}_{question_id}"


def _send(pulse_id: int, question_ids: list[str]) -> None:
    answers = {
        question_id: st.session_state.get(_question_key(pulse_id, question_id))
        for question_id in question_ids
    }
    chosen = {question: choice for question, choice in answers.items() if choice not in (None, SKIP)}
    try:
        with db() as session:
            pulse.answer_pulse(session, pupil(), pulse_id, chosen, catalogue())
        thanks = N_("Thank you! Your answers were counted, without your name.")
        st.session_state[JUST_SENT] = ("success", thanks, {})
    except ServiceError as error:
        st.session_state[JUST_SENT] = ("warning", error.message, error.params)


def _get_help(band: str) -> None:
    st.subheader(t("If something online is worrying you"))
    st.write(t("You don't have to wait: tell a trusted adult, or open Get help."))
    help_link(t("Get help"))
    directory = catalogue().help
    if directory is not None:
        for resource in directory.resources:
            if "child" in resource.audience and resource.for_band(band):
                resource_card(resource)


def render() -> None:
    st.title(t("How is it going online?"))
    outcome = st.session_state.pop(JUST_SENT, None)
    with db() as session:
        mine = pulse.my_pulse(session, pupil())
    if outcome is not None:
        kind, message, params = outcome  # translated here: a callback runs before the page's language is set
        getattr(st, kind)(t(message, **params))
    if mine is None:
        if outcome is None:
            st.info(t("There are no questions from your teacher just now."))
        page_link("lessons", t("My lessons"), "📚")
        return
    if mine.answered:
        if outcome is None:
            st.success(t("You have already answered. Thank you!"))
        _get_help(mine.band)
        return
    content = catalogue().pulse
    questions = content.for_band(mine.band)
    st.write(local(questions.intro))
    with st.form(FORM):
        for number, question in enumerate(questions.questions, start=1):
            choices = {choice.id: local(choice.text) for choice in content.choices(question)}
            choices[SKIP] = t("I'd rather not say")
            st.radio(
                f"{number}. {local(question.text)}",
                list(choices),
                index=None,
                format_func=choices.__getitem__,
                key=_question_key(mine.id, question.id),
            )
        st.form_submit_button(
            t("Send my answers"),
            type="primary",
            on_click=_send,
            args=(mine.id, [question.id for question in questions.questions]),
        )
    st.caption(t("You can leave any question without an answer."))
