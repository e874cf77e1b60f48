"""Impact: what a class knew before its first lesson and after its last, per topic, with how many
pupils took both checks (issue 17, item 1); for the admin, the school by age band. A one-page
printable report with charts, and a CSV."""

from __future__ import annotations

import streamlit as st

from amane.i18n import current_language, ltr, t, tn
from amane.services import impact
from amane.views import charts
from amane.views.common import catalogue, db, plain, print_button, staff
from amane.views.labels import TOPIC_NAMES
from amane.views.teacher.picker import class_picker

BEFORE_COLOUR, AFTER_COLOUR = "#9db4d0", "#1f5fa8"


def topic_name(topic: str) -> str:
    return t(TOPIC_NAMES.get(topic, topic))


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"  # the same sign in the three languages


def _gain(value: int | None) -> str:
    return "—" if value is None else ltr(f"{value:+d}")  # the sign stays before the number in Arabic


def _chart(summary: impact.ImpactSummary, key: str) -> None:
    """Before and after per topic, side by side (Plotly, imported only when drawn)."""
    names = [topic_name(row.topic) for row in summary.topics]
    series = (
        (t("Before"), BEFORE_COLOUR, [row.before or 0 for row in summary.topics]),
        (t("After"), AFTER_COLOUR, [row.after or 0 for row in summary.topics]),
    )
    heading = t("Right answers per topic, before and after (%)")
    layout = charts.layout(heading, "", t("% right"), height=420)
    layout.update(
        showlegend=True,
        barmode="group",
        yaxis={**layout["yaxis"], "range": [0, 100]},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 1.02, "yanchor": "bottom"},
        margin={**layout["margin"], "t": 90, "b": 110},  # legend under the title; topic names in full
    )
    figure = {
        "data": [
            {"type": "bar", "name": name, "x": names, "y": values, "marker": {"color": colour}}
            for name, colour, values in series
        ],
        "layout": layout,
    }
    charts.plotly_chart(figure, key=f"impact-chart-{key}", alt=heading)


def _table(summary: impact.ImpactSummary) -> None:
    header = [t("Topic"), t("Before"), t("After"), t("Gain (points)"), t("Pupils who took both")]
    rows = [
        [
            topic_name(row.topic) if row.topic else t("All topics"),
            _percent(row.before),
            _percent(row.after),
            _gain(row.gain),
            row.pupils,
        ]
        for row in [*summary.topics, summary.overall]
    ]
    charts.show(charts.table(header, rows, label=t("Before, after and gain per topic")))


def _counts(summary: impact.ImpactSummary) -> None:
    st.write(
        tn(
            "{n} pupil took both checks: the figures are theirs.",
            "{n} pupils took both checks: the figures are theirs.",
            summary.both,
        )
    )
    if summary.only_before or summary.only_after:
        st.caption(
            t(
                "Counted apart, not in the figures: {before} took the check before only (the check after "
                "comes once every lesson is done), {after} the check after only.",
                before=summary.only_before,
                after=summary.only_after,
            )
        )


def show_summary(summary: impact.ImpactSummary, key: str) -> None:
    """The figures of one class or band: the whole, then per topic, chart and table."""
    if not summary.both:
        st.info(
            t(
                "No pupil has taken both checks yet. Pupils answer the check on My lessons before "
                "their first lesson, and again once their last lesson is done."
            )
        )
        _counts(summary)
        return
    before, after, gain = st.columns(3)
    before.metric(t("Before"), _percent(summary.overall.before))
    after.metric(t("After"), _percent(summary.overall.after))
    gain.metric(t("Gain (points)"), _gain(summary.overall.gain))
    _counts(summary)
    _chart(summary, key)
    _table(summary)


def _class_report() -> None:
    chosen = class_picker(include_archived=True, here="impact")
    if chosen is None:
        return
    actor, content, language = staff(), catalogue(), current_language()
    with db() as session:
        summary = impact.class_summary(session, actor, chosen.id, content)
    with st.container(key="printable-impact"):
        st.subheader(t("Impact report: {name}", name=plain(chosen.name)))
        show_summary(summary, f"class-{chosen.id}")

    def class_csv() -> str:
        with db() as session:
            return impact.class_csv(session, actor, chosen.id, content, language, topic_name)

    left, right = st.columns(2)
    with left:
        print_button(t("Print the impact report"))
    right.download_button(
        t("Download this table (CSV)"),
        data=class_csv,
        mime="text/csv",
        file_name=f"amane-impact-{chosen.id}.csv",
        key="impact_csv",
    )


def _school_report() -> None:
    actor, content, language = staff(), catalogue(), current_language()
    with db() as session:
        bands = impact.school_summary(session, actor, content)
    if not bands:
        st.info(t("No pupil of the school has taken the check yet."))
        return
    with st.container(key="printable-impact-school"):
        st.subheader(t("Impact report: the school"))
        for band in bands:
            st.markdown("#### " + t("{band} years", band=ltr(band.band)))
            show_summary(band.summary, f"band-{band.band}")

    def school_csv() -> str:
        with db() as session:
            return impact.school_csv(session, actor, content, language, topic_name)

    st.download_button(
        t("Download this table (CSV)"),
        data=school_csv,
        mime="text/csv",
        file_name="amane-impact-school.csv",
        key="impact_school_csv",
    )


def render() -> None:
    st.title(t("Impact"))
    st.caption(
        t(
            "The same short check before the first lesson and after the last: what pupils know per "
            "topic, before and after. Only pupils who took both are compared."
        )
    )
    if staff().is_admin:
        one_class, school = st.tabs([t("A class"), t("The school, by age band")])
        with one_class:
            _class_report()
        with school:
            _school_report()
    else:
        _class_report()
