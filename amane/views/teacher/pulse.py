"""Class pulse: the teacher opens and closes an anonymous pulse for a class and reads its counts,
with the change since the class's previous pulse; an admin also sees the school summary."""

from __future__ import annotations

import streamlit as st

from amane.i18n import fmt_number, ltr, t, tn
from amane.services import pulse
from amane.services.errors import ServiceError
from amane.services.rules import PULSE_MIN_ANSWERS
from amane.views.common import catalogue, db, local, show_error, staff, when
from amane.views.teacher.picker import class_picker


def _open(class_id: int) -> None:
    try:
        with db() as session:
            pulse.open_pulse(session, staff(), class_id, catalogue())
    except ServiceError as error:
        st.session_state["pulse_error"] = error


def _close(pulse_id: int) -> None:
    with db() as session:
        pulse.close_pulse(session, staff(), pulse_id)


def _change(result: pulse.ChoiceCount) -> str:
    if result.previous is None:
        return "–"
    difference = result.count - result.previous
    # ltr: the sign stays before the number in Arabic, as on the Impact page
    return ltr(f"+{fmt_number(difference)}" if difference > 0 else fmt_number(difference))


def _question_table(question: pulse.QuestionResult, with_change: bool) -> None:
    st.markdown(f"**{local(question.text)}**")
    if not question.shown:
        st.caption(
            t(
                "Held back: fewer than {min} pupils chose one of its answers, so showing it could tell "
                "who answered what.",
                min=PULSE_MIN_ANSWERS,
            )
        )
        return
    rows = {t("Answer"): [local(choice.text) for choice in question.choices]}
    rows[t("Pupils")] = [choice.count for choice in question.choices]  # numbers: aligned as numbers
    if with_change:
        rows[t("Change")] = [_change(choice) for choice in question.choices]
    import pandas as pd  # here, not at the top: a server imports pandas only when a table is drawn

    st.table(pd.DataFrame(rows).set_index(t("Answer")))


def _not_enough() -> None:
    st.info(
        t(
            "Not enough answers to show: results appear when at least {min} pupils have answered, "
            "so that nobody's answers can be guessed.",
            min=PULSE_MIN_ANSWERS,
        )
    )


def _result(result: pulse.PulseResult) -> None:
    st.write(
        tn(
            "{n} pupil answered.",
            "{n} pupils answered.",
            result.answered,
        )
    )
    if not result.enough:
        _not_enough()
        return
    if result.previous_closed_on:
        st.caption(
            t("Change: compared with the pulse closed on {date}.", date=when(result.previous_closed_on))
        )
    for question in result.questions:
        _question_table(question, with_change=result.previous_closed_on is not None)


def _school_summary() -> None:
    with db() as session:
        summaries = pulse.school_summary(session, staff(), catalogue())
    st.header(t("School summary"))
    st.caption(
        t(
            "Each class's latest closed pulse, added up by age band. "
            "Answers a class was not shown are left out."
        )
    )
    if not summaries:
        st.info(t("No class has closed a pulse yet."))
        return
    for summary in summaries:
        with st.container(border=True):
            st.subheader(t("{band} years", band=ltr(summary.band)))
            st.write(
                tn("{n} class", "{n} classes", summary.classes)
                + " · "
                + tn(
                    "{n} pupil answered.",
                    "{n} pupils answered.",
                    summary.answered,
                )
            )
            for question in summary.questions:
                _question_table(question, with_change=False)
                held = summary.held_back.get(question.question_id, 0)
                if held and question.shown:
                    st.caption(
                        tn(
                            "Left out for {n} class (too few answers to show).",
                            "Left out for {n} classes (too few answers to show).",
                            held,
                        )
                    )


def render() -> None:
    st.title(t("Class pulse"))
    st.caption(
        t(
            "Pupils answer a few questions about their online life, anonymously: Amane keeps only how "
            "many chose each answer, never who. Results show once you close the pulse, from {min} answers.",
            min=PULSE_MIN_ANSWERS,
        )
    )
    school_class = class_picker()
    if school_class is None:
        return
    error = st.session_state.pop("pulse_error", None)
    if error is not None:
        show_error(error)
    with db() as session:
        pulses = pulse.class_pulses(session, staff(), school_class.id, catalogue())
    if pulses.open is not None:
        with st.container(border=True, key="pulse-open"):
            st.markdown(t("**A pulse is open** since {date}.", date=when(pulses.open.opened_on)))
            st.write(
                tn(
                    "{n} pupil has answered so far.",
                    "{n} pupils have answered so far.",
                    pulses.open.answered,
                )
            )
            st.button(
                t("Close the pulse and see the results"),
                type="primary",
                on_click=_close,
                args=(pulses.open.id,),
            )
    elif school_class.archived_at is None:
        st.button(t("Open a pulse for this class"), type="primary", on_click=_open, args=(school_class.id,))
        st.caption(t("For example once a term. Pupils see it on their lessons page until you close it."))
    if pulses.results:
        latest, *earlier = pulses.results
        st.header(t("Pulse closed on {date}", date=when(latest.closed_on)))
        _result(latest)
        for result in earlier:
            with st.expander(t("Pulse closed on {date}", date=when(result.closed_on))):
                _result(result)
    elif pulses.open is None:
        st.info(t("This class has no pulse yet."))
    if staff().is_admin:
        _school_summary()
