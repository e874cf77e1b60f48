"""A pupil's help request as the teacher's pages show it (class dashboard, pupil page, help
inbox): what it is about, when it was sent in the teacher's own time, whether the pupil wants to
talk in person, its status, and the acknowledge action. Pages never import other pages: they
share this module."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel.dates import format_datetime

from amane.i18n import BABEL_LOCALES, current_language, isolate, t
from amane.services import help_requests
from amane.services.errors import ServiceError
from amane.services.help_requests import HelpRequestInfo
from amane.views.common import db, plain, show_error, staff


def browser_zone() -> ZoneInfo | None:
    name = st.context.timezone
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def date_time(value: datetime) -> str:
    """A date and time in the time zone of the reader's browser, in the locale's short form
    (05/12/2026 14:07 in French; Arabic carries right-to-left marks), isolated from the text
    around it. Marked UTC when the browser does not say its zone."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # stored as UTC, read back naive
    zone = browser_zone()
    text = format_datetime(aware, "short", tzinfo=zone or UTC, locale=BABEL_LOCALES[current_language()])
    return isolate(text if zone else f"{text} UTC")


def in_person(request: HelpRequestInfo) -> str:
    if request.in_person:
        return "🗣️ " + t("Wants to talk in person")
    return t("Did not ask to talk in person")


def details(request: HelpRequestInfo) -> str:
    """When it was sent, and in person or not, on one line."""
    return t("Sent {when}", when=date_time(request.created_at)) + " · " + in_person(request)


def status_line(request: HelpRequestInfo) -> str:
    return t("Status: {status}", status=t(help_requests.STATUS_NAMES[request.status]))


def changed_by(name: str, request: HelpRequestInfo) -> str:
    return t("Last changed by {name} on {date}", name=plain(name), date=date_time(request.updated_at))


def request_card(request: HelpRequestInfo, where: str, changed: str | None = None) -> None:
    """One request in its own box (`.st-key-{where}_help_{id}`): what, when, in person or not, its
    status (and who last changed it, if given), and the acknowledge button while it is new."""
    with st.container(border=True, key=f"{where}_help_{request.id}"):
        st.markdown(f"**{t(help_requests.CATEGORIES[request.category])}**")
        st.markdown(details(request))
        st.markdown(status_line(request))
        if changed:
            st.caption(changed_by(changed, request))
        if request.status == "new":
            acknowledge_button(request, where)


def acknowledge_button(request: HelpRequestInfo, where: str) -> None:
    """The inbox's own status change (help_requests.set_status, with its access check)."""
    if not st.button(t("Acknowledge"), key=f"{where}_acknowledge_{request.id}"):
        return
    try:
        with db() as session:
            help_requests.set_status(session, staff(), request.id, "acknowledged")
    except ServiceError as error:
        show_error(error)
        return
    st.rerun()
