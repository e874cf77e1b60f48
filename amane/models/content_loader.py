"""Load the YAML content into a validated, read-only catalogue.

Errors are reported as ``path:line: field: message`` so an author can go straight to the
line. YAML is read with safe semantics only: no Python tags, no anchors or aliases of any kind
(refused by the composer at the first `&` or `*`, before anything is built: that rules out
"billion laughs" bombs and one huge scalar repeated thousands of times), no duplicate keys, and
files over 512 KiB are refused before parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.events import AliasEvent

from amane.models.content import BANDS, Lesson, Quiz
from amane.models.guidance import Glossary, Guide, HelpDirectory, PrivacyNotices
from amane.models.impact import BandCheck, load_checks
from amane.models.pulse_content import PulseQuestions
from amane.models.training import TrainingModule

MAX_FILE_BYTES = 512 * 1024
ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field or '(file)'}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class Catalogue:
    root: Path
    lessons: dict[str, Lesson]
    quizzes: dict[str, Quiz]  # keyed by lesson id
    guides: dict[str, Guide]
    help: HelpDirectory | None
    privacy: PrivacyNotices | None = None
    glossary: Glossary | None = None
    files: dict[str, str] = field(default_factory=dict)  # object id -> file it came from
    checks: dict[str, BandCheck] = field(default_factory=dict)  # age band -> its before/after check
    training: dict[str, TrainingModule] = field(default_factory=dict)  # staff course, in order
    pulse: PulseQuestions | None = None  # the class climate pulse's questions (guidance/pulse.yaml)

    def lessons_for_band(self, band: str) -> list[Lesson]:
        return sorted(
            (lesson for lesson in self.lessons.values() if lesson.band == band),
            key=lambda lesson: (lesson.order, lesson.id),
        )

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    def quiz_for(self, lesson_id: str) -> Quiz | None:
        return self.quizzes.get(lesson_id)

    def training_modules(self) -> list[TrainingModule]:
        return list(self.training.values())

    def training_module(self, module_id: str) -> TrainingModule | None:
        return self.training.get(module_id)


# ---------------------------------------------------------------- YAML with line numbers


class _YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


ALIASES_REFUSED = "anchors and aliases (& and *) are not allowed"
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


class _NoAliases(Composer):
    """PyYAML's composer, refusing the first anchor or alias it meets, scalars included: the node
    tree it returns is a plain tree, each node used once, so nothing is ever expanded."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise _YamlProblem(event.start_mark.line + 1, ALIASES_REFUSED)
        return super().compose_node(parent, index)


class _Loader(_NoAliases, _SafeLoader):
    def __init__(self, stream: str) -> None:
        _SafeLoader.__init__(self, stream)
        Composer.__init__(self)  # libyaml's loader composes in C and skips it


