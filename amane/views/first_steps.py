"""A new school's first steps, in order, each leading to its page: shown on the "Your school is
ready" page after setup, and on the admin's first page while the school has no teacher and no
class (so the guide outlives a reload)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from amane.i18n import N_, ltr, t
from amane.views import auth, state
from amane.views.common import page_link, plain, public_address, staff

SCHOOL_CREATED = "amane_school_created"  # the school's name, set by the setup page on success


@dataclass(frozen=True)
class Step:
    url: str  # the page where the step is done
    label: str  # msgid
    icon: str
    detail: str  # msgid


STEPS: tuple[Step, ...] = (
    Step("staff", N_("Sign in"), "🔑", N_("With the username and password you have just chosen.")),
    Step(
        "teachers",
        N_("Create the teachers' accounts"),
        "🧑‍🏫",
        N_(
            "On the Teachers page: a name, a username and a first password for each teacher. "
            "Give each teacher their password in person."
        ),
    ),
    Step(
        "classes",
        N_("A teacher creates a class"),
        "🏫",
        N_(
            "Each teacher signs in with their own account, creates a class in My classes and adds "
            "the pupils' names."
        ),
    ),
    Step(
        "classes",
        N_("Print the pupils' sign-in cards"),
        "🖨️",
        N_(
            "In My classes, once the pupils are added: each card has the class code and the pupil's "
            "three pictures. Print them at once: the pictures are shown only once."
        ),
    ),
)


def next_steps(here: str | None = None) -> None:
    """The steps in order. Before signing in, the first step is the sign-in form itself and the
    others are text (their pages open only once signed in); after, each is a link to its page,
    except those done on `here`, the page showing them."""
    signed_in = staff() is not None
    for number, step in enumerate(STEPS, start=1):
        title = f"{number}. {t(step.label)}"
        with st.container(border=True, key=f"first-step-{number}"):
            if step.url == "staff" and signed_in:
                st.markdown(f"**{title}** ✔️")
                st.caption(t("Done: you are signed in."))
                continue
            if step.url == "staff":
                st.markdown(f"**{title}**")
                st.caption(t(step.detail))
                auth.sign_in_form()
                continue
            if signed_in and step.url != here:
                page_link(step.url, title, step.icon)
            else:
                st.markdown(f"**{step.icon} {title}**")
            st.caption(t(step.detail) + (" " + t("You are on this page.") if step.url == here else ""))
    _families()


def _families() -> None:
    st.subheader(t("Pupils and families"))
    address = public_address()
    if address:
        st.markdown(
            t(
                "Pupils open {address} and sign in with the class code and the pictures of their card.",
                address=ltr(plain(address)),
            )
        )
    else:
        st.markdown(
            t("Pupils sign in on Amane's first page with the class code and the pictures of their card.")
        )
    page_link("parents", t("For parents: guides to read at home, without an account"), "👪")
    page_link("help", t("Get help: who to call right now, for anyone, without signing in"), "🆘")


def render() -> None:
    """The page shown after setup."""
    school = st.session_state.get(SCHOOL_CREATED)
    if school is None and staff() is None:  # not the visitor who has just set the school up
        st.switch_page(st.session_state[state.RUN]["pages"]["staff"])
    st.title(t("Your school is ready"))
    if school:
        st.success(t("{school} and its administrator account are created.", school=plain(school)))
    st.subheader(t("What to do next, in order"))
    next_steps(here="ready")
