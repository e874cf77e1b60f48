"""What prints: each printable (sign-in cards, take-home letter, passport, family agreement) alone,
without the app around it, and the sign-in cards 8 to an A4 page. Checked in a real browser
emulating print, in French and Arabic; screenshots (screen and print) go to screenshots/print/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from amane import i18n
from amane.services.rules import PICTURE_PASSWORD_LENGTH
from amane.settings import ROOT
from amane.testing.browser import start_server, stop_server, wait_idle
from amane.views.widgets import PICTURE_EMOJI, PICTURE_NAMES
from tests.conftest import finish_lesson
from tests.e2e.conftest import LESSON, PICTURES, choose_language, click, seed_class, sign_in_staff

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots" / "print"
ADDRESS = "http://amane.ecole.test"
CLASS_NAMES = {"fr": "CM2 A", "ar": "القسم الخامس"}
MARKED_UP = "Sami <b>x</b>"  # printed literally, never as HTML
PUPILS = [MARKED_UP, "Yasmine", "Adam", "Inès", "سلمى", "Mehdi", "Lina", "Karim"]
# Everything that may show on screen but must not print.
CHROME = ", ".join(
    ["header", "button", "input", "textarea", "iframe", "[role=tablist]", "[data-testid=stSidebar]", "form"]
)


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[str]:
    """The conftest's server, with the address pupils and families type set (AMANE_PUBLIC_URL)."""
    process, base = start_server(database_url, tmp_path, AMANE_PUBLIC_URL=ADDRESS)
    yield base
    stop_server(process)


@pytest.fixture(params=["fr", "ar"])
def language(request) -> Iterator[str]:
    i18n.set_language(request.param)  # so that t() gives the texts the page shows
    yield request.param
    i18n.set_language("en")


def sign_in_teacher_in(page: Page, language: str) -> None:
    """On the staff page: choose the language, then sign in as `teacher`."""
    choose_language(page, language)
    sign_in_staff(page, language)
    expect(page.get_by_role("heading", name=i18n.t("My classes"))).to_be_visible()


def readable(text: str) -> str:
    """Text as read: without the invisible marks that keep an address from becoming a link or
    from being reordered in Arabic."""
    return re.sub("[\u2060\u2066-\u2069]", "", text)


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def print_shows_only(page: Page, printable: str, name: str) -> str:
    """Emulates print: the page shows the `printable` container's text and nothing else (no
    menu, form, button or other text). Returns that text."""
    page.locator(printable).scroll_into_view_if_needed()
    shoot(page, f"{name}-screen")
    page.emulate_media(media="print")
    wait_idle(page)
    shoot(page, f"{name}-print")
    area = page.locator(printable)
    expect(area).to_be_visible()
    kept = area.evaluate("element => element.innerText").strip()
    assert kept
    assert page.evaluate("document.body.innerText").strip() == kept, name
    kept = readable(kept)
    shown = page.locator(CHROME).evaluate_all("elements => elements.filter(e => e.checkVisibility()).length")
    assert shown == 0, name
    return kept


def pdf_pages(page: Page, name: str) -> int:
    """The number of A4 pages the browser prints (kept as screenshots/print/<name>.pdf)."""
    page.emulate_media(media="print")
    document = page.pdf(format="A4")
    (SHOTS / f"{name}.pdf").write_bytes(document)
    return len(re.findall(rb"/Type\s*/Page\b", document))


def check_card(text: str, language: str, code: str) -> str:
    """A sign-in card has the class, the code, its pictures in the class's language and the
    address; returns the pupil's name it shows."""
    text = readable(text)
    assert CLASS_NAMES[language] in text and code in text and ADDRESS in text, text
    pairs = [f"{emoji} {i18n.t(PICTURE_NAMES[p], lang=language)}" for p, emoji in PICTURE_EMOJI.items()]
    assert len(re.findall("|".join(map(re.escape, pairs)), text)) == PICTURE_PASSWORD_LENGTH, text
    return next(name for name in PUPILS + ["Nour"] if name in text.splitlines())


def test_sign_in_cards_print_alone_eight_to_an_a4_page(new_page, session, language):
    t = i18n.t
    school_class, _ = seed_class(session, CLASS_NAMES[language], language, "\n".join(PUPILS))
    page = new_page("staff", width=768)
    sign_in_teacher_in(page, language)
    page.get_by_text(t("Create a class")).click()  # left open, as a teacher may
    wait_idle(page)
    page.locator("textarea").fill("Someone not added yet")
    click(page, "button", t("New pictures for the whole class"))
    expect(page.get_by_text(t("Sign-in cards"))).to_be_visible()
    assert ADDRESS in readable(page.locator('[data-testid="stMain"]').inner_text())  # told before printing

    kept = print_shows_only(page, ".st-key-printable-cards", f"cards-{language}")
    cards = page.locator(".st-key-printable-cards > *")
    expect(cards).to_have_count(8)
    names = [check_card(card.inner_text(), language, school_class.join_code) for card in cards.all()]
    assert sorted(names) == sorted(PUPILS)
    assert "<b>" in kept  # the name as typed, not bold
    assert pdf_pages(page, f"cards-8-{language}") == 1

    page.emulate_media(media="screen")
    page.locator("textarea").fill("Nour")
    click(page, "button", t("Add pupils"), exact=True)
    expect(page.locator("textarea")).to_have_value("")  # emptied once the pupil is added
    click(page, "button", t("New pictures for the whole class"))
    expect(page.locator(".st-key-printable-cards > *")).to_have_count(9)
    assert pdf_pages(page, f"cards-9-{language}") == 2  # 8 on the first page, the ninth on the next


def test_letter_passport_and_family_agreement_print_alone(new_page, session, real_catalogue, language):
    t = i18n.t
    school_class, (pupil, *_) = seed_class(session, CLASS_NAMES[language], language, f"{MARKED_UP}\nAdam")
    finish_lesson(session, pupil, real_catalogue, LESSON)
    session.commit()

    teacher = new_page("staff", width=768)
    sign_in_teacher_in(teacher, language)
    teacher.goto(teacher.url.rsplit("/", 1)[0] + "/letter")
    wait_idle(teacher)
    letter = print_shows_only(teacher, ".st-key-printable-letter", f"letter-{language}")
    assert real_catalogue.lesson(LESSON).title.get(language) in letter
    assert f"{ADDRESS}/parents" in letter
    assert 1 <= pdf_pages(teacher, f"letter-{language}") <= 2

    child = new_page(width=390)
    child.locator('input[aria-label="Class code"]').fill(school_class.join_code)
    click(child, "button", "Go")
    click(child, "button", MARKED_UP, exact=True)
    for picture in PICTURES:
        click(child, "button", t(PICTURE_NAMES[picture]))
    child.locator('[data-testid="stMain"]').get_by_role("link", name=t("My badges")).click()
    wait_idle(child)
    passport = print_shows_only(child, ".st-key-printable-passport", f"passport-{language}")
    assert MARKED_UP in passport and t("Internet Safety Passport") in passport
    assert pdf_pages(child, f"passport-{language}") == 1

    parent = new_page("parents", width=768)
    choose_language(parent, language)
    parent.get_by_role("tab", name=t("Family agreement")).click()
    wait_idle(parent)
    item = real_catalogue.guides["family-agreement"].agreement[0].items[0].get(language)
    parent.locator('[data-testid="stCheckbox"] label').filter(has_text=item).click()
    wait_idle(parent)
    agreement = print_shows_only(parent, "[class*=st-key-printable-]", f"agreement-{language}")
    assert item in agreement and t("Signed by the family:") in agreement

