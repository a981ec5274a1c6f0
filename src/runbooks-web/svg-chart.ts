import { escapeHtml } from '../lib/html-escape.js';
import { formatValueText } from '../alert/format-value.js';
import { hasTrend, MIN_TREND_POINTS } from '../enrichment/sparkline.js';

export type Sample = readonly [number, number];

// The plot is drawn in a W x PH box stretched to the chart's width (lines keep their stroke width,
// dots their shape); the labels sit outside it in CSS pixels, so they stay the size of the page's
// small text at any width instead of scaling with the drawing.
const W = 400;
const H = 150;
const PAD = { top: 24, bottom: 24 };
const PH = H - PAD.top - PAD.bottom;
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
    `<svg class="chart no-data" width="100%" height="40" role="img" aria-label="${aria}"><text x="50%" y="24" text-anchor="middle" class="muted">${escapeHtml(text)}</text></svg>`;
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
  const x = (t: number): number => ((t - t0) / (t1 - t0)) * W;
  const y = (v: number): number => (1 - (v - lo) / (hi - lo)) * PH;
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
  // A dot is a zero-length line with round caps: unlike a circle it stays round when stretched.
  const dot = (cx: string, cy: string, cls: string): string =>
    `<line x1="${cx}" y1="${cy}" x2="${cx}" y2="${cy}" class="${cls}" vector-effect="non-scaling-stroke"/>`;
  const lines = runs
    .map((r) =>
      r.length === 1
        ? dot(r[0]!.split(',')[0]!, r[0]!.split(',')[1]!, 'line-dot')
        : `<polyline points="${r.join(' ')}" class="line" vector-effect="non-scaling-stroke"/>`,
    )
    .join('');
  const last = finite[finite.length - 1]!;
  const grid = [0, PH / 2, PH]
    .map(
      (gy) =>
        `<line x1="0" x2="${W}" y1="${gy}" y2="${gy}" class="grid" vector-effect="non-scaling-stroke"/>`,
    )
    .join('');
  const fmt = (v: number): string => escapeHtml(formatValueText(v, opts.unit));
  return `<svg class="chart" width="100%" height="${H}" role="img" aria-label="${aria}">
<svg y="${PAD.top}" width="100%" height="${PH}" viewBox="0 0 ${W} ${PH}" preserveAspectRatio="none" overflow="visible">${grid}${lines}
${dot(r1(x(last[0])), r1(y(last[1])), 'now-dot')}</svg>
<text x="0" y="15" class="muted">max ${fmt(hi)}</text><text x="100%" y="15" text-anchor="end" class="muted">now ${fmt(last[1])}</text>
<text x="0" y="${H - 5}" class="muted">${hhmm(t0)} · min ${fmt(lo)}</text><text x="100%" y="${H - 5}" text-anchor="end" class="muted">${hhmm(t1)} UTC</text></svg>`;
}
