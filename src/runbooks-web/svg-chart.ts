import { escapeHtml } from '../lib/html-escape.js';
import { formatValueText } from '../alert/format-value.js';
import { hasTrend, MIN_TREND_POINTS } from '../enrichment/sparkline.js';

export type Sample = readonly [number, number];

// Drawn at about phone width so the 13 px labels stay legible when the SVG scales to fit.
const W = 400;
const H = 150;
const PAD = { left: 4, right: 6, top: 24, bottom: 24 };
const MAX_POINTS = 600;

const hhmm = (t: number): string => new Date(t * 1000).toISOString().slice(11, 16);
const r1 = (n: number): string => n.toFixed(1);

/**
 * A small inline SVG line chart of the last hours: no script, no external resources, so it
 * works without JavaScript and under `default-src 'none'`. Gaps (NaN, Inf, missing samples)
 * break the line instead of drawing it to zero. Fewer than MIN_TREND_POINTS samples (a Prometheus
 * minutes old) draw no line, since one dot is not a trend: the chart says how many there are.
 * @example svgChart([[1700000000, 1], [1700000060, 2]], { unit: 'ratio', label: 'error_ratio' })
 */
export function svgChart(samples: readonly Sample[], opts: { unit?: string; label: string }): string {
  const pts = samples.filter(([t]) => Number.isFinite(t)).slice(-MAX_POINTS);
  const finite = pts.filter(([, v]) => Number.isFinite(v));
  const aria = escapeHtml(`${opts.label}: chart of the last hours`);
  const note = (text: string): string =>
    `<svg class="chart" viewBox="0 0 ${W} 40" role="img" aria-label="${aria}"><text x="${W / 2}" y="24" text-anchor="middle" class="muted">${escapeHtml(text)}</text></svg>`;
  if (finite.length === 0) return note('no data in this range');
  if (!hasTrend(pts.map(([, v]) => v)))
    return note(
      `${finite.length} sample${finite.length === 1 ? '' : 's'} so far: too few for a trend (${MIN_TREND_POINTS} needed)`,
    );
  const t0 = pts[0]![0];
  const t1 = Math.max(pts[pts.length - 1]![0], t0 + 1);
  let lo = Math.min(...finite.map(([, v]) => v));
  let hi = Math.max(...finite.map(([, v]) => v));
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const x = (t: number): number => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  // A gap longer than 3 typical steps is drawn as a gap.
  const step = pts.length > 1 ? (t1 - t0) / (pts.length - 1) : 1;
  const runs: string[][] = [];
  let run: string[] = [];
  let prevT = -Infinity;
  for (const [t, v] of pts) {
    if (!Number.isFinite(v) || t - prevT > step * 3) {
      if (run.length > 0) runs.push(run);
      run = [];
    }
    if (Number.isFinite(v)) run.push(`${r1(x(t))},${r1(y(v))}`);
    prevT = t;
  }
  if (run.length > 0) runs.push(run);
  const lines = runs
    .map((r) =>
      r.length === 1
        ? `<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="2" class="line-dot"/>`
        : `<polyline points="${r.join(' ')}" class="line"/>`,
    )
    .join('');
  const last = finite[finite.length - 1]!;
  const grid = [PAD.top, (PAD.top + H - PAD.bottom) / 2, H - PAD.bottom]
    .map((gy) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${gy}" y2="${gy}" class="grid"/>`)
    .join('');
  const fmt = (v: number): string => escapeHtml(formatValueText(v, opts.unit));
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${aria}">${grid}${lines}
<circle cx="${r1(x(last[0]))}" cy="${r1(y(last[1]))}" r="3.5" class="now-dot"/>
<text x="${PAD.left}" y="15" class="muted">max ${fmt(hi)}</text><text x="${W - PAD.right}" y="15" text-anchor="end" class="muted">now ${fmt(last[1])}</text>
<text x="${PAD.left}" y="${H - 5}" class="muted">${hhmm(t0)} · min ${fmt(lo)}</text><text x="${W - PAD.right}" y="${H - 5}" text-anchor="end" class="muted">${hhmm(t1)} UTC</text></svg>`;
}
