"""Get help: what to do now and who can help. Needs no sign-in; one click from every page."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services.progress import my_band
from amane.views.common import catalogue, db, local, pupil
from amane.views.widgets import resource_card


def render() -> None:
    directory = catalogue().help
    st.title(t("Get help"))
    st.info(t("If you are in danger right now, go to an adult near you straight away."))
    if directory is None:
        st.write(t("Talk to a trusted adult: a parent, a teacher or another adult you trust."))
        return
    st.header(t("What to do now"))
    for step in directory.first_steps:
        st.markdown(f"- {local(step)}")
    st.header(t("Who can help"))
    st.write(local(directory.trusted_adults))
    band = None
    if pupil():  # a pupil sees what is meant for children of their age band
        with db() as session:
            band = my_band(session, pupil())
    for resource in directory.resources:
        if band and not ("child" in resource.audience and resource.for_band(band)):
            continue
        resource_card(resource)
    st.header(t("How to report on an app"))
    for index, step in enumerate(directory.report_on_apps, start=1):
        st.markdown(f"{index}. {local(step)}")
