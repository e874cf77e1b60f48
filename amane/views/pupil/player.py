"""The lesson player: one step per screen, back and next, scenarios with consequences."""

from __future__ import annotations

import html
import json
import uuid
from collections.abc import Callable

import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx

from amane.clock import utcnow
from amane.i18n import current_language, set_language, t
from amane.models.content import (
    ExplainStep,
    HelpStep,
    KeywordsStep,
    Lesson,
    LocalText,
    ScenarioStep,
    StoryStep,
    TipStep,
)
from amane.services import classes, progress
from amane.views import state
from amane.views.common import (
    back,
    catalogue,
    db,
    lang,
    local,
    pupil,
    pupil_gone_idle,
    show_points,
    svg_image,
)
from amane.views.widgets import resource_card

SPEECH_LANG = {"ar": "ar", "fr": "fr-FR", "en": "en-GB"}
CHOOSE_FIRST = "amane_choose_first"  # (lesson id, step) where Next was tapped before any choice
SCROLL_TO_NEXT = "amane_scroll_to_next"  # set by a scenario choice: bring Next into view once


LISTEN_HTML = """
<button id="listen" aria-label="{label}" style="font-size:1.1rem;min-height:44px;min-width:44px;
  padding:.4rem 1rem;border-radius:.5rem;border:1px solid #666;background:#fff;color:#1a1a1a;
  cursor:pointer">🔊 {label}</button>
<span id="message" role="status" style="font-family:sans-serif;font-size:.9rem;margin:0 .5rem"></span>
<script>
const text = {text}, lang = {lang}, noVoice = {no_voice};
document.getElementById("listen").onclick = () => {{
  const synth = window.speechSynthesis;
  const voices = synth ? synth.getVoices() : [];
  const hasVoice = voices.some(v => (v.lang || "").toLowerCase().startsWith(lang.slice(0, 2)));
  if (!synth || (voices.length && !hasVoice)) {{
    document.getElementById("message").textContent = noVoice;
    return;
  }}
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = lang;
  synth.speak(utterance);
}};
</script>
"""


def listen_button(text: str) -> None:
    """Reads the screen aloud with the browser's speech synthesis, in the current language;
    says so plainly when the device has no voice for that language."""
    components.html(
        LISTEN_HTML.format(
            label=html.escape(t("Listen")),
            text=json.dumps(text).replace("</", "<\\/"),
            lang=json.dumps(SPEECH_LANG[current_language()]),
            no_voice=json.dumps(
                t("This device has no voice for this language. Ask an adult to read with you.")
            ),
        ),
        height=52,
    )


# After a choice the consequence can push Next below the fold (a tablet at 768 px): scroll just
# enough to show Next, never past the top of the consequence. The comment makes each choice's
# script new, or the browser would keep the iframe of the previous one and not run it again.
SCROLL_HTML = """<script>
// {nonce}
const doc = parent.document;
const next = doc.querySelector(".st-key-{next_key} button");
const outcome = doc.querySelector(".st-key-scenario-outcome");
if (next) {{
  next.scrollIntoView({{block: "nearest"}});
  if (outcome && outcome.getBoundingClientRect().top < 0) outcome.scrollIntoView({{block: "start"}});
}}
</script>"""


def _scroll_to_next(nonce: str, next_key: str) -> None:
    with st.container(key="amane-script-scroll"):  # hidden by base.css
        components.html(SCROLL_HTML.format(nonce=nonce, next_key=next_key), height=0)


def _texts(*items: LocalText | None) -> str:
    return "\n".join(local(item) for item in items if item is not None)


def show_story(step: StoryStep | ExplainStep) -> str:
    if step.title:
        st.subheader(local(step.title))
    if step.illustration:
        svg_image(step.illustration.file, local(step.illustration.alt))
    st.markdown(local(step.text))
    points = getattr(step, "points", [])
    show_points(points)
    return _texts(step.title, step.text, *points)


def show_keywords(step: KeywordsStep) -> str:
    st.subheader(local(step.title) if step.title else t("Key words"))
    columns = st.columns(min(len(step.words), 3))
    for index, word in enumerate(step.words):
        with columns[index % len(columns)].container(border=True):
            st.markdown(f"### {local(word.term)}")
            st.write(local(word.meaning))
    return _texts(step.title, *[item for word in step.words for item in (word.term, word.meaning)])


