"""No English on a French or Arabic page. Each role (visitor, pupil, teacher, admin) walks every page
of amane/views/navigation.py it can open, and the main sub-states (a lesson, the quiz, a pupil's
page), with every tab and expander opened. The visible text of the page (main area with its top
bar, and the menu) and the placeholder, aria-label and title of its inputs, buttons and links
are checked against the app's English msgids (extracted from the code as `make i18n` does) and
Streamlit's own English widget texts. A failure lists each page and the English text found."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page

from amane import i18n
from amane.services import help_requests
from amane.settings import PACKAGE
from amane.testing.browser import wait_idle
from amane.views.navigation import PAGES, PageSpec
from tests.conftest import finish_lesson
from tests.e2e.conftest import LESSON, PICTURES, choose_language, click, seed_class, sign_in_staff
from tests.e2e.test_journey import PICTURE_NAMES
from tests.unit.test_i18n import code_messages

pytestmark = pytest.mark.e2e

# Streamlit's own English: placeholders, drop-down and input instructions, empty states.
STREAMLIT_ENGLISH = (
    "Choose an option",
    "Choose options",
    "Select all",
    "No results",
    "Press Enter to apply",
    "Press Enter to submit form",
    "Press ⌘+Enter to apply",
    "Press Ctrl+Enter to apply",
    "Skip to main content",
    "Drag and drop file here",
    "Browse files",
    "No options to select.",
)
ENGLISH_DATE = re.compile(r"(?i)\byyyy/mm/dd\b|\b\d{4}/\d{2}/\d{2}\b")
EMOJI_WORDS = "🆕🆓🆗🆙🆒🆖🔙🔚🔛🔜🔝"  # emoji that spell English words ("NEW", "FREE", "OK", ...)
PROPER_NAMES = frozenset({"Amane", "e-Himaya", "2511", "Quiz", "Code", "Contact", "Action"})


def _pattern(msgid: str) -> re.Pattern[str]:
    """A msgid as it reads on the page: markdown marks gone, each {placeholder} any text."""
    text = re.sub(r"\*\*|__|`", "", msgid).strip()
    parts = re.split(r"\{\w+\}", text)
    return re.compile(".+?".join(re.escape(part) for part in parts))


@cache
def english(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The msgids that read differently in `lang` (translated or still missing), as patterns.
    A msgid its translator kept unchanged (a name) is not English there."""
    with (i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        po = read_po(handle, locale=lang)
    msgids: set[str] = set()
    for _file, _line, message in code_messages(PACKAGE):
        msgids.update(message if isinstance(message, tuple) else (message,))
    kept = set()  # msgids the translation kept as they are: a name, or a plural's form ("{n} minutes")
    for m in po:
        if m.id:
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            kept.update(msgid for msgid in (m.id if isinstance(m.id, tuple) else (m.id,)) if msgid in forms)
    wanted = sorted(msgids - kept - PROPER_NAMES)
    worded = [msgid for msgid in wanted if re.search(r"[A-Za-z]{2}", re.sub(r"\{\w+\}", "", msgid))]
    return tuple((msgid, _pattern(msgid)) for msgid in worded)


def english_in(texts: list[str], lang: str) -> list[str]:
    """The English among these texts: a whole line that is an English msgid, a long msgid (three
    words or more) anywhere inside a line, Streamlit's English, English dates, emoji words."""
    found = []
    for text in texts:
        for msgid, pattern in english(lang):
            long_phrase = msgid.count(" ") >= 2 and "{" not in msgid
            if pattern.fullmatch(text) or (long_phrase and pattern.search(text)):
                found.append(text if text == msgid else f"{text}  [{msgid}]")
                break
        else:
            if any(words in text for words in STREAMLIT_ENGLISH) or ENGLISH_DATE.search(text):
                found.append(text)
            elif any(emoji in text for emoji in EMOJI_WORDS):
                found.append(f"{text}  [an emoji that spells an English word]")
    return found


_TEXTS = """() => {
  const areas = [...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]')];
  const lines = areas.flatMap((area) => area.innerText.split('\\n'));
  const controls = areas.flatMap((area) => [...area.querySelectorAll(
    'input, textarea, button, a, [role="button"], [role="combobox"], [role="tab"]')]);
  // A drop-down shows its placeholder as text (in innerText above) only while nothing is chosen.
  const placeholders = controls
    .filter((control) => !control.value && control.getAttribute('role') !== 'combobox')
    .map((control) => control.getAttribute('placeholder'));
  const attributes = controls.flatMap((control) => [control.ariaLabel, control.title]);
  const values = [...document.querySelectorAll('[data-testid="stMain"] input')].map((i) => i.value);
  const texts = [...lines, ...placeholders, ...attributes, ...values];
  return texts.map((text) => (text || '').trim()).filter(Boolean);
}"""


def page_texts(page: Page) -> list[str]:
    """What the page shows, with each closed expander opened and each tab shown in turn."""
    wait_idle(page)
    summaries = page.locator('[data-testid="stMain"] details > summary')
    for index in range(summaries.count()):
        if summaries.nth(index).evaluate("summary => !summary.parentElement.open"):
            summaries.nth(index).click()
    texts = page.evaluate(_TEXTS)
    for tab in page.locator('[data-testid="stMain"] [role="tab"]').all():
        tab.click()
        texts += page.evaluate(_TEXTS)
    return texts


class Walk:
    """Records the English found on each page of one role's walk."""

    def __init__(self, page: Page, lang: str, role: str) -> None:
        self.page, self.lang, self.role = page, lang, role
        self.found: list[str] = []

    def check(self, where: str) -> None:
        for text in dict.fromkeys(english_in(page_texts(self.page), self.lang)):
            self.found.append(f"{self.lang} {self.role} {where}: {text!r}")

    def open(self, spec: PageSpec) -> None:
        link = self.page.locator(f'[data-testid="stSidebarNav"] a[href$="/{spec.url}"]')
        if spec is next(s for s in PAGES if self.role in s.roles):
            link = self.page.locator('[data-testid="stSidebarNav"] a').first  # the home page: "/"
        link.click()
        wait_idle(self.page)

    def every_page(self) -> None:
        for spec in PAGES:
            if self.role in spec.roles and spec.in_menu:
                self.open(spec)
                self.check(spec.url or "home")


def _visitor(new_page, lang: str, code: str) -> Walk:
    visitor = Walk(new_page(), lang, "visitor")
    choose_language(visitor.page, lang)
    visitor.every_page()
    return visitor


def _pupil(new_page, lang: str, code: str) -> Walk:
    t = i18n.t
    pupil = Walk(new_page(), lang, "pupil")
    pupil.page.locator('input[aria-label="Class code"]').fill(code)
    click(pupil.page, "button", "Go")
    click(pupil.page, "button", "Adam", exact=True)
    for picture in PICTURES:
        click(pupil.page, "button", t(PICTURE_NAMES[picture], lang=lang))
    pupil.every_page()
    pupil.open(next(spec for spec in PAGES if spec.url == "lessons"))
    click(pupil.page, "button", t("Read again", lang=lang), exact=True)
    pupil.check("a lesson")
    click(pupil.page, "button", t("My lessons", lang=lang))
    click(pupil.page, "button", t("Quiz", lang=lang), exact=True)
    pupil.check("the quiz")
    return pupil


def _staff(role: str, username: str):
    def walk(new_page, lang: str, code: str) -> Walk:
        t = i18n.t
        staff = Walk(new_page(), lang, role)
        choose_language(staff.page, lang)
        click(staff.page, "link", t("Staff sign-in", lang=lang))
        sign_in_staff(staff.page, lang, username)
        staff.every_page()
        if role == "teacher":
            staff.open(next(spec for spec in PAGES if spec.url == "dashboard"))
            click(staff.page, "button", t("Open {name}'s page", lang=lang, name="Adam"))
            staff.check("a pupil's page")
        return staff

    return walk


# One test per role and language: the four walks then share the browser workers (together, one
# test was the suite's longest by far).
WALKS = {
    "visitor": _visitor,
    "pupil": _pupil,
    "teacher": _staff("teacher", "teacher"),
    "admin": _staff("admin", "direction"),
}


@pytest.mark.parametrize("role", list(WALKS))
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_english_on_any_page_of_any_role(new_page, session, real_catalogue, lang, role):
    school_class, (adam, _salma) = seed_class(session, "CM2 A", lang, "Adam\nSalma")
    finish_lesson(session, adam, real_catalogue, LESSON)
    help_requests.ask_for_help(session, adam, "mean", True)  # the dashboard then links to his page
    session.commit()
    found = WALKS[role](new_page, lang, school_class.join_code).found
    assert found == [], "English on these pages:\n" + "\n".join(found)
