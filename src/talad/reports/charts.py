"""A stacked bar chart of sales per day and channel, drawn as SVG on the server (no JS library)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.html import escape

from talad.orders.models import Channel
from talad.reports.selectors import ChannelDay

COLOURS = {
    "website": "#0b7a53",
    "facebook": "#1877f2",
    "line": "#06c755",
    "instagram": "#c13584",
    "shopee": "#ee4d2d",
    "lazada": "#0f146d",
    "tiktok": "#111111",
    "phone": "#7a5af8",
    "walk_in": "#b45309",
    "other": "#98a2b3",
}
WIDTH, HEIGHT, PAD = 720, 220, 28


def sales_chart_svg(rows: list[ChannelDay], *, days: int, today: date) -> str:
    first = today - timedelta(days=days - 1)
    per_day: dict[date, dict[str, ChannelDay]] = {}
    for r in rows:
        per_day.setdefault(r.day, {})[r.channel] = r
    peak = max(
        (sum((c.sales for c in d.values()), Decimal(0)) for d in per_day.values()),
        default=Decimal(0),
    )
    peak = peak or Decimal(1)
    bar = (WIDTH - 2 * PAD) / days
    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="sales per day">']
    for i in range(days):
        day = first + timedelta(days=i)
        y = HEIGHT - PAD
        for channel in Channel.values:
            cell = per_day.get(day, {}).get(channel)
            if not cell or not cell.sales:
                continue
            h = float(cell.sales / peak) * (HEIGHT - 2 * PAD)
            y -= h
            label = escape(f"{day:%d/%m} {channel}: {cell.orders} / ฿{cell.sales:,.2f}")
            parts.append(
                f'<rect x="{PAD + i * bar + 1:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[channel]}"><title>{label}</title></rect>'
            )
        if i % 5 == 0 or i == days - 1:
            parts.append(
                f'<text x="{PAD + i * bar:.1f}" y="{HEIGHT - 8}" font-size="11">{day:%d/%m}</text>'
            )
    parts.append(f'<text x="{PAD}" y="14" font-size="11">฿{peak:,.0f}</text>')
    parts.append(
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#dde2e6"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


BAR_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 480, 26, 150  # narrow: legible on a 390 px phone


def bars_svg(bars: list[tuple[str, Decimal, str]], *, title: str) -> str:
    """Horizontal bars, one per (label, baht, colour), longest the largest; drawn on the server
    so the page needs no script (the CSP allows no inline script, and SVG is not one)."""
    peak = max((value for _label, value, _colour in bars), default=Decimal(0)) or Decimal(1)
    height = max(len(bars), 1) * BAR_HEIGHT + 8
    room = BAR_WIDTH - LABEL_WIDTH - 95
    parts = [f'<svg viewBox="0 0 {BAR_WIDTH} {height}" role="img" aria-label="{escape(title)}">']
    for n, (label, value, colour) in enumerate(bars):
        y = 4 + n * BAR_HEIGHT
        w = max(float(value / peak) * room, 1.0 if value else 0.0)
        short = label if len(label) <= 20 else label[:19] + "…"
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="13">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{w:.1f}" height="{BAR_HEIGHT - 8}" '
            f'fill="{colour}"><title>{escape(label)}: ฿{value:,.2f}</title></rect>'
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + 17}" font-size="13">฿{value:,.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
