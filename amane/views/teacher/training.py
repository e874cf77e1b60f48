"""Training: the staff course (issue 16). The list of modules with their status and the next one;
a module player (confidence before, the screens and scenarios, the check with feedback on every
answer, the key points, confidence after); a printable certificate; for admins, the school's
record on a page and as a CSV. `progress_card` puts a staff member's progress on My classes."""

from __future__ import annotations

import html

import streamlit as st

from amane.i18n import N_, direction, fmt_date, ltr, t, tn
from amane.models.content import (
    ExplainStep,
    KeywordsStep,
    MultipleChoice,
    Question,
    ScenarioStep,
    SingleChoice,
    StoryStep,
    TipStep,
    TrueFalse,
    shuffled_order,
)
from amane.models.training import TrainingModule
from amane.services import training
from amane.services.errors import ServiceError
from amane.services.rules import CONFIDENCE_MAX, CONFIDENCE_MIN
from amane.views.common import (
    back,
    catalogue,
    db,
    lang,
    local,
    page_link,
    plain,
    print_button,
    show_error,
    staff,
    when,
)
from amane.views.ordering import ordering_input

# The pupils' renderings of a screen, reused as they are (their texts hold no "you" that would
# speak to an adult as to a child); a question's widgets and feedback are written below for adults.
from amane.views.pupil.player import show_keywords, show_story, show_tips
from amane.views.pupil.quiz import given_answer

MODULE = "amane_training_module"  # the module open in the player (None: the list)
CERTIFICATE = "amane_training_certificate"  # True: the certificate's print view
FEEDBACK = "amane_training_feedback"  # (module id, question id) whose feedback is on screen
REFUSED = "amane_training_refused"  # a service refusal, shown once
UNANSWERED = "amane_training_unanswered"  # Check my answer clicked with no answer
STATUS_NAMES = {
    training.NEW: N_("Not started"),
    training.STARTED: N_("In progress"),
    training.COMPLETED: N_("Completed"),
}
STATUS_ICONS = {training.NEW: "⚪", training.STARTED: "🟡", training.COMPLETED: "✅"}


def _status(status: str) -> str:
    return f"{STATUS_ICONS[status]} {t(STATUS_NAMES[status])}"


def _confidence_label(value: int) -> str:
    if value == CONFIDENCE_MIN:
        return t("{value}: not sure at all", value=value)
    if value == CONFIDENCE_MAX:
        return t("{value}: completely sure", value=value)
    return str(value)


def _confidence(module: TrainingModule, key: str) -> int | None:
    st.markdown(t("How sure are you that you can {skill}?", skill=local(module.skill)))
    return st.radio(
        t("Your answer, from 1 to 5"),
        list(range(CONFIDENCE_MIN, CONFIDENCE_MAX + 1)),
        index=None,
        horizontal=True,
        key=key,
        format_func=_confidence_label,
    )


def _refusal() -> None:
    if error := st.session_state.pop(REFUSED, None):
        show_error(error)


def _open(module_id: str | None) -> None:
    st.session_state[MODULE] = module_id
    st.session_state.pop(FEEDBACK, None)


def _show_certificate(shown: bool) -> None:
    st.session_state[CERTIFICATE] = shown


# ---------------------------------------------------------------- the page


def render() -> None:
    if st.session_state.get(CERTIFICATE):
        _certificate()
        return
    module = catalogue().training_module(st.session_state.get(MODULE) or "")
    if module is not None:
        _player(module)
        return
    st.title(t("Training"))
    st.caption(
        t(
            "Six short modules for teachers and school staff: recognising cyber-violence, "
            "receiving a pupil's disclosure, and passing it on."
        )
    )
    me = staff()
    if me.is_admin:
        mine, school = st.tabs([t("My training"), t("Our school")])
        with mine:
            _my_course()
        with school:
            _school()
    else:
        _my_course()


def _my_course() -> None:
    with db() as session:
        course = training.my_record(session, staff(), catalogue())
    total, done = len(course.modules), len(course.completed)
    if not total:
        st.info(t("The training modules are not installed."))
        return
    done_text = tn("{done} of {n} module completed", "{done} of {n} modules completed", total, done=done)
    st.progress(done / total, text=done_text)
    upcoming = course.next_module
    if upcoming is not None:
        st.markdown(t("Next module: **{title}**", title=local(upcoming.title)))
    if done:
        st.button(t("My certificate"), key="training_certificate", on_click=_show_certificate, args=(True,))
    for item in course.modules:
        _module_card(item, item.module == upcoming)


