"""The parents' area: guidance by age and topic, readable without an account."""

from __future__ import annotations

import streamlit as st

from i18n import ltr, t
from models.content import BANDS
from views.common import catalogue, local


def render() -> None:
    st.title(t("For parents"))
    st.write(t("Short, practical guides to help your child stay safe and kind online."))
    guides = sorted(catalogue().guides.values(), key=lambda guide: guide.order)
    band = st.selectbox(
        t("My child's age"),
        [None, *BANDS],
        format_func=lambda b: t("All ages") if b is None else t("{band} years", band=ltr(b)),
    )
    for guide in guides:
        if band and band not in guide.bands:
            continue
        with st.expander(local(guide.title)):
            st.write(local(guide.summary))
            for section in guide.sections:
                st.subheader(local(section.heading))
                if section.body:
                    st.write(local(section.body))
                for bullet in section.bullets:
                    st.markdown(f"- {local(bullet)}")
            starters = guide.conversation_starters.get(band) if band else None
            if starters:
                st.subheader(t("Conversation starters"))
                for starter in starters:
                    st.markdown(f"- {local(starter)}")
            for part in guide.agreement:
                st.subheader(local(part.heading))
                for index, item in enumerate(part.items):
                    st.checkbox(local(item), key=f"agree_{guide.id}_{part.heading.en}_{index}")
