"""Staff sign-in on the page side: the form, who is signed in this session, and the cookie.

The rule itself (growing delays per username typed, disabled accounts, the bcrypt check, the same
work and the same messages whatever was wrong) is `accounts.sign_in`; the session it opens lives on
the server (`services/staff_sessions.py`). This module renders the form, keeps the session's token
under STAFF_TOKEN (the one mark of a signed-in staff tab) and in the sign-in cookie, and resumes
the session from either on every run: so a disabled account, an idle or too old session, and one
ended elsewhere (sign-out, password change or reset) stop at the next click, in a live tab as in a
new one, and a copied cookie is worth nothing once its session has ended.

Why not streamlit-authenticator's `Authenticate.login` widget (0.4.2), which issue 14 still names:
it checks the typed password itself, against a credentials dict of every account's hash handed to
it before the form is filled in; its `callback` runs only after a success; and after a failure it
does not tell which username was tried. Growing delays per username typed, a disabled account and
the dummy hash for unknown usernames therefore cannot run inside it without its internals (a fake
hash for waiting usernames, reading its credentials back). Its cookie controller renders a
component that reports back and so reruns the page, which cut short the run of a teacher's first
click after signing in (4416cd0); its token carries a username and a home-made `exp_date`, which
nothing on the server can revoke. So the form is a plain st.form (three widgets) calling the
service, and the cookie is a JWT with the standard `sub` (the session's token) and `exp` claims
(PyJWT checks `exp`), written by a static script that never reports back.

The same script writes the class-computer cookie: a teacher sets a shared computer to one of their
classes ("this computer is in 5B"), and the pupils' door then opens at that class's names. It is a
JWT too, whose `sub` is the class code and whose audience marks it as a class-computer token, so
neither cookie can stand for the other.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime

import jwt
import streamlit as st
import streamlit.components.v1 as components

from amane.clock import utcnow
from amane.i18n import t
from amane.services import accounts, last_class, staff_sessions
from amane.services.errors import ServiceError
from amane.services.permissions import StaffActor
from amane.services.rules import (
    CLASS_COMPUTER_LIFETIME,
    MAX_PASSWORD_BYTES,
    MAX_USERNAME_LENGTH,
    STAFF_SESSION_LIMIT,
)
from amane.settings import get_settings
from amane.views import state
from amane.views.common import db, show_error

COOKIE_NAME = "amane_auth"
CLASS_COMPUTER_COOKIE = "amane_class_computer"
CLASS_COMPUTER_AUDIENCE = "amane:class-computer"
STAFF_TOKEN = "amane_staff_token"  # the token of this tab's staff session (staff_sessions), or None
_SIGNED_OUT = "amane_signed_out"  # signed out in this session: the browser's cookie no longer counts
_LAST_SEEN = "amane_staff_last_seen"  # when this tab's staff session was last resumed
_COOKIES_TO_WRITE = "amane_cookies_to_write"  # {name: (value, expires)}, once a page has run to its end
_COOKIES_RENDERED = "amane_cookies_rendered"  # how many runs have rendered them since the last change
COOKIE_RUNS = 2  # a click the moment a page appears cuts its run short, script included: write twice
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


def _cookie_token() -> str | None:
    """The session token of the sign-in cookie, if we signed it and it has not expired.
    (st.context.cookies are the ones the browser sent when this session connected.)"""
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
    st.session_state[_COOKIES_RENDERED] = 0


def restore_staff_session() -> None:
    """Run early in app.py on every run: resume this tab's staff session, or a returning
    teacher's from the cookie. A session that has ended (idle, too old, ended elsewhere, account
    disabled) signs the tab out, and the home page then says so if this tab sat idle."""
    token = st.session_state.get(STAFF_TOKEN)
    if not token and not st.session_state.get(_SIGNED_OUT):
        token = _cookie_token()
    if not token:
        st.session_state[state.STAFF] = None
        return
    now = utcnow()
    idle = get_settings().staff_idle_timeout
    with db() as session:
        member = staff_sessions.resume(session, token, now, idle)
    if member is None:
        last_seen = st.session_state.get(_LAST_SEEN)
        _forget_staff_session()
        if last_seen and now - last_seen > idle:
            st.session_state[state.SIGNED_OUT_IDLE] = True
        return
    st.session_state[STAFF_TOKEN] = token
    st.session_state[_LAST_SEEN] = now
    st.session_state[state.STAFF] = member


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
    in a run that is then replaced (st.rerun, st.switch_page, or a click the moment the page
    appears, as a teacher does right after signing in), the script never runs: so they are
    rendered in COOKIE_RUNS runs that reach their end (writing a cookie again changes nothing)."""
    cookies = st.session_state.get(_COOKIES_TO_WRITE)
    if not cookies:
        return
    _write_cookies(cookies)
    rendered = st.session_state.get(_COOKIES_RENDERED, 0) + 1
    if rendered >= COOKIE_RUNS:
        st.session_state.pop(_COOKIES_TO_WRITE, None)
    st.session_state[_COOKIES_RENDERED] = rendered


