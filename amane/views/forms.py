"""What a form shows after a save: empty after a success; after a failure, what was typed
except passwords; and what the save said, once.

Streamlit cannot change a widget once it is drawn, so a save reruns the page with the form under
a new key (`key`): new, empty widgets, started with the values the failed save kept (`kept`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

import streamlit as st

_FORMS = "amane_forms"  # form -> _Form


@dataclass
class _Form:
    renewed: int = 0  # how many times the form was replaced by an empty one
    kept: dict[str, Any] = field(default_factory=dict)  # field -> what the new form starts with
    outcome: tuple[str, str] | None = None  # ("success" or "error", message), shown once


def _state(form: str) -> _Form:
    return st.session_state.setdefault(_FORMS, {}).setdefault(form, _Form())


def key(form: str) -> str:
    """The key to give st.form now."""
    return f"{form}_{_state(form).renewed}"


def kept(form: str, name: str, default: Any = "") -> Any:
    """What the field `name` starts with: what was typed before a failed save, or `default`."""
    return _state(form).kept.get(name, default)


def just_saved(form: str) -> bool:
    """The form was just saved or refused: its message is still to show (e.g. keep it open)."""
    return _state(form).outcome is not None


def show_outcome(form: str) -> None:
    """What the form's last save said, once."""
    state = _state(form)
    if state.outcome:
        kind, message = state.outcome
        state.outcome = None
        (st.success if kind == "success" else st.error)(message)


def saved(form: str, message: str) -> NoReturn:
    """After a successful save: the form again, empty, and `message`."""
    _renew(form, {}, ("success", message))


def failed(form: str, message: str, keep: dict[str, Any]) -> NoReturn:
    """After a refused save: the form again with `keep` (what was typed, never a password) and the
    error."""
    _renew(form, keep, ("error", message))


def _renew(form: str, keep: dict[str, Any], outcome: tuple[str, str]) -> NoReturn:
    state = _state(form)
    state.renewed += 1
    state.kept = keep
    state.outcome = outcome
    st.rerun()
