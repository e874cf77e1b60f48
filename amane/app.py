"""Amane: the Streamlit entry point. Page config, language and direction, who is signed in,
and the navigation each role is allowed to see."""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError
from streamlit.navigation.page import StreamlitPage

from amane.clock import utcnow
from amane.i18n import set_language, t
from amane.services import accounts, classes, help_requests
from amane.views import auth, state
from amane.views.common import (
    db,
    end_pupil_session,
    inject_style,
    lang,
    language_switcher,
    plain,
    pupil,
    pupil_gone_idle,
    set_default_language,
    staff,
)
from amane.views.navigation import PAGES, STAFF

st.set_page_config(page_title="Amane", page_icon="🛡️", layout="wide")
st.session_state[state.RUN] = {}  # objects that live for this run only


def _role() -> str:
    if pupil():
        return "pupil"
    member = staff()
    if member:
        return "admin" if member.is_admin else "teacher"
    with db() as session:
        return "setup" if accounts.needs_setup(session) else "anonymous"


def _navigation(role: str) -> tuple[StreamlitPage, dict[str, StreamlitPage]]:
    """Every page is registered for everyone (so a URL never shows "page not found" after
    signing in or out); the ones this role may not use are hidden and send it home."""
    allowed = [spec for spec in PAGES if role in spec.roles]
    waiting = 0
    if role in STAFF:
        with db() as session:
            waiting = help_requests.new_count(session, staff())
    home_spec = allowed[0]
    pages: dict[str, st.Page] = {}
    for spec in PAGES:
        visible = role in spec.roles
        pages[spec.url] = st.Page(
            spec.render if visible else (lambda: st.switch_page(pages[home_spec.url])),
            title=t(spec.title) + (f" ({waiting})" if spec.url == "requests" and waiting else ""),
            icon=spec.icon,
            url_path=spec.url,
            default=spec is home_spec,
            visibility="visible" if visible and spec.in_menu else "hidden",
        )
    wanted = st.session_state.pop(state.GOTO, None)
    navigation = st.navigation(list(pages.values()))
    if wanted in {spec.url for spec in allowed}:
        st.switch_page(pages[wanted])  # a page asked to open another one (e.g. a pupil's page)
    return navigation, pages


def _check_pupil() -> None:
    """Sign the pupil out after 20 minutes without activity (shared class computers), or as
    soon as their record is deleted or their class archived. (A lock stops new sign-ins only:
    anyone with the class code can cause one.)"""
    if pupil_gone_idle():
        end_pupil_session()
        st.session_state[state.SIGNED_OUT_IDLE] = True
    st.session_state[state.LAST_ACTIVITY] = utcnow()
    if pupil():
        with db() as session:
            still = classes.current_pupil(session, pupil())
        if still is None:
            end_pupil_session()
        else:
            st.session_state[state.PUPIL] = still  # e.g. renamed by the teacher


def _profile_language() -> None:
    """The one writer of a teacher's language preference. On signing in, and after the language
    menu changed: a language chosen in this session is saved to the profile; otherwise the
    profile's language is used (so it follows the teacher to another computer)."""
    member = staff()
    if member and st.session_state.get(state.LANGUAGE_LOADED_FOR) != member.id:
        with db() as session:
            if st.session_state.get(state.LANGUAGE_CHOSEN):
                accounts.set_staff_language(session, member, lang())
            elif saved := accounts.staff_language(session, member):
                set_default_language(saved)
        st.session_state[state.LANGUAGE_LOADED_FOR] = member.id


def _sign_out_button() -> None:
    who = pupil() or staff()
    if not who:
        return
    st.caption(t("Signed in as {name}", name=plain(who.display_name)), width="content")
    if st.button(t("Sign out"), key=state.SIGN_OUT_BUTTON, icon="🚪"):
        if pupil():
            end_pupil_session()
        else:
            auth.sign_out_staff()


SHOWN_PAGE = "amane_shown_page"  # the page of the last run, to notice a page change
# Streamlit leaves its menu open over the page after one of its links was followed, even on a
# tablet or phone where it covers or squeezes the page: fold it there.
_FOLD_MENU = """<script data-amane>
if (window.matchMedia("(max-width: 820px)").matches) {
  document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
}
</script>"""


def _fold_menu_after_navigating(url: str) -> None:
    if st.session_state.get(SHOWN_PAGE) == url:
        return
    st.session_state[SHOWN_PAGE] = url
    # A container of its own per page, so that the browser runs the script again (base.css hides it).
    with st.container(key=f"amane-script-{url}"):
        st.html(_FOLD_MENU, unsafe_allow_javascript=True)


def _database_unreachable() -> None:
    """What everyone sees while the database cannot be reached, instead of a traceback. Nothing
    is lost: what was saved is in the database and the session (who is signed in, the step on
    screen) stays, so the page comes back as it was once the database answers again."""
    logging.getLogger("amane").exception("database unreachable")
    st.error(
        t(
            "Amane cannot reach its database just now. What you did before is saved. "
            "Please try again in a minute; if it goes on, tell the person who looks after Amane "
            "at your school."
        ),
        icon="🔌",
    )
    if st.button(t("Try again"), key="database_retry", type="primary"):
        st.rerun()


def main() -> None:
    try:
        _run()
    except (OperationalError, InterfaceError):  # the server is down, unreachable, or the disk is gone
        if not st.session_state[state.RUN].get("styled"):
            set_language(lang())
            inject_style()
        _database_unreachable()


def _run() -> None:
    _check_pupil()
    if not pupil():
        auth.restore_staff_session()
    _profile_language()
    set_language(lang())
    inject_style()
    st.session_state[state.RUN]["styled"] = True
    # A bar above every page, visible on a tablet where the sidebar is folded away. Its controls
    # keep their natural width and wrap onto a second line rather than truncate (layout.css).
    with st.container(key="amane-topbar", horizontal=True, vertical_alignment="center"):
        st.toggle(t("Larger text"), key=state.LARGE_TEXT)
        help_slot = st.empty()
        language_switcher()
        _sign_out_button()  # may sign out, so it runs before the navigation is built
        staff_slot = st.empty()
    role = _role()
    navigation, pages = _navigation(role)
    help_slot.page_link(pages["help"], label=t("Get help now"), icon="🆘")
    if role == "anonymous":  # staff sign-in without opening the folded menu of a tablet
        staff_slot.page_link(pages["staff"], label=t("Staff sign-in"), icon="🔑")
    st.session_state[state.RUN]["pages"] = pages
    _fold_menu_after_navigating(navigation.url_path)
    navigation.run()
    auth.sync_cookie()


main()
