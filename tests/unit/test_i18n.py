"""UI translations: every string in code is translated in fr and ar, none is unused, none is
left in English, placeholders survive; Arabic is right-to-left."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from amane import i18n
from amane.settings import PACKAGE

SAME_IN_FRENCH = {"Quiz", "Amane", "Code", "Contact", "Action"}


def _code_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE,
        method_map=[("migrations/**", "ignore"), ("**.py", "python")],
        keywords={"t": None, "N_": None},
    ):
        found.add(message)
    return found


@pytest.fixture(scope="module")
def code_msgids() -> set[str]:
    return _code_msgids()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_catalogue_is_complete_used_and_translated(code_msgids, lang):
    path = Path(i18n.LOCALES_DIR) / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        messages = [m for m in read_po(handle, locale=lang) if m.id]
    catalogue = {m.id: m.string for m in messages if not m.fuzzy}
    missing = sorted(m for m in code_msgids if not catalogue.get(m))
    unused = sorted(set(catalogue) - code_msgids)
    untranslated = sorted(m for m, s in catalogue.items() if s == m and m not in SAME_IN_FRENCH)
    broken = sorted(
        m for m, s in catalogue.items() if set(re.findall(r"\{\w+\}", m)) != set(re.findall(r"\{\w+\}", s))
    )
    assert (missing, unused, untranslated, broken) == ([], [], [], [])


def test_t_translates_and_fills_placeholders():
    i18n.set_language("fr")
    assert i18n.t("Sign out") != "Sign out"
    i18n.set_language("ar")
    assert "Yasmine" in i18n.t("Signed in as {name}", name="Yasmine")
    assert i18n.direction() == "rtl" and i18n.direction("fr") == "ltr"
    i18n.set_language("en")
    assert i18n.t("Sign out") == "Sign out"


def test_numbers_and_dates_follow_the_language():
    from datetime import date

    i18n.set_language("fr")
    assert i18n.fmt_number(1234.5) == "1\u202f234,5"
    assert i18n.fmt_date(date(2026, 11, 28)) == "28 nov. 2026"
    i18n.set_language("en")


def test_no_translated_string_hides_inside_an_f_string():
    """Babel cannot extract t('...') written inside an f-string: such text would stay English."""
    hidden = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""f["'].*\{[^}]*\b(t|N_)\(\s*["']""", line):
                hidden.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert hidden == []
