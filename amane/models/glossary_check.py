"""One term per concept per language (guidance/glossary.yaml): no file of the course may use a
variant the glossary tells authors to avoid. Reported as path:line: field: message, where the
field is the YAML key on that line (usually the language)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amane.models.content import LANGUAGES
from amane.models.guidance import Glossary

# Arabic short vowels, shadda, sukun, dagger alif and tatweel: «كلمةُ السرّ» is «كلمة السر».
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_KEY = re.compile(r"^\s*(?:-\s*)?([A-Za-z_]+):")
CONTENT_FOLDERS = ("lessons", "quizzes", "guidance")


@dataclass(frozen=True)
class Variant:
    term: str
    language: str
    text: str  # normalised
    use: str


def normalise(text: str) -> str:
    return _MARKS.sub("", text).casefold()


def _variants(glossary: Glossary) -> list[Variant]:
    return [
        Variant(term.id, language, normalise(avoided), getattr(term, language).use)
        for term in glossary.terms
        for language in LANGUAGES
        for avoided in getattr(term, language).avoid
    ]


def glossary_violations(glossary: Glossary, path_label: str, text: str) -> list[str]:
    """`path:line: field: message` for every avoided variant in this file's text."""
    variants = _variants(glossary)
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        plain = normalise(line)
        for variant in variants:
            if variant.text in plain:
                key = _KEY.match(line)
                field = key.group(1) if key else variant.language
                found.append(
                    f"{path_label}:{number}: {field}: '{variant.text}' is not the course's term for "
                    f"'{variant.term}' ({variant.language}: use '{variant.use}', guidance/glossary.yaml)"
                )
    return found
