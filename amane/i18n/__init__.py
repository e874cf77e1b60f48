"""The one translation function, `t` (with `tn` for counted strings), and the one place that
decides text direction.

UI strings are English msgids in gettext catalogues (i18n/locales/<lang>/LC_MESSAGES/messages.po),
managed with Babel (`make i18n` extracts and updates them). Each catalogue is compiled in memory
when first used, so gettext chooses plural forms with the catalogue's own Plural-Forms (Arabic has
six, French two). The current language is a context variable that app.py sets at the start of
every run, so services and views share it without passing it around; `lang=` translates into
another language (a class's letter, an export) without touching it.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import NamedTuple

from babel import Locale
from babel.dates import format_date as _format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

# Every language of Amane with its own name for itself, in the order the menus offer them. The only
# list of languages: settings, the content schema, classes and staff profiles import it.
LANGUAGE_NAMES: dict[str, str] = {"ar": "العربية", "fr": "Français", "en": "English"}
LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)
SOURCE_LANGUAGE = "en"  # the language of the msgids (and the fallback)
RTL_LANGUAGES = frozenset({"ar"})
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}
LOCALES_DIR = Path(__file__).with_name("locales")

_current: ContextVar[str] = ContextVar("amane_language", default=SOURCE_LANGUAGE)


class Plural(NamedTuple):
    """A counted message marked with `Nn_`: its English singular and plural msgids. `t` shows the
    form that its `n` parameter calls for."""

    singular: str
    plural: str


Message = str | Plural  # what services hand to pages: a msgid marked with N_ or Nn_


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is defined; `t` translates it where shown."""
    return message


def Nn_(singular: str, plural: str) -> Plural:
    """Marks a counted string (`{n}` is the count) where it is defined; `t(message, n=...)` shows it."""
    return Plural(singular, plural)


def set_language(lang: str) -> None:
    _current.set(lang if lang in LANGUAGES else SOURCE_LANGUAGE)


def current_language() -> str:
    return _current.get()


def direction(lang: str | None = None) -> str:
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


@cache
def translations(lang: str) -> NullTranslations:
    """The gettext catalogue of one language: its .po file compiled in memory (fuzzy entries left
    out, untranslated plural forms falling back to English). English, the source, needs none."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == SOURCE_LANGUAGE or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, po, use_fuzzy=False)
    compiled.seek(0)
    return GNUTranslations(compiled)


def _translations(lang: str | None) -> NullTranslations:
    if lang is None:
        lang = current_language()
    return translations(lang if lang in LANGUAGES else SOURCE_LANGUAGE)


def t(message: Message, /, *, lang: str | None = None, **params: object) -> str:
    """Translate a UI string into `lang` (by default the language of this run), then fill its
    `{placeholders}`. A counted message marked with `Nn_` takes its count from the `n` parameter.
    (`lang` is the language, never a placeholder.)"""
    if isinstance(message, Plural):
        n = params.pop("n")
        if not isinstance(n, int):
            raise TypeError(f"the count of {message.plural!r} must be an int, not {n!r}")
        return tn(message.singular, message.plural, n, lang=lang, **params)
    text = _translations(lang).gettext(message)
    return text.format(**params) if params else text


def tn(singular: str, plural: str, n: int, /, *, lang: str | None = None, **params: object) -> str:
    """A counted string: the form the language's Plural-Forms choose for `n` (English and French
    two, Arabic six: zero, one, two, 3-10, 11-99, 100 and more), with `{n}` and the other
    placeholders filled. `{n}` and `{count}` belong to counted strings only (tests/unit/test_i18n.py)."""
    return _translations(lang).ngettext(singular, plural, n).format(n=n, **params)


def ltr(text: str) -> str:
    """Keep a left-to-right run (an age band like 9-11, a code) in order inside Arabic text."""
    return f"\u2066{text}\u2069"


def isolate(text: str) -> str:
    """Keep a name (in any script) from mixing with the text around it, e.g. a Latin name between
    a date and a class name in an Arabic line."""
    return f"\u2068{text}\u2069"


def fmt_number(value: float | int) -> str:
    return format_decimal(value, locale=BABEL_LOCALES[current_language()])


def fmt_date(value: date | datetime) -> str:
    return _format_date(value, format="medium", locale=BABEL_LOCALES[current_language()])


def locale_name(lang: str) -> str:
    return Locale.parse(BABEL_LOCALES[lang]).display_name or lang
