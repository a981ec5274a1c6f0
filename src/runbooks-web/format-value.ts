import { formatValue as formatSample } from '../alert/format-value.js';

/**
 * A Prometheus sample value ("0.0523", "NaN", "+Inf") as a human reads it on the page, in the
 * runbook's unit. The scaling is the notifications' (so Slack and the page agree); only NaN and
 * infinities are written for the page.
 * @example formatValue('0.0523', 'ratio') // '5.23 %'
 */
export function formatValue(raw: string | number, unit?: string): string {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  // Prometheus writes infinities as "+Inf"/"-Inf"; a number input may be Infinity.
  if (/^[+]?inf(inity)?$/i.test(text)) return '+∞';
  if (/^-inf(inity)?$/i.test(text)) return '−∞';
  if (Number.isNaN(Number(text))) return 'NaN (no data)';
  const f = formatSample(text, unit);
  return f.unit ? `${f.value} ${f.unit}` : f.value;
}

/** "3d 4h", "2h 5m", "4m 10s": how long an alert has been firing. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
