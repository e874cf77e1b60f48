"""Driving app.py with Streamlit's AppTest (tests and benchmarks)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from amane.settings import PACKAGE

APP = str(PACKAGE / "app.py")


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def goto(at: AppTest, url: str) -> AppTest:
    """Open one of our pages by its URL path (pages are callables, not files)."""
    at._page_hash = calc_hash(url)  # noqa: SLF001  (how st.Page names a page; no public API for callables)
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page shows as text, for asserting on what a user reads."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "success",
        "error",
        "warning",
        "info",
    ):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [button.label for button in at.button]
    return "\n".join(parts)


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label or b.label.endswith(label)]
    assert matches, f"no button {label!r} in {[b.label for b in at.button]}"
    return matches[0]


def sign_in_staff(at: AppTest, username: str, password: str) -> AppTest:
    """Sign in on the staff page. In a browser the redirect that follows changes the URL;
    AppTest keeps the old page, so open the new home page explicitly."""
    goto(at, "staff")
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    button(at, "Sign in").click().run()
    return at if at.error else goto(at, "classes")


def sign_in_pupil(at: AppTest, code: str, name: str, pictures) -> AppTest:
    from amane.views.widgets import picture_label

    goto(at, "start")
    at.text_input[0].input(code)
    button(at, "Go").click().run()
    button(at, name).click().run()
    for picture in pictures:
        button(at, picture_label(picture)).click().run()
    return at if at.error else goto(at, "lessons")


def widget(at: AppTest, kind: str, label: str):
    """The widget of this kind with this label (main area or sidebar)."""
    matches = [w for w in getattr(at, kind) if w.label == label]
    assert matches, f"no {kind} {label!r} in {[w.label for w in getattr(at, kind)]}"
    return matches[0]
