"""All configuration, read once from the environment into one object.

| variable                 | default                              |
|--------------------------|--------------------------------------|
| AMANE_DATABASE_URL       | sqlite:///data/amane.db              |
| AMANE_COOKIE_KEY         | generated into data/cookie.key (0600)|
| AMANE_DEFAULT_LANGUAGE   | fr                                   |
| AMANE_CONTENT_DIR        | the repository (lessons/, quizzes/, guidance/, assets/) |
| AMANE_DATA_DIR           | data/                                |
| AMANE_PUBLIC_URL         | none: the address the browser used   |
| AMANE_STAFF_IDLE_MINUTES | 30 (rules.STAFF_IDLE_TIMEOUT)        |

AMANE_PUBLIC_URL is the address pupils and families type (e.g. http://amane.ecole.ma), printed
on sign-in cards and letters; a school server reached as 127.0.0.1 by the teacher needs it.
AMANE_STAFF_IDLE_MINUTES (a number of minutes, fractions allowed) ends an unused staff session
sooner or later than the rule's 30 minutes; the browser tests set a few seconds.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from amane.i18n import LANGUAGES
from amane.services.rules import STAFF_IDLE_TIMEOUT

PACKAGE = Path(__file__).resolve().parent  # the code: app.py, migrations, static, catalogues
ROOT = PACKAGE.parent  # the checkout: the course content (lessons/, quizzes/, ...) and data/
MIN_COOKIE_KEY_BYTES = 32


class SettingsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str
    cookie_key: str
    default_language: str
    content_dir: Path
    data_dir: Path
    public_url: str | None = None
    staff_idle_timeout: timedelta = STAFF_IDLE_TIMEOUT


def _cookie_key(data_dir: Path) -> str:
    key = os.environ.get("AMANE_COOKIE_KEY")
    if key is None:
        path = data_dir / "cookie.key"
        if not path.exists():
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            # O_EXCL: two processes starting together cannot both write a different key.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
            except FileExistsError:
                pass
        key = path.read_text().strip()
    if len(key.encode()) < MIN_COOKIE_KEY_BYTES:
        raise SettingsError(f"AMANE_COOKIE_KEY must be at least {MIN_COOKIE_KEY_BYTES} bytes")
    return key


def _public_url(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    value = value.strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise SettingsError("AMANE_PUBLIC_URL must start with http:// or https://")
    return value


def _staff_idle_timeout(value: str | None) -> timedelta:
    if value is None or not value.strip():
        return STAFF_IDLE_TIMEOUT
    try:
        idle = timedelta(minutes=float(value))
    except (ValueError, OverflowError):  # not a number, nan, inf
        idle = timedelta(0)
    if idle <= timedelta(0):
        raise SettingsError("AMANE_STAFF_IDLE_MINUTES must be a number of minutes above 0")
    return idle


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("AMANE_DATA_DIR", ROOT / "data"))
    language = os.environ.get("AMANE_DEFAULT_LANGUAGE", "fr")
    if language not in LANGUAGES:
        raise SettingsError(f"AMANE_DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    return Settings(
        database_url=os.environ.get("AMANE_DATABASE_URL", f"sqlite:///{data_dir / 'amane.db'}"),
        cookie_key=_cookie_key(data_dir),
        default_language=language,
        content_dir=Path(os.environ.get("AMANE_CONTENT_DIR", ROOT)),
        data_dir=data_dir,
        public_url=_public_url(os.environ.get("AMANE_PUBLIC_URL")),
        staff_idle_timeout=_staff_idle_timeout(os.environ.get("AMANE_STAFF_IDLE_MINUTES")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call get_settings.cache_clear() after changing env)."""
    return load_settings()
