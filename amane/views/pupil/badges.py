"""My badges, and the Internet Safety Passport to print when every lesson is done."""

from __future__ import annotations

import html

import streamlit as st

from amane.clock import utcnow
from amane.i18n import direction, fmt_date, t
from amane.services.badges import my_badges
from amane.views.common import catalogue, db, local, page_link, plain, print_button, pupil
from amane.views.labels import TOPIC_NAMES

PASSPORT_HTML = """
<div class="passport" dir="{dir}" style="border:6px double #1f5fa8;border-radius:18px;padding:2rem;
  text-align:center;max-width:720px;margin:1rem auto;background:#fff;color:#1a1a1a">
  <div style="font-size:3rem">🛡️</div>
  <h2 style="margin:.2rem 0;color:#1f5fa8">{title}</h2>
  <p style="font-size:1.1rem">{awarded}</p>
  <p dir="auto" style="font-size:2rem;font-weight:700;margin:.5rem 0">{name}</p>
  <p>{because}</p>
  <ul style="list-style:none;padding:0;line-height:1.8">{lessons}</ul>
  <p style="margin-top:1rem">{date}</p>
</div>
"""


def render() -> None:
    me = pupil()
    content = catalogue()
    with db() as session:
        badges = my_badges(session, me, content)
    st.title(t("My badges"))
    st.caption(t("You earn a badge for each lesson you finish, with its quiz."))
    if not badges.lessons:
        st.info(t("Finish a lesson and its quiz to earn your first badge."))
        page_link("lessons", t("My lessons"), "📚")
    columns = st.columns(3)
    for index, lesson_id in enumerate(badges.lessons):
        with columns[index % 3].container(border=True):
            st.markdown(f"### 🏅\n{local(content.lesson(lesson_id).title)}")
    if badges.topics:
        st.subheader(t("Topic badges"))
        for topic in badges.topics:
            st.markdown(f"🎖️ **{t(TOPIC_NAMES[topic])}**")
    st.subheader(t("Internet Safety Passport"))
    if not badges.passport:
        st.write(
            t(
                "Finish all your lessons to get your passport: {done} of {total} done.",
                done=len(badges.lessons),
                total=badges.assigned,
            )
        )
        return
    st.success(t("Well done! You finished all your lessons."))
    lessons = "".join(f"<li>✔ {html.escape(local(content.lesson(i).title))}</li>" for i in badges.lessons)
    with st.container(key="printable-passport"):  # only this prints (print.css)
        _passport(me.display_name, lessons)
    print_button(t("Print my passport"))
    st.caption(plain(t("Tip: in the print window, choose your printer or Save as PDF.")))


def _passport(name: str, lessons: str) -> None:
    st.html(
        PASSPORT_HTML.format(
            dir=direction(),
            title=html.escape(t("Internet Safety Passport")),
            awarded=html.escape(t("This passport is awarded to")),
            name=html.escape(name),
            because=html.escape(t("for learning to stay safe and kind online:")),
            lessons=lessons,
            date=html.escape(fmt_date(utcnow())),
        )
    )
