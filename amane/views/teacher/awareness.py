"""The school's awareness kit: a parents' evening presented on a projector in the families'
language, its printable invitation and one-page summary for families, and a school-assembly plan
for each age band built from a lesson of classroom mode. Nothing typed here is stored."""

from __future__ import annotations

import html
from datetime import date, time

import streamlit as st
from babel.dates import format_date, format_time

from amane.i18n import BABEL_LOCALES, LANGUAGE_NAMES, LANGUAGES, N_, direction, ltr, t, tn
from amane.models.content import BANDS, shuffled_order
from amane.models.guidance import HelpResource
from amane.services import awareness
from amane.services.awareness import AssemblyPlan, FamilySummary, Screen, Starters
from amane.services.rules import MAX_INVITATION_FIELD_LENGTH
from amane.views import state
from amane.views.common import catalogue, lang, local, print_button, public_address

PARTS = {
    "evening": N_("Parents' evening"),
    "invitation": N_("Invitation"),
    "summary": N_("Summary for families"),
    "assembly": N_("Assembly plans"),
}
PRESENTING = "kit_presenting"  # the evening is on the projector (plain state, not a widget)
POSITION = "kit_screen"
LETTERS = "ABCD"
DEFAULT_TIME = time(18, 0)
BLANK = "______________________"  # a field left empty, to fill in by hand


# ---------------------------------------------------------------- HTML, in a given language


