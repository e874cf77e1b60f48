"""Staff sign-in on the page side: the form, who is signed in this session, and the cookie.

The rule itself (lockout kept in the database, disabled accounts, the bcrypt check, the same work
and the same message whatever was wrong) is `accounts.sign_in`. This module renders the form, keeps
the signed-in username under SIGNED_IN_AS (the one mark of a signed-in staff session; every run
re-reads the account from it, so a disabled teacher is signed out at their next page) and keeps
the sign-in cookie.

Why not streamlit-authenticator's `Authenticate.login` widget (0.4.2): it checks the typed password
itself, against a credentials dict of every account's hash handed to it before the form is filled
in; its `callback` runs only after a success; and after a failure it does not tell which username
was tried. A lockout kept in the database, a disabled account and the dummy hash for unknown
usernames therefore cannot run inside it without its internals (a fake hash for locked accounts,
reading its credentials back). Its cookie controller renders a component that reports back and so
reruns the page, which cut short the run of a teacher's first click after signing in (4416cd0), and
its token carries a home-made `exp_date`. So the form is a plain st.form (three widgets) calling
the service, and the cookie is a JWT with the standard `sub` and `exp` claims (PyJWT checks `exp`),
written by a static script that never reports back.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from email.utils import format_datetime

import jwt
import streamlit as st
import streamlit.components.v1 as components

from amane.i18n import t
from amane.services import accounts
from amane.services.errors import ServiceError
from amane.services.rules import MAX_PASSWORD_BYTES, MAX_USERNAME_LENGTH, STAFF_SIGN_IN_LIFETIME
from amane.settings import get_settings
from amane.views import state
from amane.views.common import db, show_error, staff

COOKIE_NAME = "amane_auth"
SIGNED_IN_AS = "amane_signed_in_as"  # the username signed in in this session, or None
_SIGNED_OUT = "amane_signed_out"  # signed out in this session: the browser's cookie no longer counts
_COOKIE_TO_WRITE = "amane_cookie_to_write"  # "set" or "delete", once a page has run to its end


def _cookie_username() -> str | None:
    """Who the sign-in cookie names, if we signed it and it has not expired. (st.context.cookies
    are the ones the browser sent when this session connected.)"""
    token = st.context.cookies.get(COOKIE_NAME)
    if not token:
        return None
    try:
        claims = jwt.decode(
            token, get_settings().cookie_key, algorithms=["HS256"], options={"require": ["sub", "exp"]}
        )
    except jwt.InvalidTokenError:
        return None
    return claims["sub"]


def restore_staff_session() -> None:
    """Run early in app.py: sign a returning teacher back in from the cookie, and re-read
    the signed-in account so that a disabled teacher is signed out at once."""
    if not st.session_state.get(SIGNED_IN_AS) and not st.session_state.get(_SIGNED_OUT):
        st.session_state[SIGNED_IN_AS] = _cookie_username()
    username = st.session_state.get(SIGNED_IN_AS)
    with db() as session:
        st.session_state[state.STAFF] = accounts.staff_actor(session, username)
    if username and st.session_state[state.STAFF] is None:
        sign_out_staff()


def _write_cookie(value: str, expires: datetime) -> None:
    """Set the sign-in cookie from a script in a static component, which never reports back, so
    no rerun follows that could cut short a click's run."""
    cookie = (
        f"{COOKIE_NAME}={value}; expires={format_datetime(expires, usegmt=True)}; path=/; SameSite=Strict"
    )
    with st.container(key="amane-cookie"):  # hidden by inject_style
        components.html(
            f"<script>parent.document.cookie = {json.dumps(cookie)}"
            " + (parent.location.protocol === 'https:' ? '; Secure' : '');</script>",
            height=0,
        )


def sync_cookie() -> None:
    """Set or delete the sign-in cookie once a page has run to its end. Rendered in a run that
    is then replaced (st.rerun, st.switch_page), the script never runs."""
    to_write = st.session_state.get(_COOKIE_TO_WRITE)
    if to_write == "delete":
        _write_cookie("", datetime(1970, 1, 1, tzinfo=UTC))
    elif to_write == "set" and (member := staff()):
        expires = datetime.now(UTC) + STAFF_SIGN_IN_LIFETIME
        token = jwt.encode(
            {"sub": member.username, "exp": expires}, get_settings().cookie_key, algorithm="HS256"
        )
        _write_cookie(token, expires)
    else:
        return
    del st.session_state[_COOKIE_TO_WRITE]


def sign_out_staff() -> None:
    """Sign out of this session, and delete the cookie so that a reload does not sign back in."""
    if st.session_state.get(SIGNED_IN_AS):
        st.session_state[_COOKIE_TO_WRITE] = "delete"
    else:
        st.session_state.pop(_COOKIE_TO_WRITE, None)
    st.session_state[SIGNED_IN_AS] = None
    st.session_state[_SIGNED_OUT] = True
    st.session_state[state.STAFF] = None


def sign_in_form() -> None:
    """The staff sign-in form; on success it remembers who signed in and reruns into the staff pages."""
    with st.form("staff-login"):
        st.subheader(t("Staff sign-in"))
        username = st.text_input(t("Username"), max_chars=MAX_USERNAME_LENGTH, autocomplete="username")
        password = st.text_input(
            t("Password"), type="password", max_chars=MAX_PASSWORD_BYTES, autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("Sign in"))
    if not submitted:
        return
    time.sleep(get_settings().login_sleep)  # every try waits a little: guessing is slow
    try:
        with db() as session:
            member = accounts.sign_in(session, username, password)
    except ServiceError as error:
        show_error(error)
        return
    st.session_state[SIGNED_IN_AS] = member.username
    st.session_state[_SIGNED_OUT] = False
    st.session_state[state.STAFF] = member
    st.session_state[_COOKIE_TO_WRITE] = "set"
    st.rerun()
