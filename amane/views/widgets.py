"""Small widgets that several pages share."""

from __future__ import annotations

import streamlit as st

from amane.i18n import Nn_, t
from amane.services.rules import MAX_PASSWORD_BYTES, PASSWORD_MIN_LENGTH

PASSWORD_HELP = Nn_(
    "At least {n} character. Three random words make a strong password.",
    "At least {n} characters. Three random words make a strong password.",
)


def password_help() -> str:
    return t(PASSWORD_HELP, n=PASSWORD_MIN_LENGTH)


def password_input(label: str) -> str:
    """A new password's field: the rule as help, and no longer than bcrypt reads."""
    return st.text_input(label, type="password", max_chars=MAX_PASSWORD_BYTES, help=password_help())
