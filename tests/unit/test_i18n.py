"""UI translations: every string in code is translated in fr and ar, none is unused, none is
left in English, placeholders survive; counted strings go through the plural function and have
every plural form of their language; Arabic is right-to-left; a text can be put in any language
without touching the language of the run."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from amane import i18n, settings
from amane.i18n import Nn_, t, tn
from amane.models import content
from amane.services import accounts, classes
from amane.services.errors import Invalid
from amane.settings import PACKAGE, ROOT
from amane.testing.apptest import button, goto, new_app
from amane.views import state
from amane.views.teacher.letter import letter_html
from tests.conftest import PASSWORD

SAME_IN_FRENCH = {
    "Quiz", "Amane", "Code", "Contact", "Action", "Date", "Impact", "Invitation", "Module",
    "{minutes} minutes", ("{n} class", "{n} classes"), ("{n} minute", "{n} minutes"),
}  # fmt: skip
COUNT = re.compile(r"\{(n|count)\}")  # the count of a counted string: tn() and Nn_() only
PLACEHOLDER = re.compile(r"\{(\w+)\}")

Msgid = str | tuple[str, str]  # a msgid, or the singular and plural msgids of a counted string


def code_messages(directory: Path) -> list[tuple[str, int, Msgid]]:
    """Every marked string in the Python files under `directory`, extracted as `make i18n` does
    (babel.cfg: t and N_, tn and Nn_ for counted strings)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(directory, method_map, options_map)
    return [(filename, line, message) for filename, line, message, _comments, _context in found]


def unpluralised(messages: list[tuple[str, int, Msgid]]) -> list[str]:
    """Counted strings marked with t() or N_() instead of tn() or Nn_(), and counted strings whose
    plural does not show its count as {n}."""
    return [
        f"{filename}:{line}: {message}"
        for filename, line, message in messages
        if (isinstance(message, str) and COUNT.search(message))
        or (isinstance(message, tuple) and "{n}" not in message[1])
    ]


