"""The one translation function, `t`, and the one place that decides text direction.

UI strings are English msgids in gettext catalogues (i18n/locales/<lang>/LC_MESSAGES/messages.po),
managed with Babel (`make i18n` extracts and updates them). The current language is a
context variable that app.py sets at the start of every run, so services and views share it
without passing it around.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES: tuple[str, ...] = ("ar", "fr", "en")
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
RTL_LANGUAGES = frozenset({"ar"})
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}
LOCALES_DIR = Path(__file__).with_name("locales")

_current: ContextVar[str] = ContextVar("amane_language", default="en")


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is defined; `t` translates it where shown."""
    return message


def set_language(lang: str) -> None:
    _current.set(lang if lang in LANGUAGES else "en")


def current_language() -> str:
    return _current.get()


def direction(lang: str | None = None) -> str:
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for one language (empty for English, the source language)."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {
        message.id: message.string for message in po if message.id and message.string and not message.fuzzy
    }


def t(msgid: str, /, **params: object) -> str:
    """Translate a UI string into the current language, then fill `{placeholders}`."""
    text = catalogue(current_language()).get(msgid, msgid)
    return text.format(**params) if params else text


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