def _module_card(item: training.ModuleStatus, is_next: bool) -> None:
    module = item.module
    with st.container(border=True, key=f"training-module-{module.id}"):
        st.markdown(f"**{module.order}. {local(module.title)}**")
        st.caption(f"{_status(item.status)} · " + t("{minutes} minutes", minutes=module.minutes))
        st.write(local(module.summary))
        if item.status == training.COMPLETED:
            record = item.record
            st.caption(
                t(
                    "Completed on {date} · check {score}/{total} · confidence {before} → {after}",
                    date=when(record.completed_at),
                    score=record.check_score,
                    total=record.check_max,
                    before=record.confidence_before,
                    after=record.confidence_after,
                )
            )
        label = {
            training.NEW: t("Start"),
            training.STARTED: t("Continue"),
            training.COMPLETED: t("Open again"),
        }[item.status]
        st.button(
            label,
            key=f"training_open_{module.id}",
            type="primary" if is_next else "secondary",
            on_click=_open,
            args=(module.id,),
        )


# ---------------------------------------------------------------- the module player


def _player(module: TrainingModule) -> None:
    st.button(back(t("Training")), key="training_back", on_click=_open, args=(None,))
    st.title(local(module.title))
    with db() as session:
        record = training.module_record(session, staff(), module)
    _refusal()
    if record is None:
        _before(module)
    elif record.completed_at is not None:
        _completed(module, record)
    elif record.step < len(module.steps):
        _screen(module, record.step)
    elif _all_answered(module, record):
        _end(module, record)
    else:
        _check(module, record)


def _all_answered(module: TrainingModule, record: training.TrainingRecord) -> bool:
    showing = st.session_state.get(FEEDBACK)
    return all(q.id in record.answers for q in module.check) and not (showing and showing[0] == module.id)


def _before(module: TrainingModule) -> None:
    st.write(local(module.summary))
    st.markdown("**" + t("At the end of this module:") + "**")
    for objective in module.objectives:
        st.markdown(f"- {local(objective)}")
    st.caption(t("About {minutes} minutes.", minutes=module.minutes))
    with st.container(border=True, key="training-before"):
        st.subheader(t("Before you start"))
        _confidence(module, f"before_{module.id}")
        st.button(
            t("Start the module"), key="training_start", type="primary", on_click=_start, args=(module,)
        )


def _start(module: TrainingModule) -> None:
    rating = st.session_state.get(f"before_{module.id}")
    try:
        with db() as session:
            training.start_module(session, staff(), module, rating)
    except ServiceError as error:
        st.session_state[REFUSED] = error


def _screen(module: TrainingModule, index: int) -> None:
    total = len(module.steps)
    st.progress((index + 1) / total, text=t("Step {step} of {total}", step=index + 1, total=total))
    step = module.steps[index]
    with st.container(border=True, key="training-step"):
        if isinstance(step, (StoryStep, ExplainStep)):
            show_story(step)
        elif isinstance(step, KeywordsStep):
            show_keywords(step)
        elif isinstance(step, ScenarioStep):
            _scenario(module, index, step)
        elif isinstance(step, TipStep):
            show_tips(step)
    previous, _, forward = st.columns([1, 2, 1])
    if index > 0:
        previous.button(
            t("Back"),
            key=f"training_step_back_{index}",
            use_container_width=True,
            on_click=_go,
            args=(module, index, index - 1),
        )
    chose = not isinstance(step, ScenarioStep) or _shown_key(module, index) in st.session_state
    forward.button(
        t("Next") if index < total - 1 else t("To the check"),
        key=f"training_step_next_{index}",
        type="primary",
        use_container_width=True,
        disabled=not chose,
        on_click=_go,
        args=(module, index, index + 1),
    )
    if not chose:
        st.caption(t("Choose what you would do first. Then you can go on."))


def _shown_key(module: TrainingModule, index: int) -> str:
    return f"training_shown_{module.id}_{index}"


