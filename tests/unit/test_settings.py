"""Settings come from the environment; the cookie key is generated safely when absent."""

import os
import stat
from datetime import timedelta

import pytest

from amane.i18n import LANGUAGES
from amane.services.rules import STAFF_IDLE_TIMEOUT
from amane.settings import SettingsError, load_settings


def test_defaults_use_sqlite_under_data_and_generate_a_private_cookie_key(monkeypatch, tmp_path):
    for name in ("AMANE_DATABASE_URL", "AMANE_COOKIE_KEY", "AMANE_DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'amane.db'}"
    key_file = tmp_path / "cookie.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(settings.cookie_key.encode()) >= 32
    assert load_settings().cookie_key == settings.cookie_key  # stable across restarts
    assert settings.default_language == "fr"


def test_short_cookie_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AMANE_COOKIE_KEY", "too-short")
    with pytest.raises(SettingsError, match="at least 32 bytes"):
        load_settings()


def test_postgres_url_and_language_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AMANE_DATABASE_URL", "postgresql+psycopg://u@db/amane")
    monkeypatch.setenv("AMANE_DEFAULT_LANGUAGE", "ar")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://u@db/amane"
    assert settings.default_language == "ar"
    monkeypatch.setenv("AMANE_DEFAULT_LANGUAGE", "de")
    with pytest.raises(SettingsError):
        load_settings()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_of_the_app_can_be_the_default(monkeypatch, tmp_path, language):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AMANE_DEFAULT_LANGUAGE", language)
    assert load_settings().default_language == language


def test_an_unknown_default_language_names_the_languages_of_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AMANE_DEFAULT_LANGUAGE", "es")
    with pytest.raises(SettingsError, match="^AMANE_DEFAULT_LANGUAGE must be one of ar, fr, en$"):
        load_settings()


def test_the_public_address_printed_on_cards_loses_its_trailing_slash(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AMANE_PUBLIC_URL", raising=False)
    assert load_settings().public_url is None
    monkeypatch.setenv("AMANE_PUBLIC_URL", " http://amane.ecole.ma/ ")
    assert load_settings().public_url == "http://amane.ecole.ma"


def test_a_public_address_without_its_scheme_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AMANE_PUBLIC_URL", "amane.ecole.ma")
    with pytest.raises(SettingsError, match="^AMANE_PUBLIC_URL must start with http:// or https://$"):
        load_settings()


def test_the_staff_idle_timeout_is_the_rule_unless_set_in_minutes(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AMANE_STAFF_IDLE_MINUTES", raising=False)
    assert load_settings().staff_idle_timeout == STAFF_IDLE_TIMEOUT == timedelta(minutes=30)
    monkeypatch.setenv("AMANE_STAFF_IDLE_MINUTES", "0.05")  # the browser test's 3 seconds
    assert load_settings().staff_idle_timeout == timedelta(seconds=3)
    for wrong in ("0", "-5", "soon", "nan", "inf"):
        monkeypatch.setenv("AMANE_STAFF_IDLE_MINUTES", wrong)
        refused = "^AMANE_STAFF_IDLE_MINUTES must be a number of minutes above 0$"
        with pytest.raises(SettingsError, match=refused):
            load_settings()
