"""Small widgets and labels that several pages share (pages never import other pages)."""

from __future__ import annotations

import streamlit as st

from amane.i18n import N_, Nn_, t
from amane.models.guidance import HelpResource
from amane.services.rules import MAX_PASSWORD_BYTES, PASSWORD_MIN_LENGTH
from amane.views.common import local

PASSWORD_HELP = Nn_(
    "At least {n} character. Three random words make a strong password.",
    "At least {n} characters. Three random words make a strong password.",
)


def password_help() -> str:
    return t(PASSWORD_HELP, n=PASSWORD_MIN_LENGTH)


def password_input(label: str) -> str:
    """A new password's field: the rule as help, and no longer than bcrypt reads."""
    return st.text_input(label, type="password", max_chars=MAX_PASSWORD_BYTES, help=password_help())


PICTURE_EMOJI = {
    "sun": "☀️",
    "moon": "🌙",
    "star": "⭐",
    "tree": "🌳",
    "fish": "🐟",
    "cat": "🐱",
    "house": "🏠",
    "apple": "🍎",
    "ball": "⚽",
    "car": "🚗",
    "flower": "🌷",
    "bird": "🐦",
    "boat": "⛵",
    "key": "🔑",
    "heart": "❤️",
    "banana": "🍌",
}
PICTURE_NAMES = {
    "sun": N_("Sun"),
    "moon": N_("Moon"),
    "star": N_("Star"),
    "tree": N_("Tree"),
    "fish": N_("Fish"),
    "cat": N_("Cat"),
    "house": N_("House"),
    "apple": N_("Apple"),
    "ball": N_("Ball"),
    "car": N_("Car"),
    "flower": N_("Flower"),
    "bird": N_("Bird"),
    "boat": N_("Boat"),
    "key": N_("Key"),
    "heart": N_("Heart"),
    "banana": N_("Banana"),
}


def picture_label(picture: str) -> str:
    """A picture of the picture password as a pupil sees it: the emoji and its name."""
    return f"{PICTURE_EMOJI[picture]} {t(PICTURE_NAMES[picture])}"


def resource_card(resource: HelpResource) -> None:
    with st.container(border=True):
        st.markdown(f"**{local(resource.name)}**")
        st.write(local(resource.purpose))
        st.write(local(resource.how))
        if resource.confidence == "M":
            st.caption(
                t("How this works changes from one app or year to the next: check it, or ask an adult.")
            )
        for contact in resource.contacts:
            label = local(contact.label) if contact.label else contact.value
            if contact.kind == "phone":
                st.markdown(f"📞 [{label}](tel:{contact.value})")
            elif contact.kind == "web":
                st.markdown(f"🌐 [{label}]({contact.value})")
