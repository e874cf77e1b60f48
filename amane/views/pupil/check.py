"""The before-and-after check on My lessons (issue 17, item 1): "What do I know already?" before
the first lesson and "What do I know now?" after the last. No mark and no right or wrong while
answering; after the after check, the pupil sees what they now know."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from amane.i18n import N_, t, tn
from amane.models.impact import CheckQuestion
from amane.services import impact
from amane.services.errors import ServiceError
from amane.views.common import catalogue, db, label, local, pupil, pupil_gone_idle, show_error
from amane.views.pupil import quiz

OPEN = "amane_impact_check"  # the phase whose check is on screen
UNANSWERED = "amane_impact_unanswered"  # Next was clicked with no answer
REFUSED = "amane_impact_refused"  # the service refused the answer (shown once)

TITLES = {impact.BEFORE: N_("What do I know already?"), impact.AFTER: N_("What do I know now?")}


def is_open() -> str | None:
    return st.session_state.get(OPEN)


def _open(phase: str) -> None:
    st.session_state[OPEN] = phase


def _close(on_close: Callable[[], None] | None = None) -> None:
    st.session_state.pop(OPEN, None)
    if on_close:
        on_close()


def card(phase: str) -> None:
    """The invitation on My lessons, above the lessons."""
    with st.container(border=True, key="impact-check-card"):
        st.subheader("🌟 " + t(TITLES[phase]))
        if phase == impact.BEFORE:
            st.write(
                t(
                    "Before your first lesson: a few questions to see what you know already. "
                    "It is not a test and there is no mark. Just answer as you think."
                )
            )
        else:
            st.write(
                t("You finished your lessons! Answer the same questions again and see what you have learnt.")
            )
        st.button(t("Let's go"), key="impact_check_open", type="primary", on_click=_open, args=(phase,))


def _answer_key(phase: str, item: CheckQuestion) -> str:
    return f"impact_{phase}_{item.lesson_id}_{item.question.id}"


def _submit(phase: str, item: CheckQuestion) -> None:
    """on_click of Next: records the answer before the page runs, so the next question shows."""
    if pupil_gone_idle():
        return
    key = _answer_key(phase, item)
    answer = quiz.given_answer(item.question, key)
    if answer is None:
        st.session_state[UNANSWERED] = key
        return
    try:
        with db() as session:
            impact.record_answer(
                session, pupil(), catalogue(), phase, item.lesson_id, item.question.id, answer
            )
    except ServiceError as error:
        st.session_state[REFUSED] = error


def _ask(phase: str, item: CheckQuestion, number: int, total: int) -> None:
    st.progress((number - 1) / total, text=t("Question {number} of {total}", number=number, total=total))
    key = _answer_key(phase, item)
    st.markdown(f"### {local(item.question.prompt)}")
    order = item.question.display_order(f"impact:{pupil().id}:{phase}:{item.question.id}")
    with st.container(key="quiz-answer"):  # pupil.css: big, fully tappable option rows
        quiz.answer_widgets(item.question, key, order)
    if st.session_state.pop(UNANSWERED, None) == key:
        st.warning(t("Please answer the question first."))
    if error := st.session_state.pop(REFUSED, None):
        show_error(error)
    st.button(t("Next"), key=f"{key}_next", type="primary", on_click=_submit, args=(phase, item))


def _right_answer(item: CheckQuestion) -> str:
    """The right answer, as markdown: the options of a choose-all question one per line."""
    parts = [label(part) for part in item.question.describe(item.question.right_answer())]
    return parts[0] if len(parts) == 1 else "\n".join(f"- {part}" for part in parts)


def _before_done(on_close: Callable[[], None]) -> None:
    st.success("🙌 " + t("Thank you! Now you know where you start."))
    st.write(t("After your lessons you will answer these questions again, to see how much you have learnt."))
    st.button(
        t("Start my lessons"), key="impact_check_done", type="primary", on_click=_close, args=(on_close,)
    )


def _after_done(on_close: Callable[[], None]) -> None:
    with db() as session:
        results = impact.my_results(session, pupil(), catalogue())
    learnt = sum(1 for r in results if r.after and not r.before)
    st.header("🎉 " + t("Well done! Look at what you know now."))
    if learnt:
        st.success(
            tn(
                "You learnt {n} new answer since your first lesson.",
                "You learnt {n} new answers since your first lesson.",
                learnt,
            )
        )
    with st.container(key="impact-results"):
        known = [r for r in results if r.after]
        if known:
            st.subheader(t("What I know now"))
            for result in known:
                new = " 🌱" if not result.before else ""
                st.markdown(
                    f"✅ **{local(result.item.question.prompt)}**{new}\n\n{_right_answer(result.item)}"
                )
        again = [r for r in results if r.after is False]
        if again:
            st.subheader(t("Worth a second look"))
            for result in again:
                st.markdown(f"💡 **{local(result.item.question.prompt)}**\n\n{_right_answer(result.item)}")
    st.button(
        t("Back to my lessons"), key="impact_check_done", type="primary", on_click=_close, args=(on_close,)
    )


def render(phase: str, on_close: Callable[[], None] | None = None) -> None:
    """The check of this phase, one question at a time, then its end."""
    try:
        with db() as session:
            check = impact.open_check(session, pupil(), catalogue(), phase)
    except ServiceError:
        _close()
        st.rerun()
    st.title(t(TITLES[phase]))
    item = check.next_question
    if item is not None:
        if phase == impact.BEFORE and not check.answered:
            st.info(t("There is no mark. If you do not know, choose what you think: that is fine!"))
        _ask(phase, item, len(check.answered) + 1, len(check.questions))
    elif phase == impact.BEFORE:
        _before_done(on_close)
    else:
        _after_done(on_close)
