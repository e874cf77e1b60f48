"""Item-writing rules (issue 12): `amane check-content` refuses a band whose quizzes break a
measurable rule, or a file that uses a glossary variant, naming file, line and field; the real
course passes; `amane content-report` prints the measurements per band.

The shared fixture quiz (tests/fixtures/content) is a schema fixture that other tests grade
answers against; it does not follow the item rules (nor the course's completeness rules). These
tests replace it, in a copy, with a quiz that follows every rule, then break one rule at a time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from amane.cli import main as manage
from amane.models.content_checks import glossary_problems
from amane.models.content_loader import Catalogue, load_catalogue
from amane.models.item_rules import content_report, item_problems
from tests.conftest import FIXTURE_CONTENT

QUIZ = "quizzes/9-11/sample-9-11.yaml"
LESSON = "lessons/9-11/sample-9-11.yaml"


def _text(en: str, fr: str | None = None, ar: str | None = None) -> str:
    return f'{{en: "{en}", fr: "{fr or en}", ar: "{ar or en}"}}'


def _option(option_id: str, text: str, correct: bool = False, ar: str | None = None) -> str:
    lines = [f"      - id: {option_id}"]
    if correct:
        lines.append("        correct: true")
    lines += [f"        text: {_text(text, ar=ar)}", f"        feedback: {_text('Because.')}"]
    if not correct:
        lines.append(f"        misconception: {_text('A belief.')}")
    return "\n".join(lines)


def single(question_id: str, right: str, *wrong: str, right_ar: str | None = None) -> str:
    options = [_option("right", right, correct=True, ar=right_ar)]
    options += [_option(f"wrong-{index}", text) for index, text in enumerate(wrong, 1)]
    return "\n".join(
        [f"  - id: {question_id}", "    kind: single", f"    prompt: {_text('Which one?')}", "    options:"]
        + options
    )


def multiple(question_id: str, right: int, wrong: int) -> str:
    options = [_option(f"right-{i}", f"Right {i}", correct=True) for i in range(1, right + 1)]
    options += [_option(f"wrong-{i}", f"Wrong {i}") for i in range(1, wrong + 1)]
    return "\n".join(
        [f"  - id: {question_id}", "    kind: multiple", f"    prompt: {_text('Which?')}", "    options:"]
        + options
    )


def true_false(question_id: str, answer: bool) -> str:
    return "\n".join(
        [
            f"  - id: {question_id}",
            "    kind: true_false",
            f"    prompt: {_text('Is it so?')}",
            f"    answer: {str(answer).lower()}",
            f"    explanation: {_text('Because.')}",
            f"    misconception: {_text('A belief.')}",
        ]
    )


def ordering(question_id: str) -> str:
    return "\n".join(
        [
            f"  - id: {question_id}",
            "    kind: ordering",
            f"    prompt: {_text('Put in order.')}",
            "    items:",
            f"      - {_text('Screenshot')}",
            f"      - {_text('Block')}",
            f"      - {_text('Report')}",
            f"    explanation: {_text('Evidence first.')}",
            f"    misconception: {_text('Block first.')}",
        ]
    )


# A quiz that follows every rule: 3 options per single, the right option the shortest, in between
# and the longest once each, true/false 1 of 2 true, no multiple-choice item with all but one right.
GOOD = {
    "a": single("a", "Keep it", "Reply now", "Delete it"),
    "b": single("b", "Tell an adult", "Ignore it all", "Share it again"),
    "c": single("c", "Block them", "Reply now", "Laugh"),
    "m": multiple("m", right=2, wrong=2),
    "t1": true_false("t1", True),
    "t2": true_false("t2", False),
    "o": ordering("o"),
}


def write_quiz(root: Path, **changed: str) -> Path:
    questions = {**GOOD, **changed}
    path = root / QUIZ
    path.write_text(
        "id: sample-9-11-quiz\nlesson: sample-9-11\nquestions:\n"
        + "\n".join(text for text in questions.values() if text)
        + "\n",
        encoding="utf-8",
    )
    return path


def line_of(path: Path, text: str, after: str = "") -> int:
    """The number of the first line containing `text` (after the first line containing `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines[start:], start + 1) if text in line)


def file_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What `amane check-content` says about lines of files (not the fixture's missing lessons)."""
    assert manage(["check-content", "--dir", str(root)]) == 1  # the fixture is a one-lesson course
    return [line for line in capsys.readouterr().err.splitlines() if ".yaml:" in line]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    shutil.rmtree(root / "training")  # a one-module staff course breaks its rules: not these tests'
    write_quiz(root)
    return root


def test_a_quiz_that_follows_the_rules_passes(content, capsys):
    assert item_problems(load_catalogue(content)) == []
    assert file_errors(content, capsys) == []


def test_single_choice_with_two_options_is_refused(content, capsys):
    quiz = write_quiz(content, a=single("a", "Keep it", "Reply now"))
    line = line_of(quiz, "- id: right", after="- id: a")  # the list's line, as the loader counts it
    assert file_errors(content, capsys) == [
        f"{QUIZ}:{line}: questions[0].options: a single-choice question needs at least 3 options, "
        "this one has 2"
    ]


def test_right_option_much_longer_than_the_wrong_ones_is_refused_in_any_language(content, capsys):
    # In English the right option is no longer than "Ignore it all"; in Arabic it is 22 characters.
    right_ar = "أخبر شخصًا راشدًا الآن"
    quiz = write_quiz(
        content,
        b=single("b", "Tell an adult", "Ignore it all", "Share it", right_ar=right_ar),
        c=single("c", "Block them", "Reply now", "Laugh", right_ar="احظرهم"),  # in between in Arabic
    )
    line = line_of(quiz, "text:", after="- id: b")
    assert file_errors(content, capsys) == [
        f"{QUIZ}:{line}: questions[1].options[0].text.ar: the right option (22 characters) is 1.7 times the "
        "longest wrong option (13): its length gives it away (keep it under 1.4 times)"
    ]


def test_just_under_the_giveaway_ratio_passes(content, capsys):
    # 13 characters against 10: 1.3 times; the right option is the longest in 1 of 3 items (a third).
    write_quiz(
        content,
        b=single("b", "Tell an adult", "Ignore it", "Share it!!"),
        c=single("c", "Block it", "Reply now", "Laugh"),
    )
    assert file_errors(content, capsys) == []


def test_right_option_longest_in_more_than_a_third_of_the_band_is_refused(content, capsys):
    quiz = write_quiz(
        content,
        a=single("a", "Keep it safe", "Reply now", "Delete it"),
        b=single("b", "Tell an adult now", "Ignore it all", "Share it again"),
        c=single("c", "Block it", "Reply now", "Laugh"),
    )
    message = (
        "the right option is the longest (en, fr, ar), as in too many single-choice items of band 9-11: "
        "en 2/3 (67%), fr 2/3 (67%), ar 2/3 (67%); at most a third: make a wrong option as full, "
        "or the right one shorter"
    )
    first, second = (line_of(quiz, "- id: right", after=f"- id: {q}") for q in "ab")
    assert file_errors(content, capsys) == [
        f"{QUIZ}:{first}: questions[0].options[0]: {message}",
        f"{QUIZ}:{second}: questions[1].options[0]: {message}",
    ]


def test_the_right_option_at_the_same_length_rank_in_most_items_is_refused(content, capsys):
    """Once "never the longest" is known, "always the middle one" must not become the next cue."""
    quiz = write_quiz(
        content,
        a=single("a", "Keep it safe", "Reply now", "Delete it forever"),
        c=single("c", "Block them", "Reply", "Laugh at them"),
    )
    message = (
        "the right option is the between by length ({lang}), as in 3/3 (100%) single-choice items of "
        "band 9-11; at most half: vary which option is longest, shortest and in between"
    )
    expected = [
        f"{QUIZ}:{line_of(quiz, '- id: right', after=f'- id: {q}') + 2}: "
        f"questions[{index}].options[0].text.{lang}: " + message.format(lang=lang)
        for index, q in enumerate("abc")
        for lang in ("en", "fr", "ar")
    ]
    assert file_errors(content, capsys) == expected


def test_true_false_outside_40_to_60_percent_true_is_refused(content, capsys):
    quiz = write_quiz(content, t1=true_false("t1", False), t3=true_false("t3", False))
    message = (
        "band 9-11 has 0/3 (0%) true/false items answered true; keep 40-60%: "
        "rewrite some false statements as true ones"
    )
    assert file_errors(content, capsys) == [
        f"{QUIZ}:{line_of(quiz, 'answer:', after='- id: t1')}: questions[4].answer: {message}",
        f"{QUIZ}:{line_of(quiz, 'answer:', after='- id: t2')}: questions[5].answer: {message}",
        f"{QUIZ}:{line_of(quiz, 'answer:', after='- id: t3')}: questions[7].answer: {message}",
    ]


def test_true_false_as_balanced_as_an_odd_count_allows_passes(content, capsys):
    write_quiz(content, t3=true_false("t3", False))  # 1 of 3 true: 33%, but no closer split exists
    assert file_errors(content, capsys) == []


def test_all_but_one_right_in_more_than_a_quarter_of_the_band_is_refused(content, capsys):
    quiz = write_quiz(content, m=multiple("m", right=3, wrong=1))
    line = line_of(quiz, "- id: right-1", after="- id: m")
    assert file_errors(content, capsys) == [
        f"{QUIZ}:{line}: questions[3].options: every option but one is "
        "right, as in 1/1 (100%) multiple-choice items of band 9-11; at most a quarter: add wrong options "
        "or make fewer right"
    ]


def test_glossary_variant_is_refused_with_file_line_and_field(content, capsys):
    lesson = content / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace('ar: "لا ترد."}', 'ar: "لا تعطِ كلمةَ المرور."}', 1), encoding="utf-8")
    line = line_of(lesson, "كلمةَ المرور")
    assert file_errors(content, capsys) == [
        f"{LESSON}:{line}: steps[2].text.ar: 'كلمة المرور' is not the course's term for 'password' "
        "(ar: use 'كلمة السر', guidance/glossary.yaml)"
    ]


def test_glossary_variant_in_a_long_text_names_its_field(content, capsys):
    guide = content / "guidance/talking.yaml"
    summary = 'summary: {en: "Start the conversation.", fr: "Lancer la conversation.", ar: "ابدأ الحوار."}'
    block = (
        "summary:\n  en: >-\n    Start the conversation\n    and keep personal data at home.\n"
        '  fr: "Lancer la conversation."\n  ar: "ابدأ الحوار."'
    )
    text = guide.read_text(encoding="utf-8")
    assert summary in text
    guide.write_text(text.replace(summary, block), encoding="utf-8")
    line = line_of(guide, "personal data")
    assert file_errors(content, capsys) == [
        f"guidance/talking.yaml:{line}: summary.en: 'personal data' is not the course's term for "
        "'personal_information' (en: use 'personal information', guidance/glossary.yaml)"
    ]


def test_real_course_follows_the_item_rules_and_the_glossary(real_catalogue: Catalogue, capsys):
    assert real_catalogue.glossary is not None
    assert glossary_problems(real_catalogue) == []
    assert item_problems(real_catalogue) == []
    assert manage(["check-content"]) == 0
    assert capsys.readouterr().out.startswith("content OK:")


def test_content_report_prints_a_row_per_band(content, capsys):
    assert manage(["content-report", "--dir", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {line.split("|")[1].strip(): line for line in out if line.startswith("| ")}
    assert set(rows) >= {"6-8", "9-11", "12-14", "15-17"}
    assert rows["9-11"] == (
        "| 9-11 | 7 | 3 / 1 / 2 / 1 | 3 / 3.0 | 1/3 (33%) / 1/3 (33%) / 1/3 (33%) | 1/2 (50%) | 0/1 (0%) "
        "| 0 | 1/1/1; 1/1/1; 1/1/1 |"
    )
    assert rows["6-8"] == "| 6-8 | 0 | 0 / 0 / 0 / 0 | - | - / - / - | - | - | 0 | 0/0/0; 0/0/0; 0/0/0 |"


def test_content_report_marks_a_band_outside_a_rule(content):
    write_quiz(content, m=multiple("m", right=3, wrong=1), t2=true_false("t2", True))
    report = content_report(load_catalogue(content)).splitlines()
    row = next(line for line in report if line.startswith("| 9-11"))
    assert "| 2/2 (100%) ! | 1/1 (100%) ! |" in row


def test_real_course_report_has_every_band_within_the_rules(real_catalogue: Catalogue):
    report = content_report(real_catalogue)
    rows = [line for line in report.splitlines() if line.startswith("| ") and "band" not in line]
    assert [row.split("|")[1].strip() for row in rows] == ["6-8", "9-11", "12-14", "15-17"]
    assert not any(" !" in row for row in rows)
    assert all(int(row.split("|")[8]) > 0 for row in rows)  # every band reviews earlier lessons
