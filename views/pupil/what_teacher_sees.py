"""What my teacher can see: one plain screen, so a child knows how they are watched."""

from __future__ import annotations

import streamlit as st

from i18n import t


def render() -> None:
    st.title(t("What my teacher sees"))
    st.write(t("Amane keeps very little about you. Here is all of it:"))
    for line in (
        t("Your name as your teacher typed it, and your class."),
        t("Which lessons you opened, the step you reached, and the choices you tried in stories."),
        t("Your quiz answers and scores, for every try."),
        t("The messages you send with Talk to my teacher (only the topic you chose)."),
    ):
        st.markdown(f"- {line}")
    st.write(t("Your teacher and your school's Amane administrators can see this. Other pupils cannot."))
    st.write(
        t(
            "Amane does not keep your email, your birthday, your photo or your voice. "
            "There are no adverts and nobody else gets your information."
        )
    )
    st.write(t("Your teacher can delete everything about you. Ask them if you want that."))
