"""Teachers and school admins sign in here."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t
from amane.views import auth


def render() -> None:
    auth.sign_in_form(land=True)
    st.caption(t("Forgot your password? Ask your school's Amane administrator to reset it."))
