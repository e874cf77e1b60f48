"""The quiz player: one question at a time, feedback on every answer, a score, a review."""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch

import streamlit as st
from sqlmodel import Session

from amane.i18n import t
from amane.models.content import (
    Lesson,
    MultipleChoice,
    Option,
    Ordering,
    Question,
    Quiz,
    SingleChoice,
    TrueFalse,
)
from amane.services import quizzes
from amane.services.errors import ServiceError
from amane.views import state
from amane.views.common import back, db, local, pupil, pupil_gone_idle, show_error
from amane.views.ordering import ordering_input, placed
from amane.views.pupil.player import check_click

FEEDBACK = "amane_quiz_feedback"  # (attempt id, question id) whose feedback is on screen
RESULT = "amane_quiz_result"
UNANSWERED = "amane_quiz_unanswered"  # Check my answer was clicked with no answer
REFUSED = "amane_quiz_refused"  # the service refused the answer (shown once)
ATTEMPT = "amane_quiz_attempt"  # (lesson id, attempt id) of the open attempt on screen


@singledispatch
def answer_widgets(question: Question, key: str, order: list[int]) -> None:
    """The input widgets of one question (options in `order`, shuffled per attempt)."""
    raise TypeError(type(question))


@answer_widgets.register
def _(question: SingleChoice, key: str, order: list[int]) -> None:
    options = [question.options[index] for index in order]
    st.radio(t("Choose one answer"), options, index=None, key=key, format_func=lambda o: local(o.text))


@answer_widgets.register
def _(question: MultipleChoice, key: str, order: list[int]) -> None:
    st.caption(t("Choose every right answer."))
    for index in order:
        option = question.options[index]
        st.checkbox(local(option.text), key=f"{key}_{option.id}")


@answer_widgets.register
def _(question: TrueFalse, key: str, order: list[int]) -> None:
    st.radio(
        t("True or false?"),
        [True, False],
        index=None,
        key=key,
        horizontal=True,
        format_func=lambda v: t("True") if v else t("False"),
    )


@answer_widgets.register
def _(question: Ordering, key: str, order: list[int]) -> None:
    ordering_input([local(item) for item in question.items], order, key)


@singledispatch
def given_answer(question: Question, key: str) -> list | None:
    """The answer the widgets hold now, as services.quizzes records it; None if incomplete."""
    raise TypeError(type(question))


@given_answer.register
def _(question: SingleChoice, key: str) -> list | None:
    return [st.session_state[key].id] if st.session_state.get(key) else None


@given_answer.register
def _(question: MultipleChoice, key: str) -> list | None:
    return [o.id for o in question.options if st.session_state.get(f"{key}_{o.id}")] or None


@given_answer.register
def _(question: TrueFalse, key: str) -> list | None:
    return None if st.session_state.get(key) is None else [st.session_state[key]]


@given_answer.register
def _(question: Ordering, key: str) -> list | None:
    chosen = placed(key)
    return chosen if len(chosen) == len(question.items) else None


def _ask(question: Question, attempt_id: int) -> None:
    """Widgets for one question, and Check my answer, which records the answer (_check)."""
    key = f"q_{attempt_id}_{question.id}"
    st.markdown(f"### {local(question.prompt)}")
    with st.container(key="quiz-answer"):  # pupil.css: big, fully tappable option rows
        answer_widgets(question, key, quizzes.display_order(question, attempt_id))
    if st.session_state.pop(UNANSWERED, None) == key:
        st.warning(t("Please answer the question first."))
    if error := st.session_state.pop(REFUSED, None):
        show_error(error)
    st.button(
        t("Check my answer"),
        key=f"{key}_check",
        type="primary",
        on_click=_check,
        args=(question, attempt_id, key),
    )


def _check(question: Question, attempt_id: int, key: str) -> None:
    """on_click of Check my answer: runs before the page, so the feedback shows in the same run.
    A second click, once the feedback is on screen, records nothing (the first answer stays)."""
    if pupil_gone_idle():
        st.rerun()  # the whole page, which signs the pupil out
    if st.session_state.get(FEEDBACK) == (attempt_id, question.id):
        return
    answer = given_answer(question, key)
    if answer is None:
        st.session_state[UNANSWERED] = key
        return
    try:
        with db() as session:
            quizzes.submit_answer(session, pupil(), attempt_id, question, answer)
    except ServiceError as error:
        st.session_state[REFUSED] = error
        return
    st.session_state[FEEDBACK] = (attempt_id, question.id)


def _next_question(attempt_id: int, question_id: str) -> None:
    if st.session_state.get(FEEDBACK) == (attempt_id, question_id):
        st.session_state.pop(FEEDBACK)


def _feedback(question: Question, answer: list, correct: bool) -> None:
    if correct:
        st.success("🎉 " + t("Right!"))
    else:
        st.warning("🤔 " + t("Not quite."))
    _explain(question, answer, correct)


def _option_line(option: Option) -> str:
    return f"**{local(option.text)}**: {local(option.feedback)}"


@singledispatch
def _explain(question: Question, answer: list, correct: bool) -> None:
    """After an answer: why, and when it was wrong, what the right answer is."""
    raise TypeError(type(question))


