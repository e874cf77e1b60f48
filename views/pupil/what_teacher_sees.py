"""What my teacher sees: the privacy notice written for the pupil's age, on one plain screen."""

from __future__ import annotations

from services.progress import my_band
from views.common import db, pupil
from views.privacy_notice import show_notice


def render() -> None:
    with db() as session:
        band = my_band(session, pupil())
    show_notice("pupil", band)