def _e(tag: str, text: str, css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<{tag}{attribute}>{html.escape(text)}</{tag}>"


def _list(items: list[str], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(_e("li", item) for item in items) + f"</{tag}>"


def _labelled(items: list[tuple[str, str]]) -> str:
    """A list of "**label**: text" items."""
    rows = "".join(f"<li><b>{html.escape(label)}</b>: {html.escape(text)}</li>" for label, text in items)
    return f"<ul>{rows}</ul>"


def _page(body: str, language: str, css: str) -> str:
    return f'<div class="{css}" dir="{direction(language)}" lang="{language}">{body}</div>'


def _years(band: str, language: str) -> str:
    return t("{band} years", lang=language, band=ltr(band))


def _contacts(resource: HelpResource) -> str:
    reach = ", ".join(c.value for c in resource.contacts if c.kind in ("phone", "web"))
    return f' <span dir="ltr">{html.escape(reach)}</span>' if reach else ""


def _resources(resources: tuple[HelpResource, ...], language: str, purpose: bool = True) -> str:
    items = []
    for resource in resources:
        what = f": {html.escape(resource.purpose.get(language))}" if purpose else ""
        items.append(f"<li><b>{html.escape(resource.name.get(language))}</b>{what}{_contacts(resource)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _starters(starters: tuple[Starters, ...], language: str) -> str:
    parts = []
    for group in starters:
        parts.append(_e("h3", _years(group.band, language)))
        parts.append(_list([question.get(language) for question in group.questions]))
    return "".join(parts)


def _school_first(language: str) -> str:
    return _e(
        "p",
        t(
            "Start with the school: your child's teacher, the head teacher or the listening and "
            "mediation unit.",
            lang=language,
        ),
    )


def _parents_area(language: str) -> str:
    more = t("More short guides for parents, in Arabic, French and English:", lang=language)
    return f'<p>{html.escape(more)} <span dir="ltr">{html.escape(public_address())}/parents</span></p>'


def screen_html(screen: Screen, language: str, number: int, total: int) -> str:
    """One screen of the parents' evening, in large text for a projector."""
    guide = _e("p", screen.guide.get(language), "kit-guide") if screen.guide else ""
    if screen.kind == "opening":
        body = _e("h1", t("Our children online: a parents' evening", lang=language))
        body += _e("p", t("Tonight:", lang=language)) + _list(
            [title.get(language) for title in screen.bullets]
        )
    elif screen.kind == "help":
        body = _e("h2", t("Where to get help", lang=language)) + _school_first(language)
        body += _resources(screen.resources, language)
    elif screen.kind == "more_help":
        body = _e("h2", t("More help and information", lang=language))
        body += _resources(screen.resources, language, purpose=False)
    elif screen.kind == "starters":
        body = guide + _e("h2", t("To try at home", lang=language)) + _starters(screen.starters, language)
    else:
        body = guide + _e("h1" if screen.kind == "guide" else "h2", screen.heading.get(language))
        body += _e("p", screen.body.get(language)) if screen.body else ""
        body += _list([bullet.get(language) for bullet in screen.bullets]) if screen.bullets else ""
    body += f'<p class="kit-count" dir="ltr">{number} / {total}</p>'
    return _page(body, language, "kit-screen")


def invitation_html(
    guide_titles: list[str], language: str, school: str, day: date, hour: time, place: str
) -> str:
    """The invitation, in the families' language; a field left empty prints as a line to fill in."""
    locale = BABEL_LOCALES[language]
    body = _e("p", school.strip(), "kit-school") if school.strip() else ""
    body += _e("h2", t("Invitation to a parents' evening", lang=language))
    body += _e("h3", t("Our children online: the good side, the risks, and how to help", lang=language))
    body += _e("p", t("Dear families,", lang=language))
    body += _e(
        "p",
        t(
            "We invite you to an evening about your children's life online: what they enjoy there, the "
            "signs that something is wrong, what to do if your child tells you something, and where to "
            "get help. No child will be named.",
            lang=language,
        ),
    )
    rows = [
        (t("Date:", lang=language), format_date(day, format="full", locale=locale)),
        (t("Time:", lang=language), format_time(hour, "short", locale=locale)),
        (t("Place:", lang=language), place.strip() or BLANK),
    ]
    cells = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>" for name, value in rows
    )
    body += f'<table class="kit-when">{cells}</table>'
    body += _e("h3", t("What we will talk about", lang=language)) + _list(guide_titles)
    body += _e("p", t("Come with your questions: there will be time to talk together.", lang=language))
    body += _parents_area(language)
    return _page(body, language, "kit-page kit-invitation")


def summary_html(summary: FamilySummary, language: str) -> str:
    """The one page families take home."""
    body = _e("h2", t("Keeping our children safe online: what to remember", lang=language))
    for guide in summary.guides:
        body += _e("h3", guide.title.get(language)) + _e("p", guide.summary.get(language))
    if summary.starters:
        body += _e("h3", t("To try at home", lang=language))
        body += _labelled(
            [(_years(s.band, language), s.questions[0].get(language)) for s in summary.starters]
        )
    body += _e("h3", t("Where to get help", lang=language)) + _school_first(language)
    body += _resources(summary.resources, language)
    body += _parents_area(language)
    return _page(body, language, "kit-page kit-summary")


def _minutes(plan: AssemblyPlan, part: str, language: str) -> str:
    return tn("{n} minute", "{n} minutes", plan.minutes[part], lang=language)


def assembly_html(plan: AssemblyPlan, language: str) -> str:
    """A school-assembly plan from one lesson, for the staff member who leads it."""
    lesson = plan.lesson
    heading = t("School assembly: {title}", lang=language, title=lesson.title.get(language))
    length = tn("About {n} minute", "About {n} minutes", plan.total_minutes, lang=language)
    body = _e("h2", heading) + _e("p", f"{_years(lesson.band, language)} · {length}", "kit-meta")
    sections = [("opening", t("Opening", lang=language), _opening(plan, language))]
    if plan.story:
        title = _e("p", plan.story.title.get(language), "kit-strong") if plan.story.title else ""
        sections.append(
            ("story", t("The story", lang=language), title + _e("p", plan.story.text.get(language)))
        )
    if plan.scenarios:
        sections.append(
            ("scenarios", t("What would you do? A show of hands", lang=language), _scenarios(plan, language))
        )
    discussion = _list([question.get(language) for question in plan.discussion])
    sections.append(("discussion", t("Discussion questions", lang=language), discussion))
    if plan.keywords:
        words = _labelled([(w.term.get(language), w.meaning.get(language)) for w in plan.keywords])
        sections.append(("keywords", t("Key words", lang=language), words))
    closing = _e("p", plan.help_text.get(language)) if plan.help_text else ""
    sections.append(
        (
            "closing",
            t("Closing: where to get help", lang=language),
            closing + _resources(plan.resources, language, purpose=False),
        )
    )
    for number, (part, title, content) in enumerate(sections, start=1):
        body += _e("h3", f"{number}. {title} ({_minutes(plan, part, language)})") + content
    if lesson.teacher_notes.disclosure:
        note = _e("h3", t("If a pupil tells you something", lang=language))
        body += f'<div class="kit-note">{note}{_e("p", lesson.teacher_notes.disclosure.get(language))}</div>'
    return _page(body, language, "kit-page")


def _opening(plan: AssemblyPlan, language: str) -> str:
    objectives = _list([objective.get(language) for objective in plan.lesson.objectives])
    return (
        _e("p", plan.lesson.summary.get(language))
        + _e("p", t("By the end, pupils can say:", lang=language))
        + objectives
    )


def _scenarios(plan: AssemblyPlan, language: str) -> str:
    """Each scenario with its choices lettered as classroom mode shows them in this language, and
    the best one to reveal after the vote."""
    parts = []
    for step in plan.scenarios:
        situation = step.situation.get(language)
        shown = [step.choices[number] for number in shuffled_order(len(step.choices), situation)]
        title = _e("p", step.title.get(language), "kit-strong") if step.title else ""
        choices = "".join(
            f"<li>{letter}. {html.escape(c.text.get(language))}</li>"
            for letter, c in zip(LETTERS, shown, strict=False)
        )
        best_letter, best = next((letter, c) for letter, c in zip(LETTERS, shown, strict=False) if c.best)
        reveal = t("After the vote: {letter} is the best choice.", lang=language, letter=best_letter)
        parts.append(
            title
            + _e("p", situation)
            + _e("p", step.question.get(language), "kit-strong")
            + f'<ul class="kit-choices">{choices}</ul>'
            + _e("p", f"{reveal} {best.consequence.get(language)} {best.explanation.get(language)}")
        )
    return "".join(parts)


# ---------------------------------------------------------------- the page


def _keep_choices() -> None:
    """Streamlit forgets a widget's value in a run that does not draw it (while presenting, or on
    another part of the kit): written back here, the teacher's choices stay. (Buttons, whose value
    cannot be set, have keys with a hyphen.)"""
    for key in [key for key in st.session_state if str(key).startswith("kit_")]:
        st.session_state[key] = st.session_state[key]


def _evening_choices() -> tuple[list[str], str, list[str]]:
    """The guides (in the order chosen), the families' language and the children's ages."""
    content = catalogue()
    guides = {guide.id: guide for guide in awareness.ordered_guides(content)}
    st.session_state.setdefault("kit_guides", awareness.default_guides(content))
    st.session_state.setdefault("kit_language", lang())
    st.session_state.setdefault("kit_bands", list(BANDS))
    chosen = st.multiselect(
        t("Guides, in the order you will present them"),
        list(guides),
        format_func=lambda guide_id: local(guides[guide_id].title),
        key="kit_guides",
    )
    left, right = st.columns(2)
    language = left.selectbox(
        t("The families' language"),
        LANGUAGES,
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="kit_language",
    )
    bands = right.multiselect(
        t("The children's ages"),
        list(BANDS),
        format_func=lambda b: t("{band} years", band=ltr(b)),
        key="kit_bands",
    )
    return chosen, language, bands


def _start_presenting() -> None:
    st.session_state[PRESENTING] = True
    st.session_state[POSITION] = 0


def _stop_presenting() -> None:
    st.session_state[PRESENTING] = False


def _move(step: int, total: int) -> None:
    st.session_state[POSITION] = min(max(st.session_state.get(POSITION, 0) + step, 0), total - 1)


def _evening(guide_ids: list[str], language: str, bands: list[str]) -> None:
    screens = awareness.evening_screens(catalogue(), guide_ids, bands)
    st.caption(
        t("Shown in large text on the projector, without the menu. Nothing is recorded.")
        + " "
        + tn("{n} screen", "{n} screens", len(screens))
    )
    st.button(
        t("Present on the projector"),
        key="kit-start",
        type="primary",
        on_click=_start_presenting,
        disabled=not guide_ids,
    )
    with st.expander(t("Preview the first screen")):
        st.html(screen_html(screens[0], language, 1, len(screens)))


def _present() -> None:
    """The evening on the projector: one screen, Back and Next in the families' language (also on
    Page Up and Page Down, the keys a presentation clicker sends)."""
    guide_ids, language = st.session_state.get("kit_guides", []), st.session_state.get("kit_language", lang())
    screens = awareness.evening_screens(
        catalogue(), guide_ids, st.session_state.get("kit_bands", list(BANDS))
    )
    position = min(st.session_state.get(POSITION, 0), len(screens) - 1)
    with st.container(key="kit-presenting"):
        st.html(screen_html(screens[position], language, position + 1, len(screens)))
        back, stop, forward = st.columns([2, 1, 2])
        back.button(
            t("Back", lang=language),
            key="kit-back",
            on_click=_move,
            args=(-1, len(screens)),
            disabled=position == 0,
            use_container_width=True,
            shortcut="PageUp",  # what a presentation clicker sends
        )
        forward.button(
            t("Next", lang=language),
            key="kit-next",
            type="primary",
            on_click=_move,
            args=(1, len(screens)),
            disabled=position == len(screens) - 1,
            use_container_width=True,
            shortcut="PageDown",
        )
        stop.button(t("Stop presenting"), key="kit-stop", on_click=_stop_presenting, use_container_width=True)


def _invitation(guide_ids: list[str], language: str) -> None:
    st.caption(t("Typed for this printout only: nothing is stored."))
    school = st.text_input(t("School"), key="kit_school", max_chars=MAX_INVITATION_FIELD_LENGTH)
    left, right = st.columns(2)
    day = left.date_input(t("Date"), key="kit_date", format="DD/MM/YYYY")
    st.session_state.setdefault("kit_time", DEFAULT_TIME)
    hour = right.time_input(t("Start time"), key="kit_time", step=900)
    place = st.text_input(
        t("Place"),
        key="kit_place",
        max_chars=MAX_INVITATION_FIELD_LENGTH,
        placeholder=t("e.g. the school library"),
    )
    titles = [guide.title.get(language) for guide in awareness.chosen_guides(catalogue(), guide_ids)]
    print_button(t("Print the invitation"))
    with st.container(key="printable-invitation"):  # only this prints (print.css)
        st.html(invitation_html(titles, language, school, day, hour, place))


def _summary(guide_ids: list[str], language: str, bands: list[str]) -> None:
    summary = awareness.family_summary(catalogue(), guide_ids, bands)
    print_button(t("Print the summary"))
    with st.container(key="printable-summary"):
        st.html(summary_html(summary, language))


def _open_in_classroom(band: str, lesson_id: str) -> None:
    page = st.session_state.get(state.RUN, {}).get("pages", {}).get("present")
    if page is not None and st.button(t("Open this lesson in classroom mode"), key="kit-classroom", icon="📽️"):
        st.session_state["present_band"] = band  # classroom mode's own choices
        st.session_state["present_lesson"] = lesson_id
        st.switch_page(page)


def _assembly() -> None:
    content = catalogue()
    st.caption(
        t(
            "A 30 to 40 minute assembly from one lesson, for the whole school or a year group. Lessons "
            "marked sensitive are left out: they are taught in class, by a teacher who knows the pupils."
        )
    )
    left, middle, right = st.columns(3)
    band = left.selectbox(
        t("Age band"), BANDS, format_func=lambda b: t("{band} years", band=ltr(b)), key="kit_band"
    )
    lessons = awareness.assembly_lessons(content, band)
    if not lessons:
        st.info(t("No lessons for this age band."))
        return
    default = awareness.default_assembly_lesson(content, band)
    ids = [lesson.id for lesson in lessons]
    st.session_state.setdefault(f"kit_lesson_{band}", default.id)
    lesson_id = middle.selectbox(
        t("Lesson"),
        ids,
        format_func=lambda i: local(content.lesson(i).title),
        key=f"kit_lesson_{band}",
    )
    st.session_state.setdefault("kit_assembly_language", lang())
    language = right.selectbox(
        t("Language of the assembly"),
        LANGUAGES,
        format_func=lambda c: LANGUAGE_NAMES[c],
        key="kit_assembly_language",
    )
    plan = awareness.assembly_plan(content, content.lesson(lesson_id))
    _open_in_classroom(band, lesson_id)
    print_button(t("Print the plan"))
    with st.container(key="printable-assembly"):
        st.html(assembly_html(plan, language))


def render() -> None:
    _keep_choices()
    if st.session_state.get(PRESENTING):
        _present()
        return
    st.title(t("Awareness kit"))
    st.caption(t("For a parents' evening and school assemblies, in the families' and the pupils' language."))
    part = st.radio(
        t("Prepare"), list(PARTS), format_func=lambda p: t(PARTS[p]), horizontal=True, key="kit_part"
    )
    if part == "assembly":
        _assembly()
        return
    guide_ids, language, bands = _evening_choices()
    if part == "evening":
        _evening(guide_ids, language, bands)
    elif part == "invitation":
        _invitation(guide_ids, language)
    else:
        _summary(guide_ids, language, bands)
