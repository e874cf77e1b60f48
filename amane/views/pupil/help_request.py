"""Talk to my teacher: a private request by category, with no free text."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.services import help_requests
from amane.views import forms
from amane.views.common import db, help_link, pupil, when

TALK = "talk"  # the form (amane.views.forms: empty again once sent)
JUST_SENT = "amane_talk_sent"  # what happens next is said once, under the emptied form


def render() -> None:
    me = pupil()
    st.title(t("Talk to my teacher"))
    st.write(t("Only your teacher and your school's Amane administrators can see this."))
    with st.form(forms.key(TALK)):
        category = st.radio(
            t("What is it about?"),
            list(help_requests.CATEGORIES),
            index=None,
            format_func=lambda key: t(help_requests.CATEGORIES[key]),
        )
        in_person = st.checkbox(t("I want to talk in person"))
        sent = st.form_submit_button(t("Send to my teacher"), type="primary")
    if sent and category is None:
        st.warning(t("Please choose what it is about."))  # no rerun: the box ticked stays ticked
    elif sent:
        with db() as session:
            help_requests.ask_for_help(session, me, category, in_person)
        st.session_state[JUST_SENT] = True
        forms.saved(TALK, t("Your teacher will see your message. Thank you for telling us: that was brave."))
    forms.show_outcome(TALK)
    if st.session_state.pop(JUST_SENT, False):
        st.markdown(
            t(
                "**What happens next:** your teacher will come and talk with you soon. "
                "You are not in trouble."
            )
        )
        st.info(t("Need help right now? Tell an adult near you, or open Get help."))
        help_link(t("Get help now"))
    with db() as session:
        mine = help_requests.my_requests(session, me)
    if mine:
        st.subheader(t("My messages"))
        status_names = {
            "new": t("Sent"),
            "acknowledged": t("Your teacher has seen it"),
            "resolved": t("Done"),
        }
        for request in mine:
            st.markdown(
                "- "
                + t(
                    "{when}: {category} ({status})",
                    when=when(request.created_at),
                    category=t(help_requests.CATEGORIES[request.category]),
                    status=status_names[request.status],
                )
            )