def catalogue(lang: str) -> Catalog:
    with (Path(i18n.LOCALES_DIR) / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.fixture(scope="module")
def code_msgids() -> set[Msgid]:
    return {message for _file, _line, message in code_messages(PACKAGE)}


def _forms(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def _english(msgid: Msgid) -> set[str]:
    return set(msgid) if isinstance(msgid, tuple) else {msgid}


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_catalogue_is_complete_used_and_translated(code_msgids, lang):
    entries = {m.id: m.string for m in catalogue(lang) if m.id and not m.fuzzy}
    missing = sorted(str(m) for m in code_msgids if not all(_forms(entries.get(m, ""))))
    unused = sorted(str(m) for m in set(entries) - code_msgids)
    untranslated = sorted(
        str(m) for m, s in entries.items() if _english(m) & set(_forms(s)) and m not in SAME_IN_FRENCH
    )
    assert (missing, unused, untranslated) == ([], [], [])


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_placeholders_survive_translation(lang):
    """Every placeholder of the English is in each translation, none is made up; a plural form
    may leave out {n} only where it serves one number alone (Arabic 'one' and 'two': واحد, ـان)."""
    plural = i18n.translations(lang).plural
    serves = {form: [n for n in range(1000) if plural(n) == form] for form in range(6)}
    broken = []
    for message in catalogue(lang):
        if not message.id:
            continue
        english = _placeholders(" ".join(_english(message.id)))
        for form, text in enumerate(_forms(message.string)):
            needed = english - {"n"} if message.pluralizable and len(serves[form]) == 1 else english
            if not needed <= _placeholders(text) <= english:
                broken.append((message.id, form, text))
    assert broken == []


@pytest.mark.parametrize("lang, forms", [("fr", 2), ("ar", 6)])
def test_every_plural_entry_has_all_its_forms_translated(code_msgids, lang, forms):
    entries = catalogue(lang)
    assert entries.num_plurals == forms  # from the catalogue's Plural-Forms header
    counted = [m for m in entries if m.id and m.pluralizable]
    assert len(counted) == len([m for m in code_msgids if isinstance(m, tuple)]) > 10
    incomplete = [m.id for m in counted if len(m.string) != forms or not all(s.strip() for s in m.string)]
    assert incomplete == []


def test_counted_strings_go_through_the_plural_function():
    assert unpluralised(code_messages(PACKAGE)) == []


def test_a_counted_string_outside_the_plural_function_is_refused(tmp_path):
    (tmp_path / "page.py").write_text(
        "from amane.i18n import N_, Nn_, t, tn\n"
        "ADDED = t('{n} pupils added.', n=3)\n"
        "LEFT = N_('Tries left: {count}')\n"
        "NO_COUNT = tn('One pupil added.', 'Pupils added.', 3)\n"
        "FINE = tn('{n} pupil added.', '{n} pupils added.', 3)\n"
        "MARKED = Nn_('{n} empty line was skipped.', '{n} empty lines were skipped.')\n"
        "STEP = t('Step {step} of {total}', step=1, total=7)\n"
    )
    assert unpluralised(code_messages(tmp_path)) == [
        "page.py:2: {n} pupils added.",
        "page.py:3: Tries left: {count}",
        "page.py:4: ('One pupil added.', 'Pupils added.')",
    ]


PUPILS_ADDED = {
    "fr": {
        0: "0 élève ajouté.",
        1: "1 élève ajouté.",
        2: "2 élèves ajoutés.",
        3: "3 élèves ajoutés.",
        11: "11 élèves ajoutés.",
        100: "100 élèves ajoutés.",
    },
    "ar": {
        0: "لم تتم إضافة أي تلميذ.",  # zero
        1: "تمت إضافة تلميذ واحد.",  # one
        2: "تمت إضافة تلميذين.",  # two
        3: "تمت إضافة 3 تلاميذ.",  # few: 3-10
        11: "تمت إضافة 11 تلميذًا.",  # many: 11-99
        100: "تمت إضافة 100 تلميذ.",  # other
    },
    "en": {0: "0 pupils added.", 1: "1 pupil added.", 2: "2 pupils added.", 100: "100 pupils added."},
}


@pytest.mark.parametrize(
    "lang, n, expected", [(lang, n, text) for lang, by_n in PUPILS_ADDED.items() for n, text in by_n.items()]
)
def test_a_counted_string_takes_the_plural_form_of_its_language(lang, n, expected):
    i18n.set_language(lang)
    try:
        assert tn("{n} pupil added.", "{n} pupils added.", n) == expected
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fr", ["Durée : 0 minute", "Durée : 1 minute"] + [f"Durée : {n} minutes" for n in (2, 3, 11, 100)]),
        ("ar", ["المدة: 0 دقيقة", "المدة: دقيقة واحدة", "المدة: دقيقتان", "المدة: 3 دقائق", "المدة: 11 دقيقة",
                "المدة: 100 دقيقة"]),
    ],
)
def test_a_marked_counted_message_takes_its_count_from_n(lang, expected):
    """Services hand pages Nn_ messages with their count in `n` (errors, dashboard reasons)."""
    duration = Nn_("Duration: {n} minute", "Duration: {n} minutes")
    assert [t(duration, lang=lang, n=n) for n in (0, 1, 2, 3, 11, 100)] == expected


def test_a_service_error_reads_in_english_with_the_right_plural():
    message = Nn_("Paste at most {n} name at a time.", "Paste at most {n} names at a time.")
    assert str(Invalid(message, n=1)) == "Paste at most 1 name at a time."
    assert str(Invalid(message, n=60)) == "Paste at most 60 names at a time."
    assert t(Invalid(message, n=60).message, lang="ar", n=60) == "يُرجى ألا تلصق أكثر من 60 اسمًا في كل مرة."


def test_t_translates_and_fills_placeholders():
    i18n.set_language("fr")
    assert t("Sign out") != "Sign out"
    i18n.set_language("ar")
    assert "Yasmine" in t("Signed in as {name}", name="Yasmine")
    assert i18n.direction() == "rtl" and i18n.direction("fr") == "ltr"
    i18n.set_language("en")
    assert t("Sign out") == "Sign out"


