"""The staff course's YAML (issue 16): loaded by the same loader, with the same errors that name
file, line and field, and the same glossary and item-writing rules as the pupils' course."""

import shutil
from pathlib import Path

import pytest

from amane.models.content_checks import coverage_table, glossary_problems
from amane.models.content_loader import ContentInvalid, load_catalogue
from amane.models.training_checks import check_questions, training_problems
from tests.conftest import FIXTURE_CONTENT

MODULE = "training/when-a-pupil-tells-you.yaml"


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as invalid:
        load_catalogue(root)
    return [str(error) for error in invalid.value.errors]


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` and return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_fixture_module_loads_into_the_catalogue(content):
    catalogue = load_catalogue(content)
    module = catalogue.training_module("when-a-pupil-tells-you")
    assert [m.id for m in catalogue.training_modules()] == ["when-a-pupil-tells-you"]
    assert module.scenario_count() == 2
    assert module.key_points[1].get("fr") == "Ne promettez pas de garder le secret."


def test_a_broken_training_file_names_its_file_line_and_field(content):
    line = _edit(content / MODULE, 'ar: "لا تعدوا بكتمان السر."}', 'ar: ""}')
    assert _errors(content) == [f"{MODULE}:{line}: key_points[1].ar: text must not be empty"]


def test_unknown_field_in_a_check_question_is_named(content):
    line = _edit(content / MODULE, "    kind: true_false\n", "    kind: true_false\n    colour: red\n")
    assert _errors(content) == [f"{MODULE}:{line + 1}: check[1].colour: unknown field (not in the schema)"]


def test_minutes_out_of_range_is_refused(content):
    line = _edit(content / MODULE, "minutes: 12", "minutes: 40")
    assert _errors(content) == [f"{MODULE}:{line}: minutes: Input should be less than or equal to 15"]


def test_a_module_needs_two_scenarios(content):
    text = (content / MODULE).read_text(encoding="utf-8")
    start = text.index('  - kind: scenario\n    situation: {en: "Sara shows')
    (content / MODULE).write_text(text[:start] + text[text.index("  - kind: tip"):], encoding="utf-8")
    steps_line = text.splitlines().index("steps:") + 2  # a list's line is its first item's
    assert _errors(content) == [f"{MODULE}:{steps_line}: steps: a module needs at least 2 'scenario' steps"]


def test_help_step_is_not_a_training_step(content):
    _edit(content / MODULE, "  - kind: tip\n    tips:", "  - kind: help\n    tips:")
    assert any("steps[5]" in error for error in _errors(content))


def test_file_name_must_be_the_id(content):
    (content / MODULE).rename(content / "training/other-name.yaml")
    assert _errors(content) == [
        "training/other-name.yaml:1: id: id 'when-a-pupil-tells-you' but the file is other-name.yaml"
    ]


def test_two_modules_with_the_same_order_are_refused(content):
    copy = content / "training/images-of-abuse.yaml"
    shutil.copy(content / MODULE, copy)
    _edit(copy, "id: when-a-pupil-tells-you", "id: images-of-abuse")
    assert _errors(content) == [f"{MODULE}:1: order: order 2 is also used by training/images-of-abuse.yaml"]


def test_check_question_ids_are_unique_and_mix_two_kinds(content):
    _edit(content / MODULE, "  - id: write-down\n", "  - id: investigate\n")
    assert any("check: question ids must be unique" in error for error in _errors(content))


def test_glossary_covers_training_files(content):
    line = _edit(content / MODULE, "ar: \"الإفصاح\"}", "ar: \"كلمة المرور\"}")
    problems = [str(p) for p in glossary_problems(load_catalogue(content))]
    assert len(problems) == 1
    assert problems[0].startswith(f"{MODULE}:{line}: ")
    assert "كلمة السر" in problems[0]


def test_item_rules_apply_to_check_questions(content):
    # A two-option single-choice question breaks the "at least 3 options" rule.
    text = (content / MODULE).read_text(encoding="utf-8")
    start = text.index("      - id: later\n")
    end = text.index("  - id: investigate\n")
    (content / MODULE).write_text(text[:start] + text[end:], encoding="utf-8")
    catalogue = load_catalogue(content)
    problems = [str(p) for p in training_problems(catalogue)]
    assert [p for p in problems if "at least 3 options" in p] == [
        f"{MODULE}:{check_questions(catalogue)[0].lines[('check', 0, 'options')]}: check[0].options: "
        "a single-choice question needs at least 3 options, this one has 2"
    ]


def test_missing_modules_are_listed_and_coverage_shows_the_course(content):
    catalogue = load_catalogue(content)
    missing = [str(p) for p in training_problems(catalogue) if "module missing" in str(p)]
    assert len(missing) == 5 and "training/moroccan-routes.yaml:1: (file): module missing" in missing
    table = coverage_table(catalogue)
    assert "| 2. when-a-pupil-tells-you | 12 | 6 / 2 | 4 | 3 |" in table
    assert "missing: recognising-cyber-violence" in table
