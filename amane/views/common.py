"""Shared Streamlit plumbing for the pages: cached engine and content, the DB session,
the signed-in actor, language, safe text, and small widgets used on several pages."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from amane.clock import utcnow
from amane.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, direction, fmt_date, isolate, t
from amane.models.content import LocalText
from amane.models.content_loader import Catalogue, load_catalogue
from amane.models.db import ready_engine, session_scope
from amane.services.errors import ServiceError
from amane.services.permissions import PupilActor, StaffActor
from amane.services.rules import PUPIL_IDLE_TIMEOUT
from amane.settings import PACKAGE, get_settings
from amane.views import state


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return ready_engine(url)


@st.cache_resource(show_spinner=False)
def _catalogue(root: str) -> Catalogue:
    return load_catalogue(Path(root))


def catalogue() -> Catalogue:
    return _catalogue(str(get_settings().content_dir))


@contextmanager
def db() -> Iterator[Session]:
    """The session for one unit of work on a page (commit on success, rollback on error)."""
    with session_scope(_engine(get_settings().database_url)) as session:
        yield session


def end_pupil_session() -> None:
    """Forget everything of the pupil who leaves a shared computer (step reached, choices shown,
    quiz state), keeping only the screen settings."""
    keep = state.SCREEN
    for key in list(st.session_state.keys()):
        if key not in keep:
            del st.session_state[key]


def staff() -> StaffActor | None:
    value = st.session_state.get(state.STAFF)
    return value if isinstance(value, StaffActor) else None


def pupil() -> PupilActor | None:
    value = st.session_state.get(state.PUPIL)
    return value if isinstance(value, PupilActor) else None


def pupil_gone_idle() -> bool:
    """The signed-in pupil has done nothing for PUPIL_IDLE_TIMEOUT: whoever clicks now may be
    someone else at a shared class computer."""
    last = st.session_state.get(state.LAST_ACTIVITY)
    return pupil() is not None and last is not None and utcnow() - last > PUPIL_IDLE_TIMEOUT


def lang() -> str:
    return st.session_state.get(state.LANGUAGE) or get_settings().default_language


def label(value: LocalText | str) -> str:
    """Content text in the reader's language, or one of the services' msgids translated."""
    return local(value) if isinstance(value, LocalText) else t(value)


def local(text: LocalText | None) -> str:
    """A content text in the language of this run (the one `t` uses)."""
    return text.get(current_language()) if text is not None else ""


# Markdown turns www.…, http(s)://… and e-mail addresses into links after escapes are resolved:
# an invisible word joiner inside the pattern keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//)|(?=@)")


def plain(text: str) -> str:
    """User-entered text (class and pupil names) made inert for st.markdown, st.table and labels."""
    text = _AUTOLINK.sub("\u2060", text)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])", r"\\\1", text)


_NUMBERED = re.compile(r"^\d+\.\s")


def show_points(points: list[LocalText]) -> None:
    """A lesson step's points: a bulleted list, or a numbered one when the points are numbered
    steps themselves ("1. …"), so that no bullet sits before a number."""
    texts = [local(point) for point in points]
    if not texts:
        return
    if all(_NUMBERED.match(text) for text in texts):
        st.markdown("\n".join(texts))
    else:
        st.markdown("\n".join(f"- {text}" for text in texts))


def show_sections(sections: list) -> None:
    """Guide and notice sections: a heading, then a paragraph and/or bullet points."""
    for section in sections:
        st.subheader(local(section.heading))
        if section.body:
            st.write(local(section.body))
        for bullet in section.bullets:
            st.markdown(f"- {local(bullet)}")


def public_address() -> str:
    """The address pupils and families type to reach Amane: AMANE_PUBLIC_URL, or else the one
    this browser used (without the page's own path)."""
    configured = get_settings().public_url
    if configured:
        return configured
    address = str(getattr(st.context, "url", "") or "").rstrip("/")
    for path in st.session_state.get(state.RUN, {}).get("pages", {}):
        if address.endswith("/" + path):  # the default page's address has no path to strip
            return address.removesuffix("/" + path)
    return address


def back(label: str) -> str:
    """A "back" button label whose arrow points the reading direction's way back."""
    return ("→ " if direction(lang()) == "rtl" else "← ") + label


def print_button(label: str) -> None:
    """Opens the browser's print dialog for the page. Put what is to be printed in a container
    keyed "printable-…": print.css then prints that alone, without menus, forms or buttons."""
    import streamlit.components.v1 as components

    components.html(
        '<button onclick="window.parent.print()" style="font-size:1rem;padding:.5rem 1.2rem;'
        'border-radius:.5rem;border:1px solid #1f5fa8;background:#1f5fa8;color:#fff;cursor:pointer">'
        f"🖨️ {html.escape(label)}</button>",
        height=56,
    )


def page_link(url: str, label: str, icon: str) -> None:
    """A link to one of the app's pages (registered by app.py for this run), for tablets where
    the menu is folded away."""
    page = st.session_state.get(state.RUN, {}).get("pages", {}).get(url)
    if page is not None:
        st.page_link(page, label=label, icon=icon)


def help_link(label: str) -> None:
    page_link("help", label, "🆘")


def show_error(error: ServiceError) -> None:
    st.error(t(error.message, **error.params))


def svg_image(path: str, alt: str, width: str = "100%") -> None:
    """One of our own SVG illustrations, with alt text."""
    file = get_settings().content_dir / "assets" / path
    try:
        data = base64.b64encode(file.read_bytes()).decode()
    except OSError:
        return
    st.markdown(
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}" '
        f'style="width:{width};max-width:420px;display:block;margin:0 auto" />',
        unsafe_allow_html=True,
    )


