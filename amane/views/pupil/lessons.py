"""My lessons: the class's assigned lessons with status and score; opens the player or quiz."""

from __future__ import annotations

import streamlit as st

from amane.i18n import N_, t
from amane.services import impact, progress
from amane.views import state
from amane.views.common import catalogue, db, local, page_link, plain, pupil, svg_image
from amane.views.pupil import check, player, pulse, quiz

# A lesson's status as a badge: a colour, a picture and a word in the page's language. The word
# carries the meaning; no emoji that spells a word (🆕 reads "NEW" on a French or Arabic page).
STATUS_LABELS = {
    "new": ("blue", "🌱", N_("New")),
    "in_progress": ("orange", "⏳", N_("In progress")),
    "done": ("green", "✅", N_("Done")),
}


def status_badge(status: str) -> str:
    """The status badge's markdown (Streamlit's badge directive)."""
    color, icon, label = STATUS_LABELS[status]
    return f":{color}-badge[{icon} {t(label)}]"


def open_lesson(lesson_id: str, mode: str = "lesson") -> None:
    st.session_state[state.LESSON] = {"id": lesson_id, "mode": mode}


def close_lesson() -> None:
    st.session_state.pop(state.LESSON, None)


def _lesson_list() -> None:
    me = pupil()
    st.title(t("My lessons"))
    st.caption(t("Hello {name}!", name=plain(me.display_name)))
    badges, talk = st.columns(2)
    with badges:
        page_link("badges", t("My badges"), "🏅")
    with talk:
        page_link("talk", t("Talk to my teacher"), "💬")
    content = catalogue()
    with db() as session:
        rows = progress.my_lessons(session, me, content)
        owed = impact.owed_check(session, me, content)
    if owed:
        check.card(owed)
    pulse.render_card()
    if not rows:
        st.info(t("Your teacher has not given you any lessons yet."))
        return
    for lesson_id, cell in rows:
        lesson = content.lesson(lesson_id)
        with st.container(border=True):
            picture, text = st.columns([1, 3])
            with picture:
                svg_image(lesson.illustration.file, local(lesson.illustration.alt))
            with text:
                st.subheader(local(lesson.title))
                st.write(local(lesson.summary))
                status = status_badge(cell.status)
                if cell.score is not None:
                    status += " · " + t(
                        "Best quiz score: {score} / {total}", score=cell.score, total=cell.max_score
                    )
                st.markdown(status)
                action = {"new": t("Start"), "in_progress": t("Continue"), "done": t("Read again")}[
                    cell.status
                ]
                buttons = st.columns(2)
                buttons[0].button(
                    action,
                    key=f"open_{lesson.id}",
                    type="primary",
                    use_container_width=True,
                    on_click=open_lesson,
                    args=(lesson.id,),
                )
                if content.quiz_for(lesson.id) and cell.status != "new":
                    buttons[1].button(
                        t("Quiz"),
                        key=f"quiz_{lesson.id}",
                        use_container_width=True,
                        on_click=open_lesson,
                        args=(lesson.id, "quiz"),
                    )


def render() -> None:
    if phase := check.is_open():
        check.render(phase)
        return
    opened = st.session_state.get(state.LESSON)
    lesson = catalogue().lesson(opened["id"]) if opened else None
    if lesson is None:
        _lesson_list()
    elif opened["mode"] == "quiz" and catalogue().quiz_for(lesson.id):
        quiz.render(lesson, catalogue().quiz_for(lesson.id), on_close=close_lesson)
    else:
        player.render(lesson, on_quiz=lambda: open_lesson(lesson.id, "quiz"), on_close=close_lesson)
