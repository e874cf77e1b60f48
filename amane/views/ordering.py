"""The one control for putting steps in order, made for a child on a tablet: the steps are big
buttons; each tap puts a step next in the answer, which shows every placed step with its number;
"Undo last" and "Start again" fix mistakes. The answer is a list of item indexes, the model's
own (Ordering.grade compares it with the right order), kept in st.session_state[key]."""

from __future__ import annotations

import streamlit as st

from amane.i18n import t


def placed(key: str) -> list[int]:
    """The item indexes tapped so far, first to last."""
    return list(st.session_state.get(key) or [])


def ordering_input(items: list[str], order: list[int], key: str) -> None:
    """`items`: the step texts in the question's own order; `order`: their indexes in the order
    shown (shuffled per attempt). One such control per page: its containers have fixed keys."""
    chosen = placed(key)
    st.markdown(t("Tap the steps in the right order, first to last."))
    with st.container(key="ordering-steps"):
        for index in order:
            st.button(
                items[index],
                key=f"{key}_step_{index}",
                use_container_width=True,
                disabled=index in chosen,  # stays in place: a double tap cannot hit the next step
                on_click=_place,
                args=(key, index),
            )
    with st.container(key="ordering-answer", border=True):
        st.markdown("**" + t("Your order:") + "**")
        if chosen:
            st.markdown("\n".join(f"{number}. {items[index]}" for number, index in enumerate(chosen, 1)))
        else:
            st.caption(t("Tap the step that comes first."))
        if len(chosen) == len(items):
            st.caption(t("Every step is in place. Now check your answer."))
    undo, restart = st.columns(2)
    # The key carries the count, so the second tap of a double tap removes nothing more.
    undo.button(
        t("Undo last"),
        key=f"{key}_undo_{len(chosen)}",
        icon=":material/undo:",
        use_container_width=True,
        disabled=not chosen,
        on_click=_undo,
        args=(key, len(chosen)),
    )
    restart.button(
        t("Start again"),
        key=f"{key}_restart",
        icon=":material/restart_alt:",
        use_container_width=True,
        disabled=not chosen,
        on_click=_restart,
        args=(key,),
    )


def _place(key: str, index: int) -> None:
    chosen = placed(key)
    if index not in chosen:
        st.session_state[key] = [*chosen, index]


def _undo(key: str, count: int) -> None:
    chosen = placed(key)
    if len(chosen) == count:
        st.session_state[key] = chosen[:-1]


def _restart(key: str) -> None:
    st.session_state[key] = []