def _scenario(module: TrainingModule, index: int, step: ScenarioStep) -> None:
    """Each choice shows what happens next; the best one has no telltale place."""
    if step.title:
        st.subheader(local(step.title))
    st.markdown(local(step.situation))
    st.markdown(f"**{local(step.question)}**")
    for number in shuffled_order(len(step.choices), f"{staff().id}:{module.id}:{index}"):
        st.button(
            local(step.choices[number].text),
            key=f"training_choice_{module.id}_{index}_{number}",
            use_container_width=True,
            on_click=_choose,
            args=(module, index, number),
        )
    shown = st.session_state.get(_shown_key(module, index))
    if shown is not None:
        choice = step.choices[shown]
        box = st.success if choice.best else st.warning
        with st.container(key="scenario-outcome"):
            what_happens = t("What happens:")
            box(f"**{what_happens}** {local(choice.consequence)}\n\n{local(choice.explanation)}")
        if not choice.best:
            st.caption(t("Try another choice to see what would happen."))


def _choose(module: TrainingModule, index: int, number: int) -> None:
    st.session_state[_shown_key(module, index)] = number


def _go(module: TrainingModule, shown: int, target: int) -> None:
    try:
        with db() as session:
            record = training.module_record(session, staff(), module)
            if record is None or record.step != shown:  # a double click: the first one moved on
                return
            training.save_step(session, staff(), module, target)
    except ServiceError as error:
        st.session_state[REFUSED] = error


def _check(module: TrainingModule, record: training.TrainingRecord) -> None:
    st.subheader(t("Check what you know"))
    total = len(module.check)
    showing = st.session_state.get(FEEDBACK)
    if showing and showing[0] == module.id and showing[1] in record.answers:
        question = module.question(showing[1])
        answer = record.answers[question.id]
        st.progress(
            len(record.answers) / total,
            text=t("Question {number} of {total}", number=len(record.answers), total=total),
        )
        st.markdown(f"#### {local(question.prompt)}")
        with st.container(key="training-feedback"):
            feedback(question, answer)
        st.button(
            t("Next"),
            key=f"training_next_{question.id}",
            type="primary",
            on_click=_next_question,
            args=(module, question),
        )
        return
    question = next(q for q in module.check if q.id not in record.answers)
    number = len(record.answers) + 1
    st.progress(
        len(record.answers) / total, text=t("Question {number} of {total}", number=number, total=total)
    )
    key = f"training_q_{module.id}_{question.id}"
    st.markdown(f"#### {local(question.prompt)}")
    with st.container(key="quiz-answer"):  # pupil.css: big, fully tappable option rows
        _widgets(question, key, question.display_order(f"{staff().id}:{module.id}:{question.id}"))
    if st.session_state.pop(UNANSWERED, None) == key:
        st.warning(t("Please answer before checking."))
    st.button(
        t("Check my answer"),
        key=f"{key}_check",
        type="primary",
        on_click=_answer,
        args=(module, question, key),
    )


def _widgets(question: Question, key: str, order: list[int]) -> None:
    """The question's input, its options in `order` (the same for a staff member on every run)."""
    if isinstance(question, SingleChoice):
        options = [question.options[index] for index in order]
        st.radio(
            t("Choose the best answer"), options, index=None, key=key, format_func=lambda o: local(o.text)
        )
    elif isinstance(question, MultipleChoice):
        st.caption(t("Select every right answer."))
        for index in order:
            st.checkbox(local(question.options[index].text), key=f"{key}_{question.options[index].id}")
    elif isinstance(question, TrueFalse):
        st.radio(
            t("True or false?"),
            [True, False],
            index=None,
            key=key,
            horizontal=True,
            format_func=lambda v: t("True") if v else t("False"),
        )
    else:
        ordering_input([local(item) for item in question.items], order, key)


