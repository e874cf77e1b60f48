"""Take-home letter: a printable page for families, in the class's language."""

from __future__ import annotations

import html

import streamlit as st

from amane.i18n import direction, t
from amane.models.content import Lesson
from amane.views.common import catalogue, local, print_button, public_address
from amane.views.teacher.picker import class_picker

LETTER_HTML = """<div dir="{dir}" lang="{lang}" style="max-width:760px;margin:auto;padding:1.5rem;
border:1px solid #ccc;border-radius:12px;background:#fff;color:#1a1a1a;line-height:1.6">{body}</div>"""


def _starters(lesson: Lesson, lang: str) -> list[str]:
    """Three conversation starters: from guides on the lesson's topic and age, then any for the age,
    then the lesson's own discussion prompts."""
    content = catalogue()
    guides = sorted(content.guides.values(), key=lambda guide: guide.order)
    found: list[str] = []
    on_topic = [g for g in guides if lesson.topic in g.topics]
    for guide in on_topic + [g for g in guides if g not in on_topic]:
        found += [s.get(lang) for s in guide.conversation_starters.get(lesson.band, [])]
    found += [prompt.get(lang) for prompt in lesson.teacher_notes.discussion]
    return list(dict.fromkeys(found))[:3]


def _element(tag: str, text: str) -> str:
    return f"<{tag}>{html.escape(text)}</{tag}>"


def letter_html(lesson: Lesson, lang: str, parents_url: str) -> str:
    """The letter in `lang`, whatever language the teacher reads the page in."""
    content = catalogue()
    parts = [
        _element("h2", t("What we learned at school: {title}", lang=lang, title=lesson.title.get(lang))),
        _element("p", lesson.summary.get(lang)),
        _element("h3", t("Your child can now say:", lang=lang)),
        "<ul>" + "".join(_element("li", objective.get(lang)) for objective in lesson.objectives) + "</ul>",
        _element("h3", t("Three questions to talk about at home", lang=lang)),
        "<ol>" + "".join(_element("li", starter) for starter in _starters(lesson, lang)) + "</ol>",
        _element("h3", t("Where to get help", lang=lang)),
        "<ul>",
    ]
    if content.help:
        for resource in content.help.resources:
            if "parent" in resource.audience and resource.for_band(lesson.band) and resource.contacts:
                reach = ", ".join(c.value for c in resource.contacts if c.kind in ("phone", "web"))
                contacts = html.escape(reach)
                name, purpose = html.escape(resource.name.get(lang)), html.escape(resource.purpose.get(lang))
                parts.append(f"<li><b>{name}</b>: {purpose} <span dir='ltr'>{contacts}</span></li>")
    parts.append("</ul>")
    more = t("More short guides for parents, in Arabic, French and English:", lang=lang)
    parts.append(f"<p>{html.escape(more)} <span dir='ltr'>{html.escape(parents_url)}</span></p>")
    return LETTER_HTML.format(dir=direction(lang), lang=lang, body="".join(parts))


def render() -> None:
    st.title(t("Take-home letter"))
    st.caption(t("A page for families about a lesson, in the class's language. Print it from the browser."))
    school_class = class_picker()
    if school_class is None:
        return
    content = catalogue()
    lessons = content.lessons_for_band(school_class.age_band)
    lesson_id = st.selectbox(
        t("Lesson"),
        [lesson.id for lesson in lessons],
        format_func=lambda i: local(content.lesson(i).title),
        key="letter_lesson",
    )
    print_button(t("Print the letter"))
    with st.container(key="printable-letter"):  # only this prints (print.css)
        st.html(letter_html(content.lesson(lesson_id), school_class.language, f"{public_address()}/parents"))
