"""Names typed by staff (class, pupil and staff names) are shown as plain text on every page, in a
real browser: HTML in a name is neither run nor rendered, and Markdown in a name stays literal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from amane.models.tables import Pupil
from amane.services import accounts, assignments, classes, help_requests
from amane.services.permissions import PupilActor
from amane.services.pictures import hash_pictures
from amane.testing.browser import wait_idle
from tests.conftest import PASSWORD, finish_lesson
from tests.e2e.test_journey import PICTURE_NAMES, PICTURES, click, sign_in_teacher

pytestmark = pytest.mark.e2e
CLASS_NAME = "<img src=x onerror=alert(1)> **bold**"
PUPIL = "<img src=x onerror=alert(2)>"  # the pupil who signs in, with progress and a help request
OTHERS = [
    "**Bold**",
    "<script>alert(3)</script>",
    "[link](javascript:alert(4))",
    '<a href="https://x.org">Sam</a>',  # a link in Plotly labels; an autolink in Markdown
]
TEACHER_NAME = "<img src=x onerror=alert(5)> **Prof**"
# What a name must not become: an element, a link (HTML, SVG or Markdown), bold text.
# Our own scripts carry data-amane (app.py); any other script in the page came from a name.
INJECTED = ", ".join(
    (
        'img[src="x"]',
        '[data-testid="stApp"] script:not([data-amane])',
        'a[*|href^="javascript"]',
        'a[*|href*="x.org"]',
    )
)
MADE_BOLD = re.compile(r"^\s*(bold|prof)\s*$", re.IGNORECASE)
INVISIBLE = r"[\u200b-\u200d\u2060\ufeff]?"  # a zero-width character may be put in to break an autolink


def shown(text: str, whole: bool = False) -> re.Pattern[str]:
    """`text` as the reader sees it."""
    pattern = INVISIBLE.join(re.escape(char).replace("/", r"\/") for char in text)  # / ends a JS regex
    return re.compile(f"^{pattern}$" if whole else pattern)


@pytest.fixture
def marked_up_class(session, real_catalogue):
    """A class, its teacher and its pupils all named with markup. The signed-in pupil finishes the
    class's two lessons (passport, progress) and asks for help (dashboard, inbox)."""
    admin = accounts.create_school(session, "École", "direction", "Direction", PASSWORD)
    teacher = accounts.create_staff(session, admin, "teacher", TEACHER_NAME, PASSWORD)
    lessons = [lesson.id for lesson in real_catalogue.lessons_for_band("9-11")[:2]]
    school_class = classes.create_class(session, teacher, CLASS_NAME, "9-11", "en", real_catalogue)
    assignments.set_assignments(session, teacher, school_class.id, lessons, {}, real_catalogue)
    added = classes.add_pupils(session, teacher, school_class.id, "\n".join([PUPIL, *OTHERS]))
    pupil = added.added[0].pupil
    session.get(Pupil, pupil.id).picture_hash = hash_pictures(PICTURES)
    me = PupilActor(pupil.id, school_class.id, school_class.school_id, PUPIL)
    for lesson_id in lessons:
        finish_lesson(session, me, real_catalogue, lesson_id)
    request = help_requests.ask_for_help(session, me, "mean", True)
    help_requests.set_status(session, teacher, request.id, "acknowledged")  # "Last changed by" the teacher
    session.commit()
    return school_class


def watch_dialogs(page: Page) -> list[str]:
    """Every alert, confirm or prompt the page opens (an injected onerror=alert(...) would)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def assert_plain(page: Page, where: str, dialogs: list[str], *texts: str) -> None:
    """Each text is shown literally, and nothing was made from a name."""
    wait_idle(page)
    for text in texts:
        expect(page.get_by_text(shown(text)).filter(visible=True).first, f"{where}: {text}").to_be_visible()
    expect(page.locator(INJECTED), where).to_have_count(0)
    expect(page.locator("strong, b").filter(has_text=MADE_BOLD), where).to_have_count(0)
    assert dialogs == [], where


def assert_class_chosen(page: Page) -> None:
    expect(page.get_by_role("combobox", name="Class", exact=True)).to_have_value(CLASS_NAME)


def visit(page: Page, link: str) -> None:
    page.get_by_role("link", name=link).first.click()
    wait_idle(page)


def test_pupil_sees_names_as_plain_text(new_page, marked_up_class):
    page = new_page()
    dialogs = watch_dialogs(page)
    page.locator('input[aria-label="Class code"]').fill(marked_up_class.join_code)
    click(page, "button", "Go")
    assert_plain(page, "name buttons", dialogs, CLASS_NAME)
    for name in [PUPIL, *OTHERS]:
        expect(page.get_by_role("button", name=shown(name, whole=True))).to_be_visible()
    page.get_by_role("button", name=shown(PUPIL, whole=True)).click()
    assert_plain(page, "pictures", dialogs, f"Hello {PUPIL}!")
    for picture in PICTURES:
        click(page, "button", PICTURE_NAMES[picture])
    expect(page.get_by_role("heading", name="My lessons")).to_be_visible()
    assert_plain(page, "my lessons", dialogs, f"Hello {PUPIL}!", f"Signed in as {PUPIL}")
    visit(page, "My badges")
    expect(page.get_by_text("Well done! You finished all your lessons.")).to_be_visible()
    assert_plain(page, "passport", dialogs)
    expect(page.locator(".passport")).to_contain_text(PUPIL)


def test_teacher_sees_names_as_plain_text(new_page, marked_up_class):
    page = new_page("staff")
    dialogs = watch_dialogs(page)
    sign_in_teacher(page)
    click(page, "button", "New pictures for the whole class")  # shows every pupil's sign-in card
    expect(page.get_by_role("heading", name="Sign-in cards")).to_be_visible()
    assert_class_chosen(page)
    assert_plain(page, "classes", dialogs, PUPIL, *OTHERS, f"Signed in as {TEACHER_NAME}")
    visit(page, "Class dashboard")
    assert_class_chosen(page)
    assert_plain(page, "dashboard", dialogs, PUPIL, *OTHERS)  # Needs help, and the heatmap's rows
    page.get_by_role("button", name=shown(f"Open {PUPIL}'s page", whole=True)).click()
    assert_plain(page, "pupil page", dialogs, PUPIL, f"Class: {CLASS_NAME}")
    visit(page, "Class progress")
    assert_class_chosen(page)
    assert_plain(page, "progress", dialogs, PUPIL, *OTHERS)
    visit(page, "Help requests")
    assert_plain(page, "help inbox", dialogs, PUPIL, CLASS_NAME, f"Last changed by {TEACHER_NAME}")
    visit(page, "Take-home letter")
    assert_class_chosen(page)
    assert_plain(page, "letter", dialogs)
    visit(page, "Classroom mode")
    assert_plain(page, "classroom", dialogs)
    visit(page, "My account")
    assert_plain(page, "my account", dialogs, f"Signed in as {TEACHER_NAME} (teacher)")
