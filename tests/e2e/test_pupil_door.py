"""The pupils' door on a shared class computer, in a real browser, in French and Arabic, on a phone
and a tablet: the teacher sets the computer to the class; pupils then start at their names, tap
large pictures, and after each sign-out the names come back. Screenshots of the door go to
screenshots/door/ for people to look at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from playwright.sync_api import Page, expect

from amane import i18n
from amane.models.tables import Pupil
from amane.services.pictures import PICTURES as ALL_PICTURES
from amane.services.pictures import hash_pictures
from amane.settings import ROOT
from amane.testing.browser import wait_idle
from amane.views import auth
from amane.views.widgets import PICTURE_NAMES
from tests.conftest import old_picture_hash
from tests.e2e.conftest import choose_language, click, seed_class
from tests.e2e.test_journey import sign_in_teacher

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "door"
HEIGHTS = {390: 844, 768: 1024}  # a phone, a tablet
MIN_PICTURE_PX = 64
MIN_BUTTON_PX = 44
PICTURES = ("sun", "cat", "apple", "heart")  # Yasmine's card
SHORT_SCROLL = 0.25  # of the phone's screen height


def _emoji_boxes(page: Page) -> list[dict]:
    """Each picture button's emoji as drawn (its first two UTF-16 units: every emoji of the
    door is two), and the grid's box."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.st-key-door-pictures button')].map(button => {
            const text = button.querySelector('p').firstChild;
            const range = document.createRange();
            range.setStart(text, 0);
            range.setEnd(text, 2);
            const box = range.getBoundingClientRect();
            return {label: button.innerText, width: box.width, height: box.height};
        })"""
    )


def _grid_bottom(page: Page) -> tuple[float, float, float]:
    return page.evaluate(
        """() => {
            const box = document.querySelector('.st-key-door-pictures').getBoundingClientRect();
            return [box.top, box.bottom, window.innerHeight];
        }"""
    )


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _names_shown(page: Page, t) -> None:
    expect(page.get_by_role("heading", name=t("Tap your name"))).to_be_visible()
    for name in ("Yasmine", "Adam"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.locator('input[aria-label="' + t("Class code") + '"]')).to_have_count(0)


@pytest.mark.parametrize("width", [390, 768])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_class_computer_door_with_large_pictures(new_page, server, session, lang, width):
    def t(message: str, **params) -> str:
        return i18n.t(message, lang=lang, **params)

    school_class, (yasmine, adam) = seed_class(session, "5B", lang, "Yasmine\nAdam")
    for pupil in (yasmine, adam):  # cards printed before the 16 pictures
        session.get(Pupil, pupil.id).picture_hash = old_picture_hash(("sun", "cat", "apple"))
    session.commit()
    page = new_page("staff", width, HEIGHTS[width])

    # A class-computer cookie signed with another key is ignored: the usual class-code door.
    claims = {
        "sub": school_class.join_code,
        "exp": datetime.now(UTC) + timedelta(days=1),
        "aud": auth.CLASS_COMPUTER_AUDIENCE,
    }
    forged = jwt.encode(claims, "a key that is not this school's, long enough", algorithm="HS256")
    page.context.add_cookies([{"name": auth.CLASS_COMPUTER_COOKIE, "value": forged, "url": server}])
    page.goto(server)
    wait_idle(page)
    expect(page.locator('input[aria-label="Class code"]')).to_be_visible()
    expect(page.get_by_role("button", name="Yasmine", exact=True)).to_have_count(0)

    # The teacher sets this computer to the class, in the page's language, and signs out.
    page.goto(f"{server}/staff")
    wait_idle(page)
    sign_in_teacher(page)
    page.goto(f"{server}/computer")
    wait_idle(page)
    choose_language(page, lang)
    click(page, "button", t("Set this computer to this class"))
    done = t("Done. Once you sign out, this computer opens at the names of {class_name}.", class_name="5B")
    expect(page.get_by_text(done, exact=True)).to_be_visible()
    page.wait_for_function(f"document.cookie.includes('{auth.CLASS_COMPUTER_COOKIE}=ey')")
    _shot(page, f"this-computer-{lang}-{width}")

    # Cards printed before 16 pictures (3 pictures): My classes says so; new cards have 4.
    page.goto(server)  # My classes, a teacher's first page
    wait_idle(page)
    old = i18n.tn(
        "{n} pupil still has a card with 3 pictures. New cards have {taps} pictures from "
        "{pictures}, much harder to guess: give the whole class new pictures and print the cards.",
        "{n} pupils still have cards with 3 pictures. New cards have {taps} pictures from "
        "{pictures}, much harder to guess: give the whole class new pictures and print the cards.",
        2,
        lang=lang,
        taps=4,
        pictures=16,
    )
    expect(page.get_by_text(old)).to_be_visible()
    click(page, "button", t("New pictures for the whole class"))
    cards = page.locator(".st-key-printable-cards > div")
    expect(cards).to_have_count(2)
    arrow = " ← " if lang == "ar" else " → "
    expect(cards.first).to_contain_text(arrow)
    assert cards.first.inner_text().count(arrow.strip()) == 3  # 4 pictures
    expect(page.get_by_text(old)).to_have_count(0)
    page.locator(".st-key-printable-cards").scroll_into_view_if_needed()
    _shot(page, f"cards-{lang}-{width}")
    session.get(Pupil, yasmine.id).picture_hash = hash_pictures(PICTURES)  # her new card, as we know it
    session.commit()
    click(page, "button", t("Sign out"))
    _names_shown(page, t)
    page.wait_for_function("!document.cookie.includes('amane_auth')")

    # Another day: the browser opens straight at the class's names.
    page.goto(server)
    wait_idle(page)
    _names_shown(page, t)
    _shot(page, f"names-{lang}-{width}")

    click(page, "button", "Yasmine", exact=True)
    hello = i18n.tn(
        "Hello {name}! Tap your {n} picture in order.",
        "Hello {name}! Tap your {n} pictures in order.",
        4,
        lang=lang,
        name="Yasmine",
    )
    expect(page.get_by_role("heading", name=hello)).to_be_visible()
    boxes = _emoji_boxes(page)
    assert len(boxes) == 16
    for box in boxes:
        assert box["width"] >= MIN_PICTURE_PX and box["height"] >= MIN_PICTURE_PX, box
    buttons = page.locator(".st-key-door-pictures button")
    for number in range(16):
        button = buttons.nth(number).bounding_box()
        assert button["width"] >= MIN_BUTTON_PX * 1.5 and button["height"] >= MIN_BUTTON_PX * 1.5, button
    top, bottom, screen = _grid_bottom(page)
    if width == 768:
        assert top >= 0 and bottom <= screen, (top, bottom, screen)
    else:
        assert bottom <= screen * (1 + SHORT_SCROLL), (top, bottom, screen)
    for picture, box in zip(ALL_PICTURES, boxes, strict=True):
        assert t(PICTURE_NAMES[picture]) in box["label"]
    _shot(page, f"pictures-{lang}-{width}")

    # A wrong try: a gentle message, not a red error, with the tries left.
    for _ in range(4):
        click(page, "button", t("Moon"))
    gentle = page.locator('[data-testid="stAlertContentInfo"]')
    expect(gentle).to_contain_text(t("That's okay, everyone makes mistakes!"))
    tries = t("Those pictures are not right. Try again slowly. Tries left: {tries}", tries=4)
    expect(gentle).to_contain_text(tries)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    _shot(page, f"wrong-try-{lang}-{width}")

    for picture in PICTURES:
        click(page, "button", t(PICTURE_NAMES[picture]))
    expect(page.get_by_role("heading", name=t("My lessons"))).to_be_visible()
    expect(page.locator('[data-testid="stMain"]').get_by_text(t("New")).first).to_be_visible()
    _shot(page, f"my-lessons-{lang}-{width}")

    # Signing out gives the door back to the class, with nothing of Yasmine.
    click(page, "button", t("Sign out"))
    _names_shown(page, t)
    expect(page.get_by_role("heading", name=t("My lessons"))).to_have_count(0)
    expect(page.get_by_text(t("Hello {name}!", name="Yasmine"))).to_have_count(0)
