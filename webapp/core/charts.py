"""Charts drawn on the server as SVG, always shown with the same numbers in a table beside them.

Why horizontal bars only: they read on a 320 px phone as well as on a desktop, the labels
(procedure and commune names) stay horizontal, and the table beside gives the exact figures to
people who cannot see the chart. Geometry is in `em` and percentages rather than a scaled
viewBox, so the text inside the chart is exactly the page's body size (20, 24 or 28 px with
the A, A+, A++ switch) and never shrinks with the screen.

The template macro `components/charts.html` draws a `BarChart`; nothing here renders HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

ROW_EM = 3.4  # one bar: its label on one line, the bar and its value on the next
LABEL_BASELINE_EM = 1.1
BAR_TOP_EM = 1.55
BAR_HEIGHT_EM = 1.3
VALUE_BASELINE_EM = 2.55
# Bars fill at most this share of the width, leaving room for the value written after them.
BAR_SPAN_PERCENT = 64.0
MAX_LABEL_CHARS = 34  # longer labels are shortened in the chart; the table has them in full


@dataclass(frozen=True)
class Bar:
    """One bar: what it measures, its value, the value as people read it, and its geometry."""

    label: str
    short_label: str
    value: float | None
    display: str
    width_percent: float
    label_y_em: float
    bar_y_em: float
    value_y_em: float

    @property
    def value_x_percent(self) -> float:
        """Where the value is written: just after the end of the bar."""
        return self.width_percent


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart with an id (for aria-labelledby), a title and its bars."""

    chart_id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    bar_height_em: float = BAR_HEIGHT_EM

    @property
    def height_em(self) -> float:
        return round(max(len(self.bars), 1) * ROW_EM + 0.2, 2)


def shorten(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Cut a long label at a word boundary and mark the cut with an ellipsis."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0] or label[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float | None]],
    *,
    display: Callable[[float], str] = lambda value: f"{value:g}",
    missing: str = "–",
    maximum: float | None = None,
    description: str = "",
) -> BarChart:
    """Lay out `rows` of (label, value) as bars; a None value is drawn as no bar with `missing`.

    `maximum` fixes the full scale (100 for percentages); otherwise the largest value fills it.
    """
    values = [value for _, value in rows if value is not None]
    scale = maximum if maximum is not None else max(values, default=0)
    bars = tuple(
        _bar(index, label, value, scale, display(value) if value is not None else missing)
        for index, (label, value) in enumerate(rows)
    )
    return BarChart(chart_id=chart_id, title=title, description=description, bars=bars)


def _bar(index: int, label: str, value: float | None, scale: float, shown: str) -> Bar:
    share = 0.0 if not value or scale <= 0 else min(max(value / scale, 0.0), 1.0)
    top = index * ROW_EM
    return Bar(
        label=label,
        short_label=shorten(label),
        value=value,
        display=shown,
        width_percent=round(share * BAR_SPAN_PERCENT, 2),
        label_y_em=round(top + LABEL_BASELINE_EM, 2),
        bar_y_em=round(top + BAR_TOP_EM, 2),
        value_y_em=round(top + VALUE_BASELINE_EM, 2),
    )