def sign_out_staff() -> None:
    """Sign out: end every session of the account (other tabs and computers, and any copy of the
    cookie), and delete the cookie so that a reload does not even try."""
    member = st.session_state.get(state.STAFF)
    if member:
        with db() as session:
            staff_sessions.end_all(session, member.id)
    _forget_staff_session()


def _forget_staff_session() -> None:
    """This tab is signed out; the cookie is deleted (or no longer written)."""
    if st.session_state.get(STAFF_TOKEN) or _cookie_token():
        _to_write(COOKIE_NAME, "", _EXPIRED)
    else:
        st.session_state.get(_COOKIES_TO_WRITE, {}).pop(COOKIE_NAME, None)
    st.session_state[STAFF_TOKEN] = None
    st.session_state[_LAST_SEEN] = None
    st.session_state[_SIGNED_OUT] = True
    st.session_state[state.STAFF] = None


def start_staff_session(member: StaffActor) -> None:
    """A new server-side session for this tab (after signing in, or after a password change ended
    the old one), its token kept in session state and in the cookie. The cookie expires with the
    session's absolute limit, so a browser reopened the same day finds the teacher signed in if
    the idle timeout has not passed; what guarantees both limits is the server (resume), not the
    cookie's expiry, which a browser restoring its tabs may ignore, and a session cookie would not
    end the session either."""
    now = utcnow()
    with db() as session:
        token = staff_sessions.start(session, member.id, now, get_settings().staff_idle_timeout)
    st.session_state[STAFF_TOKEN] = token
    st.session_state[_LAST_SEEN] = now
    st.session_state[_SIGNED_OUT] = False
    st.session_state[state.STAFF] = member
    expires = now + STAFF_SESSION_LIMIT
    _to_write(COOKIE_NAME, _signed(token, expires), expires)


def sign_in_form(land: bool = False) -> None:
    """The staff sign-in form; on success it remembers who signed in, and then opens their first
    page (`land`, the staff sign-in page) or runs the page showing it again (the first steps)."""
    with st.form("staff-login"):
        st.subheader(t("Staff sign-in"))
        username = st.text_input(t("Username"), max_chars=MAX_USERNAME_LENGTH, autocomplete="username")
        password = st.text_input(
            t("Password"), type="password", max_chars=MAX_PASSWORD_BYTES, autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("Sign in"))
    if not submitted:
        return
    try:
        with db() as session:
            member = accounts.sign_in(session, username, password)
    except ServiceError as error:
        show_error(error)
        return
    start_staff_session(member)
    if land:
        _land(member)
    st.rerun()


def _land(member: StaffActor) -> None:
    """Straight to work: the dashboard of the class this staff member last opened, or My classes
    when there is none (archived, deleted or no longer theirs). One run: st.switch_page to the
    page itself, not a rerun of the sign-in page that would then redirect."""
    with db() as session:
        landing = last_class.last_class(session, member)
    st.session_state[state.LAST_CLASS] = landing
    if landing is not None:
        st.session_state[state.CLASS] = landing
    st.switch_page(st.session_state[state.RUN]["pages"]["dashboard" if landing else "classes"])
