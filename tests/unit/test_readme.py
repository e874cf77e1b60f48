"""The README's "Rules worth knowing" states the numbers of services/rules.py: a rule changed in
one place and not the other fails here. It counts the course as it is, and shows the pictures
`make screenshots` makes."""

from __future__ import annotations

import re
from datetime import timedelta

from amane.models.content import BANDS
from amane.models.content_loader import load_catalogue
from amane.services import rules
from amane.services.pictures import PICTURES
from amane.settings import ROOT

README_PAGES = ("lesson", "quiz", "dashboard", "parents")  # scripts/screenshots.py --readme


def _rules_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Rules worth knowing", 1)[1].split("\n## ", 1)[0]
    return re.sub(r"\s+", " ", section)


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60)


def test_the_readme_states_the_rules_numbers():
    section = _rules_section()
    expected = [
        f"at least {rules.PASSWORD_MIN_LENGTH} characters",
        f"at least {rules.PASSWORD_MIN_DISTINCT_CHARACTERS} different characters",
        f"after {rules.STAFF_DELAYS.free} wrong passwords typed with one username",
        f"wait {_minutes(rules.STAFF_DELAYS.first_delay)} minute, then 2, 4, 8, up to "
        f"{_minutes(rules.STAFF_DELAYS.max_delay)} minutes",
        f"forgotten after {_minutes(rules.STAFF_DELAYS.forget_after) // 60} hour without a wrong try",
        f"ends after {_minutes(rules.STAFF_IDLE_TIMEOUT)} minutes without a click",
        f"in any case {_minutes(rules.STAFF_SESSION_LIMIT) // 60} hours after signing in",
        f"a {rules.PICTURE_PASSWORD_LENGTH}-picture password from {len(PICTURES)} pictures "
        f"({len(PICTURES) ** rules.PICTURE_PASSWORD_LENGTH:,} combinations)",
        f"{rules.PUPIL_MAX_FAILED_LOGINS} wrong tries lock the pupil for "
        f"{_minutes(rules.PUPIL_LOCKOUT)} minutes",
        f"after {rules.CLASS_PICTURE_DELAYS.free} wrong pictures, each next one makes the class wait "
        f"{rules.CLASS_PICTURE_DELAYS.first_delay.seconds} seconds",
        f"up to {_minutes(rules.CLASS_PICTURE_DELAYS.max_delay)} minutes, forgotten after an hour",
        f"do the same after {rules.CLIENT_DELAYS.free}: "
        f"{rules.CLIENT_DELAYS.first_delay.seconds} seconds up to "
        f"{_minutes(rules.CLIENT_DELAYS.max_delay)} minute, forgotten after "
        f"{_minutes(rules.CLIENT_DELAYS.forget_after)} minutes",
        "within a day, *My classes* warns",
        f"{rules.MAX_PUPILS_PER_PASTE} names per paste",
        f"{rules.MAX_PASTE_CHARS:,} characters per pasted list",
        f"{rules.MAX_PUPIL_NAME_LENGTH} characters per pupil name",
        f"{rules.MAX_CLASS_NAME_LENGTH} per class name",
        f"{rules.MAX_CLASS_CODE_INPUT} per class code",
        f"usernames {rules.MIN_USERNAME_LENGTH}–{rules.MAX_USERNAME_LENGTH}",
        f"{rules.MAX_STAFF_NAME_LENGTH} per staff name",
        f"{rules.MAX_SCHOOL_NAME_LENGTH} per school name",
        f"passwords at most {rules.MAX_PASSWORD_BYTES} bytes",
        f"signed out after {_minutes(rules.PUPIL_IDLE_TIMEOUT)} minutes without activity",
        f"a signed cookie that lasts {rules.CLASS_COMPUTER_LIFETIME.days} days",
        f"{rules.NEEDS_HELP_WRONG_ON_SAME_QUESTION} or more wrong answers on the same question",
        f"under {round(100 * rules.NEEDS_HELP_LOW_SCORE)}% after "
        f"{rules.NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS} finished attempts",
        f"({rules.MIN_RETENTION_DAYS} to {rules.MAX_RETENTION_DAYS:,} days, or never)",
        f"closes the pulse and at least {rules.PULSE_MIN_ANSWERS} pupils answered",
        f"chosen by fewer than {rules.PULSE_MIN_ANSWERS} pupils",
    ]
    assert [phrase for phrase in expected if phrase not in section] == []
    assert rules.MAX_PUPILS_PER_CLASS == rules.MAX_PUPILS_PER_PASTE  # "60 names per paste and per class"
    assert timedelta(days=1) == rules.CLASS_ALERT_WINDOW  # "within a day"
    assert rules.CLASS_PICTURE_DELAYS.forget_after == timedelta(hours=1)  # "forgotten after an hour"


def test_the_readme_shows_each_screenshot_scripts_screenshots_makes():
    """`make screenshots` writes docs/screenshots/; the README shows every one of them, and no other."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", text))
    made = {f"docs/screenshots/{lang}-{page}.png" for lang in ("fr", "ar") for page in README_PAGES}
    assert shown == made
    assert [path for path in sorted(made) if not (ROOT / path).is_file()] == []


def test_the_readme_counts_the_course_as_it_is():
    course = load_catalogue(ROOT)
    per_band = len(course.lessons) // len(BANDS)
    assert all(len(course.lessons_for_band(band)) == per_band for band in BANDS)
    text = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
    stated = (
        f"{len(course.lessons)} lessons ({per_band} per age band",
        f"{len(course.guides)} parent guides",
        f"the {len(course.training)} modules of the staff course",
    )
    assert [phrase for phrase in stated if phrase not in text] == []
