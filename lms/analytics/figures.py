"""Plotly figures built from the gap frames, and the plotly.js bundle served from the installed package.

Pages embed a figure as JSON in a `<script type="application/json">` data block (never executed, so the
`default-src 'self'` CSP allows it) and `lms/static/lms/figures.js` draws it with Plotly.newPlot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache

import plotly.graph_objects as go
import plotly.offline
from markupsafe import Markup

from lms.analytics.completion import STATUS_LABELS, STATUSES
from lms.analytics.gaps import GapReport
from lms.analytics.items import ItemReport
from lms.analytics.overview import Overview
from quizzes.psychometrics.review import NEAR_ZERO_DISCRIMINATION

# white (nobody missed) to deep red (everybody missed), readable as grey levels too
MISS_SCALE = [[0.0, "#f7f7f7"], [0.25, "#fddbc7"], [0.5, "#f4a582"], [0.75, "#d6604d"], [1.0, "#67001f"]]
# what every figure shares: a white plot, the page's font, narrow margins
_BASE_LAYOUT = {
    "plot_bgcolor": "#ffffff",
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
}


def gap_heatmap(report: GapReport, links: Callable[[int, int], str]) -> go.Figure | None:
    """Miss rate per SOP step (rows, in SOP order) and job role (columns); None when there is nothing.
    `links(step_id, job_role_id)` is where a click on a cell goes (the learners who missed it).

    Drawn as square SVG markers rather than a plotly `heatmap` trace: that trace paints a `data:` image,
    which the `default-src 'self'` Content-Security-Policy blocks. Empty cells: nobody in that role answered.
    """
    if report.is_empty:
        return None
    cells = report.cells
    rows, columns = len(report.step_labels), len(report.role_names)
    plot_height = 22 * rows
    size = max(6, min(18, 900 // max(columns, 1) - 4))
    short = cells["step_text"].map(lambda t: t if len(t) <= 90 else t[:87] + "...")
    figure = go.Figure(
        go.Scatter(
            x=cells["job_role"].tolist(),
            y=cells["label"].tolist(),
            mode="markers",
            marker={
                "symbol": "square",
                "size": size,
                "color": cells["miss_rate_percent"].astype(float).tolist(),
                "cmin": 0,
                "cmax": 100,
                "colorscale": MISS_SCALE,
                "line": {"width": 0.5, "color": "#8a8a8a"},
                "colorbar": {"title": {"text": "missed %"}},
                "showscale": True,
            },
            customdata=[
                [links(int(s), int(r)), int(m), int(n), t]
                for s, r, m, n, t in zip(
                    cells["step_id"],
                    cells["job_role_id"],
                    cells["misses"],
                    cells["responses"],
                    short,
                    strict=True,
                )
            ],
            hovertemplate=(
                "<b>%{y}</b> · %{x}<br>%{customdata[3]}<br>missed %{marker.color:.1f}% "
                "(%{customdata[1]} of %{customdata[2]} responses)<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        height=max(320, 160 + plot_height),
        xaxis={
            "side": "top",
            "title": None,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": report.role_names,
            "showgrid": False,
        },
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "title": None,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": report.step_labels,
            "showgrid": False,
        },
        meta={"drill": True},
        **_BASE_LAYOUT,
    )
    return figure


def figure_data(figure: go.Figure) -> Markup:
    """The figure's JSON, safe inside a <script type="application/json"> element."""
    payload = figure.to_json(engine="json")
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028")):
        payload = payload.replace(raw, escaped)
    return Markup(payload.replace("\u2029", "\\u2029"))  # noqa: S704 - escaped above, JSON data only


@cache
def plotly_js() -> tuple[bytes, str]:
    """plotly.min.js from the installed plotly package (read once) and its ETag."""
    body = plotly.offline.get_plotlyjs().encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:32]


