"""A lesson step's points: numbered steps read as a numbered list, never a bullet before a number
(review friction 17: "• 1.")."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _points_script() -> None:
    from amane.i18n import set_language
    from amane.models.content import LocalText
    from amane.views.common import show_points

    def text(en: str) -> LocalText:
        return LocalText(en=en, fr=en, ar=en)

    set_language("en")
    show_points([text("1. Don't reply."), text("2. Keep evidence.")])
    show_points([text("Block the person."), text("Tell an adult.")])
    show_points([])


def test_numbered_points_are_a_numbered_list_and_others_are_bullets():
    at = AppTest.from_function(_points_script, default_timeout=30).run()
    assert [markdown.value for markdown in at.markdown] == [
        "1. Don't reply.\n2. Keep evidence.",
        "- Block the person.\n- Tell an adult.",
    ]
