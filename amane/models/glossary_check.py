"""One term per concept per language (guidance/glossary.yaml): no file of the course may use a
variant the glossary tells authors to avoid. Reported as the loader's `path:line: field: message`
errors. The field is the YAML field the variant sits in, named like the loader's fields
(`steps[3].text.ar`) when the file's line map is given, else the key on that line (usually the
language)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amane.models.content import LANGUAGES
from amane.models.content_loader import ContentError
from amane.models.guidance import Glossary
from amane.models.item_rules import field_name

# Arabic short vowels, shadda, sukun, dagger alif and tatweel: «كلمةُ السرّ» is «كلمة السر».
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_KEY = re.compile(r"^\s*(?:-\s*)?([A-Za-z_]+):")
# A key inside a line, e.g. the `ar` of `text: {en: "...", ar: "..."}`.
_INNER_KEY = re.compile(r"(?:^|[\s{,-])([A-Za-z_]+):(?=\s)")
CONTENT_FOLDERS = ("lessons", "quizzes", "guidance", "training")


@dataclass(frozen=True)
class Variant:
    term: str
    language: str
    text: str  # normalised
    use: str


def normalise(text: str) -> str:
    return _MARKS.sub("", text).casefold()


def _normalised_with_columns(line: str) -> tuple[str, list[int]]:
    """The normalised line and, for each of its characters, its column in the line."""
    chars: list[str] = []
    columns: list[int] = []
    for column, char in enumerate(line):
        if _MARKS.match(char):
            continue
        folded = char.casefold()
        chars.append(folded)
        columns += [column] * len(folded)
    return "".join(chars), columns


def _variants(glossary: Glossary) -> list[Variant]:
    return [
        Variant(term.id, language, normalise(avoided), getattr(term, language).use)
        for term in glossary.terms
        for language in LANGUAGES
        for avoided in getattr(term, language).avoid
    ]


def _paths_by_line(lines: dict[tuple, int]) -> dict[int, list[tuple]]:
    by_line: dict[int, list[tuple]] = {}
    for path, number in lines.items():
        by_line.setdefault(number, []).append(path)
    return by_line


def _field(line: str, column: int, number: int, by_line: dict[int, list[tuple]] | None, language: str) -> str:
    if by_line is None:
        key = _KEY.match(line)
        return key.group(1) if key else language
    if not by_line.get(number):  # a continuation line of a long text: the field starts above
        above = [n for n in by_line if n < number]
        return field_name(max(by_line[max(above)], key=len)) if above else language
    paths = by_line[number]
    keys_before = [match.group(1) for match in _INNER_KEY.finditer(line[:column])]
    for key in reversed(keys_before):
        named = [path for path in paths if path and path[-1] == key]
        if named:
            return field_name(max(named, key=len))
    return field_name(max(paths, key=len))


def glossary_violations(
    glossary: Glossary, path_label: str, text: str, lines: dict[tuple, int] | None = None
) -> list[ContentError]:
    """An error for every avoided variant in this file's text; `lines` is the loader's map from
    data path to line (content_loader.read_yaml), for the field's full name."""
    variants = _variants(glossary)
    by_line = _paths_by_line(lines) if lines is not None else None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        plain, columns = _normalised_with_columns(line)
        for variant in variants:
            start = plain.find(variant.text)
            if start < 0:
                continue
            found.append(
                ContentError(
                    path_label,
                    number,
                    _field(line, columns[start], number, by_line, variant.language),
                    f"'{variant.text}' is not the course's term for '{variant.term}' "
                    f"({variant.language}: use '{variant.use}', guidance/glossary.yaml)",
                )
            )
    return found
