"""The audit log, for school admins: who did what in their school, newest first, filtered by who,
which pupil and what; a page of rows at a time, and a CSV of the filtered rows."""

from __future__ import annotations

import streamlit as st

from amane.i18n import ltr, t
from amane.services import accounts, audit, classes
from amane.services.rules import AUDIT_PAGE
from amane.views.common import db, lang, plain, staff
from amane.views.teacher.help_card import browser_zone

SHOWN = "audit_shown"  # how many rows are shown ("Show more" adds AUDIT_PAGE)
EVERYONE, ANY = "", 0  # the filters' "no filter" choices


def _choose(label: str, names: dict, key: str):
    """One filter: a drop-down of `names` (value: shown text); the first is "no filter"."""
    return st.selectbox(label, list(names), format_func=names.__getitem__, key=key, on_change=_reset)


def _who_choice() -> str | None:
    with db() as session:
        members = accounts.list_staff(session, staff())
    names = {EVERYONE: t("Everyone"), **{f"staff:{m.id}": m.display_name for m in members}}
    names |= {audit.PUPILS: t("Pupils"), audit.SYSTEM: t("System")}
    return _choose(t("Who"), names, "audit_who") or None


def _pupil_choice() -> int | None:
    """A class, then one of its pupils (names of the admin's own school only: the services check)."""
    with db() as session:
        school_classes = classes.list_classes(session, staff(), include_archived=True)
    class_id = _choose(
        t("Class"), {ANY: t("Every class"), **{c.id: c.name for c in school_classes}}, "audit_class"
    )
    if class_id == ANY:
        return None
    with db() as session:
        pupils = classes.list_pupils(session, staff(), class_id)
    names = {ANY: t("Every pupil of the class"), **{p.id: p.display_name for p in pupils}}
    return _choose(t("Pupil"), names, "audit_pupil") or None


def _action_choice() -> str | None:
    labels = {action: t(label) for action, label in audit.ACTIONS.items()}
    ordered = sorted(labels.items(), key=lambda item: item[1].casefold())
    return _choose(t("What"), {EVERYONE: t("Everything"), **dict(ordered)}, "audit_action") or None


def _reset() -> None:
    st.session_state[SHOWN] = AUDIT_PAGE


def _show_more() -> None:
    st.session_state[SHOWN] += AUDIT_PAGE


def render() -> None:
    st.title(t("Audit log"))
    st.caption(
        t(
            "Who did what in Amane, newest first: changes, downloads, and who read a pupil's page or "
            "help requests. Only the school's administrators see this page."
        )
    )
    with st.container(key="audit_filters", horizontal=True):
        who = _who_choice()
        action = _action_choice()
    with st.container(key="audit_pupil_filter", horizontal=True):
        pupil_id = _pupil_choice()
    shown = st.session_state.setdefault(SHOWN, AUDIT_PAGE)
    with db() as session:
        rows = audit.events(session, staff(), who, pupil_id, action, limit=shown + 1)
    if not rows:
        st.info(t("Nothing recorded with these filters."))
        return
    import pandas as pd  # here, not at the top: a server imports pandas only when a table is drawn

    zone = browser_zone()
    frame = pd.DataFrame(
        [[ltr(row.when(zone)), plain(row.who()), row.what(), plain(row.about())] for row in rows[:shown]],
        columns=[t("Time"), t("Who"), t("What"), t("About")],
    )
    st.container(key="audit_rows").table(frame, hide_index=True)
    if len(rows) > shown:
        st.button(t("Show more"), key="audit_more", on_click=_show_more)
    _download(who, pupil_id, action)


def _download(who: str | None, pupil_id: int | None, action: str | None) -> None:
    actor, language = staff(), lang()

    def rows_csv() -> str:  # made only when the button is pressed
        with db() as session:
            return audit.events_csv(session, actor, language, who, pupil_id, action)

    st.download_button(
        t("Download these rows (CSV)"),
        data=rows_csv,
        mime="text/csv",
        file_name="amane-audit-log.csv",
        key="audit_csv",
    )
