"""Charts and tables for the teachers' pages, drawn as HTML (bars are styled boxes), and Plotly
for a chart that really needs it.

Why: a page that sends one Plotly chart makes the browser fetch and run Plotly's 4.6 MB bundle
(1.2 s of script on a school laptop), and the server import Plotly (and st.table, pandas: +81
MiB) and validate every figure. Bars, a coloured grid and tables need none of it, print as they
show and follow the page's direction (right to left in Arabic). A chart that needs zoom, hover
over many points or a real axis goes through `plotly_chart`: Plotly is imported only when one is
drawn (tests/ui/test_dashboard_pages.py pins that the dashboard imports neither Plotly nor pandas).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from amane.i18n import direction
from amane.settings import PACKAGE
from amane.views import state

STYLESHEET = PACKAGE / "static" / "css" / "charts.css"


@functools.cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def show(markup: str) -> None:
    """HTML of this module on the page, with its stylesheet the first time in a run."""
    run = st.session_state.setdefault(state.RUN, {})
    if not run.get("charts_css"):
        run["charts_css"] = True
        st.html(f"<style>{_stylesheet()}</style>")
    st.html(markup)


def _figure(inner: str, label: str, css_class: str, style: str = "") -> str:
    """A chart's outer box: the page's direction, and a label for screen readers."""
    style_attribute = f' style="{style}"' if style else ""
    return (
        f'<div dir="{direction()}" role="figure" aria-label="{escape(label)}" '
        f'class="amane-chart {css_class}"{style_attribute}>{inner}</div>'
    )


def _title(text: str) -> str:
    return f'<div class="amane-chart-title">{escape(text)}</div>'


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and a class of charts.css (e.g. a lesson status's colours)."""

    text: str
    css_class: str = ""


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | int | Cell]],
    label: str = "",
    row_headers: bool = False,
) -> str:
    """An HTML table (escaped cells); `row_headers` makes each row's first cell its header (a
    pupil's name)."""

    def cell(value: str | int | Cell, header_cell: bool) -> str:
        value = value if isinstance(value, Cell) else Cell(str(value))
        if header_cell:
            return f'<th scope="row">{escape(value.text)}</th>'
        css_class = f' class="{value.css_class}"' if value.css_class else ""
        return f"<td{css_class}>{escape(value.text)}</td>"

    head = "".join(f'<th scope="col">{escape(text)}</th>' for text in header)
    body = "".join(
        "<tr>" + "".join(cell(value, row_headers and i == 0) for i, value in enumerate(row)) + "</tr>"
        for row in rows
    )
    aria = f' aria-label="{escape(label)}"' if label else ""
    return (
        f'<div class="amane-chart amane-table-box"><table{aria} dir="{direction()}" class="amane-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


# ---------------------------------------------------------------- bars


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float  # 0-100: the bar's length
    text: str  # what the bar says (e.g. "12/30 · 40%")


def bars(heading: str, rows: Sequence[Bar], colour: str, label_header: str, value_header: str) -> str:
    """Horizontal bars, one a row, labels beside their bar (long titles wrap), 0-100%."""
    head = f"<div><span>{escape(label_header)}</span><span>{escape(value_header)}</span></div>"
    body = "".join(
        f"<div><span>{escape(row.label)}</span>"
        f'<b><i><i style="width:{max(0.0, min(100.0, row.percent)):.1f}%"></i></i>'
        f"<span>{escape(row.text)}</span></b></div>"
        for row in rows
    )
    return _figure(
        _title(heading) + f'<div class="amane-bars">{head}{body}</div>', heading, "", f"--bar:{colour}"
    )


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[int]


def columns(heading: str, labels: Sequence[str], series: Sequence[Series], value_name: str) -> str:
    """Grouped vertical bars, a group per label (e.g. a day), each bar with its count above it
    (none for 0), and a legend. Heights are relative to the largest count."""
    top = max([1, *(value for one in series for value in one.values)])
    legend = "".join(
        f'<span><i style="background:{one.colour}"></i>{escape(one.name)}</span>' for one in series
    )

    def group(index: int, label: str) -> str:
        bars_ = "".join(
            f'<b title="{escape(label)} · {escape(one.name)}: {one.values[index]}">{one.values[index] or ""}'
            f'<i style="height:{100 * one.values[index] / top:.1f}%;background:{one.colour}"></i></b>'
            for one in series
        )
        return f"<span><span>{bars_}</span><span>{escape(label)}</span></span>"

    chart = (
        '<div class="amane-columns">' + "".join(group(i, label) for i, label in enumerate(labels)) + "</div>"
    )
    legend_box = f'<div class="amane-legend">{legend}<span>({escape(value_name)})</span></div>'
    return _figure(_title(heading) + legend_box + chart, heading, "")


# ---------------------------------------------------------------- Plotly, when a chart needs it


def layout(chart_title: str, x_title: str, y_title: str, height: int = 320) -> dict:
    """A Plotly layout (a plain dict) in the page's direction: title and y axis on the reading
    side, the x axis reversed in Arabic."""
    rtl = direction() == "rtl"
    return {
        "title": {"text": chart_title, "x": 1 if rtl else 0, "xanchor": "right" if rtl else "left"},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "xaxis": {"title": {"text": x_title}, "autorange": "reversed" if rtl else True},
        "yaxis": {"title": {"text": y_title}, "side": "right" if rtl else "left"},
        "showlegend": False,
    }


def plotly_chart(figure: Mapping[str, object], key: str, alt: str) -> None:
    """A chart that needs Plotly, given as a plain dict ({"data": [...], "layout": layout(...)}):
    no module-level Plotly import anywhere, so Plotly is imported (by st.plotly_chart) the first
    time a page draws one, and a server whose pages draw none never loads it."""
    st.plotly_chart(dict(figure), key=key, config={"displayModeBar": False}, alt=alt)