def feedback(question: Question, answer: list) -> None:
    """Right or not, why, and the right answer: the feedback the content gives every option."""
    right = question.grade(answer)
    (st.success if right else st.warning)(t("Right.") if right else t("Not quite."))
    if isinstance(question, (SingleChoice, MultipleChoice)):
        chosen = [option for option in question.options if option.id in answer]
        missed = [option for option in question.options if option.correct and option.id not in answer]
        notes = [(o, t("your answer")) for o in chosen] + [(o, t("the right answer")) for o in missed]
        for option, note in notes:
            mark = "✅" if option.correct else "❌"
            st.markdown(f"{mark} **{local(option.text)}** ({note}): {local(option.feedback)}")
    elif isinstance(question, TrueFalse):
        truth = t("The answer is: true.") if question.answer else t("The answer is: false.")
        st.markdown(f"**{truth}** {local(question.explanation)}")
    else:
        st.markdown("**" + t("The right order:") + "**")
        for index, item in enumerate(question.items, start=1):
            st.markdown(f"{index}. {local(item)}")
        st.write(local(question.explanation))


def _answer(module: TrainingModule, question: Question, key: str) -> None:
    if st.session_state.get(FEEDBACK) == (module.id, question.id):
        return
    answer = given_answer(question, key)  # the pupils' quiz reads its widgets the same way
    if answer is None:
        st.session_state[UNANSWERED] = key
        return
    try:
        with db() as session:
            training.answer_question(session, staff(), module, question, answer)
    except ServiceError as error:
        st.session_state[REFUSED] = error
        return
    st.session_state[FEEDBACK] = (module.id, question.id)


def _next_question(module: TrainingModule, question: Question) -> None:
    if st.session_state.get(FEEDBACK) == (module.id, question.id):
        st.session_state.pop(FEEDBACK)


def key_points(module: TrainingModule) -> None:
    """The module's key points, as a card (also the help inbox's disclosure guidance)."""
    with st.container(border=True, key=f"training-key-points-{module.id}"):
        st.subheader(t("Key points"))
        for point in module.key_points:
            st.markdown(f"- {local(point)}")


def _end(module: TrainingModule, record: training.TrainingRecord) -> None:
    score = sum(
        module.question(qid).grade(answer) for qid, answer in record.answers.items() if module.question(qid)
    )
    st.success(t("Check done: {score} of {total} right.", score=score, total=len(module.check)))
    key_points(module)
    with st.container(border=True, key="training-after"):
        st.subheader(t("And now?"))
        _confidence(module, f"after_{module.id}")
        st.caption(t("Before the module you answered {before}.", before=record.confidence_before))
        st.button(
            t("Complete the module"),
            key="training_complete",
            type="primary",
            on_click=_complete,
            args=(module,),
        )


def _complete(module: TrainingModule) -> None:
    rating = st.session_state.get(f"after_{module.id}")
    try:
        with db() as session:
            training.complete_module(session, staff(), module, rating)
    except ServiceError as error:
        st.session_state[REFUSED] = error


def _completed(module: TrainingModule, record: training.TrainingRecord) -> None:
    st.success(
        t(
            "Module completed on {date}. Check: {score} of {total}. Your confidence: {before} → {after}.",
            date=when(record.completed_at),
            score=record.check_score,
            total=record.check_max,
            before=record.confidence_before,
            after=record.confidence_after,
        )
    )
    key_points(module)
    with st.expander(t("Read the module again")):
        for step in module.steps:
            if isinstance(step, (StoryStep, ExplainStep)):
                show_story(step)
            elif isinstance(step, KeywordsStep):
                show_keywords(step)
            elif isinstance(step, TipStep):
                show_tips(step)
            elif isinstance(step, ScenarioStep):
                st.markdown(local(step.situation))
                for choice in step.choices:
                    mark = "✅" if choice.best else "➖"
                    st.markdown(f"{mark} **{local(choice.text)}**: {local(choice.consequence)}")
    left, right = st.columns(2)
    left.button(
        t("My certificate"), key="training_certificate_done", on_click=_show_certificate, args=(True,)
    )
    right.button(t("Back to the modules"), key="training_done", type="primary", on_click=_open, args=(None,))


# ---------------------------------------------------------------- the certificate


CERTIFICATE_HTML = """<div dir="{dir}" lang="{lang}" style="max-width:760px;margin:auto;padding:2rem;
border:3px double #1f5fa8;border-radius:12px;background:#fff;color:#1a1a1a;line-height:1.6;
text-align:center">{body}</div>"""