@_explain.register
def _(question: SingleChoice, answer: list, correct: bool) -> None:
    chosen = [option for option in question.options if option.id in answer]
    right = [option for option in question.options if option.correct]
    for option in chosen:
        st.markdown(("✅ " if option.correct else "❌ ") + _option_line(option))
    if not correct:
        st.markdown("**" + t("The right answer:") + "**")
        for option in right:
            st.markdown("✅ " + _option_line(option))


@_explain.register
def _(question: MultipleChoice, answer: list, correct: bool) -> None:
    options = question.options
    groups = (
        (t("Right, and you chose it:"), "✅", [o for o in options if o.correct and o.id in answer]),
        (t("Also right, and you missed it:"), "☑️", [o for o in options if o.correct and o.id not in answer]),
        (t("Not right, but you chose it:"), "❌", [o for o in options if not o.correct and o.id in answer]),
    )
    for heading, mark, options in groups:
        if options:
            st.markdown(f"**{heading}**")
            for option in options:
                st.markdown(f"{mark} " + _option_line(option))


@_explain.register
def _(question: TrueFalse, answer: list, correct: bool) -> None:
    truth = t("The answer is: true.") if question.answer else t("The answer is: false.")
    st.markdown(f"**{truth}** {local(question.explanation)}")


@_explain.register
def _(question: Ordering, answer: list, correct: bool) -> None:
    st.markdown("**" + t("The right order:") + "**")
    for index, item in enumerate(question.items, start=1):
        st.markdown(f"{index}. {local(item)}")
    st.write(local(question.explanation))


def render(lesson: Lesson, quiz: Quiz, on_close: Callable[[], None]) -> None:
    _quiz(lesson, quiz, on_close)


# Check my answer, Next and Take the quiz again rerun this fragment alone (see player._player);
# leaving the quiz reruns the whole page.
@st.fragment
def _quiz(lesson: Lesson, quiz: Quiz, on_close: Callable[[], None]) -> None:
    check_click()
    me = pupil()
    st.button(back(t("My lessons")), key="quiz_back", on_click=_close, args=(on_close,))
    st.title(t("Quiz: {title}", title=local(lesson.title)))
    if st.session_state.pop(state.LESSON_DONE, None) == lesson.id:
        st.success(t("Well done, you finished the lesson! Now a short quiz."))
    result = st.session_state.get(RESULT)
    if result and result[0] == lesson.id:
        with db() as session:
            attempt = quizzes.get_attempt(session, me, result[1])
            given = quizzes.answers(session, me, attempt.id)
        _results(quiz, attempt, given, on_close)
        return
    with db() as session:
        attempt = _open_attempt(session, quiz)
        given = quizzes.answers(session, me, attempt.id)
    feedback = st.session_state.get(FEEDBACK)
    if feedback and feedback[0] == attempt.id and feedback[1] in given:
        question = next(q for q in quiz.questions if q.id == feedback[1])
        st.progress(
            len(given) / len(quiz.questions),
            text=t("Question {number} of {total}", number=len(given), total=len(quiz.questions)),
        )
        st.markdown(f"### {local(question.prompt)}")
        _feedback(question, given[question.id].answer, given[question.id].correct)
        st.button(
            t("Next"),
            key=f"quiz_next_{question.id}",
            type="primary",
            on_click=_next_question,
            args=(attempt.id, question.id),
        )
        return
    remaining = [q for q in quiz.questions if q.id not in given]
    if remaining:
        question = remaining[0]
        st.progress(
            len(given) / len(quiz.questions),
            text=t("Question {number} of {total}", number=len(given) + 1, total=len(quiz.questions)),
        )
        _ask(question, attempt.id)
        return
    with db() as session:
        attempt = quizzes.finish_attempt(session, me, attempt.id, quiz)
    st.session_state[RESULT] = (lesson.id, attempt.id)
    _results(quiz, attempt, given, on_close)


def _open_attempt(session: Session, quiz: Quiz) -> quizzes.Attempt:
    """The pupil's open attempt: found (or started) once, then read again by its id at each click
    (one statement instead of two); one finished since in another tab is followed by a new one."""
    known = st.session_state.get(ATTEMPT)
    if known and known[0] == quiz.lesson:
        attempt = quizzes.get_attempt(session, pupil(), known[1])
        if attempt.finished_at is None:
            return attempt
    attempt = quizzes.open_attempt(session, pupil(), quiz)
    st.session_state[ATTEMPT] = (quiz.lesson, attempt.id)
    return attempt


def _results(quiz: Quiz, attempt: quizzes.Attempt, given: dict, on_close: Callable[[], None]) -> None:
    st.header(t("Your score: {score} / {total}", score=attempt.score, total=attempt.max_score))
    st.write(t("Every try helps you learn. You can take the quiz again whenever you like."))
    missed = [q for q in quiz.questions if not given[q.id].correct]
    if missed:
        st.subheader(t("Questions to look at again"))
        with st.container(key="quiz-review"):  # pupil.css: finger-sized headers
            for question in missed:
                with st.expander(local(question.prompt)):
                    _feedback(question, given[question.id].answer, False)
    left, right = st.columns(2)
    left.button(t("Take the quiz again"), key="quiz_again", on_click=_again)
    right.button(t("Back to my lessons"), key="quiz_done", type="primary", on_click=_close, args=(on_close,))


def _again() -> None:
    st.session_state.pop(RESULT, None)


def _close(on_close: Callable[[], None]) -> None:
    _again()
    on_close()
    st.rerun()  # the whole page: My lessons
