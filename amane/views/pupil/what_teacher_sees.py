"""What my teacher sees: the privacy notice written for the pupil's age, on one plain screen."""

from __future__ import annotations

from amane.services.progress import my_band
from amane.views.common import db, pupil
from amane.views.privacy_notice import show_notice


def render() -> None:
    with db() as session:
        band = my_band(session, pupil())
    show_notice("pupil", band)
