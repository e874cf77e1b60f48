"""Help requests from the teacher's pupils: new, acknowledged, resolved."""

from __future__ import annotations

import streamlit as st

from i18n import N_, t
from services import help_requests
from views.common import db, plain, staff, when

STATUS_LABELS = {"new": N_("New"), "acknowledged": N_("Acknowledged"), "resolved": N_("Resolved")}


DISCLOSURE_GUIDANCE = (
    N_("Find a calm, private moment soon. Listen, stay calm, and thank the pupil for telling you."),
    N_("Tell them it is not their fault. Do not promise to keep a secret: say who you will tell and why."),
    N_("Never view, copy, print, forward or save images, and never ask the pupil to send them."),
    N_("Write down what the pupil said, in their words, with the date."),
    N_("Tell the school's safeguarding lead the same day. Child helpline: 2511 (ONDE)."),
    N_("If a child is in immediate danger, act at once with the school's leadership."),
)


def render() -> None:
    st.title(t("Help requests"))
    with st.expander(t("How to respond when a pupil tells you something"), expanded=False):
        for line in DISCLOSURE_GUIDANCE:
            st.markdown(f"- {t(line)}")
    with db() as session:
        rows = help_requests.inbox(session, staff())
    if not rows:
        st.info(t("No help requests. Pupils can send one from Talk to my teacher."))
        return
    for item in rows:
        request = item.request
        with st.container(border=True):
            st.markdown(
                f"**{plain(item.pupil_name)}** · {plain(item.class_name)} · {when(request.created_at)}"
            )
            st.write(t(help_requests.CATEGORIES[request.category]))
            if request.in_person:
                st.markdown("🗣️ " + t("Wants to talk in person"))
            status = st.radio(
                t("Status"),
                help_requests.STATUSES,
                horizontal=True,
                index=help_requests.STATUSES.index(request.status),
                key=f"status_{request.id}",
                format_func=lambda s: t(STATUS_LABELS[s]),
            )
            if item.changed_by:
                changed = t(
                    "Last changed by {name} on {date}",
                    name=plain(item.changed_by),
                    date=when(request.updated_at),
                )
                st.caption(changed)
            if status != request.status:
                with db() as session:
                    help_requests.set_status(session, staff(), request.id, status)
                st.rerun()
