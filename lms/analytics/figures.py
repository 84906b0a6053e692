"""Plotly figures built from the gap frames, and the plotly.js bundle served from the installed package.

Pages embed a figure as JSON in a `<script type="application/json">` data block (never executed, so the
`default-src 'self'` CSP allows it) and `lms/static/lms/figures.js` draws it with Plotly.newPlot.
"""

from __future__ import annotations

import hashlib
from functools import cache

import plotly.graph_objects as go
import plotly.offline
from markupsafe import Markup

from lms.analytics.gaps import GapReport
from lms.analytics.items import ItemReport
from quizzes.psychometrics.review import NEAR_ZERO_DISCRIMINATION

# white (nobody missed) to deep red (everybody missed), readable as grey levels too
MISS_SCALE = [[0.0, "#f7f7f7"], [0.25, "#fddbc7"], [0.5, "#f4a582"], [0.75, "#d6604d"], [1.0, "#67001f"]]


def gap_heatmap(report: GapReport) -> go.Figure | None:
    """Miss rate per SOP step (rows, in SOP order) and job role (columns); None when there is nothing.

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
                [int(m), int(n), t]
                for m, n, t in zip(cells["misses"], cells["responses"], short, strict=True)
            ],
            hovertemplate=(
                "<b>%{y}</b> · %{x}<br>%{customdata[2]}<br>missed %{marker.color:.1f}% "
                "(%{customdata[0]} of %{customdata[1]} responses)<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        height=max(320, 160 + plot_height),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
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
        plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif", "size": 12},
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
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        xaxis={"title": {"text": "facility index (% of marks scored)"}, "range": [-5, 105]},
        yaxis={"title": {"text": "discrimination index (%)"}, "range": [-105, 105], "automargin": True},
        plot_bgcolor="#ffffff",
        showlegend=False,
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return figure
