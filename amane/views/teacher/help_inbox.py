"""Help requests from the teacher's pupils: new, acknowledged, resolved."""

from __future__ import annotations

import streamlit as st

from amane.i18n import isolate, t
from amane.models.guidance import HelpResource
from amane.models.training import DISCLOSURE_MODULE
from amane.services import help_requests
from amane.services.rules import HELP_INBOX_PAGE
from amane.views.common import catalogue, db, local, page_link, plain, staff
from amane.views.teacher import help_card


def _helpline() -> HelpResource | None:
    """The country's child helpline, from guidance/help.yaml: its first resource for children with a
    phone number."""
    directory = catalogue().help
    resources = directory.resources if directory else []
    phones = (r for r in resources if "child" in r.audience and any(c.kind == "phone" for c in r.contacts))
    return next(phones, None)


def _disclosure_guidance() -> None:
    """The key points of the training module on receiving a disclosure: the one text of this
    guidance (training/when-a-pupil-tells-you.yaml), with a link to the whole module."""
    module = catalogue().training_module(DISCLOSURE_MODULE)
    if module is not None:
        with st.container(key="disclosure-guidance"):
            for point in module.key_points:
                st.markdown(f"- {local(point)}")
    if helpline := _helpline():
        st.markdown("- " + t("The child helpline, free: {helpline}.", helpline=local(helpline.name)))
    if module is not None:
        st.caption(t("From the training module: {title}", title=local(module.title)))
    page_link("training", t("Open the staff training"), "🎓")


def render() -> None:
    st.title(t("Help requests"))
    with st.expander(t("How to respond when a pupil tells you something"), expanded=False):
        _disclosure_guidance()
    if not _requests(help_requests.OPEN, "inbox_open_shown"):
        st.info(t("No open help requests. Pupils can send one from Talk to my teacher."))
    with st.expander(t("Resolved requests")):
        if not _requests(("resolved",), "inbox_resolved_shown"):
            st.caption(t("None yet."))


def _requests(statuses: tuple[str, ...], shown_key: str) -> bool:
    """The newest requests in these statuses, HELP_INBOX_PAGE more at each "Show more"; False if none."""
    shown = st.session_state.setdefault(shown_key, HELP_INBOX_PAGE)
    with db() as session:
        rows = help_requests.inbox(session, staff(), statuses=statuses, limit=shown + 1)
    for item in rows[:shown]:
        _request(item)
    if len(rows) > shown:
        st.button(t("Show more"), key=f"{shown_key}_more", on_click=_show_more, args=(shown_key,))
    return bool(rows)


def _show_more(shown_key: str) -> None:
    st.session_state[shown_key] += HELP_INBOX_PAGE


def _request(item: help_requests.InboxItem) -> None:
    request = item.request
    with st.container(border=True):
        name, class_name = isolate(plain(item.pupil_name)), isolate(plain(item.class_name))
        st.markdown(f"**{name}** · {class_name} · {help_card.date_time(request.created_at)}")
        st.write(t(help_requests.CATEGORIES[request.category]))
        if request.in_person:
            st.markdown(help_card.in_person(request))
        status = st.radio(
            t("Status"),
            help_requests.STATUSES,
            horizontal=True,
            index=help_requests.STATUSES.index(request.status),
            key=f"status_{request.id}",
            format_func=lambda s: t(help_requests.STATUS_NAMES[s]),
        )
        if item.changed_by:
            st.caption(help_card.changed_by(item.changed_by, request))
        if status != request.status:
            with db() as session:
                help_requests.set_status(session, staff(), request.id, status)
            st.rerun()
