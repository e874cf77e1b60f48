"""Course-level checks of the staff training modules (issue 16), run by `check-content` with the
lessons' checks: the six modules are all there, in their order, and their check questions follow
the same item-writing rules as the pupils' quizzes, measured over the whole staff course as one
group (as a band's quizzes are). The glossary check covers training/ like the other folders."""

from __future__ import annotations

from dataclasses import dataclass

from amane.models.content_loader import Catalogue, ContentError, read_yaml, training_key
from amane.models.item_rules import PlacedQuestion, band_problems, field_name, line_of
from amane.models.training import MODULE_IDS

STAFF_GROUP = "staff course"


@dataclass(frozen=True)
class PlacedCheckQuestion(PlacedQuestion):
    """A module's check question: its fields are under `check`, not a quiz's `questions`."""

    def error(self, keys: tuple, message: str) -> ContentError:
        path = ("check", self.index, *keys)
        return ContentError(self.path, line_of(self.lines, path), field_name(path), message)


def check_questions(catalogue: Catalogue) -> list[PlacedQuestion]:
    placed: list[PlacedQuestion] = []
    for module in catalogue.training_modules():
        path = catalogue.files[training_key(module.id)]
        lines = read_yaml(catalogue.root / path)[1]
        placed += [PlacedCheckQuestion(q, path, i, lines) for i, q in enumerate(module.check)]
    return placed


def training_problems(catalogue: Catalogue) -> list[ContentError]:
    """Missing or misplaced modules, and the item-writing rules over every module's check. A
    content folder without a staff course (no training/ module at all) has nothing to check."""
    problems: list[ContentError] = []
    if not catalogue.training_modules():
        return problems
    for order, module_id in enumerate(MODULE_IDS, start=1):
        module = catalogue.training_module(module_id)
        if module is None:
            problems.append(ContentError(f"training/{module_id}.yaml", 1, "", "module missing"))
        elif module.order != order:
            where = catalogue.files[training_key(module_id)]
            problems.append(ContentError(where, 1, "order", f"must be {order} (the course's order)"))
    for module in catalogue.training_modules():
        if module.id not in MODULE_IDS:
            where = catalogue.files[training_key(module.id)]
            message = f"not one of the six modules: {', '.join(MODULE_IDS)}"
            problems.append(ContentError(where, 1, "id", message))
    return problems + band_problems(STAFF_GROUP, check_questions(catalogue))


def training_coverage(catalogue: Catalogue) -> str:
    """The staff course as a Markdown table: one row per module."""
    rows = [
        "| staff module | minutes | steps / scenarios | check questions | key points |",
        "|---|---|---|---|---|",
    ]
    for module in catalogue.training_modules():
        rows.append(
            f"| {module.order}. {module.id} | {module.minutes} | {len(module.steps)} / "
            f"{module.scenario_count()} | {len(module.check)} | {len(module.key_points)} |"
        )
    missing = [module_id for module_id in MODULE_IDS if catalogue.training_module(module_id) is None]
    if missing:
        rows.append(f"| missing: {', '.join(missing)} | | | | |")
    return "\n".join(rows)
