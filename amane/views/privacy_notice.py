"""Renders one privacy notice from guidance/privacy.yaml (pupils by age, teachers, parents)."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.views.common import catalogue, local, show_sections


def show_notice(audience: str, band: str | None = None, title: bool = True) -> None:
    notices = catalogue().privacy
    if notices is None:
        st.info(t("The privacy notice is not available."))
        return
    notice = notices.for_audience(audience, band)
    if title:
        st.title(local(notice.title))
    show_sections(notice.sections)


def render_staff() -> None:
    show_notice("teacher")
