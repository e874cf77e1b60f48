"""Staff sign-in through streamlit-authenticator, with our lockout kept in the database."""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import bcrypt
import jwt
import streamlit as st
import streamlit.components.v1 as components
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from amane.i18n import t
from amane.services import accounts
from amane.settings import get_settings
from amane.views.common import STAFF_KEY, db

COOKIE_NAME = "amane_auth"
COOKIE_DAYS = 1.0
AUTH_KEY = "_amane_authenticator"
# A locked account is given this hash: its checks fail like a wrong password, so the library
# records the attempt under that username and we can say the account is locked.
_LOCKED_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(4)).decode()


def _credentials() -> dict:
    with db() as session:
        credentials = accounts.login_credentials(session)
    for entry in credentials["usernames"].values():
        if entry["password"] == "!locked":
            entry["password"] = _LOCKED_HASH
    return credentials


def authenticator() -> stauth.Authenticate:
    """This run's authenticator, for the sign-in form only: it renders the library's cookie
    component, which reports back to the server and so reruns the page."""
    if AUTH_KEY not in st.session_state.get("_amane_run", {}):
        auth = stauth.Authenticate(
            _credentials(),
            cookie_name=COOKIE_NAME,
            cookie_key=get_settings().cookie_key,
            cookie_expiry_days=COOKIE_DAYS,
            auto_hash=False,
            login_sleep_time=0,
        )
        st.session_state.setdefault("_amane_run", {})[AUTH_KEY] = auth
    return st.session_state["_amane_run"][AUTH_KEY]


def _cookie_username() -> str | None:
    """Who the sign-in cookie names, if it is ours (signed with the cookie key) and not expired.
    The token is the one streamlit-authenticator writes: {"username", "exp_date"}, HS256."""
    token = st.context.cookies.get(COOKIE_NAME)
    if not token:
        return None
    try:
        payload = jwt.decode(token, get_settings().cookie_key, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    if not isinstance(payload.get("username"), str) or payload.get("exp_date", 0) <= time.time():
        return None
    return payload["username"]


def restore_staff_session() -> None:
    """Run early in app.py: sign a returning teacher back in from the cookie, and re-read
    the signed-in account so that a disabled teacher is signed out at once."""
    signed_in_or_out = st.session_state.get("authentication_status") or st.session_state.get("logout")
    if not signed_in_or_out and (username := _cookie_username()):
        st.session_state["authentication_status"] = True
        st.session_state["username"] = username
    username = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    with db() as session:
        st.session_state[STAFF_KEY] = accounts.staff_actor(session, username)
    if username and st.session_state[STAFF_KEY] is None:
        sign_out_staff()


def _write_cookie(value: str, expires: datetime) -> None:
    """Set the sign-in cookie from a script in a static component, which never reports back. (The
    library's cookie component does, and the rerun that follows cut short the run of a click made
    in the moment after signing in, so the click was lost.)"""
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
    if st.session_state.pop("_amane_delete_cookie", False):
        _write_cookie("", datetime(1970, 1, 1, tzinfo=UTC))
    elif st.session_state.get("_amane_set_cookie") and st.session_state.get(STAFF_KEY):
        expires = datetime.now(UTC) + timedelta(days=COOKIE_DAYS)
        token = jwt.encode(
            {"username": st.session_state["username"], "exp_date": expires.timestamp()},
            get_settings().cookie_key,
            algorithm="HS256",
        )
        _write_cookie(token, expires)
        st.session_state.pop("_amane_set_cookie")


def sign_out_staff() -> None:
    """Sign out; `logout` stops a sign-in from the cookie until it is deleted (as the library does)."""
    if st.session_state.get("authentication_status"):
        st.session_state["_amane_delete_cookie"] = True
    st.session_state["logout"] = True
    for key in ("name", "username", "authentication_status", "email", "roles"):
        st.session_state[key] = None
    st.session_state.pop("_amane_set_cookie", None)
    st.session_state[STAFF_KEY] = None


def sign_in_form() -> None:
    """The staff sign-in form; on success records it and reruns into the staff pages."""
    auth = authenticator()
    auth.attrs["login_sleep_time"] = get_settings().login_sleep
    st.session_state["authentication_status"] = None
    st.session_state["logout"] = None
    fields = {
        "Form name": t("Staff sign-in"),
        "Username": t("Username"),
        "Password": t("Password"),
        "Login": t("Sign in"),
    }
    try:
        auth.login(location="main", key="staff-login", fields=fields)
    except LoginError:
        st.session_state["authentication_status"] = False
    status = st.session_state.get("authentication_status")
    if status is False:
        tried = [
            name
            for name, entry in auth.authentication_controller.authentication_model.credentials[
                "usernames"
            ].items()
            if entry.get("failed_login_attempts")
        ]
        locked = None
        with db() as session:
            for username in tried:
                locked = accounts.record_failed_login(session, username) or locked
        if locked:
            st.error(
                t(
                    "Too many wrong passwords: this account is locked until {time} (UTC).",
                    time=locked.strftime("%H:%M"),
                )
            )
        else:
            st.error(t("The username or password is not right."))
    elif status:
        username = st.session_state["username"]
        with db() as session:
            accounts.record_successful_login(session, username)
            st.session_state[STAFF_KEY] = accounts.staff_actor(session, username)
        st.session_state["_amane_set_cookie"] = True
        st.rerun()