@st.cache_data(show_spinner=False)
def _stylesheet(name: str) -> str:
    return (PACKAGE / "static" / "css" / f"{name}.css").read_text(encoding="utf-8")


def stylesheets() -> list[str]:
    """The CSS files this page loads, one per concern, from amane/static/css/: those every page
    needs, right to left for Arabic, and the larger text when it is switched on."""
    names = ["base", "layout", "signin", "pupil", "staff", "print", "kit"]
    if direction(lang()) == "rtl":
        names.append("rtl")
    if st.session_state.get(state.LARGE_TEXT):
        names.append("large-text")
    return names


def inject_style() -> None:
    """The page's CSS (see `stylesheets`)."""
    st.html(f"<style>{''.join(_stylesheet(name) for name in stylesheets())}</style>")


def set_default_language(language: str) -> None:
    """A class's or profile's language, unless the person picked one in this session."""
    if not st.session_state.get(state.LANGUAGE_CHOSEN):
        st.session_state[state.LANGUAGE] = language


def _language_chosen() -> None:
    choice = st.session_state[state.LANGUAGE_MENU]
    st.session_state[state.LANGUAGE] = choice
    st.session_state[state.LANGUAGE_CHOSEN] = True
    st.session_state.pop(state.LANGUAGE_LOADED_FOR, None)  # app.py saves it to a teacher's profile


def language_switcher() -> None:
    """The language menu. Its choice is applied by a callback, before the page runs."""
    st.session_state[state.LANGUAGE_MENU] = lang()  # the language may also change elsewhere
    st.selectbox(
        t("Language"),
        LANGUAGES,
        format_func=lambda code: LANGUAGE_NAMES[code],
        key=state.LANGUAGE_MENU,
        on_change=_language_chosen,
        label_visibility="collapsed",
        placeholder=t("Language"),
        width=160,
    )


def when(value: datetime | None) -> str:
    """A date, isolated so that the names around it cannot reorder it in right-to-left text (its
    own direction comes from the locale's format: Arabic dates carry right-to-left marks)."""
    return isolate(fmt_date(value)) if value else ""