def certificate_html(cert: training.Certificate, language: str) -> str:
    """The certificate in the staff member's language."""
    cell = "<td style='padding:.3rem .8rem'>{}</td>"
    rows = "".join(
        "<tr>"
        + cell.format(html.escape(module.title.get(language)))
        + cell.format(html.escape(fmt_date(done)))
        + "</tr>"
        for module, done in cert.completed
    )
    title = t("Staff training certificate", lang=language)
    course = t("Amane: online safety at school", lang=language)
    school = t("School: {school}", lang=language, school=cert.school)
    completed = t("has completed these modules of the staff course:", lang=language)
    module_heading, date_heading = t("Module", lang=language), t("Completed", lang=language)
    head = "<th style='padding:.3rem .8rem'>{}</th>"
    parts = [
        f"<h2>{html.escape(title)}</h2>",
        f"<p>{html.escape(course)}</p>",
        f"<p style='font-size:1.6rem;margin:1rem 0'><b>{html.escape(cert.name)}</b></p>",
        f"<p>{html.escape(school)}</p>",
        f"<p>{html.escape(completed)}</p>",
        "<table style='margin:auto;border-collapse:collapse'><tr>"
        + head.format(html.escape(module_heading))
        + head.format(html.escape(date_heading))
        + f"</tr>{rows}</table>",
    ]
    return CERTIFICATE_HTML.format(dir=direction(language), lang=language, body="".join(parts))


def _certificate() -> None:
    st.button(back(t("Training")), key="certificate_back", on_click=_show_certificate, args=(False,))
    st.title(t("My certificate"))
    with db() as session:
        cert = training.certificate(session, staff(), catalogue())
    if not cert.completed:
        st.info(t("Complete a module to get your certificate."))
        return
    print_button(t("Print the certificate"))
    with st.container(key="printable-certificate"):  # only this prints (print.css)
        st.html(certificate_html(cert, lang()))


# ---------------------------------------------------------------- the admin's view


def _change(record: training.TrainingRecord) -> str:
    """Confidence before → after, kept left to right in Arabic (else it reads after → before)."""
    return ltr(f"{record.confidence_before} → {record.confidence_after or '…'}")


def _school() -> None:
    content = catalogue()
    with db() as session:
        rows = training.school_record(session, staff(), content)
    modules = content.training_modules()
    st.subheader(t("Who has completed which module"))
    for module in modules:
        done = sum(1 for row in rows if (r := row.records.get(module.id)) and r.completed_at)
        st.markdown(
            f"- {module.order}. {local(module.title)}: " + t("{done} of {total}", done=done, total=len(rows))
        )
    table = [
        {
            t("Staff member"): plain(row.name) + ("" if row.active else " (" + t("disabled") + ")"),
            t("Module"): local(module.title),
            t("Status"): _status(record.status),
            t("Completed"): when(record.completed_at),
            t("Confidence before → after"): _change(record),
            t("Check score"): f"{record.check_score}/{record.check_max}" if record.check_max else "",
        }
        for row in rows
        for module in modules
        if (record := row.records.get(module.id))
    ]
    if table:
        import pandas as pd  # here, not at the top, as on Class progress: only this view needs it

        st.table(pd.DataFrame(table).set_index(t("Staff member")))
    else:
        st.info(t("No one has started a module yet."))
    not_started = [plain(row.name) for row in rows if not row.records]
    if not_started:
        st.caption(t("Not started yet: {names}", names=", ".join(not_started)))
    actor, language = staff(), lang()

    def record_csv() -> str:  # made when the button is clicked (the export is audited)
        with db() as session:
            return training.school_record_csv(session, actor, content, language)

    st.download_button(
        t("Download the school's record (CSV)"),
        data=record_csv,
        file_name="amane-staff-training.csv",
        mime="text/csv",
        key="training_csv",
    )


# ---------------------------------------------------------------- My classes


def progress_card() -> None:
    """The staff member's own progress and next module, for their home page (My classes)."""
    with db() as session:
        course = training.my_record(session, staff(), catalogue())
    if not course.modules:
        return
    upcoming = course.next_module
    with st.container(border=True, key="training-progress"):
        done, total = len(course.completed), len(course.modules)
        line = tn(
            "Staff training: {done} of {n} module completed.",
            "Staff training: {done} of {n} modules completed.",
            total,
            done=done,
        )
        if upcoming is not None:
            line += " " + t("Next: {title}", title=local(upcoming.title))
        st.markdown(line)
        page_link("training", t("Training"), "🎓")
