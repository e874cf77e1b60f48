"""Errors services raise. Messages are English msgids; views translate them with t()."""

from __future__ import annotations

from amane.i18n import N_, Message, t

__all__ = ["AccessDenied", "Invalid", "ServiceError"]


class ServiceError(Exception):
    def __init__(self, message: Message, **params: object):
        self.message = message
        self.params = params
        super().__init__(t(message, lang="en", **params))


class AccessDenied(ServiceError):
    """The actor may not touch this object (also used for objects that do not exist,
    so that ids cannot be probed)."""

    def __init__(self) -> None:
        super().__init__(N_("You do not have access to this."))


class Invalid(ServiceError):
    """Input that breaks a rule; nothing was written."""
