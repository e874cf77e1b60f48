"""When the database cannot be reached, every page says so in plain words (never a traceback),
keeps who is signed in, and comes back by itself once the database answers again; and what the
server logs about the failure holds no pupil's name or picture password hash.

PostgreSQL: a TCP relay sits between the app and the server and is cut, like a network or
server outage. SQLite: the database's folder disappears, like a removed drive. A failed write:
a trigger makes every INSERT into pupil fail as a full disk would."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import func, select

from amane.models.db import get_engine
from amane.models.tables import AuditEvent, Pupil
from amane.settings import get_settings
from amane.testing.apptest import button, goto, new_app, sign_in_pupil, sign_in_staff, texts, widget
from amane.views import state
from tests.conftest import PASSWORD

UNREACHABLE = "Amane cannot reach its database just now"


class Relay:
    """Forwards 127.0.0.1:<port> to the database server until cut; can be restored on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        for sock in [self._listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class Outage:
    """Points the app at the test database through something that can be taken away."""

    def __init__(self, database_url: str, tmp_path: Path) -> None:
        self.real_url = database_url
        if database_url.startswith("sqlite"):
            self.folder = tmp_path / "drive"
            self.folder.mkdir()
            with (
                sqlite3.connect(make_url(database_url).database) as source,
                sqlite3.connect(self.folder / "amane.db") as copy,
            ):
                source.backup(copy)  # the -wal file included
            self.url = f"sqlite:///{self.folder / 'amane.db'}"
        else:
            real = make_url(database_url)
            self.relay = Relay((real.host, real.port))
            self.relay.start()
            self.url = real.set(host="127.0.0.1", port=self.relay.port).render_as_string(hide_password=False)

    def start(self) -> None:
        if self.url.startswith("sqlite"):
            get_engine(self.url).dispose()  # the open files go with the drive
            self.folder.rename(self.folder.with_name("drive-removed"))
        else:
            self.relay.cut()

    def end(self) -> None:
        if self.url.startswith("sqlite"):
            self.folder.with_name("drive-removed").rename(self.folder)
        else:
            self.relay.start()


@pytest.fixture
def outage(app_env, database_url, tmp_path, monkeypatch) -> Iterator[Outage]:
    """Created after the test's people and classes are seeded (list it after those fixtures)."""
    outage = Outage(database_url, tmp_path)
    monkeypatch.setenv("AMANE_DATABASE_URL", outage.url)
    get_settings.cache_clear()
    yield outage
    get_engine(outage.url).dispose()


def _shows_the_outage(at) -> None:
    assert not at.exception, at.exception
    assert UNREACHABLE in texts(at)


def test_a_signed_in_pupil_sees_a_clear_message_and_carries_on_when_the_database_returns(
    school_class, pupils, outage
):
    me, pictures = pupils[0]
    at = sign_in_pupil(new_app(), school_class.join_code, me.display_name, pictures)
    assert "My lessons" in texts(at)

    outage.start()
    for page in ("lessons", "badges", "talk"):
        _shows_the_outage(goto(at, page))
    _shows_the_outage(button(at, "Try again").click().run())

    outage.end()
    button(at, "Try again").click().run()
    assert not at.exception
    assert UNREACHABLE not in texts(at)
    assert f"Signed in as {me.display_name}" in texts(at)


def test_staff_and_visitors_see_the_message_in_their_language_and_recover(teacher, school_class, outage):
    at = sign_in_staff(new_app(), "teacher", "correct horse battery")
    assert "My classes" in texts(at)

    outage.start()
    for page in ("classes", "dashboard", "requests"):
        _shows_the_outage(goto(at, page))
    visitor = new_app()
    visitor.session_state[state.LANGUAGE] = "ar"
    visitor.run()
    assert not visitor.exception
    assert "لا يستطيع" in texts(visitor)  # the Arabic message, not the English one

    outage.end()
    goto(at, "dashboard")
    assert not at.exception
    assert UNREACHABLE not in texts(at)
    visitor.run()
    assert not visitor.exception and "Pupils: sign in" not in texts(visitor)


# ---------------------------------------------------------------- no personal data in the log

SECRET_NAME = "Secretname Lockprobe"  # "Secretname" alone must appear nowhere
# What a picture password's hash looks like in any of the usual formats: a KDF's name, a
# "$...$" field, or a long run of hex or base64 (a digest or a salt).
HASH_TEXT = re.compile(r"pbkdf2|scrypt|argon2|\$[\w.+/=-]+\$|[0-9a-f]{32,}|[A-Za-z0-9+/]{40,}", re.IGNORECASE)


def _without_file_paths(log: str) -> str:
    """The log without the paths of source files, which a traceback names: a checkout's path
    (CI's /check/work/main/amane/views/teacher/classes is 44 characters) is not a digest."""
    return re.sub(r'File "[^"]*"', 'File "<source>"', log)

# Every INSERT into pupil fails with an OperationalError, as a full disk would.
_REFUSE = {
    "sqlite": [
        # The table named in the trigger does not exist: SQLite fails the INSERT with
        # "no such table", an OperationalError (RAISE() would be an IntegrityError).
        "CREATE TRIGGER refuse_pupils BEFORE INSERT ON pupil BEGIN SELECT 1 FROM drive_is_full; END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_pupils() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'no space left' USING ERRCODE = 'disk_full'; END $$",
        "CREATE TRIGGER refuse_pupils BEFORE INSERT ON pupil FOR EACH ROW EXECUTE FUNCTION refuse_pupils()",
    ],
}
_ALLOW = {
    "sqlite": ["DROP TRIGGER refuse_pupils"],
    "postgresql": ["DROP TRIGGER refuse_pupils ON pupil", "DROP FUNCTION refuse_pupils()"],
}


@pytest.fixture
def pupils_refused(engine, session) -> Iterator[None]:
    """The database refuses new pupils for the test (PostgreSQL's database outlives the test)."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for statement in _REFUSE[dialect]:
            connection.execute(text(statement))
    yield
    session.rollback()  # the test's reads hold a lock that DROP TRIGGER would wait for
    with engine.begin() as connection:
        for statement in _ALLOW[dialect]:
            connection.execute(text(statement))


def test_a_failed_write_logs_neither_the_pupils_name_nor_a_picture_hash(
    app_env, teacher, school_class, session, pupils_refused, caplog, capfd
):
    at = sign_in_staff(new_app(), "teacher", PASSWORD)
    at = goto(at, "classes")
    capfd.readouterr()  # what the sign-in printed
    caplog.set_level(logging.DEBUG)  # every logger, SQLAlchemy's and Streamlit's included
    for name in logging.root.manager.loggerDict:  # Streamlit's loggers do not pass records up
        if name.startswith("streamlit"):
            logging.getLogger(name).addHandler(caplog.handler)
    try:
        widget(at, "text_area", "Add pupils: one first name or nickname per line").input(SECRET_NAME)
        at = button(at, "Add pupils").click().run()
    finally:
        for name in logging.root.manager.loggerDict:
            if name.startswith("streamlit"):
                logging.getLogger(name).removeHandler(caplog.handler)

    _shows_the_outage(at)  # the friendly message, no traceback on the page
    printed = capfd.readouterr()
    log = "\n".join([caplog.text, printed.out, printed.err])
    assert "database unreachable" in log and "INSERT INTO pupil" in log  # the failure was logged ...
    assert "Secretname" not in log
    assert not HASH_TEXT.search(_without_file_paths(log)), HASH_TEXT.search(_without_file_paths(log))
    assert "[SQL parameters hidden" in log  # ... without its parameters
    page = texts(at) + "".join(str(element.value) for element in at.exception)
    assert "Secretname" not in page
    assert not HASH_TEXT.search(page)
    # nothing was saved: no pupil, no audit row saying pupils were added
    assert session.exec(select(func.count()).select_from(Pupil)).one() == 0
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "pupils_added")).all() == []
