#!/usr/bin/env python3
"""Draws the scaling curve of docs/benchmarks.md from EndToEnd JSON reports, as a dependency-free SVG.

    benchmarks/scripts/scaling-chart.py OUT.svg REPORT.json...

Every report is one EndToEnd run (one table, one channel count). For each table it plots, against the channel
count, the median rows/s (with the min-max range of the repeats) and the median CPU microseconds per row of the
sending JVM, for relay-discard and sdk-ceiling-discard side by side. Also prints the figures as a Markdown table.
"""
import json
import sys

MODES = [("relay-discard", "relay", "#d62728"), ("sdk-ceiling-discard", "SDK ceiling", "#1f77b4")]
TABLES = [("LIFT_RIDE", "lift rides"), ("RESORT_TICKET", "tickets")]
PANEL_W, PANEL_H, MARGIN_L, MARGIN_T, GAP = 360, 220, 70, 40, 60


def load(paths):
    points = {}  # (table, mode) -> {channels: (median, min, max, cpu, server cpu)}
    for path in paths:
        with open(path) as f:
            report = json.load(f)
        for mode, _, _ in MODES:
            m = report["modes"].get(mode)
            if m:
                points.setdefault((report["table"], mode), {})[m["channels"]] = (
                    m["rowsPerSecond"], m["rowsPerSecondMin"], m["rowsPerSecondMax"], m["cpuMicrosPerRow"],
                    m["emulatorCpuMicrosPerRow"])
    return points


def panel(out, x0, y0, title, series, value, unit):
    channels = sorted({c for s in series for c in s[2]})
    if not channels:
        return
    top = max(max(value(p)[-1] for p in s[2].values()) for s in series) * 1.1 or 1
    xs = {c: x0 + (i + 0.5) * PANEL_W / len(channels) for i, c in enumerate(channels)}

    def y(v):
        return y0 + PANEL_H - v / top * PANEL_H

    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{y0 - 12}" text-anchor="middle" font-weight="bold">{title}</text>')
    out.append(f'<rect x="{x0}" y="{y0}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#999"/>')
    for i in range(5):
        v = top * i / 4
        label = f"{v / 1000:,.0f}k" if unit == "rows/s" else f"{v:.1f}"
        out.append(f'<line x1="{x0}" x2="{x0 + PANEL_W}" y1="{y(v)}" y2="{y(v)}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 6}" y="{y(v) + 4}" text-anchor="end" font-size="11">{label}</text>')
    for c, x in xs.items():
        out.append(f'<text x="{x}" y="{y0 + PANEL_H + 16}" text-anchor="middle" font-size="11">{c}</text>')
    out.append(f'<text x="{x0 + PANEL_W / 2}" y="{y0 + PANEL_H + 32}" text-anchor="middle" font-size="11">channels</text>')
    out.append(f'<text x="{x0 - 52}" y="{y0 + PANEL_H / 2}" font-size="11" text-anchor="middle" '
               f'transform="rotate(-90 {x0 - 52} {y0 + PANEL_H / 2})">{unit}</text>')
    for name, colour, pts in series:
        cs = sorted(pts)
        path = " ".join(f"{xs[c]},{y(value(pts[c])[0])}" for c in cs)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for c in cs:
            mid, lo, hi = value(pts[c])
            out.append(f'<line x1="{xs[c]}" x2="{xs[c]}" y1="{y(lo)}" y2="{y(hi)}" stroke="{colour}"/>')
            out.append(f'<circle cx="{xs[c]}" cy="{y(mid)}" r="3" fill="{colour}"/>')


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    points = load(sys.argv[2:])
    width = MARGIN_L + 2 * PANEL_W + GAP + 20
    height = MARGIN_T + 2 * (PANEL_H + GAP) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>']
    for col, (table, label) in enumerate(TABLES):
        x0 = MARGIN_L + col * (PANEL_W + GAP)
        series = [(name, colour, points.get((table, mode), {})) for mode, name, colour in MODES]
        panel(out, x0, MARGIN_T, f"{label}: rows/s against the discarding server", series,
              lambda p: (p[0], p[1], p[2]), "rows/s")
        panel(out, x0, MARGIN_T + PANEL_H + GAP, f"{label}: CPU µs per row (sending JVM)", series,
              lambda p: (p[3], p[3], p[3]), "µs/row")
    legend_y = height - 14
    for i, (_, name, colour) in enumerate(MODES):
        out.append(f'<rect x="{MARGIN_L + i * 140}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{MARGIN_L + i * 140 + 18}" y="{legend_y + 1}">{name}</text>')
    out.append(f'<text x="{MARGIN_L + 300}" y="{legend_y + 1}" font-size="11">dot: median of the repeats; bar: min-max</text>')
    out.append("</svg>")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")
    print("| table | channels | relay rows/s [min–max] | ceiling rows/s [min–max] | relay/ceiling "
          "| CPU µs/row relay + server | ceiling + server |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for table, label in TABLES:
        relay = points.get((table, "relay-discard"), {})
        ceiling = points.get((table, "sdk-ceiling-discard"), {})
        for c in sorted(set(relay) | set(ceiling)):
            r, s = relay.get(c), ceiling.get(c)
            cell = lambda p: f"{p[0]:,.0f} [{p[1]:,.0f}–{p[2]:,.0f}]" if p else "–"
            cpu = lambda p: f"{p[3]:.2f} + {p[4]:.2f}" if p else "–"
            ratio = f"{r[0] / s[0]:.2f}" if r and s else "–"
            print(f"| {label} | {c} | {cell(r)} | {cell(s)} | {ratio} | {cpu(r)} | {cpu(s)} |")


if __name__ == "__main__":
    main()
