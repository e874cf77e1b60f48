"""The parents' area, readable without an account: guides by age and topic, conversation
starters, a family agreement to fill in and print, and where to get help."""

from __future__ import annotations

import html

import streamlit as st

from amane.i18n import N_, direction, ltr, t
from amane.models.content import BANDS
from amane.models.guidance import Guide
from amane.views.common import catalogue, local, print_button, show_sections
from amane.views.labels import TOPIC_NAMES
from amane.views.privacy_notice import show_notice
from amane.views.widgets import resource_card

GENERAL = N_("General")


def _guide(guide: Guide, band: str | None) -> None:
    with st.expander(local(guide.title)):
        st.write(local(guide.summary))
        show_sections(guide.sections)
        for starter_band, starters in guide.conversation_starters.items():
            if band in (None, starter_band):
                st.markdown("**" + t("Conversation starters ({band} years)", band=ltr(starter_band)) + "**")
                for starter in starters:
                    st.markdown(f"- {local(starter)}")


def _agreement(guide: Guide) -> None:
    st.write(local(guide.summary))
    st.caption(t("Tick what your family agrees on, then print the page and sign it together."))
    chosen: list[tuple[str, list[str]]] = []
    for part_index, part in enumerate(guide.agreement):
        st.subheader(local(part.heading))
        ticked = [
            local(item)
            for index, item in enumerate(part.items)
            if st.checkbox(local(item), key=f"agree_{part_index}_{index}")
        ]
        if ticked:
            chosen.append((local(part.heading), ticked))
    if not chosen:
        return
    body = "".join(
        f"<h3>{html.escape(heading)}</h3><ul>"
        + "".join(f"<li>{html.escape(i)}</li>" for i in items)
        + "</ul>"
        for heading, items in chosen
    )
    with st.container(key=f"printable-{guide.id}"):  # only this prints (print.css)
        _agreement_html(guide, body)
    print_button(t("Print the agreement"))


def _agreement_html(guide: Guide, body: str) -> None:
    signatures = html.escape(t("Signed by the family:"))
    st.html(
        f'<div dir="{direction()}" style="border:2px solid #1f5fa8;border-radius:12px;padding:1.5rem;'
        f'background:#fff;color:#1a1a1a;line-height:1.6"><h2>{html.escape(local(guide.title))}</h2>{body}'
        f"<p>{signatures}</p><p>______________ &nbsp; ______________ &nbsp; ______________</p></div>"
    )


def render() -> None:
    st.title(t("For parents"))
    st.write(t("Short, practical guides to help your child stay safe and kind online."))
    content = catalogue()
    guides = sorted(content.guides.values(), key=lambda guide: guide.order)
    topics = sorted({topic for guide in guides for topic in guide.topics}, key=lambda x: (x != "general", x))
    left, right = st.columns(2)
    band = left.selectbox(
        t("My child's age"),
        [None, *BANDS],
        format_func=lambda b: t("All ages") if b is None else t("{band} years", band=ltr(b)),
    )
    topic = right.selectbox(
        t("Topic"),
        [None, *topics],
        format_func=lambda x: (
            t("All topics") if x is None else t(GENERAL) if x == "general" else t(TOPIC_NAMES[x])
        ),
    )
    tab_guides, tab_agreement, tab_help, tab_privacy = st.tabs(
        [t("Guides"), t("Family agreement"), t("Where to get help"), t("Privacy")]
    )
    with tab_guides:
        shown = [
            g for g in guides if (band is None or band in g.bands) and (topic is None or topic in g.topics)
        ]
        if not shown:
            st.info(t("No guide matches these choices."))
        for guide in shown:
            _guide(guide, band)
    with tab_agreement:
        for guide in guides:
            if guide.agreement:
                _agreement(guide)
    with tab_help:
        if content.help:
            for resource in content.help.resources:
                if "parent" in resource.audience:
                    resource_card(resource)
    with tab_privacy:
        show_notice("parent", title=False)
