"""A headless Streamlit client: speaks the browser's websocket protocol to a real server
(StreamlitSession), and drives N of them at once (run_sessions), for bench/load.py.

The browser frontend and the server exchange protobufs over `ws://host/_stcore/stream`
(subprotocol "streamlit"): the client sends a `BackMsg` whose `rerun_script` is a `ClientState`
(page, query string, the value of every widget on the page, one-shot triggers for a click);
the server answers with a stream of `ForwardMsg`s: `new_session` when a run starts, `delta`s
carrying the elements (widgets have an `id`), `navigation`, `page_info_changed`, and
`script_finished` when the run ends. A run ended by `st.rerun()` or `st.switch_page()` finishes
with FINISHED_EARLY_FOR_RERUN and another run follows at once; the session is idle again only
after a run finishes for good. This client mirrors what the browser does between the two:
it keeps widget values (and sends those of the widgets still on the page), tracks the page the
server switched to, lists its cached messages so the server may send `ref_hash`es, and, like a
component's iframe, sends back a custom component's value when it first appears (a cookie
manager component does this once per page load, which costs the server one more run).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

WIDGET_KINDS = frozenset(
    {"button", "checkbox", "component_instance", "multiselect", "radio", "selectbox", "text_input"}
)
RUN_TIMEOUT = 300.0  # seconds a run chain may take before the session counts as stuck
COMPONENT_VALUE = "{}"  # what a cookie manager component reports in a fresh browser (no cookies)


class SessionError(RuntimeError):
    """The app did not show what a user would need for the next step."""


@dataclass(frozen=True)
class Widget:
    id: str
    kind: str  # the Element oneof: "button", "radio", ...
    proto: object  # the widget's own message (Button, Radio, ...)

    @property
    def key(self) -> str:
        """The `key=` given in the app: widget ids are "$$ID-<hash>-<key>"."""
        parts = self.id.split("-", 2)
        return parts[2] if len(parts) == 3 else ""

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "")


@dataclass
class Screen:
    """What the last finished run showed."""

    widgets: dict[str, Widget] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def by_key(self, key: str) -> Widget:
        for widget in self.widgets.values():
            if widget.key == key:
                return widget
        raise SessionError(f"no widget with key {key!r} on the page (headings: {self.headings})")

    def with_key_prefix(self, prefix: str) -> list[Widget]:
        return [w for w in self.widgets.values() if w.key.startswith(prefix)]

    def first_with_key_prefix(self, prefix: str) -> Widget:
        """E.g. "step_next" finds the Next button whether or not its key carries the step."""
        found = self.with_key_prefix(prefix)
        if not found:
            raise SessionError(f"no widget with a key starting {prefix!r} (headings: {self.headings})")
        return found[0]

    def by_label(self, kind: str, label: str) -> Widget:
        for widget in self.widgets.values():
            if widget.kind == kind and widget.label == label:
                return widget
        raise SessionError(f"no {kind} labelled {label!r} on the page (headings: {self.headings})")

    def form_submitter(self, form_id: str) -> Widget:
        for widget in self.widgets.values():
            if widget.kind == "button" and widget.proto.is_form_submitter and widget.proto.form_id == form_id:
                return widget
        raise SessionError(f"form {form_id!r} has no submit button")


@dataclass(frozen=True)
class Interaction:
    what: str
    seconds: float
    runs: int  # script runs until idle (2 or more: st.rerun, st.switch_page, a component's value)


class StreamlitSession:
    """One browser tab: a websocket and the state the frontend keeps."""

    def __init__(self, base_url: str, think: float = 0.0, rng: random.Random | None = None) -> None:
        """`think`: mean seconds the user pauses before each action after the first (0.5x-1.5x)."""
        self.stream_url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.screen = Screen()
        self.interactions: list[Interaction] = []
        self.errors: list[str] = []  # exceptions and st.error messages the app showed
        self._socket: ClientConnection | None = None
        self._page_hash = ""
        self._query_string = ""
        self._values: dict[str, WidgetState] = {}  # the widget values the frontend holds
        self._answered_components: set[str] = set()
        self._cache: dict[str, ForwardMsg] = {}  # the browser's ForwardMsg cache, by hash
        self._think = think
        self._rng = rng or random.Random()

    async def connect(self) -> None:
        self._socket = await connect(
            self.stream_url, subprotocols=["streamlit"], max_size=None, open_timeout=60, ping_interval=None
        )

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    # ------------------------------------------------------------ user actions

    async def open_page(self, what: str = "open the app") -> Screen:
        return await self._interact(what, [])

    async def click(self, widget: Widget, what: str | None = None) -> Screen:
        trigger = WidgetState(id=widget.id, trigger_value=True)
        return await self._interact(what or f"click {widget.key or widget.label}", [trigger])

    async def set_value(self, state: WidgetState, what: str) -> Screen:
        """A widget that reruns the script when it changes (radio, checkbox, multiselect)."""
        self._values[state.id] = state
        return await self._interact(what, [])

    async def submit_form(self, values: list[WidgetState], submitter: Widget, what: str) -> Screen:
        """Fields of an st.form are sent only with the click on its submit button."""
        for state in values:
            self._values[state.id] = state
        return await self.click(submitter, what)

    # ------------------------------------------------------------ protocol

    async def _interact(self, what: str, triggers: list[WidgetState]) -> Screen:
        if self._think and self.interactions:
            await asyncio.sleep(self._think * self._rng.uniform(0.5, 1.5))
        started = time.perf_counter()
        runs = await self._rerun(triggers)
        for widget in list(self.screen.widgets.values()):
            if widget.kind == "component_instance" and widget.id not in self._answered_components:
                # The component's iframe loads and reports its value: the browser reruns at once.
                self._answered_components.add(widget.id)
                self._values[widget.id] = WidgetState(id=widget.id, json_value=COMPONENT_VALUE)
                runs += await self._rerun([])
        self.interactions.append(Interaction(what, time.perf_counter() - started, runs))
        return self.screen

    async def _rerun(self, triggers: list[WidgetState]) -> int:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self._query_string
        state.page_script_hash = self._page_hash
        state.cached_message_hashes.extend(self._cache)
        if not self._page_hash:
            state.context_info.timezone = "UTC"
            state.context_info.locale = "en-GB"
        shown = self.screen.widgets
        state.widget_states.widgets.extend(v for k, v in self._values.items() if k in shown)
        state.widget_states.widgets.extend(triggers)
        assert self._socket is not None, "connect() first"
        await self._socket.send(message.SerializeToString())
        return await asyncio.wait_for(self._read_until_idle(), RUN_TIMEOUT)

    async def _read_until_idle(self) -> int:
        runs = 0
        screen = Screen()
        assert self._socket is not None
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            if message.HasField("ref_hash"):
                cached = ForwardMsg()
                cached.CopyFrom(self._cache[message.ref_hash])
                cached.metadata.CopyFrom(message.metadata)
                message = cached
            elif message.metadata.cacheable:
                self._cache[message.hash] = message
            kind = message.WhichOneof("type")
            if kind == "new_session":
                runs += 1
                screen = Screen()
                if message.new_session.page_script_hash:
                    self._page_hash = message.new_session.page_script_hash
            elif kind == "navigation" and message.navigation.page_script_hash:
                self._page_hash = message.navigation.page_script_hash
            elif kind == "page_info_changed":
                self._query_string = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._record(screen, message.delta.new_element)
            elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
                self.errors.append(message.session_event.script_compilation_exception.message)
            elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.screen = screen
                return runs

    def _record(self, screen: Screen, element: Element) -> None:
        kind = element.WhichOneof("type")
        if kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            screen.widgets[proto.id] = Widget(proto.id, kind, proto)
        elif kind == "heading":
            screen.headings.append(element.heading.body)
        elif kind == "markdown":
            screen.texts.append(element.markdown.body)
        elif kind == "exception":
            self.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert":
            screen.texts.append(element.alert.body)
            if element.alert.format == Alert.ERROR:
                self.errors.append(element.alert.body)


@dataclass
class Outcome:
    """One session's result: its timed interactions and what went wrong, if anything."""

    interactions: list[Interaction]
    app_errors: list[str]
    failure: str | None = None


Journey = Callable[[StreamlitSession, object], Awaitable[None]]


async def run_sessions(base: str, journey: Journey, subjects: list, think: float) -> list[Outcome]:
    """Connect every session first, then start every journey at the same moment."""
    barrier = asyncio.Barrier(len(subjects))

    async def one(subject: object, seed_: int) -> Outcome:
        session = StreamlitSession(base, think=think, rng=random.Random(seed_))
        failure = None
        try:
            await session.connect()
            await barrier.wait()
            await journey(session, subject)
        except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
            failure = f"{type(error).__name__}: {error}"
            if barrier.n_waiting:
                await barrier.abort()
        finally:
            await session.close()
        return Outcome(session.interactions, session.errors, failure)

    return await asyncio.gather(*(one(subject, number) for number, subject in enumerate(subjects)))