def test_a_text_in_another_language_leaves_the_language_of_the_run_alone():
    i18n.set_language("fr")
    try:
        assert t("Sign out", lang="ar") == "تسجيل الخروج"
        assert tn("{n} pupil added.", "{n} pupils added.", 2, lang="ar") == "تمت إضافة تلميذين."
        assert t("Sign out", lang="en") == "Sign out"
        assert t("Sign out", lang="xx") == "Sign out"  # an unknown language reads in English
        assert i18n.current_language() == "fr"
        assert t("Sign out") == "Se déconnecter"
    finally:
        i18n.set_language("en")


def test_the_letter_is_in_the_class_language_whatever_the_teacher_reads(app_env, fixture_catalogue):
    lesson = fixture_catalogue.lesson("sample-9-11")
    i18n.set_language("fr")
    try:
        letter = letter_html(lesson, "ar", "https://amane.example/parents")
        assert i18n.current_language() == "fr"
    finally:
        i18n.set_language("en")
    assert 'dir="rtl"' in letter and 'lang="ar"' in letter
    assert t("Your child can now say:", lang="ar") in letter
    assert lesson.title.ar in letter
    assert t("Your child can now say:", lang="fr") not in letter
    assert "Where to get help" not in letter


def _sign_in_teacher(at: AppTest, lang: str) -> AppTest:
    """The staff sign-in form, in `lang` (staying on that page, which
    formats no option with t(): AppTest would format them in this thread's language)."""
    goto(at, "staff")
    at.text_input[0].input("teacher")
    at.text_input[1].input(PASSWORD)
    button(at, t("Sign in", lang=lang)).click().run()
    assert not at.exception and state.STAFF in at.session_state
    return at


def test_a_teachers_language_is_saved_to_their_profile_and_follows_them(app_env, teacher, session):
    """app.py is the one writer of the preference: a language chosen before signing in is saved
    on signing in, a language chosen later is saved too, and the next sign-in opens in it."""
    at = new_app().run()
    at.selectbox(key=state.LANGUAGE_MENU).select("fr").run()
    _sign_in_teacher(at, "fr")
    session.expire_all()
    assert accounts.staff_language(session, teacher) == "fr"

    elsewhere = _sign_in_teacher(new_app().run(), "en")  # another computer
    assert elsewhere.session_state[state.LANGUAGE] == "fr"
    i18n.set_language("fr")  # the page is in French now: AppTest formats its options in this thread
    try:
        elsewhere.selectbox(key=state.LANGUAGE_MENU).select("ar").run()
    finally:
        i18n.set_language("en")
    assert not elsewhere.exception
    session.expire_all()
    assert accounts.staff_language(session, teacher) == "ar"
    assert _sign_in_teacher(new_app().run(), "en").session_state[state.LANGUAGE] == "ar"


def test_one_list_of_languages():
    assert i18n.LANGUAGES == ("ar", "fr", "en") == tuple(i18n.LANGUAGE_NAMES)  # the menus' order
    assert settings.LANGUAGES is classes.LANGUAGES is accounts.LANGUAGES is i18n.LANGUAGES
    assert content.LANGUAGES == ("en", "fr", "ar")  # the same, in the course files' order


def test_no_placeholder_is_named_lang(code_msgids):
    """`lang` is t()'s language, so it can never fill a {lang} placeholder."""
    assert [m for m in code_msgids if "lang" in _placeholders(" ".join(_english(m)))] == []


def test_numbers_and_dates_follow_the_language():
    i18n.set_language("fr")
    assert i18n.fmt_number(1234.5) == "1\u202f234,5"
    assert i18n.fmt_date(date(2026, 11, 28)) == "28 nov. 2026"
    i18n.set_language("en")


def test_no_translated_string_hides_inside_an_f_string():
    """Babel cannot extract t('...') written inside an f-string: such text would stay English."""
    hidden = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""f["'].*\{[^}]*\b(t|tn|N_|Nn_)\(\s*["']""", line):
                hidden.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert hidden == []
