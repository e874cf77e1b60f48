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

The same script writes the class-computer cookie: a teacher sets a shared computer to one of their
classes ("this computer is in 5B"), and the pupils' door then opens at that class's names. It is a
JWT too, whose `sub` is the class code and whose audience marks it as a class-computer token, so
neither cookie can stand for the other.
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
from amane.services.rules import (
    CLASS_COMPUTER_LIFETIME,
    MAX_PASSWORD_BYTES,
    MAX_USERNAME_LENGTH,
    STAFF_SIGN_IN_LIFETIME,
)
from amane.settings import get_settings
from amane.views import state
from amane.views.common import db, show_error

COOKIE_NAME = "amane_auth"
CLASS_COMPUTER_COOKIE = "amane_class_computer"
CLASS_COMPUTER_AUDIENCE = "amane:class-computer"
SIGNED_IN_AS = "amane_signed_in_as"  # the username signed in in this session, or None
_SIGNED_OUT = "amane_signed_out"  # signed out in this session: the browser's cookie no longer counts
_COOKIES_TO_WRITE = "amane_cookies_to_write"  # {name: (value, expires)}, once a page has run to its end
_EXPIRED = datetime(1970, 1, 1, tzinfo=UTC)


def _signed(subject: str, expires: datetime, audience: str | None = None) -> str:
    claims: dict[str, object] = {"sub": subject, "exp": expires}
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, get_settings().cookie_key, algorithm="HS256")


def _subject(token: str | None, audience: str | None = None) -> str | None:
    """The `sub` of a token we signed, unexpired and meant for this audience (a token with an
    audience is refused where none is expected, and the other way round), or None."""
    if not token:
        return None
    required = ["sub", "exp"] + (["aud"] if audience else [])
    try:
        claims = jwt.decode(
            token,
            get_settings().cookie_key,
            algorithms=["HS256"],
            audience=audience,
            options={"require": required},
        )
    except jwt.InvalidTokenError:
        return None
    return claims["sub"]


def _cookie_username() -> str | None:
    """Who the sign-in cookie names, if we signed it and it has not expired. (st.context.cookies
    are the ones the browser sent when this session connected.)"""
    return _subject(st.context.cookies.get(COOKIE_NAME))


def class_computer_code(token: str | None) -> str | None:
    """The class code a class-computer cookie names, if we signed it and it has not expired."""
    return _subject(token, CLASS_COMPUTER_AUDIENCE)


def class_computer() -> str | None:
    """The class code this computer opens at, or None. Read from the cookie once per session:
    st.context.cookies stay as they were when the session connected, so a choice made since is
    kept in session state (a screen setting, which outlives each pupil's session)."""
    if state.CLASS_COMPUTER not in st.session_state:
        st.session_state[state.CLASS_COMPUTER] = class_computer_code(
            st.context.cookies.get(CLASS_COMPUTER_COOKIE)
        )
    return st.session_state[state.CLASS_COMPUTER]


def set_class_computer(code: str | None) -> None:
    """Set this computer to a class (its code), or back to the class-code door (None); the cookie
    is written once the page has run to its end."""
    st.session_state[state.CLASS_COMPUTER] = code
    if code:
        expires = datetime.now(UTC) + CLASS_COMPUTER_LIFETIME
        _to_write(CLASS_COMPUTER_COOKIE, _signed(code, expires, CLASS_COMPUTER_AUDIENCE), expires)
    else:
        _to_write(CLASS_COMPUTER_COOKIE, "", _EXPIRED)


def _to_write(name: str, value: str, expires: datetime) -> None:
    st.session_state.setdefault(_COOKIES_TO_WRITE, {})[name] = (value, expires)


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


def _write_cookies(cookies: dict[str, tuple[str, datetime]]) -> None:
    """Set cookies from a script in a static component, which never reports back, so no rerun
    follows that could cut short a click's run."""
    lines = [
        f"{name}={value}; expires={format_datetime(expires, usegmt=True)}; path=/; SameSite=Strict"
        for name, (value, expires) in cookies.items()
    ]
    with st.container(key="amane-cookie"):  # hidden by inject_style
        components.html(
            f"<script>const secure = parent.location.protocol === 'https:' ? '; Secure' : '';"
            f"for (const cookie of {json.dumps(lines)}) parent.document.cookie = cookie + secure;</script>",
            height=0,
        )


def sync_cookie() -> None:
    """Write the cookies set or deleted in this session once a page has run to its end. Rendered
    in a run that is then replaced (st.rerun, st.switch_page), the script never runs."""
    cookies = st.session_state.pop(_COOKIES_TO_WRITE, None)
    if cookies:
        _write_cookies(cookies)


def sign_out_staff() -> None:
    """Sign out of this session, and delete the cookie so that a reload does not sign back in."""
    if st.session_state.get(SIGNED_IN_AS):
        _to_write(COOKIE_NAME, "", _EXPIRED)
    else:
        st.session_state.get(_COOKIES_TO_WRITE, {}).pop(COOKIE_NAME, None)
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
    expires = datetime.now(UTC) + STAFF_SIGN_IN_LIFETIME
    _to_write(COOKIE_NAME, _signed(member.username, expires), expires)
    st.rerun()
