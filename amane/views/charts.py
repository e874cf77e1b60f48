"""Charts and tables for the teachers' pages, drawn as HTML (bars are styled boxes), and Plotly
for a chart that really needs it.

Why: a page that sends one Plotly chart makes the browser fetch and run Plotly's 4.6 MB bundle
(1.2 s of script on a school laptop), and the server import Plotly (and st.table, pandas: +81
MiB) and validate every figure. Bars, a coloured grid and tables need none of it, print as they
show and follow the page's direction (right to left in Arabic). A chart that needs zoom, hover
over many points or a real axis goes through `plotly_chart`: Plotly is imported only when one is
drawn (tests/unit/test_dashboard.py pins that the dashboard imports neither Plotly nor pandas).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from amane.i18n import direction

# Colours that print: browsers drop backgrounds when printing unless told to keep them.
KEEP_COLOURS = "print-color-adjust:exact;-webkit-print-color-adjust:exact"
TEXT = "#31333f"
GRID = "#d9d9de"


def escape(text: object) -> str:
    """Text made inert in HTML, on one line (a blank line would end st.markdown's HTML block)."""
    return " ".join(html.escape(str(text), quote=True).split())


def show(markup: str) -> None:
    """HTML of this module on the page (st.markdown keeps it in the page's flow, for printing)."""
    st.markdown(markup, unsafe_allow_html=True)


def _root(markup: str, label: str, key: str = "") -> str:
    """A figure's outer box: the page's direction, and a label for screen readers."""
    key_class = f' class="amane-chart-{escape(key)}"' if key else ""
    return (
        f'<div dir="{direction()}" role="figure" aria-label="{escape(label)}"{key_class} '
        f'style="margin:0 0 1rem 0;color:{TEXT}">{markup}</div>'
    )


def title(text: str) -> str:
    return f'<div style="font-weight:600;font-size:1.05rem;margin:.25rem 0 .5rem 0">{escape(text)}</div>'


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and optionally a background and text colour."""

    text: str
    background: str = ""
    colour: str = ""


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | int | Cell]],
    label: str = "",
    row_headers: bool = False,
) -> str:
    """An HTML table (escaped cells); `row_headers` makes each row's first cell its header (a
    pupil's name)."""
    style = f"border:1px solid {GRID};padding:.35rem .5rem;text-align:start;vertical-align:top"

    def cell(value: str | int | Cell, tag: str) -> str:
        value = value if isinstance(value, Cell) else Cell(str(value))
        css = style
        if value.background:
            css += f";background:{value.background};{KEEP_COLOURS};text-align:center;white-space:nowrap"
        if value.colour:
            css += f";color:{value.colour}"
        scope = ' scope="row"' if tag == "th" else ""
        return f'<{tag}{scope} style="{css}">{escape(value.text)}</{tag}>'

    head = "".join(
        f'<th scope="col" style="{style};background:#f0f2f6;{KEEP_COLOURS}">{escape(h)}</th>' for h in header
    )
    body = "".join(
        "<tr>"
        + "".join(cell(value, "th" if row_headers and i == 0 else "td") for i, value in enumerate(row))
        + "</tr>"
        for row in rows
    )
    aria = f' aria-label="{escape(label)}"' if label else ""
    return (
        f'<div style="overflow-x:auto;margin:0 0 1rem 0"><table{aria} dir="{direction()}" '
        f'style="border-collapse:collapse;width:100%;font-size:.9rem;color:{TEXT}">'
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
    line = (
        "display:grid;grid-template-columns:minmax(8rem,2fr) 5fr;gap:.25rem .75rem;"
        "align-items:center;padding:.2rem 0"
    )
    head = (
        f'<div style="{line};font-size:.8rem;opacity:.75;border-bottom:1px solid {GRID}">'
        f"<span>{escape(label_header)}</span><span>{escape(value_header)}</span></div>"
    )
    body = "".join(
        f'<div style="{line};border-bottom:1px solid #f0f2f6">'
        f'<span style="font-size:.9rem">{escape(row.label)}</span>'
        '<span style="display:flex;align-items:center;gap:.5rem">'
        f'<span style="flex:1;background:#f0f2f6;border-radius:3px;height:1.3rem;{KEEP_COLOURS}">'
        f'<span style="display:block;height:100%;width:{max(0.0, min(100.0, row.percent)):.1f}%;'
        f'background:{colour};border-radius:3px;{KEEP_COLOURS}"></span></span>'
        f'<span style="min-width:5.5rem;font-size:.85rem;white-space:nowrap">{escape(row.text)}</span>'
        "</span></div>"
        for row in rows
    )
    return _root(title(heading) + head + body, heading)


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
        f'<span style="display:inline-flex;align-items:center;gap:.3rem;margin-inline-end:1rem">'
        f'<span style="width:.8rem;height:.8rem;background:{one.colour};{KEEP_COLOURS}"></span>'
        f"{escape(one.name)}</span>"
        for one in series
    )

    def group(index: int, day: str) -> str:
        columns_ = "".join(
            '<span style="flex:1;display:flex;flex-direction:column;justify-content:flex-end;'
            'align-items:center;height:100%;min-width:0">'
            f'<span style="font-size:.65rem">{one.values[index] or ""}</span>'
            f'<span title="{escape(day)} · {escape(one.name)}: {one.values[index]}" '
            f'style="width:100%;height:{100 * one.values[index] / top:.1f}%;background:{one.colour};'
            f'{KEEP_COLOURS}"></span></span>'
            for one in series
        )
        return (
            '<span style="flex:1;display:flex;flex-direction:column;min-width:0">'
            f'<span style="display:flex;gap:1px;height:8rem;border-bottom:1px solid {GRID}">'
            f"{columns_}</span>"
            f'<span style="font-size:.7rem;text-align:center;white-space:nowrap">{escape(day)}</span>'
            "</span>"
        )

    chart = (
        '<div style="display:flex;gap:.3rem;align-items:stretch">'
        + "".join(group(i, day) for i, day in enumerate(labels))
        + "</div>"
    )
    return _root(
        title(heading)
        + f'<div style="font-size:.8rem;margin-bottom:.4rem">{legend}'
        + f'<span style="opacity:.75">({escape(value_name)})</span></div>'
        + chart,
        heading,
    )


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
