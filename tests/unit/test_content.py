"""The content pipeline: safe loading, errors that name file, line and field, the real course."""

import shutil
from pathlib import Path

import pytest

from amane.cli import main as manage
from amane.models.content_checks import completeness_problems
from amane.models.content_loader import (
    ALIASES_REFUSED,
    MAX_FILE_BYTES,
    ContentInvalid,
    _YamlProblem,
    load_catalogue,
    read_yaml,
)
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as invalid:
        load_catalogue(root)
    return [str(error) for error in invalid.value.errors]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_content_loads(content):
    catalogue = load_catalogue(content)
    assert list(catalogue.lessons) == ["sample-9-11"]
    assert catalogue.quiz_for("sample-9-11").id == "sample-9-11-quiz"
    assert catalogue.help.country == "MA"


def test_missing_translation_names_file_line_and_field(content):
    lesson = content / "lessons/9-11/sample-9-11.yaml"
    _edit(lesson, 'ar: "لا ترد."}', 'ar: ""}')
    line = next(i for i, text in enumerate(lesson.read_text().splitlines(), 1) if 'ar: ""}' in text)
    assert _errors(content) == [
        f"lessons/9-11/sample-9-11.yaml:{line}: steps[2].text.ar: text must not be empty"
    ]


def test_unknown_field_is_refused(content):
    _edit(
        content / "quizzes/9-11/sample-9-11.yaml", "    kind: single\n", "    kind: single\n    colour: red\n"
    )
    assert _errors(content) == [
        "quizzes/9-11/sample-9-11.yaml:6: questions[0].colour: unknown field (not in the schema)"
    ]


def test_duplicate_key_is_refused(content):
    _edit(content / "lessons/9-11/sample-9-11.yaml", "order: 1\n", "order: 1\norder: 2\n")
    assert _errors(content) == ["lessons/9-11/sample-9-11.yaml:6: (file): duplicate key 'order'"]


def test_yaml_syntax_error_names_the_line(content):
    _edit(content / "lessons/9-11/sample-9-11.yaml", "order: 1\n", "order: [1\n")
    (error,) = _errors(content)
    assert error.startswith("lessons/9-11/sample-9-11.yaml:") and "(file)" in error


def test_quiz_must_name_an_existing_lesson(content):
    _edit(content / "quizzes/9-11/sample-9-11.yaml", "lesson: sample-9-11", "lesson: nowhere-9-11")
    assert _errors(content) == ["quizzes/9-11/sample-9-11.yaml:1: lesson: no lesson with id 'nowhere-9-11'"]


def test_duplicate_lesson_ids_are_refused(content):
    shutil.copy(content / "lessons/9-11/sample-9-11.yaml", content / "lessons/9-11/copy.yaml")
    assert any("duplicate lesson id 'sample-9-11'" in error for error in _errors(content))


def test_python_tags_are_refused_without_running_anything(content, tmp_path):
    marker = tmp_path / "ran"
    (content / "guidance/evil.yaml").write_text(f'id: !!python/object/apply:os.system ["touch {marker}"]\n')
    (error,) = _errors(content)
    assert "guidance/evil.yaml:1" in error and "is not allowed" in error
    assert not marker.exists()


def test_alias_bomb_is_refused_at_the_first_anchor(content):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (content / "guidance/bomb.yaml").write_text("\n".join(lines) + "\n")
    assert _errors(content) == [f"guidance/bomb.yaml:1: (file): {ALIASES_REFUSED}"]


def _scalar_bomb(content: Path) -> int:
    """The review's bomb (F12): one 200 kB anchored scalar used by 9,308 `plan` entries, in a
    lesson file (490 KB) small enough to pass the size limit; loaded, 1.86 GB of text per language.
    Returns the line of the anchor."""
    lesson = content / "lessons/9-11/sample-9-11.yaml"
    text = lesson.read_text(encoding="utf-8")
    plan = '  plan:\n    - {en: "Read the story.", fr: "Lire l\'histoire.", ar: "اقرؤوا القصة."}\n'
    plan += '    - {en: "Discuss.", fr: "Discuter.", ar: "ناقشوا."}\n'
    assert plan in text
    bomb = "  plan:\n    - {en: &t " + "x" * 200_000 + ", fr: *t, ar: *t}\n"
    bomb += "    - {en: *t, fr: *t, ar: *t}\n" * 9_307
    lesson.write_text(text.replace(plan, bomb), encoding="utf-8")
    assert 480_000 < lesson.stat().st_size < MAX_FILE_BYTES  # the size limit is not what stops it
    return text[: text.index(plan)].count("\n") + 2


def test_scalar_alias_bomb_is_refused_by_the_composer_before_anything_is_built(content):
    line = _scalar_bomb(content)
    with pytest.raises(_YamlProblem, match="anchors and aliases") as problem:
        read_yaml(content / "lessons/9-11/sample-9-11.yaml")
    assert problem.value.line == line  # the anchor's line: refused at the first `&`
    # raised while composing the node tree, so no string or object was built from it yet
    frames = [entry.name for entry in problem.traceback]
    assert "compose_node" in frames and "construct_object" not in frames and "_to_python" not in frames
    assert _errors(content) == [f"lessons/9-11/sample-9-11.yaml:{line}: (file): {ALIASES_REFUSED}"]


@pytest.mark.parametrize("schema_only", [True, False], ids=["schema-only", "full"])
def test_check_content_refuses_the_scalar_alias_bomb(content, capsys, schema_only):
    line = _scalar_bomb(content)
    command = ["check-content", "--dir", str(content)] + (["--schema-only"] if schema_only else [])
    assert manage(command) == 1
    err = capsys.readouterr().err
    assert f"lessons/9-11/sample-9-11.yaml:{line}: (file): {ALIASES_REFUSED}" in err
    assert "1 error(s)" in err


def test_a_single_scalar_alias_is_refused_too(content):
    (content / "guidance/talking.yaml").write_text("id: &name talking\ntitle: *name\n")
    assert _errors(content) == [f"guidance/talking.yaml:1: (file): {ALIASES_REFUSED}"]


def test_lesson_rules_two_scenarios_and_help_last(content):
    _edit(
        content / "lessons/9-11/sample-9-11.yaml",
        "  - kind: help\n",
        "  - kind: tip\n    tips: [{en: a, fr: b, ar: c}]\n  - kind: help\n",
    )
    load_catalogue(content)
    lesson = content / "lessons/9-11/sample-9-11.yaml"
    text = lesson.read_text()
    lesson.write_text(text[: text.index("  - kind: help")])
    assert any("the last step must be the 'help' step" in e for e in _errors(content))


def test_teen_only_topic_is_refused_for_young_bands(content):
    lesson = content / "lessons/9-11/sample-9-11.yaml"
    _edit(lesson, "topic: cyberbullying", "topic: sexual_images")
    assert any("only for ages 12-14 and 15-17" in e for e in _errors(content))


def test_check_content_command_reports_and_exits_nonzero(content, capsys):
    assert manage(["check-content", "--dir", str(content), "--schema-only"]) == 0
    _edit(content / "quizzes/9-11/sample-9-11.yaml", "lesson: sample-9-11", "lesson: nowhere-9-11")
    assert manage(["check-content", "--dir", str(content), "--schema-only"]) == 1
    assert (
        "quizzes/9-11/sample-9-11.yaml:1: lesson: no lesson with id 'nowhere-9-11'" in capsys.readouterr().err
    )


def test_real_course_is_complete_and_valid(real_catalogue):
    assert completeness_problems(real_catalogue) == []