def _scenario(lesson: Lesson, index: int, step: ScenarioStep) -> tuple[str, bool]:
    """The scenario, and whether the pupil has tried a choice (before that, Next asks for one)."""
    me = pupil()
    if step.title:
        st.subheader(local(step.title))
    if step.illustration:
        svg_image(step.illustration.file, local(step.illustration.alt))
    st.markdown(local(step.situation))
    st.markdown(f"**{local(step.question)}**")
    with db() as session:
        tried = progress.tried_choices(session, me, lesson.id, index)
    # Shuffled per pupil and lesson, so the best choice has no telltale place; a tried choice is
    # marked as tried, never with a tick a child would read as "right".
    for number in progress.choice_order(me, lesson.id, index, len(step.choices)):
        choice = step.choices[number]
        tried_mark = " (" + t("already tried") + ")" if number in tried else ""
        st.button(
            local(choice.text) + tried_mark,
            key=f"choice_{lesson.id}_{index}_{number}",
            use_container_width=True,
            on_click=_choose,
            args=(lesson.id, index, number),
        )
    shown = st.session_state.get(f"shown_{lesson.id}_{index}")
    if shown is not None:
        choice = step.choices[shown]
        box = st.success if choice.best else st.warning
        what_happens = t("What happens:")
        with st.container(key="scenario-outcome"):
            box(f"**{what_happens}** {local(choice.consequence)}\n\n{local(choice.explanation)}")
    # One invitation to explore, not two: after a weaker choice, try another; after the best one,
    # the others are there to see what would have happened.
    if shown is not None and not step.choices[shown].best:
        st.caption(t("You can try another choice."))
    elif shown is not None and len(tried) < len(step.choices):
        st.caption(t("You can try the other choices to see what would happen."))
    return _texts(step.situation, step.question, *[c.text for c in step.choices]), bool(tried)


def show_tips(step: TipStep) -> str:
    st.subheader(local(step.title) if step.title else t("Tips"))
    for tip in step.tips:
        st.markdown(f"- 💡 {local(tip)}")
    return _texts(step.title, *step.tips)


def _help(step: HelpStep) -> str:
    st.subheader(local(step.title) if step.title else t("Who can help me?"))
    st.markdown(local(step.text))
    directory = catalogue().help
    resources = {r.id: r for r in directory.resources} if directory else {}
    for resource_id in step.resources:
        if resource_id in resources:
            resource_card(resources[resource_id])
    return _texts(step.title, step.text)


