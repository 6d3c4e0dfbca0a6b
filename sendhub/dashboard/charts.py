"""Server-rendered SVG charts (Vega-Lite through altair, drawn by vl-convert): no JavaScript in the browser.

Each chart shows the local monthly line, the national figure and the local trajectory, told apart by
line style as well as colour. The page puts a title, a text summary and the data table beside it.
"""

import hashlib
import html
import json
import re
from datetime import date

from django.core.cache import cache

from . import definitions as d

LOCAL, NATIONAL, TRAJECTORY = "This area", "England", "Local trajectory"
COLOURS = {LOCAL: "#1d70b8", NATIONAL: "#d4351c", TRAJECTORY: "#00703c"}
DASHES = {LOCAL: [1, 0], NATIONAL: [2, 3], TRAJECTORY: [8, 4]}
CACHE_SECONDS = 60 * 60 * 24


def _month_end(key: str) -> date:
    year, month = (int(x) for x in key.split("-"))
    return date.fromordinal(d.add_months(date(year, month, 1), 1).toordinal() - 1)


def chart_rows(figure) -> list[dict]:
    """The points the chart draws: local values (suppressed ones left out), the national figure, the trajectory."""
    rows = [{"month": r.label, "order": i, "value": r.value, "series": LOCAL}
            for i, r in enumerate(figure.rows) if r.value is not None]
    national = next((c for c in figure.comparators if c.geography == "national"), None)
    if national is not None and figure.rows:
        rows += [{"month": r.label, "order": i, "value": float(national.value), "series": NATIONAL}
                 for i, r in enumerate(figure.rows)]
    if figure.trajectory:
        rows += [{"month": r.label, "order": i, "value": round(d.trajectory_at(figure.trajectory, _month_end(r.month)), 1),
                  "series": TRAJECTORY} for i, r in enumerate(figure.rows)]
    return rows


def render_svg(figure, title: str) -> str:
    import altair as alt
    import vl_convert as vlc

    rows = chart_rows(figure)
    months = [r.label for r in figure.rows]
    series = [s for s in (LOCAL, NATIONAL, TRAJECTORY) if any(r["series"] == s for r in rows)] or [LOCAL]
    y_title = "Per cent" if figure.metric.kind == d.SHARE else "Number"
    y_scale = alt.Scale(domain=[0, 100]) if figure.metric.kind == d.SHARE else alt.Scale(zero=True)
    chart = (alt.Chart(alt.Data(values=rows))
             .mark_line(point=True, strokeWidth=2)
             .encode(x=alt.X("month:O", sort=months, title="Month", axis=alt.Axis(labelAngle=-45)),
                     y=alt.Y("value:Q", title=y_title, scale=y_scale),
                     color=alt.Color("series:N", title=None, scale=alt.Scale(domain=series, range=[COLOURS[s] for s in series]),
                                     legend=alt.Legend(orient="bottom")),
                     strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series, range=[DASHES[s] for s in series]),
                                               legend=None))
             .properties(width=520, height=220, title=title)
             .configure(font="Arial")
             .configure_axis(labelFontSize=12, titleFontSize=13, labelColor="#0b0c0c", titleColor="#0b0c0c")
             .configure_legend(labelFontSize=13, labelColor="#0b0c0c", symbolStrokeWidth=3)
             .configure_title(fontSize=15, color="#0b0c0c", anchor="start"))
    svg = vlc.vegalite_to_svg(chart.to_dict())
    label = html.escape(f"Chart: {figure.summary}", quote=True)
    head, rest = svg.split(">", 1)
    # The whole chart is one image with its summary as the label: the drawing inside is not read out.
    rest = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", rest)
    head = re.sub(r'\swidth="[\d.]+"\s+height="[\d.]+"', ' width="100%"', head, count=1)
    return head.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1) + ">" + rest


def _digest(figure, title: str) -> str:
    content = json.dumps([title, figure.summary, figure.metric.kind, [r.label for r in figure.rows], chart_rows(figure)],
                         sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _title(figure, public: bool) -> str:
    return figure.metric.public_title if public else figure.metric.title


def stored_svg(figure, *, public: bool) -> str:
    """The chart from the shared store, drawn and stored first if no process has drawn it yet."""
    from .models import DashboardChart

    title = _title(figure, public)
    digest = _digest(figure, title)
    svg = DashboardChart.objects.filter(key=digest).values_list("svg", flat=True).first()
    if svg is None:
        svg = render_svg(figure, title)
        DashboardChart.objects.bulk_create([DashboardChart(key=digest, svg=svg)], ignore_conflicts=True)
    return svg


def chart_for(figure, *, public: bool) -> str:
    """The chart's SVG, cached by a hash of what it draws (new figures, comparators or targets draw a new chart):
    first this process's memory, then the shared store."""
    key = f"dashboard-chart:{_digest(figure, _title(figure, public))}"
    svg = cache.get(key)
    if svg is None:
        svg = stored_svg(figure, public=public)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
