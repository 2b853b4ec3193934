"""Bar charts for the dashboard, drawn as inline SVG on the server: no script, no external service, so the
page works offline and under a strict CSP. Pure functions of their input; every label is XML-escaped and
links must be site-relative."""

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

BAR_COLOUR = "#8c2d19"
AXIS_COLOUR = "#666"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str = ""


def _safe_url(url: str) -> str:
    if url.startswith("/") and not url.startswith("//"):
        return url
    raise ValueError(f"Chart links must be site-relative paths, not {url!r}.")


def column_chart_svg(bars: Sequence[Bar], *, title: str, width: int = 720, height: int = 180) -> str:
    """Vertical bars left to right (detentions per day). The first, middle and last labels are written
    under the axis; every bar has a tooltip with its label and value."""
    top, bottom, left = 16, 22, 32
    peak = max((bar.value for bar in bars), default=0)
    plot_height = height - top - bottom
    step = (width - left) / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-columns" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" '
        f'stroke="{AXIS_COLOUR}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="10">{peak}</text>',
    ]
    labelled = {0, len(bars) // 2, len(bars) - 1} if bars else set()
    for i, bar in enumerate(bars):
        x = left + i * step
        bar_height = plot_height * bar.value / peak if peak else 0
        y = top + plot_height - bar_height
        parts.append(
            f'<rect x="{x:.2f}" y="{y:.2f}" width="{max(step - 1, 0.5):.2f}" height="{bar_height:.2f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(f"{bar.label}: {bar.value}")}</title></rect>'
        )
        if i in labelled:
            # The first and last labels are anchored inwards so the edges of the canvas do not clip them.
            anchor = "start" if i == 0 else "end" if i == len(bars) - 1 else "middle"
            x_text = x if anchor == "start" else x + step if anchor == "end" else x + step / 2
            parts.append(
                f'<text x="{x_text:.2f}" y="{height - 6}" text-anchor="{anchor}" font-size="10">'
                f"{escape(bar.label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(bars: Sequence[Bar], *, title: str, width: int = 480, row: int = 20) -> str:
    """Horizontal bars top to bottom (detentions per city), each with its label, value and optional link."""
    label_width, value_width, top = 150, 40, 4
    height = top * 2 + row * max(len(bars), 1)
    peak = max((bar.value for bar in bars), default=0)
    plot_width = width - label_width - value_width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        bar_width = plot_width * bar.value / peak if peak else 0
        label = (
            f'<text x="{label_width - 6}" y="{y + row * 0.7:.1f}" text-anchor="end" font-size="12">'
            f"{escape(bar.label)}</text>"
        )
        if bar.url:
            label = f"<a href={quoteattr(_safe_url(bar.url))}>{label}</a>"
        parts.append(label)
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width:.2f}" height="{row - 6}" '
            f'fill="{BAR_COLOUR}"><title>{escape(f"{bar.label}: {bar.value}")}</title></rect>'
        )
        parts.append(
            f'<text x="{label_width + bar_width + 4:.2f}" y="{y + row * 0.7:.1f}" font-size="12">'
            f"{bar.value}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
