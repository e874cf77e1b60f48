"""Staff sign-in through streamlit-authenticator, with our lockout kept in the database."""

from __future__ import annotations

import secrets

import bcrypt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from i18n import t
from services import accounts
from settings import get_settings
from views.common import STAFF_KEY, db

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
    """This run's authenticator (one per run: it renders the cookie component)."""
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


def restore_staff_session() -> None:
    """Run early in app.py: sign a returning teacher back in from the cookie, and re-read
    the signed-in account so that a disabled teacher is signed out at once."""
    auth = authenticator()
    token = st.context.cookies.get(COOKIE_NAME)
    if not st.session_state.get("authentication_status") and isinstance(token, str) and token:
        try:
            auth.login(location="unrendered")
        except LoginError:
            st.session_state["authentication_status"] = None
    username = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    with db() as session:
        st.session_state[STAFF_KEY] = accounts.staff_actor(session, username)
    if username and st.session_state[STAFF_KEY] is None:
        sign_out_staff()


def sync_cookie() -> None:
    """Set or delete the sign-in cookie once a page has run to its end. Rendered in a run that
    is then replaced (st.rerun, st.switch_page), the cookie component never loads."""
    if st.session_state.pop("_amane_delete_cookie", False):
        authenticator().cookie_controller.delete_cookie()
    elif st.session_state.get("_amane_set_cookie") and st.session_state.get(STAFF_KEY):
        authenticator().cookie_controller.set_cookie()
        st.session_state.pop("_amane_set_cookie")


def sign_out_staff() -> None:
    if st.session_state.get("authentication_status"):
        authenticator().authentication_controller.logout()  # also stops re-login from the cookie
        st.session_state["_amane_delete_cookie"] = True
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
