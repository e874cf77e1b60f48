"""Help requests from the teacher's pupils: new, acknowledged, resolved."""

from __future__ import annotations

import streamlit as st

from i18n import N_, t
from services import help_requests
from views.common import db, plain, staff, when

STATUS_LABELS = {"new": N_("New"), "acknowledged": N_("Acknowledged"), "resolved": N_("Resolved")}


def render() -> None:
    st.title(t("Help requests"))
    with db() as session:
        rows = help_requests.inbox(session, staff())
    if not rows:
        st.info(t("No help requests. Pupils can send one from Talk to my teacher."))
        return
    for request, pupil_name, class_name in rows:
        with st.container(border=True):
            st.markdown(f"**{plain(pupil_name)}** · {plain(class_name)} · {when(request.created_at)}")
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
            if status != request.status:
                with db() as session:
                    help_requests.set_status(session, staff(), request.id, status)
                st.rerun()
