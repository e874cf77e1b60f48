"""School admin: teacher accounts (create, disable, let sign in again, reset password) and data retention."""

from __future__ import annotations

import streamlit as st

from amane.i18n import N_, t, tn
from amane.services import accounts, privacy
from amane.services.accounts import StaffMember
from amane.services.errors import ServiceError
from amane.services.rules import (
    DEFAULT_RETENTION_DAYS,
    MAX_RETENTION_DAYS,
    MAX_STAFF_NAME_LENGTH,
    MAX_USERNAME_LENGTH,
    MIN_RETENTION_DAYS,
)
from amane.views import forms
from amane.views.common import db, plain, show_error, staff
from amane.views.widgets import password_input

ROLE_NAMES = {"teacher": N_("Teacher"), "admin": N_("Administrator")}


NEW_ACCOUNT = "new_teacher"


def _new_account(expanded: bool) -> None:
    with st.expander(t("Create an account"), expanded=expanded), st.form(forms.key(NEW_ACCOUNT)):
        name = st.text_input(
            t("Name"), value=forms.kept(NEW_ACCOUNT, "name"), max_chars=MAX_STAFF_NAME_LENGTH
        )
        username = st.text_input(
            t("Username"), value=forms.kept(NEW_ACCOUNT, "username"), max_chars=MAX_USERNAME_LENGTH
        )
        password = password_input(t("First password"))
        role = st.selectbox(
            t("Role"),
            accounts.ROLES,
            index=accounts.ROLES.index(forms.kept(NEW_ACCOUNT, "role", accounts.ROLES[0])),
            format_func=lambda r: t(ROLE_NAMES[r]),
        )
        submitted = st.form_submit_button(t("Create the account"), type="primary")
    forms.show_outcome(NEW_ACCOUNT)
    if not submitted:
        return
    try:
        with db() as session:
            accounts.create_staff(session, staff(), username, name, password, role)
    except ServiceError as error:
        typed = {"name": name, "username": username, "role": role}
        forms.failed(NEW_ACCOUNT, t(error.message, **error.params), typed)
    forms.saved(NEW_ACCOUNT, t("Account created for {name}.", name=plain(name)))


def _label(member: StaffMember) -> str:
    state = t("Active") if member.active else t("Disabled")
    return f"{member.display_name} ({member.username}) · {t(ROLE_NAMES[member.role])} · {state}"


def _members(members: list[StaffMember]) -> None:
    """All accounts in one list, and the actions for the one chosen: one set of widgets whatever
    the size of the school (one form per account made the page slow with hundreds of staff)."""
    labels = {member.id: _label(member) for member in members}
    by_id = {member.id: member for member in members}
    others = [member.id for member in members if member.id != staff().id]
    chosen = st.selectbox(
        t("Account"),
        list(by_id),
        index=list(by_id).index(others[0]) if others else 0,
        format_func=labels.__getitem__,
        key="admin_member",
    )
    member = by_id[chosen]
    with st.container(border=True):
        st.markdown(f"**{plain(labels[member.id])}**")
        if member.id != staff().id:
            label = t("Disable the account") if member.active else t("Enable the account")
            if st.button(label, key=f"active_{member.id}"):
                try:
                    with db() as session:
                        accounts.set_staff_active(session, staff(), member.id, not member.active)
                except ServiceError as error:
                    show_error(error)
                else:
                    st.rerun()
        _unlock(member)
        _reset_password(member)


def _unlock(member: StaffMember) -> None:
    """After many wrong passwords typed with this username, sign-in waits; the admin can lift it."""
    with db() as session:
        minutes = accounts.sign_in_wait_minutes(session, staff(), member.id)
    if minutes is None:
        return
    st.warning(
        tn(
            "Many wrong passwords were typed with this username: signing in waits {n} more minute.",
            "Many wrong passwords were typed with this username: signing in waits {n} more minutes.",
            minutes,
        )
    )
    if st.button(t("Let them sign in again now"), key=f"unlock_{member.id}"):
        with db() as session:
            accounts.unlock_staff(session, staff(), member.id)
        st.rerun()


def _reset_password(member: StaffMember) -> None:
    form = f"reset_{member.id}"
    with st.form(forms.key(form)):
        password = password_input(t("New password"))
        submitted = st.form_submit_button(t("Reset the password"))
    forms.show_outcome(form)
    if not submitted:
        return
    try:
        with db() as session:
            accounts.reset_staff_password(session, staff(), member.id, password)
    except ServiceError as error:
        forms.failed(form, t(error.message, **error.params), {})
    forms.saved(form, t("Password changed. Give it to {name} in person.", name=plain(member.display_name)))


def _retention() -> None:
    st.subheader(t("Data retention"))
    with db() as session:
        days = privacy.retention(session, staff())
    with st.form("retention"):
        keep = st.checkbox(t("Delete archived classes automatically"), value=days is not None)
        value = st.number_input(
            t("Days after archiving"),
            min_value=MIN_RETENTION_DAYS,
            max_value=MAX_RETENTION_DAYS,
            value=days or DEFAULT_RETENTION_DAYS,
            step=1,
        )
        if st.form_submit_button(t("Save")):
            with db() as session:
                privacy.set_retention(session, staff(), int(value) if keep else None)
            st.success(t("Saved."))


def render() -> None:
    st.title(t("Teachers"))
    with db() as session:
        members = accounts.list_staff(session, staff())
    no_teacher = all(member.role == "admin" for member in members)
    _new_account(expanded=no_teacher or forms.just_saved(NEW_ACCOUNT))  # open for the next one
    if no_teacher:
        st.info(
            t(
                "No teacher account yet. Create one for each teacher with the form above; each "
                "teacher then signs in and creates their class in My classes."
            )
        )
    _members(members)
    _retention()