def item_scatter(report: ItemReport) -> go.Figure | None:
    """Each question as a point: facility (x) against discrimination index (y), questions to review in red.

    The shaded band is Moodle's "barely discriminates" zone (below `NEAR_ZERO_DISCRIMINATION`). Questions
    without a discrimination index (everyone scored the same) are left out; the data table lists them.
    """
    shown = [row for row in report.rows if row.facility is not None and row.discrimination_index is not None]
    if not shown:
        return None
    flagged = [bool(row.reasons) for row in shown]
    figure = go.Figure(
        go.Scatter(
            x=[row.facility for row in shown],
            y=[row.discrimination_index for row in shown],
            mode="markers+text",
            text=[f"Q{row.position}" for row in shown],
            textposition="top center",
            marker={
                "size": 11,
                "color": ["#b3261e" if f else "#1f5fa8" for f in flagged],
                "symbol": ["diamond" if f else "circle" for f in flagged],
                "line": {"width": 1, "color": "#222222"},
            },
            customdata=[
                [row.position, row.attempts, row.stem if len(row.stem) <= 90 else row.stem[:87] + "..."]
                for row in shown
            ],
            hovertemplate=(
                "<b>Q%{customdata[0]}</b> (%{customdata[1]} attempts)<br>%{customdata[2]}<br>"
                "facility %{x:.1f}% · discrimination %{y:.1f}%<extra></extra>"
            ),
        )
    )
    figure.add_hrect(y0=-100, y1=NEAR_ZERO_DISCRIMINATION, fillcolor="#fdecea", line_width=0, layer="below")
    figure.update_layout(
        height=420,
        xaxis={"title": {"text": "facility index (% of marks scored)"}, "range": [-5, 105]},
        yaxis={"title": {"text": "discrimination index (%)"}, "range": [-105, 105], "automargin": True},
        showlegend=False,
        **{**_BASE_LAYOUT, "margin": {"l": 10, "r": 10, "t": 20, "b": 10}},
    )
    return figure


STATUS_COLOURS = {
    "completed": "#2e7d32",
    "in_progress": "#1f5fa8",
    "not_started": "#9e9e9e",
    "overdue": "#b3261e",
}


def completion_bars(report: Overview, links: Callable[[str, int], str]) -> go.Figure | None:
    """Current training per job role, stacked by status; clicking a segment lists the people in it.

    `links(status, job_role_id)` gives the drill-down address; it travels in `customdata` and the page's
    figures.js follows it (layout.meta.drill), while the data table carries the same links for keyboards.
    """
    if not report.completion:
        return None
    roles = [r.job_role for r in report.completion]
    figure = go.Figure(
        [
            go.Bar(
                name=STATUS_LABELS[status],
                y=roles,
                x=[r.counts[status] for r in report.completion],
                orientation="h",
                marker={"color": STATUS_COLOURS[status]},
                customdata=[[links(status, r.job_role_id)] for r in report.completion],
                hovertemplate="%{y}: %{x} " + STATUS_LABELS[status].lower() + "<extra></extra>",
            )
            for status in STATUSES
        ]
    )
    figure.update_layout(
        barmode="stack",
        height=max(260, 120 + 36 * len(roles)),
        xaxis={"title": {"text": "SOP trainings (person and SOP)"}},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        legend={"orientation": "h", "y": -0.15},
        meta={"drill": True},
        **_BASE_LAYOUT,
    )
    return figure


def score_bars(report: Overview, links: Callable[[int], str]) -> go.Figure | None:
    """First-attempt scores in 10-point bands, split into passed and not passed; bars drill down."""
    if not report.first_attempts:
        return None
    labels = [b.label for b in report.scores]
    traces = []
    for name, values, colour in (
        ("Passed", [b.passed for b in report.scores], STATUS_COLOURS["completed"]),
        ("Not passed", [b.first_attempts - b.passed for b in report.scores], STATUS_COLOURS["overdue"]),
    ):
        traces.append(
            go.Bar(
                name=name,
                x=labels,
                y=values,
                marker={"color": colour},
                customdata=[[links(b.index)] for b in report.scores],
                hovertemplate="%{x}: %{y} first attempts " + name.lower() + "<extra></extra>",
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        barmode="stack",
        height=340,
        xaxis={"title": {"text": "first-attempt score"}, "type": "category"},
        yaxis={"title": {"text": "first attempts"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        meta={"drill": True},
        **_BASE_LAYOUT,
    )
    return figure


def trend_lines(report: Overview, links: Callable[[int], str]) -> go.Figure | None:
    """First-attempt pass rate per SOP, one line per SOP across its revisions in order; a point drills down
    to the first attempts at that revision."""
    if not report.trend:
        return None
    figure = go.Figure()
    for code in dict.fromkeys(t.sop_code for t in report.trend):
        points = [t for t in report.trend if t.sop_code == code]
        figure.add_trace(
            go.Scatter(
                name=code,
                x=[t.order for t in points],
                y=[t.pass_rate for t in points],
                mode="lines+markers",
                customdata=[[links(t.revision_id), t.revision, t.passed, t.first_attempts] for t in points],
                hovertemplate=(
                    f"<b>{code}</b> revision %{{customdata[1]}}<br>%{{y:.1f}}% passed first time "
                    "(%{customdata[2]} of %{customdata[3]})<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        height=360,
        xaxis={
            "title": {"text": "revision (1 = earliest with results)"},
            "dtick": 1,
            "range": [0.5, max(t.order for t in report.trend) + 0.5],
        },
        yaxis={"title": {"text": "first-attempt pass rate (%)"}, "range": [0, 105]},
        meta={"drill": True},
        **_BASE_LAYOUT,
    )
    return figure