def _to_python(loader: _Loader, node: yaml.Node, path: tuple, lines: dict) -> Any:
    lines[path] = node.start_mark.line + 1
    if node.tag not in ALLOWED_TAGS:
        raise _YamlProblem(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(loader, item, (*path, index), lines) for index, item in enumerate(node.value)]
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in ALLOWED_TAGS:
            raise _YamlProblem(key_node.start_mark.line + 1, "keys must be plain text")
        key = loader.construct_object(key_node)
        if key in result:
            raise _YamlProblem(key_node.start_mark.line + 1, f"duplicate key '{key}'")
        lines[(*path, key)] = key_node.start_mark.line + 1
        result[key] = _to_python(loader, value_node, (*path, key), lines)
    return result


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse one file safely; returns the data and a map from data path to line number."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _YamlProblem(1, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _YamlProblem(1, "file is empty")
        lines: dict[tuple, int] = {}
        data = _to_python(loader, node, (), lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _YamlProblem(mark.line + 1 if mark else 1, str(exc.problem or exc)) from exc
    finally:
        loader.dispose()
    return data, lines


def _field_path(data: Any, loc: tuple) -> tuple[tuple, str]:
    """Map a pydantic error location onto the data (skipping union tags) and a dotted name."""
    path: list = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
            path.append(part)
        elif (
            isinstance(current, dict)
            and isinstance(part, str)
            and part
            not in (
                "scenario",
                "story",
                "explain",
                "keywords",
                "tip",
                "help",
                "single",
                "multiple",
                "true_false",
                "ordering",
            )
        ):
            path.append(part)  # a missing or unknown key: name it, line of its parent
            break
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return tuple(path), name


def _line_for(lines: dict[tuple, int], path: tuple) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def parse_file(path: Path, model: type[M], shown: str) -> tuple[M | None, list[ContentError]]:
    """Read and validate one file against `model`."""
    try:
        data, lines = read_yaml(path)
    except _YamlProblem as problem:
        return None, [ContentError(shown, problem.line, "", str(problem))]
    except UnicodeDecodeError:
        return None, [ContentError(shown, 1, "", "file is not UTF-8 text")]
    if not isinstance(data, dict):
        return None, [ContentError(shown, 1, "", "the file must be a mapping of fields")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            data_path, name = _field_path(data, tuple(error["loc"]))
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown field (not in the schema)"
            errors.append(ContentError(shown, _line_for(lines, data_path), name, message))
        return None, errors


# ---------------------------------------------------------------- the whole catalogue


def _files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    return sorted(base.rglob("*.yaml")) if base.is_dir() else []


def load_catalogue(root: Path) -> Catalogue:
    """Load everything under `root` (lessons/, quizzes/, guidance/, training/); raise ContentInvalid."""
    root = root.resolve()
    errors: list[ContentError] = []
    files: dict[str, str] = {}

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    def collect(folder: str, model: type[M], skip: set[Path] = frozenset()) -> list[tuple[M, str]]:
        found = []
        for path in _files(root, folder):
            if path in skip:
                continue
            item, problems = parse_file(path, model, shown(path))
            errors.extend(problems)
            if item is not None:
                found.append((item, shown(path)))
        return found

    help_path = root / "guidance" / "help.yaml"
    help_directory = None
    if help_path.exists():
        help_directory, problems = parse_file(help_path, HelpDirectory, shown(help_path))
        errors.extend(problems)

    lessons: dict[str, Lesson] = {}
    for lesson, where in collect("lessons", Lesson):
        if lesson.id in lessons:
            errors.append(
                ContentError(
                    where, 1, "id", f"duplicate lesson id '{lesson.id}' (also in {files[lesson.id]})"
                )
            )
            continue
        folder_band = Path(where).parts[1] if len(Path(where).parts) > 2 else None
        if folder_band in BANDS and folder_band != lesson.band:
            errors.append(
                ContentError(where, 1, "band", f"band '{lesson.band}' but file is in lessons/{folder_band}/")
            )
        lessons[lesson.id] = lesson
        files[lesson.id] = where

    lessons_parsed = not errors  # else a quiz may point at a lesson whose file has errors
    quizzes: dict[str, Quiz] = {}
    quiz_ids: dict[str, str] = {}
    for quiz, where in collect("quizzes", Quiz):
        if quiz.id in quiz_ids:
            errors.append(
                ContentError(where, 1, "id", f"duplicate quiz id '{quiz.id}' (also in {quiz_ids[quiz.id]})")
            )
            continue
        quiz_ids[quiz.id] = where
        lesson = lessons.get(quiz.lesson)
        if lesson is None and lessons_parsed:
            errors.append(ContentError(where, 1, "lesson", f"no lesson with id '{quiz.lesson}'"))
        if lesson is None:
            continue
        if quiz.lesson in quizzes:
            errors.append(ContentError(where, 1, "lesson", f"lesson '{quiz.lesson}' already has a quiz"))
            continue
        for index, question in enumerate(quiz.questions):
            if question.review_of is None:
                continue
            earlier = lessons.get(question.review_of)
            if earlier is None or earlier.id == lesson.id:
                errors.append(
                    ContentError(
                        where,
                        1,
                        f"questions[{index}].review_of",
                        f"'{question.review_of}' is not another lesson",
                    )
                )
        quizzes[quiz.lesson] = quiz
        files[quiz.id] = where

    privacy_path = root / "guidance" / "privacy.yaml"
    privacy = None
    if privacy_path.exists():
        privacy, problems = parse_file(privacy_path, PrivacyNotices, shown(privacy_path))
        errors.extend(problems)

    glossary_path = root / "guidance" / "glossary.yaml"
    glossary = None
    if glossary_path.exists():
        glossary, problems = parse_file(glossary_path, Glossary, shown(glossary_path))
        errors.extend(problems)

    guides: dict[str, Guide] = {}
    pulse_path = root / "guidance" / "pulse.yaml"
    pulse = None
    if pulse_path.exists():
        pulse, problems = parse_file(pulse_path, PulseQuestions, shown(pulse_path))
        errors.extend(problems)

    for guide, where in collect("guidance", Guide, skip={help_path, privacy_path, glossary_path, pulse_path}):
        if guide.id in guides:
            errors.append(ContentError(where, 1, "id", f"duplicate guide id '{guide.id}'"))
            continue
        guides[guide.id] = guide
        files[guide.id] = where

    training, training_errors = _load_training(collect("training", TrainingModule), files)
    errors.extend(training_errors)

    for module in training.values():
        pictures = [step.illustration for step in module.steps if getattr(step, "illustration", None)]
        errors.extend(_missing_illustrations(root, files[training_key(module.id)], pictures))

    help_ids = {resource.id for resource in help_directory.resources} if help_directory else set()
    for lesson in lessons.values():
        where = files[lesson.id]
        illustrations = [lesson.illustration] + [
            step.illustration for step in lesson.steps if getattr(step, "illustration", None)
        ]
        errors.extend(_missing_illustrations(root, where, illustrations))
        for step in lesson.steps:
            for resource in getattr(step, "resources", []):
                if resource not in help_ids:
                    errors.append(
                        ContentError(
                            where, 1, "steps.resources", f"'{resource}' is not in guidance/help.yaml"
                        )
                    )

    checks, check_errors = load_checks(root, lessons, quizzes, shown)
    errors.extend(check_errors)

    if errors:
        raise ContentInvalid(errors)
    ordered = dict(sorted(lessons.items(), key=lambda kv: (BANDS.index(kv[1].band), kv[1].order, kv[0])))
    return Catalogue(
        root=root,
        lessons=ordered,
        quizzes=quizzes,
        guides=guides,
        help=help_directory,
        privacy=privacy,
        glossary=glossary,
        files=files,
        checks=checks,
        training=training,
        pulse=pulse,
    )


def training_key(module_id: str) -> str:
    """A module's key in Catalogue.files (apart from lesson and quiz ids, which may be the same)."""
    return f"training/{module_id}"


def _missing_illustrations(root: Path, where: str, illustrations: list) -> list[ContentError]:
    return [
        ContentError(where, 1, "illustration.file", f"assets/{illustration.file} does not exist")
        for illustration in illustrations
        if not (root / "assets" / illustration.file).is_file()
    ]


def _load_training(
    found: list[tuple[TrainingModule, str]], files: dict[str, str]
) -> tuple[dict[str, TrainingModule], list[ContentError]]:
    """The staff course's modules in course order: file name = id, ids and orders unique."""
    errors: list[ContentError] = []
    modules: dict[str, TrainingModule] = {}
    orders: dict[int, str] = {}
    for module, where in found:
        if Path(where).stem != module.id:
            message = f"id '{module.id}' but the file is {Path(where).name}"
            errors.append(ContentError(where, 1, "id", message))
        if module.id in modules:
            message = f"duplicate module id '{module.id}' (also in {files[training_key(module.id)]})"
            errors.append(ContentError(where, 1, "id", message))
            continue
        if module.order in orders:
            message = f"order {module.order} is also used by {orders[module.order]}"
            errors.append(ContentError(where, 1, "order", message))
        orders[module.order] = where
        modules[module.id] = module
        files[training_key(module.id)] = where
    return dict(sorted(modules.items(), key=lambda kv: (kv[1].order, kv[0]))), errors
