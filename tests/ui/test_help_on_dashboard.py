"""Help requests where the teacher looks, through AppTest: each open request on the dashboard's
Needs help card and on the pupil's page, acknowledged right there, and the inbox's date and time.
AppTest has no browser, so times are shown in UTC and say so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from amane.i18n import isolate, t
from amane.models.tables import AuditEvent, HelpRequest
from amane.services import help_requests
from amane.testing.apptest import goto, new_app, sign_in_staff, texts
from amane.views import state
from tests.conftest import PASSWORD
from tests.ui.test_dashboard_pages import open_page

MONDAY = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
TUESDAY = datetime(2026, 12, 1, 13, 40, tzinfo=UTC)
# The locale's short date and time: day first in French and Arabic (Arabic with right-to-left marks)
SHOWN = {
    "fr": {MONDAY: "30/11/2026 08:15 UTC", TUESDAY: "01/12/2026 13:40 UTC"},
    "ar": {MONDAY: "30\u200f/11\u200f/2026، 08:15 UTC", TUESDAY: "1\u200f/12\u200f/2026، 13:40 UTC"},
    "en": {MONDAY: "11/30/26, 8:15\u202fAM UTC", TUESDAY: "12/1/26, 1:40\u202fPM UTC"},
}


def _sent(session, me, category: str, in_person: bool, when: datetime) -> int:
    request = help_requests.ask_for_help(session, me, category, in_person)
    row = session.get(HelpRequest, request.id)
    row.created_at = row.updated_at = when
    session.commit()
    return request.id


@pytest.fixture
def asked(session, pupils) -> dict[str, int]:
    """Yasmine asked on Monday (someone is mean, in person) and on Tuesday (a stranger contacted
    her, not in person)."""
    yasmine = pupils[1][0]
    return {
        "monday": _sent(session, yasmine, "mean", True, MONDAY),
        "tuesday": _sent(session, yasmine, "contact", False, TUESDAY),
    }


def _details(lang: str, when: datetime, in_person: bool) -> str:
    person = "🗣️ " + t("Wants to talk in person", lang=lang) if in_person else t(
        "Did not ask to talk in person", lang=lang
    )
    return t("Sent {when}", lang=lang, when=isolate(SHOWN[lang][when])) + " · " + person


def _status(lang: str, status: str) -> str:
    return t("Status: {status}", lang=lang, status=t(help_requests.STATUS_NAMES[status], lang=lang))


def _markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def _acknowledge_buttons(at, where: str) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith(f"{where}_acknowledge_")]


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_card_shows_each_open_request_in_the_pages_language(app_env, teacher, asked, lang):
    at = open_page(teacher, **{state.LANGUAGE: lang})

    assert not at.exception
    shown = _markdown(at)
    start = shown.index("**Yasmine**")
    assert shown[start : start + 7] == [
        "**Yasmine**",
        f"**{t(help_requests.CATEGORIES['contact'], lang=lang)}**",
        _details(lang, TUESDAY, False),
        _status(lang, "new"),
        f"**{t(help_requests.CATEGORIES['mean'], lang=lang)}**",
        _details(lang, MONDAY, True),
        _status(lang, "new"),
    ]
    assert _acknowledge_buttons(at, "dashboard") == [
        f"dashboard_acknowledge_{asked['tuesday']}",
        f"dashboard_acknowledge_{asked['monday']}",
    ]
    assert t("Open help requests: {requests}", lang=lang, requests=2) not in texts(at)  # the list says it


def test_acknowledging_on_the_card_is_the_inbox_status_change(app_env, teacher, session, asked):
    at = open_page(teacher)

    at.button(key=f"dashboard_acknowledge_{asked['monday']}").click().run()

    assert not at.exception
    session.expire_all()
    assert session.get(HelpRequest, asked["monday"]).status == "acknowledged"
    assert session.get(HelpRequest, asked["tuesday"]).status == "new"
    change = session.exec(select(AuditEvent).where(AuditEvent.action == "help_status")).one()
    assert (change.actor, change.target, change.detail) == (
        f"staff:{teacher.id}",
        f"help:{asked['monday']}",
        {"before": "new", "after": "acknowledged"},
    )
    assert _acknowledge_buttons(at, "dashboard") == [f"dashboard_acknowledge_{asked['tuesday']}"]
    assert _markdown(at).count("Status: Acknowledged") == 1
    assert "Yasmine" in _markdown(at)[0]  # still on the card until the request is resolved


def test_the_pupil_page_lists_their_requests_newest_first_and_acknowledges(
    app_env, teacher, session, pupils, asked
):
    help_requests.set_status(session, teacher, asked["monday"], "resolved")
    session.commit()
    yasmine = pupils[1][0]

    at = open_page(teacher, "pupil", **{state.PUPIL_DETAIL: yasmine.id, state.LANGUAGE: "fr"})

    assert not at.exception
    assert [h.value for h in at.header] == [t("Help requests", lang="fr")]
    shown = _markdown(at)
    assert shown[:6] == [
        f"**{t(help_requests.CATEGORIES['contact'], lang='fr')}**",
        _details("fr", TUESDAY, False),
        _status("fr", "new"),
        f"**{t(help_requests.CATEGORIES['mean'], lang='fr')}**",
        _details("fr", MONDAY, True),
        _status("fr", "resolved"),
    ]
    assert _acknowledge_buttons(at, "pupil") == [f"pupil_acknowledge_{asked['tuesday']}"]

    at.button(key=f"pupil_acknowledge_{asked['tuesday']}").click().run()

    session.expire_all()
    assert session.get(HelpRequest, asked["tuesday"]).status == "acknowledged"
    assert _markdown(at)[2] == _status("fr", "acknowledged")
    assert _acknowledge_buttons(at, "pupil") == []
    assert sum("Teacher One" in c.value for c in at.caption) == 2  # who changed them, as in the inbox


def test_a_pupil_without_requests_has_no_help_section(app_env, teacher, pupils, asked):
    at = open_page(teacher, "pupil", **{state.PUPIL_DETAIL: pupils[2][0].id})

    assert at.header.len == 0
    assert _acknowledge_buttons(at, "pupil") == []


def test_another_teacher_sees_none_of_them(app_env, other_teacher, pupils, asked):
    at = open_page(other_teacher, "pupil", **{state.PUPIL_DETAIL: pupils[1][0].id})

    assert [e.value for e in at.error] == ["You do not have access to this."]
    assert "Someone is being mean to me" not in texts(at)
    assert _acknowledge_buttons(at, "pupil") == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_inbox_shows_the_date_and_the_time(app_env, teacher, school_class, asked, lang):
    at = sign_in_staff(new_app().run(), "teacher", PASSWORD)
    at.session_state[state.LANGUAGE] = lang
    at = goto(at, "requests")

    assert not at.exception
    lines = [m for m in _markdown(at) if "CM2 A" in m]
    assert lines == [
        f"**{isolate('Yasmine')}** · {isolate('CM2 A')} · {isolate(SHOWN[lang][TUESDAY])}",
        f"**{isolate('Yasmine')}** · {isolate('CM2 A')} · {isolate(SHOWN[lang][MONDAY])}",
    ]
