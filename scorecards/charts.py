"""Server-side SVG line charts: the same markup in the browser, the email and the PDF (no JavaScript, no CDN).

Only numbers and escaped labels go into the markup.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 560, 160, 28


def line_chart(
    points: list[tuple[str, Decimal | None]], *, target: Decimal | None, unit: str = "%", title: str = ""
) -> str:
    """Return an SVG chart of (label, value) points with a dashed target line; gaps where a value is None."""
    values = [v for _label, v in points if v is not None]
    scale_values = values + ([target] if target is not None else [])
    if not scale_values:
        top, bottom = Decimal(100), Decimal(0)
    else:
        top, bottom = max(scale_values), min(scale_values)
        margin = (top - bottom) * Decimal("0.15") or Decimal(1)
        top, bottom = top + margin, max(Decimal(0), bottom - margin)
    span = (top - bottom) or Decimal(1)
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)

    def y(value: Decimal) -> float:
        return round(PAD / 2 + float((top - value) / span) * (HEIGHT - PAD), 1)

    segments, current = [], []
    for index, (_label, value) in enumerate(points):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{round(PAD + index * step, 1)},{y(value)}")
    if current:
        segments.append(current)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        # A class, not a style attribute: the Content-Security-Policy refuses inline styles (forgeline.css and
        # the PDF's stylesheet cap the width at WIDTH px).
        f'aria-label="{escape(title)}" class="kpi-chart">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="4" y="{PAD / 2}" font-size="10" fill="#666">{escape(f"{top.quantize(Decimal(1))} {unit}")}</text>',
        # The lowest value's label sits on the plot's bottom line, above the row of period labels.
        f'<text x="4" y="{HEIGHT - PAD / 2 - 2}" font-size="10" fill="#666">'
        f"{escape(f'{bottom.quantize(Decimal(1))} {unit}')}</text>",
    ]
    if target is not None:
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target)}" y2="{y(target)}" stroke="#dc3545" '
            f'stroke-dasharray="5,4" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{WIDTH - PAD + 2}" y="{y(target) + 3}" font-size="10" fill="#dc3545">'
            f"{escape(f'{target.normalize():f}')}</text>"
        )
    for segment in segments:
        parts.append(
            f'<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{" ".join(segment)}"/>'
        )
        for point in segment:
            cx, cy = point.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2" fill="#0d6efd"/>')
    if points:
        parts.append(
            f'<text x="{PAD}" y="{HEIGHT - 2}" font-size="10" fill="#666">{escape(points[0][0])}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 2}" font-size="10" fill="#666" text-anchor="end">'
            f"{escape(points[-1][0])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