def in_own_run() -> bool:
    """Whether this is a fragment's own run (a click inside it), in which app.py does not run."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def check_click() -> None:
    """At the start of a pupil fragment's own run, what app.py does at every run: the language of
    this run, the idle sign-out (20 minutes: whoever clicks may be someone else), and signing out
    at once a pupil deleted or whose class was archived. Those two need the whole page: app.py
    then signs the pupil out."""
    if not in_own_run():
        return
    set_language(lang())
    if pupil_gone_idle():
        st.rerun()
    with db() as session:
        still = classes.current_pupil(session, pupil())
    if still is None:
        st.rerun()
    st.session_state[state.PUPIL] = still
    st.session_state[state.LAST_ACTIVITY] = utcnow()


def render(lesson: Lesson, on_quiz: Callable[[], None], on_close: Callable[[], None]) -> None:
    key = f"step_{lesson.id}"
    if key not in st.session_state:
        with db() as session:
            st.session_state[key] = progress.current_step(session, pupil(), lesson.id)
            progress.save_step(session, pupil(), lesson.id, st.session_state[key], len(lesson.steps))
    _player(lesson, on_quiz, on_close)


# A click on Next, Back or a scenario's choice reruns this fragment alone: not app.py's top bar,
# menu, style sheets and checks (check_click does those a click needs), and the browser redraws
# the lesson alone. Leaving the lesson (Finish, My lessons) reruns the whole page.
@st.fragment
def _player(lesson: Lesson, on_quiz: Callable[[], None], on_close: Callable[[], None]) -> None:
    check_click()
    key = f"step_{lesson.id}"
    if key not in st.session_state:  # the lesson was left in another way: the page knows where to
        st.rerun()
    total = len(lesson.steps)
    index = min(st.session_state[key], total - 1)
    st.button(back(t("My lessons")), key="back_to_list", on_click=_close, args=(lesson, on_close))
    st.title(local(lesson.title))
    st.progress((index + 1) / total, text=t("Step {step} of {total}", step=index + 1, total=total))
    step = lesson.steps[index]
    chose = True  # only a scenario asks for a choice before Next
    with st.container(border=True, key="lesson-step"):
        if isinstance(step, (StoryStep, ExplainStep)):
            spoken = show_story(step)
        elif isinstance(step, KeywordsStep):
            spoken = show_keywords(step)
        elif isinstance(step, ScenarioStep):
            spoken, chose = _scenario(lesson, index, step)
        elif isinstance(step, TipStep):
            spoken = show_tips(step)
        else:
            spoken = _help(step)
    listen_button(spoken)
    if st.session_state.pop(CHOOSE_FIRST, None) == (lesson.id, index):
        st.info("👆 " + t("First tap what you would do. Then you can go on."))
    previous, _, forward = st.columns([1, 2, 1])
    # Callbacks run before the page does, so a click costs one run, not two (the load test's
    # most frequent interaction). Keys carry the step, and the callbacks act only if that step is
    # still on screen: the second click of a double click changes nothing.
    if index > 0:
        previous.button(
            t("Back"),
            key=f"step_back_{index}",
            use_container_width=True,
            on_click=_go,
            args=(lesson, index, index - 1),
        )
    last = index == total - 1
    forward.button(
        t("Finish the lesson") if last else t("Next"),
        key=f"step_next_{index}",
        type="primary",
        use_container_width=True,
        on_click=_finish if last else _go,
        args=(lesson, index, on_quiz, chose) if last else (lesson, index, index + 1, chose),
    )
    if nonce := st.session_state.pop(SCROLL_TO_NEXT, None):
        _scroll_to_next(nonce, f"step_next_{index}")


def _choose(lesson_id: str, index: int, number: int) -> None:
    if pupil_gone_idle():
        st.rerun()  # the whole page, which signs the pupil out
    with db() as session:
        progress.record_choice(session, pupil(), lesson_id, index, number)
    st.session_state[f"shown_{lesson_id}_{index}"] = number
    st.session_state[SCROLL_TO_NEXT] = uuid.uuid4().hex


def _close(lesson: Lesson, on_close: Callable[[], None]) -> None:
    st.session_state.pop(f"step_{lesson.id}", None)
    on_close()
    st.rerun()  # the whole page: My lessons


def _chose_first(lesson: Lesson, shown: int, chose: bool) -> bool:
    """Whether the pupil may leave this step; if not, the page asks kindly for a choice."""
    if not chose:
        st.session_state[CHOOSE_FIRST] = (lesson.id, shown)
    return chose


def _go(lesson: Lesson, shown: int, target: int, chose: bool = True) -> None:
    key = f"step_{lesson.id}"
    if pupil_gone_idle():
        st.rerun()  # the whole page, which signs the pupil out
    if st.session_state.get(key) != shown:
        return
    if target > shown and not _chose_first(lesson, shown, chose):
        return
    with db() as session:
        progress.save_step(session, pupil(), lesson.id, target, len(lesson.steps))
    st.session_state[key] = target


def _finish(lesson: Lesson, shown: int, on_quiz: Callable[[], None], chose: bool) -> None:
    key = f"step_{lesson.id}"
    if pupil_gone_idle():
        st.rerun()  # the whole page, which signs the pupil out
    if st.session_state.get(key) != shown or not _chose_first(lesson, shown, chose):
        return
    with db() as session:
        progress.complete_lesson(session, pupil(), lesson.id, len(lesson.steps))
    st.session_state.pop(key, None)
    st.session_state[state.LESSON_DONE] = lesson.id
    on_quiz()
    st.rerun()  # the whole page: the quiz
